"""Unit tests of IAP token verification with real ES256 signatures and a fixed clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from auth.iapkit import AUDIENCE, SigningKey, claims_for, sign, sign_raw
from nbplatform.auth.tokens import (
    TokenError,
    VerificationPolicy,
    check_audience,
    extract_assertion,
    read_header,
    verify_signed_token,
)

NOW = 1_800_000_000.0
KEY = SigningKey("k1")
POLICY = VerificationPolicy(audience=AUDIENCE)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify(token: str, key: SigningKey = KEY, now: float = NOW):
    return verify_signed_token(token, key.private.public_key(), POLICY, now)


def rejection(token: str, **kwargs) -> str:
    with pytest.raises(TokenError) as info:
        verify(token, **kwargs)
    return info.value.reason


def test_valid_token_identity():
    identity = verify(sign(claims_for("Alice@Example.com", now=NOW), KEY))
    assert identity.email == "alice@example.com"
    assert identity.hosted_domain == "example.com"
    assert identity.subject.startswith("accounts.google.com:")


def test_token_wrong_key():
    other = SigningKey("k1")
    assert rejection(sign(claims_for(now=NOW), other)) == "bad-signature"


def test_token_alg_none():
    header = b64(json.dumps({"alg": "none", "kid": "k1"}).encode())
    payload = b64(json.dumps(claims_for(now=NOW)).encode())
    assert rejection(f"{header}.{payload}.") == "malformed"
    assert rejection(f"{header}.{payload}.AAAA") == "bad-algorithm"


def test_token_hs256_with_public_key():
    pem = KEY.private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "kid": "k1", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims_for(now=NOW)).encode())
    signature = b64(hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert rejection(f"{header}.{payload}.{signature}") == "bad-algorithm"


def test_token_rs256():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims_for(now=NOW), rsa_key, algorithm="RS256", headers={"kid": "k1"})
    assert rejection(token) == "bad-algorithm"


def test_token_es384():
    p384 = ec.generate_private_key(ec.SECP384R1())
    token = jwt.encode(claims_for(now=NOW), p384, algorithm="ES384", headers={"kid": "k1"})
    assert rejection(token) == "bad-algorithm"


def test_token_missing_kid():
    token = jwt.encode(claims_for(now=NOW), KEY.private, algorithm="ES256")
    with pytest.raises(TokenError) as info:
        read_header(token)
    assert info.value.reason == "missing-kid"


def test_token_expired():
    assert rejection(sign(claims_for(now=NOW - 700), KEY)) == "expired"


def test_token_expiry_within_leeway():
    claims = claims_for(now=NOW - 620)
    assert verify(sign(claims, KEY)).expires_at == claims["exp"]


def test_token_iat_future():
    assert rejection(sign(claims_for(now=NOW + 120), KEY)) == "issued-in-future"


def test_token_iat_future_within_leeway():
    assert verify(sign(claims_for(now=NOW + 20), KEY)).issued_at == int(NOW + 20)


def test_token_lifetime_too_long():
    assert rejection(sign(claims_for(now=NOW, exp=int(NOW) + 86400), KEY)) == "lifetime-too-long"


def test_token_exp_before_iat():
    assert rejection(sign(claims_for(now=NOW, exp=int(NOW) - 1), KEY)) == "lifetime-too-long"


@pytest.mark.parametrize(
    "audience",
    [
        "/projects/123456789012/global/backendServices/1",
        "",
        [AUDIENCE],
        AUDIENCE + "0",
        AUDIENCE[:-1],
        "/projects/123456789012",
        None,
    ],
    ids=["wrong", "empty", "list", "longer", "prefix", "substring", "null"],
)
def test_token_bad_audience(audience):
    assert rejection(sign(claims_for(now=NOW, aud=audience), KEY)) == "bad-audience"


@pytest.mark.parametrize("issuer", ["https://accounts.google.com", "https://cloud.google.com/iap/", ["https://cloud.google.com/iap"], ...])
def test_token_bad_issuer(issuer):
    payload = json.dumps(claims_for(now=NOW, iss=issuer)).encode()
    assert rejection(sign_raw({"alg": "ES256", "kid": "k1"}, payload, KEY)) == "bad-issuer"


def test_token_missing_email():
    assert rejection(sign(claims_for(now=NOW, email=...), KEY)) == "missing-email"


@pytest.mark.parametrize("email", ["alice", "a b@example.com", "alice@", "@example.com", "ålice@example.com", "a@b@example.com"])
def test_token_invalid_email(email):
    assert rejection(sign(claims_for(email, now=NOW), KEY)) == "invalid-email"


def test_token_bool_exp():
    assert rejection(sign(claims_for(now=NOW, exp=True), KEY)) == "missing-claim"


def test_token_missing_sub():
    assert rejection(sign(claims_for(now=NOW, sub=...), KEY)) == "missing-claim"


def test_token_no_hd_is_none():
    assert verify(sign(claims_for(now=NOW, hd=None), KEY)).hosted_domain is None


def test_token_duplicate_claim():
    payload = json.dumps(claims_for(now=NOW))[:-1] + ', "email": "mallory@example.com"}'
    assert rejection(sign_raw({"alg": "ES256", "kid": "k1"}, payload.encode(), KEY)) == "malformed"


def test_token_crit_header():
    token = sign(claims_for(now=NOW), KEY, headers={"crit": ["exp"]})
    assert rejection(token) == "malformed"


def test_token_not_three_segments():
    with pytest.raises(TokenError) as info:
        read_header("abc.def")
    assert info.value.reason == "malformed"


def test_extract_repeated():
    with pytest.raises(TokenError) as info:
        extract_assertion(["a.b.c", "a.b.c"], 4096)
    assert info.value.reason == "header-repeated"


def test_extract_comma_joined():
    with pytest.raises(TokenError) as info:
        extract_assertion(["a.b.c, a.b.c"], 4096)
    assert info.value.reason == "header-repeated"


def test_extract_oversized_before_parse():
    with pytest.raises(TokenError) as info:
        extract_assertion(["," * 5000], 4096)
    assert info.value.reason == "header-too-long"


def test_extract_missing():
    with pytest.raises(TokenError) as info:
        extract_assertion([], 4096)
    assert info.value.reason == "missing-header"


def test_extract_blank():
    with pytest.raises(TokenError) as info:
        extract_assertion(["   "], 4096)
    assert info.value.reason == "missing-header"


@pytest.mark.parametrize(
    "audience",
    ["", "123", "/projects/abc/global/backendServices/1", "/projects/1/apps/my-app", " /projects/1/global/backendServices/2"],
)
def test_check_audience_rejects(audience):
    with pytest.raises(ValueError, match="IAP audience"):
        check_audience(audience)


def test_policy_requires_audience():
    with pytest.raises(ValueError):
        VerificationPolicy(audience="")
