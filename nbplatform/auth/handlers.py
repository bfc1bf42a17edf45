"""Tornado handlers that the IAP authenticator adds to the hub: sign-in and sign-out.

Sign-in (``/hub/login``) never redirects back to itself. It either signs the
user in and redirects to the ``next`` page, or returns a page with the
reason: 401 for a missing or invalid token, 403 for an account that is not
allowed, 503 when IAP's keys cannot be fetched.
"""

from __future__ import annotations

from jupyterhub.handlers.base import BaseHandler
from jupyterhub.handlers.login import LogoutHandler
from jupyterhub.utils import url_path_join

from .jwks import KeySetError
from .pages import error_page, logout_page
from .tokens import TokenError
from .usernames import UsernameError

#: Query parameter that makes IAP clear its own sign-in cookie (Google Cloud IAP docs, "special URLs").
CLEAR_LOGIN_COOKIE_QUERY = "gcp-iap-mode=CLEAR_LOGIN_COOKIE"


class IAPLoginHandler(BaseHandler):
    """Sign the user in from the signed IAP header of this request."""

    def _finish_page(self, status: int, reason: str, **fields: object) -> None:
        locale, html = error_page(status, reason, self.request.headers.get("Accept-Language"), **fields)
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Language", locale)
        self.set_header("Cache-Control", "no-store")
        self.finish(html)

    async def get(self) -> None:
        remote = self.request.remote_ip
        try:
            user = await self.login_user()
        except TokenError as exc:
            self.log.warning("IAP sign-in rejected from %s: %s (%s)", remote, exc.reason, exc.message)
            self._finish_page(401, exc.reason)
            return
        except UsernameError as exc:
            self.log.warning("IAP sign-in rejected from %s: %s (%s)", remote, exc.reason, exc.message)
            self._finish_page(403, exc.reason)
            return
        except KeySetError as exc:
            self.log.error("IAP sign-in unavailable: %s", exc.message)
            self._finish_page(503, exc.reason)
            return

        if user is None:
            identity = getattr(self, "iap_identity", None)
            reason, fields = self.authenticator.denial_reason(identity)
            self.log.warning("IAP sign-in of %s rejected from %s: %s", fields.get("email", "?"), remote, reason)
            self._finish_page(403, reason, **fields)
            return

        self._jupyterhub_user = user
        self.redirect(self.get_next_url(user))


class IAPLogoutHandler(LogoutHandler):
    """Clear the hub session and explain that the Google session remains."""

    async def render_logout_page(self) -> None:
        hub_url = url_path_join(self.hub.base_url, "home")
        clear_url = f"{self.base_url}?{CLEAR_LOGIN_COOKIE_QUERY}"
        locale, html = logout_page(
            self.request.headers.get("Accept-Language"),
            hub_url=hub_url,
            clear_cookie_url=clear_url,
        )
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Language", locale)
        self.set_header("Cache-Control", "no-store")
        self.finish(html)
