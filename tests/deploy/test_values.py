"""hub/values.yaml against the profiles, the kustomize base and itself."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from deploy.conftest import KUSTOMIZE_DIR, find_object


def _images_in(node: Any) -> Iterator[str]:
    """Yield every ``image`` value found anywhere under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "image" and isinstance(value, str):
                yield value
            else:
                yield from _images_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _images_in(item)


def _profile_images(profile_documents) -> dict[str, set[str]]:
    """Return each image named by a profile (override or option choice) with the files naming it."""
    images: dict[str, set[str]] = {}
    for file_name, profiles in profile_documents.items():
        for profile in profiles:
            for image in _images_in(profile.get("kubespawner_override", {})):
                images.setdefault(image, set()).add(file_name)
            for image in _images_in(profile.get("profile_options", {})):
                images.setdefault(image, set()).add(file_name)
    return images


def _image_ref(spec: dict[str, Any]) -> str:
    return f"{spec['name']}:{spec['tag']}" if spec.get("tag") else spec["name"]


def _pulled_images(values) -> set[str]:
    pulled = {_image_ref(values["singleuser"]["image"])}
    pulled |= {_image_ref(spec) for spec in values["prePuller"].get("extraImages", {}).values()}
    return pulled


def test_prepuller_covers_profile_images(values, profile_documents):
    pulled = _pulled_images(values)
    for image, files in _profile_images(profile_documents).items():
        assert image in pulled, (
            f"image {image} named in profiles/{sorted(files)} is not pre-pulled: add it to "
            "prePuller.extraImages in hub/values.yaml"
        )


def test_prepuller_check_sees_profile_images(profile_documents):
    # Guards the check above against passing because it found nothing.
    assert _profile_images(profile_documents), "no profile names an image; the pre-puller check is empty"


def test_prepuller_check_catches_missing_image(values):
    fake_profiles = {"extra.yaml": [{"kubespawner_override": {"image": "example.org/missing:1"}}]}
    images = _profile_images(fake_profiles)
    assert not set(images) <= _pulled_images(values)


def test_prepuller_runs_on_gpu_nodes(values):
    tolerations = values["prePuller"]["extraTolerations"]
    assert any(item["key"] == "nvidia.com/gpu" for item in tolerations)


def test_culler_outlasts_profile_timeouts(values, profile_documents):
    timeouts = [
        profile["idle_timeout"]
        for profiles in profile_documents.values()
        for profile in profiles
        if profile.get("idle_timeout")
    ]
    assert timeouts, "no profile sets idle_timeout"
    assert values["cull"]["enabled"] is True
    assert values["cull"]["timeout"] >= max(timeouts), (
        "cull.timeout would stop servers before their profile's idle_timeout"
    )


def test_profiles_mounted_where_env_points(values):
    for section in ("hub", "singleuser"):
        part = values[section]
        mounts = part["extraVolumeMounts"] if section == "hub" else part["storage"]["extraVolumeMounts"]
        volumes = part["extraVolumes"] if section == "hub" else part["storage"]["extraVolumes"]
        mount = next(item for item in mounts if item["name"] == "nbplatform-profiles")
        volume = next(item for item in volumes if item["name"] == "nbplatform-profiles")
        assert part["extraEnv"]["NBPLATFORM_PROFILES_DIR"] == mount["mountPath"], section
        assert volume["configMap"]["name"] == "nbplatform-profiles", section
        assert "subPath" not in mount, f"{section}: a subPath mount is never updated when the ConfigMap changes"


def test_profiles_configmap_built(values, builds):
    name = values["hub"]["extraVolumes"][0]["configMap"]["name"]
    assert find_object(builds["base"], "ConfigMap", name) is not None


def test_storage_classes_exist(values, builds):
    for name in (values["hub"]["db"]["pvc"]["storageClassName"], values["singleuser"]["storage"]["dynamic"]["storageClass"]):
        assert find_object(builds["base"], "StorageClass", name) is not None, name


def test_notebook_service_account_exists(values, builds):
    name = values["singleuser"]["serviceAccountName"]
    assert find_object(builds["base"], "ServiceAccount", name) is not None


def test_ingress_https_only(values):
    annotations = values["ingress"]["annotations"]
    assert annotations["kubernetes.io/ingress.class"] == "gce"
    assert annotations["kubernetes.io/ingress.allow-http"] == "false"


def test_backend_config_exists(values, builds):
    if not (KUSTOMIZE_DIR / "base" / "iap-backendconfig.yaml").exists():
        pytest.skip("hub/kustomize/base/iap-backendconfig.yaml (IAP BackendConfig) is not in this checkout yet")
    import json

    reference = json.loads(values["proxy"]["service"]["annotations"]["cloud.google.com/backend-config"])
    assert find_object(builds["base"], "BackendConfig", reference["default"]) is not None


def test_jobs_port_reachable_from_proxy(values):
    port = next(item["port"] for item in values["hub"]["service"]["extraPorts"] if item["name"] == "jobs")
    allowed = [
        rule_port["port"]
        for rule in values["hub"]["networkPolicy"]["ingress"]
        if any(peer.get("podSelector", {}).get("matchLabels", {}).get("component") == "proxy" for peer in rule["from"])
        for rule_port in rule["ports"]
    ]
    assert port in allowed


def test_notebooks_reach_dask(values):
    egress = values["singleuser"]["networkPolicy"]["egress"]
    selectors = [peer.get("podSelector", {}) for rule in egress for peer in rule["to"]]
    keys = [expr["key"] for selector in selectors for expr in selector.get("matchExpressions", [])]
    assert "dask.org/cluster-name" in keys


def test_notebooks_reach_api_server(values):
    egress = values["singleuser"]["networkPolicy"]["egress"]
    api_rules = [rule for rule in egress if any("ipBlock" in peer for peer in rule["to"])]
    assert api_rules, "no egress rule for the Kubernetes API server"
    assert {port["port"] for rule in api_rules for port in rule["ports"]} == {443}


def test_metadata_server_reachable_for_workload_identity(values):
    assert values["singleuser"]["cloudMetadata"]["blockWithIptables"] is False
    assert values["singleuser"]["networkPolicy"]["egressAllowRules"]["cloudMetadataServer"] is True


def test_no_python_in_values(values):
    assert not values["hub"].get("extraConfig"), "hub configuration belongs in the nbplatform package"


def test_profile_list_left_to_spawner(values):
    # The chart copies singleuser.profileList onto KubeSpawner.profile_list,
    # which would replace the spawner's own profile loading.
    assert "profileList" not in values["singleuser"]


def test_user_scheduling_features(values):
    scheduling = values["scheduling"]
    assert scheduling["userScheduler"]["enabled"] is True
    assert scheduling["userPlaceholder"]["enabled"] is True
    assert scheduling["podPriority"]["enabled"] is True, "placeholders need pod priority to be evicted"


def test_home_volume_per_user(values):
    storage = values["singleuser"]["storage"]
    assert storage["type"] == "dynamic"
    assert "{username}" in storage["dynamic"]["pvcNameTemplate"]
