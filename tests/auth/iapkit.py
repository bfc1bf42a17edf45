"""Test kit for IAP sign-in: EC keys, signed tokens and a loopback JWK set server.

Tokens are real ES256 JWTs signed with keys generated here. The server is a
real HTTP server on 127.0.0.1 that publishes the public keys in place of
Google's key-set URL.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

AUDIENCE = "/projects/123456789012/global/backendServices/4242424242424242"
ISSUER = "https://cloud.google.com/iap"


@dataclass
class SigningKey:
    """An ES256 key pair with its ``kid``."""

    kid: str
    private: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(ECAlgorithm.to_jwk(self.private.public_key()))
        jwk.update({"kid": self.kid, "alg": "ES256", "use": "sig"})
        return jwk


def key_set(*keys: SigningKey) -> bytes:
    return json.dumps({"keys": [k.public_jwk() for k in keys]}).encode()


def claims_for(email: str = "alice@example.com", *, now: float | None = None, hd: str | None = "example.com", **overrides: Any) -> dict[str, Any]:
    """Return the claims IAP would put in a token for ``email``, with ``overrides`` applied.

    A claim whose value is ``...`` (``email`` included) is left out.
    """
    now = time.time() if now is None else now
    claims: dict[str, Any] = {
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": int(now),
        "exp": int(now) + 600,
        "sub": f"accounts.google.com:{abs(hash(email)) % 10**20}",
        "email": email,
    }
    if hd is not None:
        claims["hd"] = hd
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not ...}


def sign(claims: dict[str, Any], key: SigningKey, *, headers: dict[str, Any] | None = None) -> str:
    """Return an ES256 JWT of ``claims`` signed by ``key`` with ``kid`` set."""
    return jwt.encode(claims, key.private, algorithm="ES256", headers={"kid": key.kid, **(headers or {})})


class KeySetServer:
    """HTTP server on 127.0.0.1 that serves a JWK set and counts requests."""

    def __init__(self, *keys: SigningKey) -> None:
        self.document = key_set(*keys)
        self.requests = 0
        self.status = 200
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                server.requests += 1
                body = server.document if server.status == 200 else b"unavailable"
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/public_key-jwk"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def publish(self, *keys: SigningKey) -> None:
        self.document = key_set(*keys)

    def start(self) -> "KeySetServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_raw(header: dict[str, Any], payload: bytes, key: SigningKey) -> str:
    """Return a compact JWS of exact ``payload`` bytes, signed ES256 without PyJWT's claim checks."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(payload)}"
    signature = ECAlgorithm(ECAlgorithm.SHA256).sign(signing_input.encode(), key.private)
    return f"{signing_input}.{b64url(signature)}"
