"""Tests of IAPAuthenticator through JupyterHub's login pipeline, without a hub process.

Keys come from a real loopback HTTP server. The handler is a small fake that
carries only the request headers, because the authenticator reads nothing else.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from tornado.httputil import HTTPHeaders

from auth.iapkit import AUDIENCE, KeySetServer, SigningKey, claims_for, sign
from nbplatform.auth.iap import IAPAuthenticator
from nbplatform.auth.jwks import KeySetError
from nbplatform.auth.tokens import TokenError
from nbplatform.auth.usernames import UsernameError
from nbplatform.errors import ConfigError

KEY = SigningKey("test-key-1")


@pytest.fixture(scope="module")
def key_server():
    server = KeySetServer(KEY).start()
    yield server
    server.stop()


class FakeHandler:
    """The part of a Tornado handler the authenticator reads: request headers."""

    def __init__(self, headers: dict[str, str] | list[tuple[str, str]]) -> None:
        parsed = HTTPHeaders()
        for name, value in headers.items() if isinstance(headers, dict) else headers:
            parsed.add(name, value)
        self.request = SimpleNamespace(headers=parsed)


def iap_headers(email: str = "alice@example.com", **claims) -> dict[str, str]:
    return {"X-Goog-IAP-JWT-Assertion": sign(claims_for(email, **claims), KEY)}


def make(key_server, **config) -> IAPAuthenticator:
    config.setdefault("allow_all", True)
    return IAPAuthenticator(audience=AUDIENCE, key_set_url=key_server.url, **config)


async def test_pipeline_valid_user(key_server):
    auth = make(key_server)
    model = await auth.get_authenticated_user(FakeHandler(iap_headers()), None)
    assert model["name"] == "alice@example.com"
    assert model["auth_state"]["hd"] == "example.com"


async def test_pipeline_admin(key_server):
    auth = make(key_server, admin_users={"alice@example.com"})
    model = await auth.get_authenticated_user(FakeHandler(iap_headers()), None)
    assert model["admin"] is True


async def test_pipeline_blocked(key_server):
    auth = make(key_server, blocked_users={"alice@example.com"})
    assert await auth.get_authenticated_user(FakeHandler(iap_headers()), None) is None


async def test_pipeline_not_in_allowed_users(key_server):
    auth = make(key_server, allow_all=False, allowed_users={"bob@example.com"})
    assert await auth.get_authenticated_user(FakeHandler(iap_headers()), None) is None


async def test_pipeline_allowed_domain(key_server):
    auth = make(key_server, allow_all=False, allowed_domains={"Example.com"})
    model = await auth.get_authenticated_user(FakeHandler(iap_headers()), None)
    assert model["name"] == "alice"


async def test_pipeline_domain_mismatch(key_server):
    auth = make(key_server, allow_all=False, allowed_domains={"example.com"})
    handler = FakeHandler(iap_headers("eve@other.example", hd="other.example"))
    assert await auth.get_authenticated_user(handler, None) is None
    assert auth.denial_reason(handler.iap_identity)[0] == "domain-not-allowed"


async def test_pipeline_hd_missing(key_server):
    auth = make(key_server, allow_all=False, allowed_domains={"example.com"})
    handler = FakeHandler(iap_headers("eve@example.com", hd=None))
    assert await auth.get_authenticated_user(handler, None) is None
    assert auth.denial_reason(handler.iap_identity)[0] == "missing-hd"


async def test_pipeline_email_domain_not_hd(key_server):
    # The hd claim decides, not the domain part of the address.
    auth = make(key_server, allow_all=False, allowed_domains={"example.com"})
    handler = FakeHandler(iap_headers("eve@example.com", hd="other.example"))
    assert await auth.get_authenticated_user(handler, None) is None


async def test_pipeline_groups(key_server):
    auth = make(key_server, manage_groups=True, group_members={"ml": ["alice@example.com"], "ops": ["bob"]})
    model = await auth.get_authenticated_user(FakeHandler(iap_headers()), None)
    assert model["groups"] == ["ml"]


async def test_pipeline_plus_reject(key_server):
    auth = make(key_server, plus_addressing="reject")
    with pytest.raises(UsernameError):
        await auth.get_authenticated_user(FakeHandler(iap_headers("alice+x@example.com")), None)


async def test_unsigned_headers_only(key_server):
    auth = make(key_server)
    handler = FakeHandler({"X-Goog-Authenticated-User-Email": "accounts.google.com:alice@example.com"})
    with pytest.raises(TokenError) as info:
        await auth.get_authenticated_user(handler, None)
    assert info.value.reason == "unsigned-header-only"


async def test_unsigned_header_ignored_beside_signed(key_server):
    auth = make(key_server)
    headers = {**iap_headers(), "X-Goog-Authenticated-User-Email": "accounts.google.com:root@example.com"}
    model = await auth.get_authenticated_user(FakeHandler(headers), None)
    assert model["name"] == "alice@example.com"


async def test_header_twice(key_server):
    auth = make(key_server)
    token = iap_headers()["X-Goog-IAP-JWT-Assertion"]
    handler = FakeHandler([("X-Goog-IAP-JWT-Assertion", token), ("X-Goog-IAP-JWT-Assertion", token)])
    with pytest.raises(TokenError) as info:
        await auth.get_authenticated_user(handler, None)
    assert info.value.reason == "header-repeated"


async def test_unknown_kid(key_server):
    auth = make(key_server)
    stranger = SigningKey("stranger")
    handler = FakeHandler({"X-Goog-IAP-JWT-Assertion": sign(claims_for(), stranger)})
    with pytest.raises(TokenError) as info:
        await auth.get_authenticated_user(handler, None)
    assert info.value.reason == "unknown-kid"


async def test_clock_is_configurable(key_server):
    issued = time.time() - 86400
    auth = make(key_server, clock=lambda: issued + 10)
    model = await auth.get_authenticated_user(FakeHandler(iap_headers(now=issued)), None)
    assert model["name"] == "alice@example.com"


async def test_key_set_unreachable():
    auth = IAPAuthenticator(audience=AUDIENCE, key_set_url="http://127.0.0.1:9/none", allow_all=True, key_fetch_timeout=2)
    with pytest.raises(KeySetError):
        await auth.get_authenticated_user(FakeHandler(iap_headers()), None)


async def test_refresh_same_user(key_server):
    auth = make(key_server)
    user = SimpleNamespace(name="alice@example.com")
    handler = FakeHandler(iap_headers())
    handler._jupyterhub_user = user
    assert await auth.refresh_user(user, handler) is True


async def test_refresh_identity_changed(key_server):
    auth = make(key_server)
    user = SimpleNamespace(name="alice@example.com")
    handler = FakeHandler(iap_headers("bob@example.com"))
    handler._jupyterhub_user = user
    assert await auth.refresh_user(user, handler) is False


async def test_refresh_header_missing(key_server):
    auth = make(key_server)
    user = SimpleNamespace(name="alice@example.com")
    handler = FakeHandler({})
    handler._jupyterhub_user = user
    assert await auth.refresh_user(user, handler) is False


async def test_refresh_token_request_skipped(key_server):
    auth = make(key_server)
    user = SimpleNamespace(name="alice@example.com")
    handler = FakeHandler({})
    handler._jupyterhub_user = user
    handler._token_authenticated = True
    assert await auth.refresh_user(user, handler) is True


def test_empty_audience_is_startup_error():
    with pytest.raises(ConfigError, match="audience is empty"):
        IAPAuthenticator()


@pytest.mark.parametrize("audience", ["/projects/1/global/backendServices/", "backendServices/2", "/projects/1/apps/x"])
def test_bad_audience_is_startup_error(audience):
    with pytest.raises(ConfigError, match="audience"):
        IAPAuthenticator(audience=audience)


@pytest.mark.parametrize("url", ["http://www.gstatic.com/iap/verify/public_key-jwk", "file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_key_set_url_must_be_https(url):
    with pytest.raises(ConfigError, match="key_set_url"):
        IAPAuthenticator(audience=AUDIENCE, key_set_url=url)
