"""Fixtures of the real-cluster suite (``pytest -m cluster``).

Nothing here runs unless ``KUBECONFIG`` names an existing file: without it
every test is skipped before any command runs, so no cluster is contacted.
With it, the suite installs the platform into the cluster that file points
at and removes the Helm release afterwards. Settings (environment variables):

``NBPLATFORM_CLUSTER_OVERLAY``  kustomize overlay to apply (default ``staging``)
``NBPLATFORM_CLUSTER_LOCAL``    ``1`` on kind/k3d: adds tests/cluster/values-kind.yaml
``NBPLATFORM_CLUSTER_IMAGE_REGISTRY`` / ``NBPLATFORM_CLUSTER_IMAGE_TAG``
                                images to run (default: the ones in hub/values.yaml)
``NBPLATFORM_CLUSTER_CHART_VERSION`` jupyterhub chart version (default 4.3.3)
``NBPLATFORM_CLUSTER_IAP_AUDIENCE`` IAP audience of the hub on GKE; on kind/k3d, where
                                no IAP exists, a placeholder lets the hub start
``NBPLATFORM_CLUSTER_ALLOWED_DOMAINS`` e-mail domains the hub accepts (default example.com)
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
NAMESPACE = "nbplatform"
JOBS_NAMESPACE = "nbplatform-jobs"
RELEASE = "nbplatform"


def _require_cluster() -> str:
    kubeconfig = os.environ.get("KUBECONFIG", "")
    if not kubeconfig or not Path(kubeconfig).is_file():
        pytest.skip("KUBECONFIG does not name a kubeconfig file; the cluster suite needs a real cluster")
    for tool in ("kubectl", "helm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not on PATH; the cluster suite needs it")
    return kubeconfig


def run(*args: str, timeout: int = 600, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def kubeconfig() -> str:
    path = _require_cluster()
    reachable = run("kubectl", "version", "--request-timeout=10s", check=False, timeout=30)
    if reachable.returncode != 0:
        pytest.skip(f"the cluster in {path} is not reachable: {reachable.stderr.strip()[:200]}")
    return path


@pytest.fixture(scope="session")
def admin_token() -> str:
    return secrets.token_hex(32)


@pytest.fixture(scope="session")
def installed(kubeconfig, admin_token) -> Iterator[None]:
    """Apply the kustomize overlay, install the chart with hub/values.yaml, wait for the hub."""
    overlay = os.environ.get("NBPLATFORM_CLUSTER_OVERLAY", "staging")
    rendered = run(
        "kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
        str(REPO / "hub" / "kustomize" / "overlays" / overlay),
    ).stdout
    subprocess.run(["kubectl", "apply", "-f", "-"], input=rendered, text=True, check=True, timeout=300)

    command = [
        "helm", "upgrade", "--install", RELEASE, "jupyterhub",
        "--repo", "https://hub.jupyter.org/helm-chart/",
        "--version", os.environ.get("NBPLATFORM_CLUSTER_CHART_VERSION", "4.3.3"),
        "--namespace", NAMESPACE, "--wait", "--timeout", "15m",
        "--values", str(REPO / "hub" / "values.yaml"),
        # A service with admin rights whose token exists only in this run.
        "--set", f"hub.services.cluster-test.apiToken={admin_token}",
        "--set", "hub.loadRoles.cluster-test.services[0]=cluster-test",
        "--set", "hub.loadRoles.cluster-test.scopes[0]=admin:users",
        "--set", "hub.loadRoles.cluster-test.scopes[1]=admin:servers",
        "--set", "hub.loadRoles.cluster-test.scopes[2]=tokens",
        # The hub stops at start-up without an audience and an allow rule.
        "--set", "hub.extraEnv.NBPLATFORM_IAP_AUDIENCE="
        + os.environ.get("NBPLATFORM_CLUSTER_IAP_AUDIENCE", "/projects/1/global/backendServices/1"),
        "--set", "hub.extraEnv.NBPLATFORM_ALLOWED_DOMAINS="
        + os.environ.get("NBPLATFORM_CLUSTER_ALLOWED_DOMAINS", "example.com"),
    ]
    if os.environ.get("NBPLATFORM_CLUSTER_LOCAL") == "1":
        command += ["--values", str(REPO / "tests" / "cluster" / "values-kind.yaml")]
    registry = os.environ.get("NBPLATFORM_CLUSTER_IMAGE_REGISTRY")
    tag = os.environ.get("NBPLATFORM_CLUSTER_IMAGE_TAG")
    if registry:
        command += ["--set", f"hub.image.name={registry}/hub", "--set", f"singleuser.image.name={registry}/notebook"]
    if tag:
        command += ["--set", f"hub.image.tag={tag}", "--set", f"singleuser.image.tag={tag}"]
    run(*command, timeout=1200)
    yield
    run("helm", "uninstall", RELEASE, "--namespace", NAMESPACE, check=False)


@pytest.fixture(scope="session")
def hub_url(installed) -> Iterator[str]:
    """Return a loopback URL forwarded to the chart's proxy-public Service."""
    process = subprocess.Popen(
        ["kubectl", "port-forward", "--namespace", NAMESPACE, "svc/proxy-public", "127.0.0.1:0:80"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"127\.0\.0\.1:(\d+)", line)
        assert match, f"kubectl port-forward printed {line!r}"
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        process.terminate()
        process.wait(timeout=30)


class HubAPI:
    """Calls to the hub's REST API with the suite's service token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/") + "/hub/api"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.url + path, timeout=60, **kwargs)

    def wait_ready(self, user: str, timeout: float = 900) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.request("GET", f"/users/{user}").json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return server
            time.sleep(5)
        pytest.fail(f"server of {user} not ready after {timeout} s")


@pytest.fixture(scope="session")
def hub_api(hub_url, admin_token) -> HubAPI:
    return HubAPI(hub_url, admin_token)
