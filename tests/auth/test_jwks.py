"""Unit tests of the IAP key-set cache with an in-memory fetcher and a manual clock."""

from __future__ import annotations

import asyncio
import json

import pytest

from auth.iapkit import SigningKey, key_set
from nbplatform.auth.jwks import KeySetCache, KeySetError, parse_key_set

K1 = SigningKey("k1")
K2 = SigningKey("k2")


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeKeySource:
    """Fetcher serving a configurable document and counting calls."""

    def __init__(self, *keys: SigningKey) -> None:
        self.document = key_set(*keys)
        self.calls = 0
        self.error: Exception | None = None

    async def __call__(self, url: str) -> bytes:
        self.calls += 1
        await asyncio.sleep(0)
        if self.error is not None:
            raise self.error
        return self.document


def make_cache(source: FakeKeySource, clock: ManualClock) -> KeySetCache:
    return KeySetCache(url="http://127.0.0.1:1/jwk", fetcher=source, clock=clock, max_age=3600, refetch_interval=30)


async def test_cache_fetches_once():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    assert await cache.get("k1") is not None
    assert await cache.get("k1") is not None
    assert source.calls == 1


async def test_cache_unknown_kid_refetches_once():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    await cache.get("k1")
    clock.now += 31
    assert await cache.get("nope") is None
    assert await cache.get("nope-2") is None
    assert await cache.get("nope-3") is None
    assert source.calls == 2


async def test_cache_unknown_kid_rate_limited():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    await cache.get("k1")
    assert await cache.get("nope") is None
    assert source.calls == 1


async def test_cache_rotation_picks_new_key():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    await cache.get("k1")
    source.document = key_set(K1, K2)
    clock.now += 31
    assert await cache.get("k2") is not None
    assert source.calls == 2


async def test_cache_concurrent_unknown_kid_one_fetch():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    await cache.get("k1")
    clock.now += 31
    results = await asyncio.gather(*(cache.get(f"x{i}") for i in range(20)))
    assert results == [None] * 20
    assert source.calls == 2


async def test_cache_expiry_refreshes():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    await cache.get("k1")
    clock.now += 3601
    await cache.get("k1")
    assert source.calls == 2


async def test_cache_keeps_keys_when_refresh_fails():
    source, clock = FakeKeySource(K1), ManualClock()
    cache = make_cache(source, clock)
    await cache.get("k1")
    source.error = OSError("connection refused")
    clock.now += 3601
    assert await cache.get("k1") is not None
    assert source.calls == 2


async def test_cache_first_fetch_failure_raises():
    source, clock = FakeKeySource(K1), ManualClock()
    source.error = OSError("connection refused")
    cache = make_cache(source, clock)
    with pytest.raises(KeySetError, match="cannot fetch"):
        await cache.get("k1")


async def test_cache_failure_rate_limited():
    source, clock = FakeKeySource(K1), ManualClock()
    source.error = OSError("connection refused")
    cache = make_cache(source, clock)
    for _ in range(5):
        with pytest.raises(KeySetError):
            await cache.get("k1")
    assert source.calls == 1


async def test_cache_recovers_after_interval():
    source, clock = FakeKeySource(K1), ManualClock()
    source.error = OSError("connection refused")
    cache = make_cache(source, clock)
    with pytest.raises(KeySetError):
        await cache.get("k1")
    source.error = None
    clock.now += 31
    assert await cache.get("k1") is not None


def test_parse_skips_non_es256_keys():
    doc = json.loads(key_set(K1))
    doc["keys"].append({"kty": "RSA", "kid": "rsa", "n": "AQAB", "e": "AQAB"})
    doc["keys"].append({**K2.public_jwk(), "crv": "P-384"})
    doc["keys"].append({**K2.public_jwk(), "kid": "hs", "alg": "HS256"})
    keys = parse_key_set(json.dumps(doc).encode())
    assert set(keys) == {"k1"}


def test_parse_skips_private_material():
    jwk = {**K2.public_jwk(), "d": "AAAA"}
    doc = json.dumps({"keys": [K1.public_jwk(), jwk]}).encode()
    assert set(parse_key_set(doc)) == {"k1"}


@pytest.mark.parametrize("document", [b"", b"[]", b'{"keys": 1}', b'{"keys": []}', b"\xff\xfe", b"x" * 300_000])
def test_parse_rejects_bad_documents(document):
    with pytest.raises(KeySetError):
        parse_key_set(document)
