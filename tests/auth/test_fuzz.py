"""Fuzz tests: random header values and mutated tokens only ever fail verification cleanly."""

from __future__ import annotations

import asyncio
import base64
import binascii

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tornado.httputil import HTTPHeaders, HTTPInputError

from auth.iapkit import AUDIENCE, KeySetServer, SigningKey, claims_for, sign
from nbplatform.auth.iap import IAPAuthenticator
from nbplatform.auth.tokens import TokenError
from nbplatform.auth.usernames import UsernameError

KEY = SigningKey("fuzz-key")
# Characters an HTTP header value may carry (visible ASCII, space, tab, obs-text).
HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    max_size=6000,
)


@pytest.fixture(scope="module")
def authenticator():
    server = KeySetServer(KEY).start()
    auth = IAPAuthenticator(audience=AUDIENCE, key_set_url=server.url, allow_all=True)
    yield auth
    server.stop()


def decoded_segments(token: str) -> list[bytes] | None:
    try:
        return [base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in token.split(".")]
    except (binascii.Error, ValueError):
        return None


def outcome(auth: IAPAuthenticator, value: str) -> str:
    headers = HTTPHeaders()
    try:
        headers.add("X-Goog-IAP-JWT-Assertion", value)
    except HTTPInputError:
        assume(False)
    try:
        asyncio.run(auth.verify_headers(headers))
    except (TokenError, UsernameError) as exc:
        return exc.reason
    return "accepted"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=HEADER_TEXT)
def test_fuzz_random_header(authenticator, value):
    assert outcome(authenticator, value) != "accepted"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_mutated_token(authenticator, data):
    token = sign(claims_for(), KEY)
    position = data.draw(st.integers(min_value=0, max_value=len(token) - 1))
    replacement = data.draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=", min_size=0, max_size=3))
    mutated = token[:position] + replacement + token[position + 1 :]
    result = outcome(authenticator, mutated)
    # A change in the unused low bits of a segment's last base64 character
    # decodes to the same bytes, so that token is still the signed one.
    unchanged = "," not in mutated and decoded_segments(mutated) == decoded_segments(token)
    assert result != "accepted" or unchanged
