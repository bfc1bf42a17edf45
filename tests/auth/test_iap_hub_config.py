"""Real-hub checks of IAP configuration errors and an unreachable key set."""

from __future__ import annotations

import re

import pytest
import requests

from auth.iapkit import AUDIENCE, SigningKey, claims_for, sign
from support.hub import HubProcess
from support.ports import free_port

pytestmark = pytest.mark.slow


def test_hub_empty_audience_fails_start(tmp_path):
    extra = 'c.JupyterHub.authenticator_class = "nbplatform.auth.iap.IAPAuthenticator"\n'
    hub = HubProcess(tmp_path, users={}, extra_config=extra)
    try:
        with pytest.raises(RuntimeError, match="hub exited"):
            hub.start(timeout=60)
        assert "c.IAPAuthenticator.audience is empty" in hub.log_text()
    finally:
        hub.cleanup()


def test_hub_key_set_unreachable(tmp_path):
    # Nothing listens on this loopback port, so every key fetch fails.
    dead_url = f"http://127.0.0.1:{free_port()}/public_key-jwk"
    extra = f"""
c.JupyterHub.authenticator_class = "nbplatform.auth.iap.IAPAuthenticator"
c.IAPAuthenticator.audience = {AUDIENCE!r}
c.IAPAuthenticator.key_set_url = {dead_url!r}
c.IAPAuthenticator.allow_all = True
"""
    hub = HubProcess(tmp_path, users={}, extra_config=extra)
    try:
        hub.start()
        token = sign(claims_for(), SigningKey("k"))
        response = requests.get(
            f"{hub.url}/hub/login",
            headers={"X-Goog-IAP-JWT-Assertion": token},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 503
        assert re.search(r'<code id="reason">key-set-unavailable</code>', response.text)
        assert "signing keys right now" in response.text
    finally:
        hub.cleanup()
