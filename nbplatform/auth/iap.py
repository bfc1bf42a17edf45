"""JupyterHub authenticator for a hub behind Google Cloud Identity-Aware Proxy.

IAP signs every request it forwards with an ES256 JWT in the
``X-Goog-IAP-JWT-Assertion`` header. This authenticator signs users in from
that header only. The unsigned ``X-Goog-Authenticated-User-Email`` and
``-Id`` headers are never read, because anyone who reaches the hub without
passing IAP can forge them.

Sign-in goes through JupyterHub's normal pipeline (``normalize_username``,
``blocked_users``, ``allow_all``/``allowed_users``/``allowed_domains``,
``admin_users``), and JupyterHub creates the user only after every check
passed. Requests that carry a JupyterHub API token are authorized by the
token as usual. Cookie-authenticated browser requests are re-checked
against the IAP header every ``auth_refresh_age`` seconds, so a hub session
ends when the browser's IAP identity changes or the header disappears.

Example ``jupyterhub_config.py``::

    c.JupyterHub.authenticator_class = "nbplatform.auth.iap.IAPAuthenticator"
    c.IAPAuthenticator.audience = "/projects/123456789/global/backendServices/987654321"
    c.IAPAuthenticator.allowed_domains = {"example.com"}
    c.IAPAuthenticator.admin_users = {"alice"}
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any
from urllib.parse import urlsplit

from jupyterhub.auth import Authenticator
from traitlets import Callable, CaselessStrEnum, Dict, Float, Integer, List, Set, Unicode, default, validate

from ..errors import ConfigError
from .google_groups import GoogleGroupsClient, GroupLookupError, application_default_token
from .handlers import IAPLoginHandler, IAPLogoutHandler
from .jwks import KeySetCache, KeySetError, fetch_with_tornado
from .tokens import IAPIdentity, TokenError, VerificationPolicy, check_audience, extract_assertion, read_header, verify_signed_token
from .usernames import PLUS_ADDRESSING_MODES, UsernameError, single_domain, username_from_email

ASSERTION_HEADER = "X-Goog-IAP-JWT-Assertion"
UNSIGNED_HEADERS = ("X-Goog-Authenticated-User-Email", "X-Goog-Authenticated-User-Id")
DEFAULT_KEY_SET_URL = "https://www.gstatic.com/iap/verify/public_key-jwk"


def _is_loopback_host(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class IAPAuthenticator(Authenticator):
    """Sign users in from the signed header that Identity-Aware Proxy adds to each request."""

    audience = Unicode(
        "",
        config=True,
        help="""Expected ``aud`` claim: ``/projects/PROJECT_NUMBER/global/backendServices/BACKEND_SERVICE_ID``.

        Exactly one value, compared for string equality. Required: the hub
        refuses to start when it is empty, because without it a token that
        IAP issued for any other application in any project would be accepted.
        """,
    )

    key_set_url = Unicode(
        DEFAULT_KEY_SET_URL,
        config=True,
        help="""URL of IAP's public signing keys in JWK set format.

        Default: Google's published set. Must be https unless the host is a
        loopback address (for tests and local mirrors).
        """,
    )

    key_set_max_age = Float(
        3600.0,
        config=True,
        help="""Seconds a fetched key set is used before it is fetched again.

        Default 3600. When the refresh fails, the cached keys stay in use.
        """,
    )

    key_refetch_interval = Float(
        30.0,
        config=True,
        help="""Minimum seconds between two fetches of the key set.

        A token with a ``kid`` that is not cached triggers one re-fetch,
        at most once per this interval, so forged tokens cannot flood the
        key-set URL. Default 30.
        """,
    )

    key_fetch_timeout = Float(10.0, config=True, help="Seconds to wait for the key-set URL before failing the fetch. Default 10.")

    leeway = Float(
        30.0,
        config=True,
        help="""Seconds of clock skew allowed when checking ``exp`` and ``iat``. Default 30, as Google's IAP documentation recommends.""",
    )

    max_token_lifetime = Float(
        660.0,
        config=True,
        help="""Longest accepted ``exp - iat`` in seconds.

        Default 660: IAP issues tokens valid for 10 minutes, and its
        documentation allows twice the 30 s skew on top. Longer-lived tokens
        are rejected.
        """,
    )

    max_header_length = Integer(
        4096,
        config=True,
        help="""Longest accepted ``X-Goog-IAP-JWT-Assertion`` value in characters, checked before parsing.

        Default 4096; IAP's tokens are about 1 KB.
        """,
    )

    clock = Callable(
        time.time,
        config=True,
        help="""Function returning the current time in seconds since the epoch, used for ``exp`` and ``iat``. Default ``time.time``.""",
    )

    allowed_domains = Set(
        config=True,
        help="""Google Workspace domains whose users may sign in, checked against the signed ``hd`` claim.

        A user is allowed if ``allow_all`` is True, the username is in
        ``allowed_users``, or the token's ``hd`` is in this set. Accounts with
        no ``hd`` (consumer Google accounts) never match. When exactly one
        domain is set, addresses in that domain sign in without it
        (``alice@example.com`` becomes ``alice``); see ``plus_addressing``.
        """,
    ).tag(allow_config=True)

    plus_addressing = CaselessStrEnum(
        list(PLUS_ADDRESSING_MODES),
        "keep",
        config=True,
        help="""How an address with a ``+tag`` in its local part becomes a username.

        ``keep`` (default): ``alice+ml@example.com`` is its own user.
        ``strip``: it becomes the user of ``alice@example.com``; use only where
        tagged addresses reach the same account. ``reject``: sign-in fails with 403.
        """,
    )

    group_members = Dict(
        key_trait=Unicode(),
        value_trait=List(Unicode()),
        config=True,
        help="""Hub groups and their members (usernames after mapping), applied at each sign-in when ``manage_groups`` is True.

        Example: ``{"ml": ["alice", "bob@partner.example"]}``. Default: no groups.
        """,
    )

    google_groups = Dict(
        key_trait=Unicode(),
        value_trait=Unicode(),
        config=True,
        help="""Google groups whose members join a hub group, as ``{group address: hub group}``.

        Example: ``{"data-team@example.com": "data"}``. Membership is read at
        each sign-in and session re-check with the Cloud Identity API
        (transitively, so nested groups count) when ``manage_groups`` is True.
        Groups not listed here are ignored. Default: none, and no API calls.
        The hub's service account needs permission to read group membership.
        """,
    )

    google_groups_api_url = Unicode(
        "https://cloudidentity.googleapis.com",
        config=True,
        help="Base URL of the Cloud Identity API used for ``google_groups``. Must be https unless on a loopback address.",
    )

    google_groups_cache_seconds = Float(
        300.0,
        config=True,
        help="Seconds a user's Google Groups membership is cached before it is read again. Default 300.",
    )

    google_access_token = Callable(
        None,
        allow_none=True,
        config=True,
        help="""Async function returning an OAuth access token for the Cloud Identity API.

        Default None: Application Default Credentials with the
        cloud-identity.groups.readonly scope (Workload Identity on GKE).
        """,
    )

    @default("auto_login")
    def _auto_login_default(self) -> bool:
        # IAP has already signed the user in; a "Sign in" button would only add a click.
        return True

    @default("auth_refresh_age")
    def _auth_refresh_age_default(self) -> int:
        return 60

    @validate("audience")
    def _validate_audience(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"].strip()
        if not value:
            return value
        try:
            return check_audience(value)
        except ValueError as exc:
            raise ConfigError(f"c.IAPAuthenticator.audience: {exc}") from None

    @validate("key_set_url", "google_groups_api_url")
    def _validate_https_url(self, proposal: dict[str, Any]) -> str:
        url = proposal["value"]
        parts = urlsplit(url)
        if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback_host(parts.hostname)):
            return url
        raise ConfigError(
            f"c.IAPAuthenticator.{proposal['trait'].name} {url!r} is invalid: use an https URL, "
            "or http only on a loopback address",
        )

    @validate("allowed_domains")
    def _validate_allowed_domains(self, proposal: dict[str, Any]) -> set[str]:
        return {d.strip().lower() for d in proposal["value"] if d.strip()}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.audience:
            raise ConfigError(
                "c.IAPAuthenticator.audience is empty. Set it to the backend service audience, "
                "/projects/PROJECT_NUMBER/global/backendServices/BACKEND_SERVICE_ID "
                "(see the Terraform output iap_audience or the IAP page of the Cloud console).",
                reason="missing-audience",
            )
        self._keys = KeySetCache(
            url=self.key_set_url,
            fetcher=self._fetch_key_set,
            max_age=self.key_set_max_age,
            refetch_interval=self.key_refetch_interval,
        )
        self._google_groups: GoogleGroupsClient | None = None
        if self.google_groups:
            self._google_groups = GoogleGroupsClient(
                self.google_groups,
                token_provider=self.google_access_token or application_default_token,
                api_url=self.google_groups_api_url,
                cache_seconds=self.google_groups_cache_seconds,
            )
        self._policy = VerificationPolicy(
            audience=self.audience,
            leeway=self.leeway,
            max_lifetime=self.max_token_lifetime,
            max_length=self.max_header_length,
        )

    async def _fetch_key_set(self, url: str) -> bytes:
        return await fetch_with_tornado(url, timeout=self.key_fetch_timeout)

    # Verification ---------------------------------------------------------

    async def verify_headers(self, headers: Any) -> IAPIdentity:
        """Verify the IAP assertion in ``headers`` (Tornado ``HTTPHeaders``) and return the identity.

        Raises :class:`TokenError` for a missing, repeated, oversized or
        invalid token, and :class:`~nbplatform.auth.jwks.KeySetError` when no
        signing keys can be fetched.
        """
        values = headers.get_list(ASSERTION_HEADER)
        if not values and any(headers.get(name) for name in UNSIGNED_HEADERS):
            raise TokenError(
                "unsigned-header-only",
                "request has only the unsigned IAP identity headers, which are never trusted",
            )
        token = extract_assertion(values, self._policy.max_length)
        header = read_header(token)
        key = await self._keys.get(header.kid)
        if key is None:
            raise TokenError("unknown-kid", f"kid {header.kid[:64]!r} is not in the IAP key set")
        return verify_signed_token(token, key, self._policy, self.clock())

    def username_for(self, identity: IAPIdentity) -> str:
        """Return the hub username for a verified identity."""
        return username_from_email(
            identity.email,
            strip_domain=single_domain(self.allowed_domains),
            plus_addressing=self.plus_addressing,
        )

    def groups_for(self, username: str) -> list[str]:
        """Return the hub groups ``group_members`` lists ``username`` in, sorted."""
        return sorted(group for group, members in self.group_members.items() if username in {m.lower() for m in members})

    async def all_groups_for(self, username: str, email: str) -> list[str] | None:
        """Return the hub groups from ``group_members`` and ``google_groups``.

        Returns None when Google Groups cannot be read, which tells
        JupyterHub to leave the user's groups as they are.
        """
        groups = set(self.groups_for(username))
        if self._google_groups is not None:
            try:
                groups.update(await self._google_groups.hub_groups_for(email))
            except GroupLookupError as exc:
                self.log.warning("Groups of %s left unchanged: %s", username, exc.message)
                return None
        return sorted(groups)

    # JupyterHub's login pipeline ------------------------------------------

    async def authenticate(self, handler: Any, data: Any = None) -> dict[str, Any]:
        """Return the auth model for the request's verified IAP identity.

        Raises :class:`TokenError` or :class:`UsernameError` instead of
        returning None, so the sign-in page can name the failed check.
        """
        identity = await self.verify_headers(handler.request.headers)
        handler.iap_identity = identity
        username = self.username_for(identity)
        model: dict[str, Any] = {
            "name": username,
            "auth_state": {"email": identity.email, "sub": identity.subject, "hd": identity.hosted_domain},
        }
        if self.manage_groups:
            model["groups"] = await self.all_groups_for(username, identity.email)
        self.log.info("IAP token verified for %s (sub %s, hd %s)", identity.email, identity.subject, identity.hosted_domain)
        return model

    def check_allowed(self, username: str, authentication: dict[str, Any] | None = None) -> bool:
        """Allow ``allow_all``, ``allowed_users`` and users whose signed ``hd`` is in ``allowed_domains``."""
        if self.allow_all or username in self.allowed_users:
            return True
        hosted_domain = ((authentication or {}).get("auth_state") or {}).get("hd")
        return bool(hosted_domain) and hosted_domain in self.allowed_domains

    def denial_reason(self, identity: IAPIdentity | None) -> tuple[str, dict[str, str]]:
        """Return the message id and fields explaining why a verified identity was not allowed."""
        email = identity.email if identity else "?"
        domains = ", ".join(sorted(self.allowed_domains))
        if identity is not None and self.allowed_domains and not self.allow_all:
            username = self.username_for(identity)
            blocked = username in self.blocked_users
            if not blocked and username not in self.allowed_users:
                if identity.hosted_domain is None:
                    return "missing-hd", {"domains": domains, "email": email}
                if identity.hosted_domain not in self.allowed_domains:
                    return "domain-not-allowed", {"domains": domains, "domain": identity.hosted_domain, "email": email}
        return "not-allowed", {"email": email}

    async def refresh_user(self, user: Any, handler: Any = None) -> bool | dict[str, Any]:
        """Check that a cookie session still matches the browser's IAP identity.

        Returns False (JupyterHub then requires a new sign-in) when a
        cookie-authenticated request has no valid IAP token or one for
        another user. Token-authenticated API requests and requests made by
        another user (an admin acting on ``user``) are not checked.
        """
        if handler is None or getattr(handler, "_token_authenticated", False):
            return True
        if getattr(handler, "_jupyterhub_user", None) is not user:
            return True
        try:
            identity = await self.verify_headers(handler.request.headers)
            username = self.username_for(identity)
        except (TokenError, UsernameError) as exc:
            self.log.warning("Session of %s needs a new sign-in: IAP identity rejected (%s)", user.name, exc.reason)
            return False
        except KeySetError as exc:
            # The session was verified at sign-in; keep it rather than lock every user out.
            self.log.warning("Cannot re-check the IAP identity of %s: %s", user.name, exc.message)
            return True
        if username != user.name:
            self.log.info("IAP identity changed from %s to %s; signing in again", user.name, username)
            return False
        if self.manage_groups:
            return {"name": user.name, "groups": await self.all_groups_for(username, identity.email)}
        return True

    def get_handlers(self, app: Any) -> list[tuple[str, type]]:
        return [("/login", IAPLoginHandler), ("/logout", IAPLogoutHandler)]
