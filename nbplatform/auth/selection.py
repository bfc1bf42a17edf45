"""Choice of the hub's authenticator: local passwords, IAP, or Google OAuth.

``NBPLATFORM_AUTH`` selects it (``local``, ``iap`` or ``google``). Without
it, local mode uses local passwords and GKE mode uses IAP. Each choice has a
builder that turns ``NBPLATFORM_*`` variables into trait values, so the
hub configuration stays data and every mistake is reported with the
variable to fix before the hub starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..errors import ConfigError
from .google import google_oauth_config, split_list


@dataclass(frozen=True)
class AuthChoice:
    """An authenticator class and the builder of its trait values."""

    class_path: str
    config_section: str
    build: Callable[[Mapping[str, str]], dict[str, Any]]


def iap_config(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return ``IAPAuthenticator`` trait values from ``NBPLATFORM_*`` variables.

    ``NBPLATFORM_IAP_AUDIENCE`` is required. Optional comma-separated lists:
    ``NBPLATFORM_ALLOWED_DOMAINS``, ``NBPLATFORM_ALLOWED_USERS``,
    ``NBPLATFORM_ADMIN_USERS``, ``NBPLATFORM_BLOCKED_USERS``; and
    ``NBPLATFORM_IAP_PLUS_ADDRESSING`` (keep, strip or reject).
    """
    audience = environ.get("NBPLATFORM_IAP_AUDIENCE", "").strip()
    if not audience:
        raise ConfigError(
            "NBPLATFORM_IAP_AUDIENCE is not set. Set it to the IAP audience of the hub's backend service, "
            "/projects/PROJECT_NUMBER/global/backendServices/BACKEND_SERVICE_ID (Terraform output iap_audience).",
            reason="missing-audience",
        )
    config: dict[str, Any] = {"audience": audience}
    for trait, variable in (
        ("allowed_domains", "NBPLATFORM_ALLOWED_DOMAINS"),
        ("allowed_users", "NBPLATFORM_ALLOWED_USERS"),
        ("admin_users", "NBPLATFORM_ADMIN_USERS"),
        ("blocked_users", "NBPLATFORM_BLOCKED_USERS"),
    ):
        values = {v.lower() for v in split_list(environ.get(variable))}
        if values:
            config[trait] = values
    plus = environ.get("NBPLATFORM_IAP_PLUS_ADDRESSING", "").strip().lower()
    if plus:
        config["plus_addressing"] = plus
    if not (config.get("allowed_domains") or config.get("allowed_users")):
        raise ConfigError(
            "IAP sign-in has no allow rule, so nobody could sign in. Set NBPLATFORM_ALLOWED_DOMAINS "
            "(e.g. example.com) or NBPLATFORM_ALLOWED_USERS.",
            reason="no-allow-config",
        )
    return config


AUTH_CHOICES: dict[str, AuthChoice] = {
    "iap": AuthChoice("nbplatform.auth.iap.IAPAuthenticator", "IAPAuthenticator", iap_config),
    "google": AuthChoice("oauthenticator.google.GoogleOAuthenticator", "GoogleOAuthenticator", google_oauth_config),
}
DEFAULT_CHOICE = {"local": "local", "gke": "iap"}


def select_authenticator(mode: str, environ: Mapping[str, str]) -> str:
    """Return the authenticator name (``local``, ``iap`` or ``google``) for ``mode`` and ``NBPLATFORM_AUTH``."""
    name = environ.get("NBPLATFORM_AUTH", "").strip().lower() or DEFAULT_CHOICE.get(mode, "local")
    if name != "local" and name not in AUTH_CHOICES:
        raise ConfigError(
            f"NBPLATFORM_AUTH={name!r} is invalid: use local, iap or google.",
            reason="invalid-auth",
        )
    return name


def configure_authenticator(c: Any, mode: str, environ: Mapping[str, str]) -> str:
    """Set ``c.JupyterHub.authenticator_class`` and its traits for IAP or Google OAuth.

    Returns the chosen name. For ``local`` it changes nothing, because the
    local password authenticator is wired with the rest of local mode.
    """
    name = select_authenticator(mode, environ)
    if name == "local":
        return name
    choice = AUTH_CHOICES[name]
    values = choice.build(environ)
    c.JupyterHub.authenticator_class = choice.class_path
    section = getattr(c, choice.config_section)
    for trait, value in values.items():
        setattr(section, trait, value)
    return name
