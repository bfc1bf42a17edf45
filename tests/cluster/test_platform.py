"""The platform on a real cluster: install, sign in, spawn a profile, start a
Dask cluster and run a promoted job. Run with ``pytest -m cluster`` and
``KUBECONFIG`` set (see conftest.py and docs/deploy.md); skipped otherwise."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from cluster.conftest import JOBS_NAMESPACE, NAMESPACE, REPO, run

pytestmark = pytest.mark.cluster

USER = "cluster-test-user"
PROFILE = "small"


@pytest.fixture(scope="module")
def spawned(hub_api):
    hub_api.request("POST", f"/users/{USER}")
    response = hub_api.request("POST", f"/users/{USER}/server", json={"profile": PROFILE})
    assert response.status_code in (201, 202), response.text
    server = hub_api.wait_ready(USER)
    yield server
    hub_api.request("DELETE", f"/users/{USER}/server")


def test_hub_healthy(hub_url):
    import requests

    response = requests.get(f"{hub_url}/hub/health", timeout=30)
    assert response.status_code == 200


def test_hub_lists_jobs_service(hub_api):
    names = [service["name"] for service in hub_api.request("GET", "/services").json().values()]
    assert "jobs" in names


def test_signed_in_user_reaches_server(hub_api, hub_url, spawned):
    import requests

    token = hub_api.request("POST", f"/users/{USER}/tokens", json={"expires_in": 600}).json()["token"]
    response = requests.get(
        f"{hub_url}/user/{USER}/api/status", headers={"Authorization": f"token {token}"}, timeout=60
    )
    assert response.status_code == 200, response.text


def test_spawned_pod_has_profile_resources(spawned):
    pods = json.loads(
        run("kubectl", "get", "pods", "-n", NAMESPACE, "-l", "component=singleuser-server", "-o", "json").stdout
    )["items"]
    pod = next(item for item in pods if item["metadata"]["annotations"].get("hub.jupyter.org/username") == USER)
    limits = pod["spec"]["containers"][0]["resources"]["limits"]
    assert limits["cpu"] in ("1", "1000m")
    assert limits["memory"] in ("2G", "2000M", "2000000000")


def test_dask_cluster_from_notebook(spawned):
    pod = f"jupyter-{USER}"
    script = (
        "from dask_kubernetes.operator import KubeCluster\n"
        "from distributed import Client\n"
        "cluster = KubeCluster(name='cluster-test', n_workers=1)\n"
        "try:\n"
        "    client = Client(cluster)\n"
        "    print(client.submit(sum, [1, 2, 3]).result())\n"
        "finally:\n"
        "    cluster.close()\n"
    )
    result = run("kubectl", "exec", "-n", NAMESPACE, pod, "--", "python", "-c", script, timeout=900)
    assert result.stdout.strip().splitlines()[-1] == "6"


def _first_cronjob() -> str:
    kustomization = REPO / "papermill_jobs" / "kustomization.yaml"
    if not kustomization.exists():
        pytest.skip("papermill_jobs/kustomization.yaml does not exist: promote and render a job first")
    built = run("kubectl", "kustomize", str(kustomization.parent)).stdout
    for obj in yaml.safe_load_all(built):
        if obj and obj["kind"] == "CronJob":
            return obj["metadata"]["name"]
    pytest.skip("papermill_jobs renders no CronJob")


def test_promoted_job_runs(installed):
    cronjob = _first_cronjob()
    run("kubectl", "apply", "-k", str(REPO / "papermill_jobs"))
    job = f"{cronjob}-cluster-test-{int(time.time())}"
    run("kubectl", "create", "job", job, f"--from=cronjob/{cronjob}", "-n", JOBS_NAMESPACE)
    run(
        "kubectl", "wait", "--for=condition=complete", f"job/{job}", "-n", JOBS_NAMESPACE, "--timeout=1800s",
        timeout=1900,
    )
    logs = run("kubectl", "logs", f"job/{job}", "-n", JOBS_NAMESPACE).stdout
    assert logs, "the job printed nothing"
