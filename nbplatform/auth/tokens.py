"""Verification of IAP's signed header, ``X-Goog-IAP-JWT-Assertion``.

Pure functions: the caller passes the raw header value, the public key for
the token's ``kid``, the expected audience and the current time. Every
failure raises :class:`TokenError` with a ``reason`` that the sign-in page
turns into a message, and a detail for the operator log.

The checks follow Google's guidance for IAP assertions. They also close
gaps seen in public IAP authenticators. Only ES256 is accepted. Audience and
issuer are compared for exact string equality, so a list or a prefix never
matches. Expiry and issue time are checked against an injectable clock with
a leeway and a maximum lifetime. The header length is capped before any
parsing, and duplicate JSON keys are rejected so that two parsers cannot
read different claims from one token.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ..errors import AuthError

IAP_ISSUER = "https://cloud.google.com/iap"
ALGORITHM = "ES256"
AUDIENCE_PATTERN = re.compile(r"^/projects/[0-9]+/global/backendServices/[0-9]+$")

_SEGMENT = r"[A-Za-z0-9_-]+"
_COMPACT_JWS = re.compile(rf"^{_SEGMENT}\.{_SEGMENT}\.{_SEGMENT}$")
# A conservative form of the addresses Google accounts carry: ASCII, one "@",
# no spaces or quotes. Anything else is rejected rather than guessed at.
_EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$")
_MAX_KID_LENGTH = 256


class TokenError(AuthError):
    """An IAP assertion failed verification; ``reason`` names the check."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail, reason=reason)


@dataclass(frozen=True)
class TokenHeader:
    """The parts of a token's JOSE header that choose the verification key."""

    alg: str
    kid: str


@dataclass(frozen=True)
class IAPIdentity:
    """The verified identity from an IAP assertion."""

    email: str
    subject: str
    hosted_domain: str | None
    issued_at: float
    expires_at: float


@dataclass(frozen=True)
class VerificationPolicy:
    """Requirements a valid assertion meets. Times are in seconds."""

    audience: str
    leeway: float = 30.0
    max_lifetime: float = 600.0
    max_length: int = 4096

    def __post_init__(self) -> None:
        check_audience(self.audience)


def check_audience(audience: str) -> str:
    """Return ``audience`` if it has IAP's backend-service form, else raise ValueError."""
    if not isinstance(audience, str) or not AUDIENCE_PATTERN.match(audience):
        raise ValueError(
            f"IAP audience {audience!r} is invalid: expected exactly one value of the form "
            "/projects/PROJECT_NUMBER/global/backendServices/BACKEND_SERVICE_ID "
            "(gcloud compute backend-services describe NAME --global --format='value(id)' "
            "gives the ID)",
        )
    return audience


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise TokenError("malformed", f"duplicate JSON key {key!r}")
        result[key] = value
    return result


_JSON = json.JSONDecoder(object_pairs_hook=_reject_duplicate_keys)


def _decode_segment(segment: str, what: str) -> dict[str, Any]:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded)
        value = _JSON.decode(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise TokenError("malformed", f"the token {what} is not base64url-encoded JSON") from None
    if not isinstance(value, dict):
        raise TokenError("malformed", f"the token {what} is not a JSON object")
    return value


def extract_assertion(values: list[str], max_length: int) -> str:
    """Return the single assertion from the header's values, or raise TokenError.

    ``values`` is every value the request carried for the header. Proxies
    may join repeated headers with a comma, so a comma counts as a repeat.
    The length cap applies before anything is parsed.
    """
    if not values:
        raise TokenError("missing-header", "no X-Goog-IAP-JWT-Assertion header")
    if len(values) > 1:
        raise TokenError("header-repeated", f"X-Goog-IAP-JWT-Assertion sent {len(values)} times")
    value = values[0]
    if len(value) > max_length:
        raise TokenError("header-too-long", f"X-Goog-IAP-JWT-Assertion is {len(value)} characters, more than {max_length}")
    if "," in value:
        raise TokenError("header-repeated", "X-Goog-IAP-JWT-Assertion contains a comma, so it was sent more than once")
    value = value.strip()
    if not value:
        raise TokenError("missing-header", "X-Goog-IAP-JWT-Assertion is empty")
    return value


def read_header(token: str) -> TokenHeader:
    """Parse the token's JOSE header without verifying anything else.

    Rejects any ``alg`` but ES256 (``none``, HS256, RS256 and ES384 included)
    before a key is looked up, and a missing or oversized ``kid``.
    """
    if not _COMPACT_JWS.match(token):
        raise TokenError("malformed", "the token is not a compact JWS (three base64url segments)")
    header = _decode_segment(token.split(".", 1)[0], "header")
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise TokenError("bad-algorithm", f"token algorithm {alg!r} is not {ALGORITHM}")
    if "crit" in header:
        raise TokenError("malformed", "the token header has critical extensions, which are not supported")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenError("missing-kid", "the token header has no kid")
    if len(kid) > _MAX_KID_LENGTH:
        raise TokenError("unknown-kid", f"kid is {len(kid)} characters long")
    return TokenHeader(alg=alg, kid=kid)


def _number(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TokenError("missing-claim", f"claim {name!r} is missing or not a number")
    return float(value)


def verify_claims(claims: dict[str, Any], policy: VerificationPolicy, now: float) -> IAPIdentity:
    """Check issuer, audience, times and identity claims of a verified payload."""
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or issuer != IAP_ISSUER:
        raise TokenError("bad-issuer", f"issuer {issuer!r} is not {IAP_ISSUER}")

    audience = claims.get("aud")
    if not isinstance(audience, str) or audience != policy.audience:
        raise TokenError("bad-audience", f"audience {audience!r} is not the configured {policy.audience!r}")

    expires_at = _number(claims, "exp")
    issued_at = _number(claims, "iat")
    if expires_at <= now - policy.leeway:
        raise TokenError("expired", f"token expired at {expires_at:.0f}, now is {now:.0f}")
    if issued_at > now + policy.leeway:
        raise TokenError("issued-in-future", f"token issued at {issued_at:.0f}, after now {now:.0f}")
    lifetime = expires_at - issued_at
    if lifetime <= 0 or lifetime > policy.max_lifetime:
        raise TokenError(
            "lifetime-too-long",
            f"token lifetime {lifetime:.0f} s is outside (0, {policy.max_lifetime:.0f}] s",
        )

    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise TokenError("missing-email", "claim 'email' is missing")
    email = email.lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise TokenError("invalid-email", f"claim 'email' {email[:80]!r} is not a plain email address")

    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenError("missing-claim", "claim 'sub' is missing")

    hosted_domain = claims.get("hd")
    if hosted_domain is not None:
        if not isinstance(hosted_domain, str) or not hosted_domain:
            raise TokenError("missing-claim", "claim 'hd' is not a string")
        hosted_domain = hosted_domain.lower()

    return IAPIdentity(
        email=email,
        subject=subject,
        hosted_domain=hosted_domain,
        issued_at=issued_at,
        expires_at=expires_at,
    )


def _verify_es256(signing_input: bytes, signature_segment: str, key: ec.EllipticCurvePublicKey) -> None:
    """Verify a JWS ES256 signature: 64 bytes, R then S, each 32 bytes big-endian (RFC 7518, section 3.4)."""
    padded = signature_segment + "=" * (-len(signature_segment) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded)
    except (binascii.Error, ValueError):
        raise TokenError("malformed", "the token signature is not base64url") from None
    if len(raw) != 64:
        raise TokenError("bad-signature", f"the ES256 signature is {len(raw)} bytes, not 64")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise TokenError("bad-signature", "the token signature does not match the key for its kid") from None


def verify_signed_token(
    token: str,
    key: ec.EllipticCurvePublicKey,
    policy: VerificationPolicy,
    now: float,
) -> IAPIdentity:
    """Verify the ES256 signature of ``token`` with ``key``, then its claims.

    ``key`` must be a P-256 key; the key cache accepts no other curve.
    """
    read_header(token)
    header_segment, payload_segment, signature_segment = token.split(".")
    _verify_es256(f"{header_segment}.{payload_segment}".encode("ascii"), signature_segment, key)
    claims = _decode_segment(payload_segment, "payload")
    return verify_claims(claims, policy, now)
