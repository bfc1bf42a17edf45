"""In-memory cache of IAP's public signing keys (a JWK set).

IAP signs its assertions with ES256 keys that Google rotates; the published
set lists every key in use, each with a ``kid``. The cache fetches the set once,
serves keys from memory, refreshes the set when it is older than ``max_age``,
and re-fetches at most once per ``refetch_interval`` when a token names a
``kid`` it does not hold. That bound stops a stream of forged tokens with
random ``kid`` values from turning into a stream of requests to Google.

The fetcher and the clock are parameters, so tests serve the set from a
loopback server and move time by hand.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from jwt.exceptions import InvalidKeyError

from ..errors import AuthError

log = logging.getLogger(__name__)

#: Largest key-set document accepted, in bytes. Google's set is about 2 KB.
MAX_KEY_SET_BYTES = 256 * 1024
#: Most keys kept from one document; extra entries are ignored with a warning.
MAX_KEYS = 64

Fetcher = Callable[[str], Awaitable[bytes]]
Clock = Callable[[], float]


class KeySetError(AuthError):
    """The key set could not be fetched or parsed, so no token can be verified."""

    reason = "key-set-unavailable"


def parse_key_set(document: bytes) -> dict[str, ec.EllipticCurvePublicKey]:
    """Parse a JWK set and return its P-256 public keys by ``kid``.

    Entries that are not EC P-256 public keys usable for ES256 are skipped,
    because IAP signs with ES256 only and any other key would widen what a
    token may be verified with. Raises :class:`KeySetError` if the document
    is not a JWK set.
    """
    if len(document) > MAX_KEY_SET_BYTES:
        raise KeySetError(f"key set is {len(document)} bytes, more than the {MAX_KEY_SET_BYTES} accepted")
    try:
        data = json.loads(document)
    except (UnicodeDecodeError, ValueError) as exc:
        raise KeySetError(f"key set is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeySetError('key set has no "keys" list')

    keys: dict[str, ec.EllipticCurvePublicKey] = {}
    for entry in data["keys"]:
        if not isinstance(entry, dict):
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not kid:
            continue
        if entry.get("kty") != "EC" or entry.get("crv") != "P-256":
            continue
        if entry.get("alg", "ES256") != "ES256" or entry.get("use", "sig") != "sig":
            continue
        if "d" in entry:
            # A private key in a public set is a publisher mistake; never use it.
            log.warning("Key set entry %r contains private key material; skipped", kid)
            continue
        try:
            key = ECAlgorithm.from_jwk(entry)
        except (InvalidKeyError, ValueError, TypeError) as exc:
            log.warning("Key set entry %r is invalid and was skipped: %s", kid, exc)
            continue
        if not isinstance(key, ec.EllipticCurvePublicKey):
            continue
        if len(keys) >= MAX_KEYS:
            log.warning("Key set has more than %d usable keys; the rest were skipped", MAX_KEYS)
            break
        keys[kid] = key
    if not keys:
        raise KeySetError("key set contains no EC P-256 signing keys")
    return keys


@dataclass
class KeySetCache:
    """Public keys from one JWK set URL, kept in memory.

    ``max_age`` is how long (seconds) a fetched set is used before a refresh;
    ``refetch_interval`` is the minimum time (seconds) between two fetches.
    When a refresh fails, the last good set stays in use and a warning is
    logged, so a short outage of the key-set URL does not lock users out.
    """

    url: str
    fetcher: Fetcher
    clock: Clock = time.monotonic
    max_age: float = 3600.0
    refetch_interval: float = 30.0
    _keys: dict[str, ec.EllipticCurvePublicKey] = field(default_factory=dict, init=False)
    _fetched_at: float | None = field(default=None, init=False)
    _attempted_at: float | None = field(default=None, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    fetch_count: int = field(default=0, init=False)

    async def get(self, kid: str) -> ec.EllipticCurvePublicKey | None:
        """Return the key for ``kid``, or None if the set does not contain it.

        Fetches the set on first use and when it is older than ``max_age``.
        An unknown ``kid`` causes one re-fetch unless a fetch was attempted
        less than ``refetch_interval`` seconds ago. Raises
        :class:`KeySetError` only when no set was ever fetched successfully.
        """
        if self._is_stale():
            await self._refresh()
        key = self._keys.get(kid)
        if key is None and self._may_fetch():
            await self._refresh()
            key = self._keys.get(kid)
        return key

    def _is_stale(self) -> bool:
        if self._fetched_at is None:
            return self._may_fetch() or not self._keys
        return self.clock() - self._fetched_at >= self.max_age and self._may_fetch()

    def _may_fetch(self) -> bool:
        return self._attempted_at is None or self.clock() - self._attempted_at >= self.refetch_interval

    async def _refresh(self) -> None:
        async with self._lock:
            # Another request may have fetched while this one waited.
            if not self._may_fetch():
                if not self._keys:
                    raise KeySetError(
                        f"no signing keys available from {self.url}; the last fetch failed "
                        f"less than {self.refetch_interval:g} s ago",
                    )
                return
            self._attempted_at = self.clock()
            self.fetch_count += 1
            try:
                document = await self.fetcher(self.url)
                keys = parse_key_set(document)
            except KeySetError as exc:
                self._handle_failure(exc)
                return
            except Exception as exc:  # the fetcher is pluggable; any failure keeps the old keys
                self._handle_failure(exc)
                return
            self._keys = keys
            self._fetched_at = self._attempted_at
            log.info("Fetched %d IAP signing key(s) from %s", len(keys), self.url)

    def _handle_failure(self, exc: Exception) -> None:
        if self._keys:
            log.warning("Refreshing IAP keys from %s failed, keeping %d cached key(s): %s", self.url, len(self._keys), exc)
            return
        # The caller (the sign-in page or the session check) logs this one, with its request.
        raise KeySetError(f"cannot fetch IAP signing keys from {self.url}: {exc}") from exc


async def fetch_with_tornado(url: str, *, timeout: float = 10.0) -> bytes:
    """Fetch ``url`` with Tornado's non-blocking client and return the body.

    Raises :class:`KeySetError` on a network error or a non-200 status.
    """
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    # A private client instance, because max_body_size is a per-client setting.
    client = AsyncHTTPClient(force_instance=True, max_body_size=MAX_KEY_SET_BYTES)
    try:
        response = await client.fetch(url, connect_timeout=timeout, request_timeout=timeout, follow_redirects=False)
    except HTTPClientError as exc:
        raise KeySetError(f"GET {url} returned HTTP {exc.code}") from None
    except OSError as exc:
        raise KeySetError(f"GET {url} failed: {exc}") from None
    finally:
        client.close()
    return response.body
