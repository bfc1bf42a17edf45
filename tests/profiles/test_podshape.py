"""Pod shapes built from profiles, compared with literal Kubernetes dicts."""

from __future__ import annotations

import pytest

from nbplatform.errors import ProfileError
from nbplatform.profiles import Profile, pod_shape

GPU_PROFILE = {
    "display_name": "GPU",
    "slug": "gpu",
    "kubespawner_override": {
        "image": "example.org/gpu:1",
        "cpu_guarantee": 3,
        "cpu_limit": 4,
        "mem_guarantee": "20G",
        "mem_limit": "24G",
        "extra_resource_limits": {"nvidia.com/gpu": "1"},
        "node_selector": {"cloud.google.com/gke-accelerator": "nvidia-tesla-t4"},
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Equal", "value": "present", "effect": "NoSchedule"}],
        "environment": {"B": "2", "A": "1"},
    },
}

OPTIONS_PROFILE = {
    "display_name": "Options",
    "slug": "opt",
    "kubespawner_override": {"image": "base:1", "cpu_limit": 1, "environment": {"KEEP": "k", "DROP": "d"}},
    "profile_options": {
        "size": {
            "display_name": "Size",
            "choices": {
                "s": {"display_name": "S", "kubespawner_override": {"cpu_limit": 0.5}},
                "l": {
                    "display_name": "L",
                    "default": True,
                    "kubespawner_override": {"cpu_limit": 8, "environment": {"DROP": None, "SIZE": "l"}},
                },
            },
        },
        "image": {
            "display_name": "Image",
            "choices": {"base": {"display_name": "Base"}},
            "unlisted_choice": {
                "enabled": True,
                "display_name": "Other image",
                "validation_regex": "^example/.+:.+$",
                "kubespawner_override": {"image": "{value}"},
            },
        },
    },
}


def test_gpu_shape_resources():
    shape = pod_shape(Profile.model_validate(GPU_PROFILE))
    assert shape.resources == {
        "requests": {"cpu": "3", "memory": "20Gi", "nvidia.com/gpu": "1"},
        "limits": {"cpu": "4", "memory": "24Gi", "nvidia.com/gpu": "1"},
    }
    assert shape.gpus == 1


def test_gpu_shape_scheduling():
    shape = pod_shape(Profile.model_validate(GPU_PROFILE))
    assert shape.node_selector == {"cloud.google.com/gke-accelerator": "nvidia-tesla-t4"}
    assert shape.tolerations[0]["key"] == "nvidia.com/gpu"
    assert shape.image == "example.org/gpu:1"


def test_shape_env_sorted():
    shape = pod_shape(Profile.model_validate(GPU_PROFILE))
    assert shape.container_env() == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]


def test_shape_default_choice():
    shape = pod_shape(Profile.model_validate(OPTIONS_PROFILE))
    assert shape.resources["limits"]["cpu"] == "8"
    assert shape.env == {"KEEP": "k", "SIZE": "l"}


def test_shape_chosen_choice():
    shape = pod_shape(Profile.model_validate(OPTIONS_PROFILE), {"size": "s"})
    assert shape.resources["limits"]["cpu"] == "500m"
    assert shape.env == {"KEEP": "k", "DROP": "d"}


def test_shape_unlisted_choice():
    options = {"image--unlisted-choice": "example/custom:2"}
    shape = pod_shape(Profile.model_validate(OPTIONS_PROFILE), options)
    assert shape.image == "example/custom:2"


def test_shape_unlisted_fails_regex():
    with pytest.raises(ProfileError, match="'evil/x:1' is invalid"):
        pod_shape(Profile.model_validate(OPTIONS_PROFILE), {"image--unlisted-choice": "evil/x:1"})


def test_shape_unknown_choice():
    with pytest.raises(ProfileError, match="has no choice 'xl'. Pick one of: s, l"):
        pod_shape(Profile.model_validate(OPTIONS_PROFILE), {"size": "xl"})


def test_shape_does_not_mutate_profile():
    profile = Profile.model_validate(OPTIONS_PROFILE)
    pod_shape(profile, {"size": "l"})
    assert profile.kubespawner_override["environment"] == {"KEEP": "k", "DROP": "d"}


def test_shape_to_dict():
    data = pod_shape(Profile.model_validate(GPU_PROFILE)).to_dict()
    assert data["profile"] == "gpu"
    assert data["nodeSelector"] == {"cloud.google.com/gke-accelerator": "nvidia-tesla-t4"}
    assert data["env"][0] == {"name": "A", "value": "1"}
