"""Tests of Google Groups lookups against a loopback stand-in for the Cloud Identity API.

The Cloud Identity API cannot run here, so a small HTTP server on 127.0.0.1
serves ``memberships:searchTransitiveGroups`` in the shape of the API's
reference page: a ``memberships`` list with ``groupKey.id`` and a
``nextPageToken``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from tornado.httputil import HTTPHeaders

from auth.iapkit import AUDIENCE, KeySetServer, SigningKey, claims_for, sign
from nbplatform.auth.google_groups import GoogleGroupsClient, GroupLookupError
from nbplatform.auth.iap import IAPAuthenticator

KEY = SigningKey("groups-key")


class FakeCloudIdentity:
    """Serves transitive group memberships per email, two groups per page."""

    def __init__(self, memberships: dict[str, list[str]]) -> None:
        self.memberships = memberships
        self.requests: list[dict] = []
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                fake.requests.append({"path": parts.path, "query": query, "auth": self.headers.get("Authorization")})
                email = query["query"][0].split("'")[1]
                groups = fake.memberships.get(email, [])
                start = int(query.get("pageToken", ["0"])[0])
                page = groups[start : start + 2]
                body: dict = {"memberships": [{"groupKey": {"id": g}} for g in page]}
                if start + 2 < len(groups):
                    body["nextPageToken"] = str(start + 2)
                data = json.dumps(body).encode() if fake.status == 200 else b"{}"
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


MEMBERSHIPS = {"alice@example.com": ["Data-Team@example.com", "all@example.com", "ml@example.com"]}
GROUP_MAP = {"data-team@example.com": "data", "ml@example.com": "ml"}


async def static_token() -> str:
    return "test-access-token"


@pytest.fixture
def api():
    server = FakeCloudIdentity(MEMBERSHIPS)
    yield server
    server.stop()


async def test_groups_mapped_only(api):
    client = GoogleGroupsClient(GROUP_MAP, token_provider=static_token, api_url=api.url)
    assert await client.hub_groups_for("Alice@example.com") == ["data", "ml"]


async def test_groups_paginated(api):
    client = GoogleGroupsClient(GROUP_MAP, token_provider=static_token, api_url=api.url)
    await client.hub_groups_for("alice@example.com")
    assert len(api.requests) == 2


async def test_groups_request_shape(api):
    client = GoogleGroupsClient(GROUP_MAP, token_provider=static_token, api_url=api.url)
    await client.hub_groups_for("alice@example.com")
    first = api.requests[0]
    assert first["path"] == "/v1/groups/-/memberships:searchTransitiveGroups"
    assert first["auth"] == "Bearer test-access-token"
    assert "member_key_id == 'alice@example.com'" in first["query"]["query"][0]


async def test_groups_cached(api):
    client = GoogleGroupsClient(GROUP_MAP, token_provider=static_token, api_url=api.url)
    await client.hub_groups_for("alice@example.com")
    await client.hub_groups_for("alice@example.com")
    assert len(api.requests) == 2


async def test_groups_http_error(api):
    api.status = 403
    client = GoogleGroupsClient(GROUP_MAP, token_provider=static_token, api_url=api.url)
    with pytest.raises(GroupLookupError, match="HTTP 403"):
        await client.hub_groups_for("alice@example.com")


async def test_groups_token_failure(api):
    async def failing() -> str:
        raise RuntimeError("no credentials")

    client = GoogleGroupsClient(GROUP_MAP, token_provider=failing, api_url=api.url)
    with pytest.raises(GroupLookupError, match="no credentials"):
        await client.hub_groups_for("alice@example.com")


@pytest.fixture
def key_server():
    server = KeySetServer(KEY).start()
    yield server
    server.stop()


def handler_for(email: str) -> SimpleNamespace:
    headers = HTTPHeaders()
    headers.add("X-Goog-IAP-JWT-Assertion", sign(claims_for(email), KEY))
    return SimpleNamespace(request=SimpleNamespace(headers=headers))


def authenticator(key_server, api) -> IAPAuthenticator:
    return IAPAuthenticator(
        audience=AUDIENCE,
        key_set_url=key_server.url,
        allow_all=True,
        manage_groups=True,
        group_members={"local": ["alice@example.com"]},
        google_groups=GROUP_MAP,
        google_groups_api_url=api.url,
        google_access_token=static_token,
    )


async def test_authenticator_merges_groups(key_server, api):
    model = await authenticator(key_server, api).get_authenticated_user(handler_for("alice@example.com"), None)
    assert model["groups"] == ["data", "local", "ml"]


async def test_authenticator_lookup_failure_keeps_groups(key_server, api):
    api.status = 500
    model = await authenticator(key_server, api).get_authenticated_user(handler_for("alice@example.com"), None)
    assert model["name"] == "alice@example.com"
    assert model["groups"] is None
