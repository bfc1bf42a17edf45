"""Rendering of the IAP sign-in error and sign-out pages, in English or Japanese."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..i18n import locale_from_accept_language
from .messages import MESSAGES

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATUS_TITLES = {401: "title-401", 403: "title-403", 503: "title-503"}


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )


def error_page(status: int, reason: str, accept_language: str | None, **fields: object) -> tuple[str, str]:
    """Return ``(locale, html)`` of the page that explains a rejected sign-in.

    ``reason`` is a message id of :data:`MESSAGES`; ``fields`` fill its
    placeholders. Unknown reasons fall back to the generic invalid-token text.
    """
    locale = locale_from_accept_language(accept_language)
    key = reason if reason in MESSAGES.keys() else "malformed"
    html = _environment().get_template("iap-error.html").render(
        locale=locale,
        title=MESSAGES.get(STATUS_TITLES.get(status, "title-401"), locale),
        message=MESSAGES.get(key, locale, **fields),
        reason=reason,
        status=status,
        reference_label=MESSAGES.get("reference", locale),
        timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )
    return locale, html


def logout_page(accept_language: str | None, *, hub_url: str, clear_cookie_url: str) -> tuple[str, str]:
    """Return ``(locale, html)`` of the page shown after signing out of the hub."""
    locale = locale_from_accept_language(accept_language)
    html = _environment().get_template("iap-logout.html").render(
        locale=locale,
        title=MESSAGES.get("title-logout", locale),
        body=MESSAGES.get("logout-body", locale),
        clear_label=MESSAGES.get("logout-clear-iap", locale),
        google_text=MESSAGES.get("logout-google", locale),
        back_label=MESSAGES.get("back-to-hub", locale),
        hub_url=hub_url,
        clear_cookie_url=clear_cookie_url,
    )
    return locale, html
