"""Tests of the sign-in error and sign-out pages and their message catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbplatform.auth.messages import MESSAGES
from nbplatform.auth.pages import error_page, logout_page

AUTH_DIR = Path(__file__).resolve().parents[2] / "nbplatform" / "auth"


def raised_reasons() -> set[str]:
    """Return every reason code the auth modules raise or return for the sign-in page."""
    reasons: set[str] = set()
    for name in ("tokens.py", "jwks.py", "usernames.py", "iap.py", "handlers.py"):
        path = AUTH_DIR / name
        text = path.read_text()
        reasons.update(re.findall(r'TokenError\(\s*"([a-z-]+)"', text))
        reasons.update(re.findall(r'reason="([a-z-]+)"', text))
        reasons.update(re.findall(r'return "([a-z-]+)", \{', text))
    reasons.update({"key-set-unavailable", "invalid-email"})
    return reasons - {"missing-audience"}


def test_every_reason_has_text():
    missing = sorted(r for r in raised_reasons() if r not in MESSAGES.keys())
    assert missing == []


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_reason_texts_not_empty(locale):
    empty = [r for r in raised_reasons() if not MESSAGES.get(r, locale, domains="d", domain="x", email="e").strip()]
    assert empty == []


def test_error_page_japanese():
    locale, html = error_page(401, "expired", "ja-JP,ja;q=0.9,en;q=0.5")
    assert locale == "ja"
    assert "有効期限が切れています" in html
    assert '<code id="reason">expired</code>' in html


def test_error_page_english_default():
    locale, html = error_page(401, "expired", None)
    assert locale == "en"
    assert "has expired" in html


def test_error_page_escapes_fields():
    _, html = error_page(403, "not-allowed", "en", email="<script>alert(1)</script>@example.com")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_error_page_unknown_reason_generic():
    _, html = error_page(401, "no-such-reason", "en")
    assert "not a valid signed token" in html


def test_logout_page_link():
    locale, html = logout_page("ja", hub_url="/hub/home", clear_cookie_url="/?gcp-iap-mode=CLEAR_LOGIN_COOKIE")
    assert locale == "ja"
    assert 'href="/?gcp-iap-mode=CLEAR_LOGIN_COOKIE"' in html
    assert "Google のセッションは残っている" in html
