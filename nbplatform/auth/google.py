"""Settings for oauthenticator's ``GoogleOAuthenticator``, for deployments without IAP.

Use IAP when the hub runs on GKE behind a Google Cloud load balancer: Google
signs users in before a request reaches the cluster, and the hub only
verifies the signed header. Use Google OAuth when there is no IAP in front
(another cloud, a VM, a load balancer you cannot put IAP on): the hub runs
the OAuth flow itself and needs an OAuth client ID and secret.

The OAuth client ID, secret and callback URL are read by oauthenticator
from ``OAUTH_CLIENT_ID``, ``OAUTH_CLIENT_SECRET`` and ``OAUTH_CALLBACK_URL``,
so they never appear in hub configuration. Google Groups lookups use the
Admin SDK with a service account key file and a Workspace administrator to
act as, both given per domain.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ConfigError


def split_list(value: str | None) -> list[str]:
    """Return the non-empty, stripped items of a comma-separated value."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _groups_by_domain(groups: list[str], variable: str) -> dict[str, set[str]]:
    """Map ``name@domain`` group addresses to ``{domain: {name}}``, as oauthenticator expects."""
    by_domain: dict[str, set[str]] = {}
    for group in groups:
        name, at, domain = group.lower().rpartition("@")
        if not at or not name or not domain:
            raise ConfigError(
                f"{variable} contains {group!r}, which is not a group address: use name@domain, e.g. data-team@example.com",
            )
        by_domain.setdefault(domain, set()).add(name)
    return by_domain


def google_oauth_config(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return ``GoogleOAuthenticator`` trait values from ``NBPLATFORM_*`` variables.

    Variables (comma-separated lists):

    - ``NBPLATFORM_GOOGLE_HOSTED_DOMAINS``: Workspace domains allowed to sign in
      (the signed ``hd`` claim); one domain also strips it from usernames.
    - ``NBPLATFORM_ALLOWED_USERS``, ``NBPLATFORM_ADMIN_USERS``: usernames.
    - ``NBPLATFORM_GOOGLE_GROUPS``, ``NBPLATFORM_GOOGLE_ADMIN_GROUPS``: group
      addresses whose members may sign in, or are admins.
    - ``NBPLATFORM_GOOGLE_SERVICE_ACCOUNT_KEY``: path of the service account
      key file used for group lookups, and ``NBPLATFORM_GOOGLE_ADMIN_EMAIL``:
      the Workspace administrator it acts as. Both are required with groups.
    """
    config: dict[str, Any] = {}
    domains = [d.lower() for d in split_list(environ.get("NBPLATFORM_GOOGLE_HOSTED_DOMAINS"))]
    allowed_users = set(split_list(environ.get("NBPLATFORM_ALLOWED_USERS")))
    admin_users = set(split_list(environ.get("NBPLATFORM_ADMIN_USERS")))
    allowed_groups = _groups_by_domain(split_list(environ.get("NBPLATFORM_GOOGLE_GROUPS")), "NBPLATFORM_GOOGLE_GROUPS")
    admin_groups = _groups_by_domain(
        split_list(environ.get("NBPLATFORM_GOOGLE_ADMIN_GROUPS")),
        "NBPLATFORM_GOOGLE_ADMIN_GROUPS",
    )

    if domains:
        config["hosted_domain"] = domains
    if allowed_users:
        config["allowed_users"] = allowed_users
    if admin_users:
        config["admin_users"] = admin_users
    if allowed_groups:
        config["allowed_google_groups"] = allowed_groups
    if admin_groups:
        config["admin_google_groups"] = admin_groups

    group_domains = set(allowed_groups) | set(admin_groups)
    if group_domains:
        key_file = environ.get("NBPLATFORM_GOOGLE_SERVICE_ACCOUNT_KEY", "").strip()
        admin_email = environ.get("NBPLATFORM_GOOGLE_ADMIN_EMAIL", "").strip()
        missing = [
            name
            for name, value in (
                ("NBPLATFORM_GOOGLE_SERVICE_ACCOUNT_KEY", key_file),
                ("NBPLATFORM_GOOGLE_ADMIN_EMAIL", admin_email),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                f"Google group sign-in needs {' and '.join(missing)}: group membership is read with the "
                "Admin SDK, using a service account key file acting as a Workspace administrator.",
                reason="missing-google-groups-credentials",
            )
        config["google_service_account_keys"] = {domain: key_file for domain in group_domains}
        config["gsuite_administrator"] = {domain: admin_email for domain in group_domains}
        config["manage_groups"] = True

    if not (domains or allowed_users or allowed_groups or admin_groups):
        raise ConfigError(
            "Google OAuth sign-in has no allow rule, so nobody could sign in. Set NBPLATFORM_GOOGLE_HOSTED_DOMAINS, "
            "NBPLATFORM_ALLOWED_USERS or NBPLATFORM_GOOGLE_GROUPS.",
            reason="no-allow-config",
        )
    if domains and not (allowed_users or allowed_groups or admin_groups):
        # hosted_domain restricts who may sign in; without another allow rule every member of the domain is allowed.
        config["allow_all"] = True
    return config
