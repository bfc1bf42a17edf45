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


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_namespaced_objects_in_namespace(builds, build_name):
    for obj in builds[build_name]:
        if obj["kind"] in CLUSTER_SCOPED_KINDS:
            assert "namespace" not in obj["metadata"], f"{_label(obj)} is cluster-scoped"
            continue
        assert obj["metadata"].get("namespace") == "nbplatform", f"{build_name}: {_label(obj)}"


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


@pytest.mark.parametrize("build_name", ["base", *OVERLAYS])
def test_role_bindings_resolve(builds, build_name):
    objects = builds[build_name]
    accounts = {obj["metadata"]["name"] for obj in objects if obj["kind"] == "ServiceAccount"}
    accounts.add("hub")  # created by the chart's hub.serviceAccount
    for binding in (obj for obj in objects if obj["kind"] == "RoleBinding"):
        role = binding["roleRef"]["name"]
        assert find_object(objects, "Role", role) is not None, f"{_label(binding)} names missing Role {role}"
        for subject in binding["subjects"]:
            assert subject["name"] in accounts, f"{_label(binding)} names missing account {subject['name']}"


def test_dask_role_manages_clusters(builds):
    role = find_object(builds["base"], "Role", "nbplatform-dask")
    assert role is not None
    dask_rules = [rule for rule in role["rules"] if "kubernetes.dask.org" in rule["apiGroups"]]
    assert dask_rules, "no rule for kubernetes.dask.org"
    resources = {resource for rule in dask_rules for resource in rule["resources"]}
    verbs = {verb for rule in dask_rules for verb in rule["verbs"]}
    assert {"daskclusters", "daskworkergroups"} <= resources
    assert {"create", "delete", "patch"} <= verbs


def test_dask_role_grants_no_secrets(builds):
    role = find_object(builds["base"], "Role", "nbplatform-dask")
    for rule in role["rules"]:
        assert "secrets" not in rule["resources"]
        assert "*" not in rule["verbs"]


def test_home_storage_retained(builds):
    storage_class = find_object(builds["base"], "StorageClass", "nbplatform-retain")
    assert storage_class is not None
    assert storage_class["reclaimPolicy"] == "Retain"
    assert storage_class["volumeBindingMode"] == "WaitForFirstConsumer"


def test_prod_quota_exceeds_staging(builds):
    def cpu(build):
        return int(find_object(build, "ResourceQuota", "nbplatform-compute")["spec"]["hard"]["requests.cpu"])

    assert cpu(builds["prod"]) > cpu(builds["staging"])


def test_quota_caps_gpus(builds):
    for overlay in OVERLAYS:
        hard = find_object(builds[overlay], "ResourceQuota", "nbplatform-compute")["spec"]["hard"]
        assert "requests.nvidia.com/gpu" in hard, overlay


def test_limit_range_defaults_requests(builds):
    limit_range = find_object(builds["base"], "LimitRange", "nbplatform-defaults")
    container = next(item for item in limit_range["spec"]["limits"] if item["type"] == "Container")
    assert set(container["defaultRequest"]) == {"cpu", "memory"}


def test_no_secret_objects(builds):
    for build_name, objects in builds.items():
        for obj in objects:
            assert obj["kind"] != "Secret", f"{build_name}: secrets come from Secret Manager, not manifests"
            text = yaml.safe_dump(obj).lower()
            assert "private_key" not in text, f"{build_name}: {_label(obj)}"
