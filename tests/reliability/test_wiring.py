"""Reliability settings the wiring applies to the hub configuration."""

from __future__ import annotations

from traitlets.config import Config

from nbplatform.wiring import LOCAL_CONCURRENT_SPAWN_LIMIT, configure


def test_local_spawn_limit_default(monkeypatch, tmp_path):
    monkeypatch.setenv("NBPLATFORM_MODE", "local")
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NBPLATFORM_AUTH", raising=False)
    monkeypatch.delenv("NBPLATFORM_SENTRY_DSN", raising=False)
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    c = Config()
    configure(c)
    assert c.JupyterHub.concurrent_spawn_limit == LOCAL_CONCURRENT_SPAWN_LIMIT
    assert 0 < LOCAL_CONCURRENT_SPAWN_LIMIT < 100
