"""Kustomize bases and overlays: every overlay builds with `kubectl kustomize`
and every object validates against the Kubernetes schema (kubernetes-validate,
no cluster)."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
import yaml

from deploy.conftest import OVERLAYS, REPO, find_object

#: Kubernetes version the manifests are validated against (GKE regular channel or newer).
KUBERNETES_VERSION = "1.33"

#: Custom resources whose schemas kubernetes-validate does not ship; they get the
#: structural checks in test_custom_resources_named instead.
CUSTOM_KINDS = {
    ("cloud.google.com/v1", "BackendConfig"),
}

CLUSTER_SCOPED_KINDS = {"Namespace", "StorageClass", "ClusterRole", "ClusterRoleBinding"}


def _label(obj: dict[str, Any]) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_objects_validate(builds, build_name):
    for obj in builds[build_name]:
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            continue
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{build_name}: {_label(obj)} is invalid: {error.message} at {list(error.path)}")


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_custom_resources_named(builds, build_name):
    custom = [obj for obj in builds[build_name] if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS]
    for obj in custom:
        assert obj["metadata"].get("name"), f"{build_name}: {obj['kind']} has no name"
        assert isinstance(obj.get("spec"), dict), f"{build_name}: {_label(obj)} has no spec"


NAMESPACES = {"nbplatform", "nbplatform-jobs"}


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_namespaced_objects_in_namespace(builds, build_name):
    for obj in builds[build_name]:
        if obj["kind"] in CLUSTER_SCOPED_KINDS:
            assert "namespace" not in obj["metadata"], f"{_label(obj)} is cluster-scoped"
            continue
        assert obj["metadata"].get("namespace") in NAMESPACES, f"{build_name}: {_label(obj)}"


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_namespaces_created(builds, build_name):
    created = {obj["metadata"]["name"] for obj in builds[build_name] if obj["kind"] == "Namespace"}
    assert created == NAMESPACES


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_profiles_configmap_matches_files(builds, build_name, profile_documents):
    configmap = find_object(builds[build_name], "ConfigMap", "nbplatform-profiles")
    assert configmap is not None, f"{build_name}: ConfigMap nbplatform-profiles missing"
    missing = set(profile_documents) - set(configmap["data"])
    assert not missing, (
        f"profiles/{sorted(missing)} not in the ConfigMap: add them to configMapGenerator "
        "files in hub/kustomize/base/kustomization.yaml"
    )
    for name, text in configmap["data"].items():
        assert (REPO / "profiles" / name).read_text(encoding="utf-8") == text, name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_sets_project(builds, overlay):
    for name in ("nbplatform-notebook", "nbplatform-jobs"):
        account = find_object(builds[overlay], "ServiceAccount", name)
        assert account is not None, f"{overlay}: ServiceAccount {name} missing"
        email = account["metadata"]["annotations"]["iam.gke.io/gcp-service-account"]
        assert "PROJECT_ID" not in email, f"{overlay}: {name} still names the placeholder project"
        assert email.endswith(f"nbplatform-{overlay}.iam.gserviceaccount.com"), email


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_environment_label(builds, overlay):
    for obj in builds[overlay]:
        assert obj["metadata"]["labels"].get("nbplatform.io/environment") == overlay, _label(obj)


def _namespaced(objects, kind: str) -> set[tuple[str, str]]:
    return {(obj["metadata"]["namespace"], obj["metadata"]["name"]) for obj in objects if obj["kind"] == kind}


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_role_bindings_resolve(builds, build_name):
    objects = builds[build_name]
    accounts = _namespaced(objects, "ServiceAccount")
    accounts.add(("nbplatform", "hub"))  # created by the chart's hub.serviceAccount
    roles = _namespaced(objects, "Role")
    for binding in (obj for obj in objects if obj["kind"] == "RoleBinding"):
        namespace = binding["metadata"]["namespace"]
        role = binding["roleRef"]["name"]
        assert (namespace, role) in roles, f"{_label(binding)} names Role {role}, missing in {namespace}"
        for subject in binding["subjects"]:
            key = (subject.get("namespace"), subject["name"])
            assert key in accounts, f"{_label(binding)} names missing account {key}"


def _roles(objects, name: str) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj["kind"] == "Role" and obj["metadata"]["name"] == name]


@pytest.mark.parametrize("namespace", ["nbplatform", "nbplatform-jobs"])
def test_dask_role_manages_clusters(builds, namespace):
    role = next(obj for obj in _roles(builds["base"], "nbplatform-dask") if obj["metadata"]["namespace"] == namespace)
    dask_rules = [rule for rule in role["rules"] if "kubernetes.dask.org" in rule["apiGroups"]]
    assert dask_rules, "no rule for kubernetes.dask.org"
    resources = {resource for rule in dask_rules for resource in rule["resources"]}
    verbs = {verb for rule in dask_rules for verb in rule["verbs"]}
    assert {"daskclusters", "daskworkergroups"} <= resources
    assert {"create", "delete", "patch"} <= verbs


def test_roles_grant_no_secrets(builds):
    for role in (obj for obj in builds["base"] if obj["kind"] == "Role"):
        for rule in role["rules"]:
            assert "secrets" not in rule["resources"], _label(role)
            assert "*" not in rule["verbs"], _label(role)
            assert "*" not in rule["resources"], _label(role)


def test_hub_manages_job_cronjobs(builds):
    binding = next(
        obj
        for obj in builds["base"]
        if obj["kind"] == "RoleBinding" and obj["metadata"]["name"] == "nbplatform-jobs-manager"
    )
    assert binding["metadata"]["namespace"] == "nbplatform-jobs"
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "hub", "namespace": "nbplatform"}]


def test_home_storage_retained(builds):
    storage_class = find_object(builds["base"], "StorageClass", "nbplatform-retain")
    assert storage_class is not None
    assert storage_class["reclaimPolicy"] == "Retain"
    assert storage_class["volumeBindingMode"] == "WaitForFirstConsumer"


QUOTAS = ("nbplatform-compute", "nbplatform-jobs-compute")


@pytest.mark.parametrize("quota", QUOTAS)
def test_prod_quota_exceeds_staging(builds, quota):
    def cpu(build):
        return int(find_object(build, "ResourceQuota", quota)["spec"]["hard"]["requests.cpu"])

    assert cpu(builds["prod"]) > cpu(builds["staging"])


@pytest.mark.parametrize("quota", QUOTAS)
def test_quota_caps_gpus(builds, quota):
    for overlay in OVERLAYS:
        hard = find_object(builds[overlay], "ResourceQuota", quota)["spec"]["hard"]
        assert "requests.nvidia.com/gpu" in hard, overlay


@pytest.mark.parametrize("name", ["nbplatform-defaults", "nbplatform-jobs-defaults"])
def test_limit_range_defaults_requests(builds, name):
    limit_range = find_object(builds["base"], "LimitRange", name)
    container = next(item for item in limit_range["spec"]["limits"] if item["type"] == "Container")
    assert set(container["defaultRequest"]) == {"cpu", "memory"}


def test_no_secret_objects(builds):
    for build_name, objects in builds.items():
        for obj in objects:
            assert obj["kind"] != "Secret", f"{build_name}: secrets come from Secret Manager, not manifests"
            text = yaml.safe_dump(obj).lower()
            assert "private_key" not in text, f"{build_name}: {_label(obj)}"
