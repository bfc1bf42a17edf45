"""DaskCluster, Role, RoleBinding and NetworkPolicy objects, validated offline.

No Kubernetes cluster runs here: the DaskCluster is checked against the CRD
schema shipped in dask-kubernetes, the built-in kinds with kubernetes-validate.
"""

import copy
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest

from data.k8s_schema import validate_builtin, validate_daskcluster
from nbplatform.dask.dashboard import dask_environment, link_config, scheduler_host_allowlist
from nbplatform.dask.kubernetes import cluster_name, cluster_request
from nbplatform.dask.manifests import (
    dask_cluster,
    dask_network_policies,
    dask_role,
    dask_role_binding,
    pod_identity_env,
)
from nbplatform.errors import ClusterError
from nbplatform.profiles import ProfileRegistry

PROFILES = ProfileRegistry(Path(__file__).resolve().parents[2] / "profiles")
POD_ENV = {
    "JUPYTER_IMAGE": "ghcr.io/nbplatform/notebook:0.1.0",
    "NBPLATFORM_POD_NAMESPACE": "jhub",
    "NBPLATFORM_POD_NAME": "jupyter-alice",
    "NBPLATFORM_POD_UID": "6f1c1a8e-2b1d-4c7e-9a53-0d1f3c2b7a10",
    "JUPYTERHUB_USER": "alice",
    "NBPLATFORM_MODE": "gke",
    "NBPLATFORM_BIGQUERY_PROJECT": "analytics-prod",
}


@pytest.fixture
def manifest():
    request = cluster_request(PROFILES.get("large"), POD_ENV, name="dask-alice-abc123", idle_timeout=900)
    return dask_cluster(request)


def worker_container(manifest):
    return manifest["spec"]["worker"]["spec"]["containers"][0]


def test_daskcluster_valid_against_crd(manifest):
    validate_daskcluster(manifest)


def test_daskcluster_crd_rejects_typo(manifest):
    broken = copy.deepcopy(manifest)
    worker_container(broken)["resource"] = worker_container(broken).pop("resources")
    with pytest.raises(jsonschema.ValidationError, match="'resource' was unexpected"):
        validate_daskcluster(broken)


def test_daskcluster_uses_notebook_image(manifest):
    scheduler = manifest["spec"]["scheduler"]["spec"]["containers"][0]
    assert worker_container(manifest)["image"] == POD_ENV["JUPYTER_IMAGE"]
    assert scheduler["image"] == POD_ENV["JUPYTER_IMAGE"]


def test_daskcluster_in_pod_namespace(manifest):
    assert manifest["metadata"]["namespace"] == "jhub"


def test_daskcluster_requests_equal_limits(manifest):
    resources = worker_container(manifest)["resources"]
    assert resources["requests"] == resources["limits"]
    assert resources["limits"] == {"cpu": "2", "memory": str(8 * 1024**3)}


def test_daskcluster_worker_args_match_limits(manifest):
    args = worker_container(manifest)["args"]
    assert args[args.index("--nthreads") + 1] == "2"
    assert args[args.index("--memory-limit") + 1] == str(8 * 1024**3)


def test_daskcluster_worker_pool_placement(manifest):
    pod = manifest["spec"]["worker"]["spec"]
    assert pod["nodeSelector"] == {"nbplatform.io/pool": "dask-worker"}
    assert pod["tolerations"][0]["effect"] == "NoSchedule"


def test_daskcluster_idle_timeout(manifest):
    assert manifest["spec"]["idleTimeout"] == 900


def test_daskcluster_owned_by_notebook_pod(manifest):
    (owner,) = manifest["metadata"]["ownerReferences"]
    assert owner["kind"] == "Pod"
    assert owner["apiVersion"] == "v1"
    assert owner["name"] == "jupyter-alice"
    assert owner["uid"] == POD_ENV["NBPLATFORM_POD_UID"]


def test_daskcluster_starts_one_worker(manifest):
    assert manifest["spec"]["worker"]["replicas"] == 1


def test_daskcluster_forwards_platform_env(manifest):
    env = {e["name"]: e["value"] for e in worker_container(manifest)["env"]}
    assert env == {"NBPLATFORM_BIGQUERY_PROJECT": "analytics-prod", "NBPLATFORM_MODE": "gke"}


def test_daskcluster_fractional_cpu():
    profile = PROFILES.get("small").model_copy(update={"dask": PROFILES.get("small").dask.model_copy(update={"worker_cores": 0.5})})
    manifest = dask_cluster(cluster_request(profile, POD_ENV, name="dask-alice-1"))
    assert worker_container(manifest)["resources"]["limits"]["cpu"] == "500m"
    validate_daskcluster(manifest)


def test_request_without_owner_env(caplog):
    env = {k: v for k, v in POD_ENV.items() if k != "NBPLATFORM_POD_UID"}
    request = cluster_request(PROFILES.get("small"), env)
    assert request.owner is None
    assert "no owner reference" in caplog.text
    assert "ownerReferences" not in dask_cluster(request)["metadata"]


def test_request_needs_image():
    env = {k: v for k, v in POD_ENV.items() if k != "JUPYTER_IMAGE"}
    with pytest.raises(ClusterError, match="JUPYTER_IMAGE is not set"):
        cluster_request(PROFILES.get("small"), env)


def test_request_reads_namespace_file(tmp_path):
    namespace_file = tmp_path / "namespace"
    namespace_file.write_text("team-a\n")
    env = {k: v for k, v in POD_ENV.items() if k != "NBPLATFORM_POD_NAMESPACE"}
    request = cluster_request(PROFILES.get("small"), env, namespace_file=namespace_file)
    assert request.namespace == "team-a"


def test_request_without_namespace(tmp_path):
    env = {k: v for k, v in POD_ENV.items() if k != "NBPLATFORM_POD_NAMESPACE"}
    with pytest.raises(ClusterError, match="namespace"):
        cluster_request(PROFILES.get("small"), env, namespace_file=tmp_path / "missing")


def test_request_initial_workers_capped():
    with pytest.raises(ClusterError, match="profile 'small' sets dask.max_workers: 2"):
        cluster_request(PROFILES.get("small"), POD_ENV, n_workers=3)


def test_cluster_name_is_dns_label():
    name = cluster_name("Alice.Smith@example.com" * 3)
    assert name.startswith("dask-alice-smith-example-com")
    assert len(name + "-scheduler") <= 63
    assert name == name.lower()
    assert all(c.isalnum() or c == "-" for c in name)


def test_role_valid_and_scoped():
    role = dask_role("jhub")
    validate_builtin(role)
    dask_rule = role["rules"][0]
    assert role["metadata"]["namespace"] == "jhub"
    assert "daskclusters" in dask_rule["resources"]
    assert "delete" in dask_rule["verbs"]
    assert all("secrets" not in rule["resources"] for rule in role["rules"])


def test_role_binding_valid():
    binding = dask_role_binding("jhub", "notebook")
    validate_builtin(binding)
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "notebook", "namespace": "jhub"}]
    assert binding["roleRef"]["name"] == dask_role("jhub")["metadata"]["name"]


def test_network_policies_valid():
    for policy in dask_network_policies("jhub", "172.16.0.32/28"):
        validate_builtin(policy)


def test_network_policy_notebook_egress():
    egress = dask_network_policies("jhub", "172.16.0.32/28")[0]["spec"]["egress"]
    assert egress[0]["to"][0]["podSelector"]["matchExpressions"][0]["key"] == "dask.org/cluster-name"
    assert {"protocol": "UDP", "port": 53} in egress[1]["ports"]
    assert egress[2] == {"to": [{"ipBlock": {"cidr": "172.16.0.32/28"}}], "ports": [{"protocol": "TCP", "port": 443}]}


def test_builtin_validation_rejects_typo():
    role = dask_role("jhub")
    role["rules"][0]["verb"] = role["rules"][0].pop("verbs")
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_builtin(role)


def test_pod_identity_env_uses_downward_api():
    env = pod_identity_env()
    assert env["NBPLATFORM_POD_UID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.uid"
    assert env["NBPLATFORM_POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"


def test_link_config_behind_hub():
    assert link_config("local", {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/"}) == {
        "distributed.dashboard.link": "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status"
    }


def test_link_config_outside_hub():
    assert link_config("local", {}) == {}


def test_link_config_explicit_env_wins():
    env = {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/", "DASK_DISTRIBUTED__DASHBOARD__LINK": "x"}
    assert link_config("gke", env) == {}


def test_dask_environment_gke_link():
    env = dask_environment("gke")
    assert env["DASK_DISTRIBUTED__DASHBOARD__LINK"] == "{JUPYTERHUB_SERVICE_PREFIX}proxy/{host}:{port}/status"
    assert env["DASK_LABEXTENSION__FACTORY__CLASS"] == "new_cluster"


def test_host_allowlist_own_namespace():
    allowed = scheduler_host_allowlist("jhub")
    assert allowed(None, "dask-alice-abc123-scheduler.jhub")
    assert allowed(None, "127.0.0.1")
    assert not allowed(None, "dask-bob-1-scheduler.other")
    assert not allowed(None, "metadata.google.internal")
