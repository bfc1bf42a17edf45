"""Headless Debian chromium driven by Playwright, for page tests."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest

CHROMIUM = os.environ.get("NBPLATFORM_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium_page(locale: str = "en-US") -> Iterator["object"]:
    """Yield a Playwright page in a fresh headless chromium; skip if chromium is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not found; install it with 'apt-get install chromium' (make test does this as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})
            yield context.new_page()
        finally:
            browser.close()
