"""Image definitions: the lock files agree with each other and with pyproject.toml,
and the Dockerfiles install exactly the locked packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from deploy.conftest import REPO

IMAGES = ("hub", "notebook", "notebook-gpu")

#: What the notebook image must carry so notebooks, jobs and Dask workers share it.
NOTEBOOK_PACKAGES = (
    "jupyterlab",
    "jupyterlab-language-pack-ja-jp",
    "papermill",
    "dask",
    "distributed",
    "dask-kubernetes",
    "dask-bigquery",
    "google-cloud-bigquery",
    "jupyterhub",
)

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def read_lock(path: Path) -> dict[str, str]:
    """Return ``{canonical name: version}`` for every ``name==version`` line of a lock file."""
    pins: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or line.startswith(" "):
            continue
        match = _PIN.match(stripped)
        assert match, f"{path}:{number}: {stripped!r} is not a name==version pin"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


@pytest.fixture(scope="module")
def locks() -> dict[str, dict[str, str]]:
    return {image: read_lock(REPO / "images" / image / "requirements.txt") for image in IMAGES}


@pytest.fixture(scope="module")
def project_requirements() -> list[Requirement]:
    with (REPO / "pyproject.toml").open("rb") as stream:
        project = tomllib.load(stream)["project"]
    return [Requirement(text) for text in project["dependencies"] + project["optional-dependencies"]["gke"]]


def test_locks_not_empty(locks):
    for image, pins in locks.items():
        assert len(pins) > 50, f"images/{image}/requirements.txt has only {len(pins)} pins"


def test_shared_packages_agree(locks):
    disagreements = []
    names = set().union(*locks.values())
    for name in sorted(names):
        versions = {image: pins[name] for image, pins in locks.items() if name in pins}
        if len(set(versions.values())) > 1:
            disagreements.append(f"{name}: {versions}")
    assert not disagreements, "lock files disagree:\n" + "\n".join(disagreements)


@pytest.mark.parametrize("image", IMAGES)
def test_lock_satisfies_pyproject(locks, project_requirements, image):
    pins = locks[image]
    for requirement in project_requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"images/{image}/requirements.txt lacks {requirement.name} (pyproject.toml needs it)"
        assert requirement.specifier.contains(Version(pins[name]), prereleases=True), (
            f"images/{image}: {name}=={pins[name]} does not satisfy pyproject.toml's {requirement}"
        )


@pytest.mark.parametrize("image", ("notebook", "notebook-gpu"))
def test_notebook_image_contents(locks, image):
    for name in NOTEBOOK_PACKAGES:
        assert name in locks[image], f"images/{image} lacks {name}"


def test_hub_image_contents(locks):
    for name in ("jupyterhub", "jupyterhub-kubespawner", "jupyterhub-idle-culler", "oauthenticator"):
        assert name in locks["hub"], name


def test_gpu_image_monitors_gpus(locks):
    assert "nvidia-ml-py" in locks["notebook-gpu"]


@pytest.mark.parametrize("image", IMAGES)
def test_dockerfile_installs_lock(image):
    dockerfile = (REPO / "images" / image / "Dockerfile").read_text(encoding="utf-8")
    assert f"COPY images/{image}/requirements.txt" in dockerfile
    assert "--no-deps -r /tmp/requirements.txt" in dockerfile
    assert "pip check" in dockerfile


@pytest.mark.parametrize("image", IMAGES)
def test_package_built_from_lock(locks, image):
    # --no-build-isolation builds nbplatform with the locked setuptools
    # instead of downloading whatever version is newest at build time.
    dockerfile = (REPO / "images" / image / "Dockerfile").read_text(encoding="utf-8")
    assert "--no-build-isolation /src/nbplatform" in dockerfile
    assert "setuptools" in locks[image]
    assert "wheel" in locks[image]


@pytest.mark.parametrize("image", IMAGES)
def test_dockerfile_base_pinned(image):
    dockerfile = (REPO / "images" / image / "Dockerfile").read_text(encoding="utf-8")
    bases = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert bases, f"images/{image}/Dockerfile has no FROM"
    for base in bases:
        assert ":" in base, f"{image}: base image {base} has no tag"
        assert not base.endswith(":latest"), f"{image}: base image {base} is not pinned"


@pytest.mark.parametrize("image", IMAGES)
def test_dockerfile_runs_unprivileged(image):
    dockerfile = (REPO / "images" / image / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0"), f"{image} ends as {users[-1:]!r}"


def test_hub_image_ships_config_file():
    dockerfile = (REPO / "images" / "hub" / "Dockerfile").read_text(encoding="utf-8")
    assert "/usr/local/etc/jupyterhub/jupyterhub_config.d/" in dockerfile
    config_files = sorted(path.name for path in (REPO / "images/hub/jupyterhub_config.d").glob("*.py"))
    assert config_files == ["50-nbplatform.py"]
