"""ProfileRegistry: reload on change, last good set kept, the log text of a bad change."""

from __future__ import annotations

import logging
import os

import pytest

from nbplatform.errors import ProfileError
from nbplatform.profiles import ProfileRegistry
from nbplatform.profiles.kubespawner_keys import KUBESPAWNER_OVERRIDE_KEYS

GOOD = "- {display_name: Small, slug: small, default: true}\n"
GOOD_TWO = GOOD + "- {display_name: Large, slug: large}\n"
BAD = "- {display_name: Small, slug: small, kubespawner_override: {mem_limit: 2GB}}\n"


def touch_later(path, text):
    """Write ``text`` and move the modification time forward so the change is seen."""
    stat = path.stat() if path.exists() else None
    path.write_text(text)
    if stat is not None:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def test_registry_reloads_on_change(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD)
    registry = ProfileRegistry(tmp_path, min_interval=0)
    assert [p.slug for p in registry.profiles] == ["small"]
    touch_later(path, GOOD_TWO)
    assert [p.slug for p in registry.profiles] == ["small", "large"]


def test_registry_keeps_last_good(tmp_path, caplog):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD_TWO)
    registry = ProfileRegistry(tmp_path, min_interval=0)
    touch_later(path, BAD)
    with caplog.at_level(logging.ERROR, logger="nbplatform.profiles.registry"):
        slugs = [p.slug for p in registry.profiles]
    assert slugs == ["small", "large"]
    assert f"{path}:1: small: kubespawner_override.mem_limit: invalid memory size '2GB'." in caplog.text
    assert "keeping the last good set of 2 profiles" in caplog.text
    assert registry.error.startswith(f"{path}:1: small:")


def test_registry_logs_bad_change_once(tmp_path, caplog):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD)
    registry = ProfileRegistry(tmp_path, min_interval=0)
    touch_later(path, BAD)
    with caplog.at_level(logging.ERROR, logger="nbplatform.profiles.registry"):
        registry.profiles
        registry.profiles
    assert caplog.text.count("invalid memory size") == 1


def test_registry_recovers(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD)
    registry = ProfileRegistry(tmp_path, min_interval=0)
    touch_later(path, BAD)
    registry.refresh()
    touch_later(path, GOOD_TWO)
    assert len(registry.profiles) == 2
    assert registry.error is None


def test_registry_removed_file(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text("- {display_name: Other, slug: other}\n")
    registry = ProfileRegistry(tmp_path, min_interval=0)
    (tmp_path / "b.yaml").unlink()
    assert [p.slug for p in registry.profiles] == ["small"]


def test_registry_starts_invalid(tmp_path):
    (tmp_path / "a.yaml").write_text(BAD)
    registry = ProfileRegistry(tmp_path, min_interval=0)
    assert registry.profiles == []
    assert "invalid memory size" in registry.error


def test_registry_missing_directory(tmp_path):
    with pytest.raises(ProfileError, match="does not exist"):
        ProfileRegistry(tmp_path / "missing")


def test_registry_interval_caches(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD)
    registry = ProfileRegistry(tmp_path, min_interval=3600)
    touch_later(path, GOOD_TWO)
    assert len(registry.profiles) == 1


def test_override_keys_match_kubespawner():
    kubespawner = pytest.importorskip("kubespawner")
    traits = kubespawner.KubeSpawner.class_traits()
    configurable = {name for name, trait in traits.items() if trait.metadata.get("config")}
    assert configurable - KUBESPAWNER_OVERRIDE_KEYS == set()
