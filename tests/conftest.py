"""Fixtures shared across rooms.

- ``profiles_copy``: a writable copy of ``profiles/`` plus a ``tiny`` profile
  with a 600 MiB memory limit, for memory-limit tests.
- Hubs are started per test module with :class:`support.hub.HubProcess`,
  since a real hub and its servers take seconds to start.
- ``english_messages`` (autouse): sets ``LANG=C.UTF-8`` and clears
  ``LC_ALL``/``LC_MESSAGES``, because many tests match the English messages
  and the CLI speaks Japanese under a ``ja`` locale.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

TINY_PROFILE = """\
- display_name: "Tiny (0.5 CPU, 600 MiB)"
  slug: tiny
  description: "For memory-limit tests."
  kubespawner_override:
    cpu_limit: 0.5
    mem_limit: 600M
    environment:
      NBPLATFORM_TEST_MARKER: tiny-profile
"""


def make_profiles_copy(target: Path) -> Path:
    shutil.copytree(REPO_ROOT / "profiles", target)
    (target / "tiny.yaml").write_text(TINY_PROFILE)
    return target


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)


@pytest.fixture
def profiles_copy(tmp_path: Path) -> Path:
    return make_profiles_copy(tmp_path / "profiles")
