"""Property-based tests: the profile parser never crashes on generated YAML."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbplatform.profiles.loader import load_text
from nbplatform.profiles.podshape import pod_shape
from nbplatform.profiles.validation import (
    BIGQUERY_KEYS,
    CHOICE_KEYS,
    DASK_KEYS,
    OPTION_KEYS,
    PROFILE_KEYS,
    ProfileValidationError,
    UNLISTED_KEYS,
)

FILE = Path("generated.yaml")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2G", "16GB", "8Gi", "500m", "1", "^(x", "nvidia.com/gpu", "{value}", "ml"]),
)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=12,
)
override_keys = st.sampled_from(
    ["cpu_limit", "cpu_guarantee", "mem_limit", "mem_guarantee", "extra_resource_limits", "extra_resource_guarantees",
     "node_selector", "tolerations", "environment", "image", "mem_limt"]
)
override = st.dictionaries(override_keys, st.one_of(anything, st.just({"nvidia.com/gpu": "1"})), max_size=5)


def keyed(keys, values=anything, size=4):
    return st.dictionaries(st.one_of(st.sampled_from(keys), st.text(max_size=6)), values, max_size=size)


choice = st.one_of(keyed(CHOICE_KEYS), st.fixed_dictionaries({"display_name": st.text(max_size=5)}, optional={"kubespawner_override": override, "default": st.booleans()}))
option = st.fixed_dictionaries(
    {},
    optional={
        "display_name": st.one_of(st.text(max_size=5), anything),
        "choices": st.one_of(st.dictionaries(st.text(max_size=5), choice, max_size=3), anything),
        "unlisted_choice": st.one_of(keyed(UNLISTED_KEYS), anything),
    },
)
profile = st.fixed_dictionaries(
    {},
    optional={
        "display_name": st.one_of(st.text(max_size=8), anything),
        "slug": st.one_of(st.sampled_from(["a", "b", "a--b", ""]), anything),
        "default": st.one_of(st.booleans(), anything),
        "kubespawner_override": st.one_of(override, anything),
        "profile_options": st.one_of(st.dictionaries(st.text(max_size=5), option, max_size=2), anything),
        "groups": st.one_of(st.lists(st.one_of(st.text(max_size=4), st.integers())), anything),
        "max_servers": anything,
        "dask": st.one_of(keyed(DASK_KEYS), anything),
        "bigquery": st.one_of(keyed(BIGQUERY_KEYS), anything),
        "cost_per_hour": anything,
        "enabled": anything,
        "extra": anything,
    },
)
documents = st.one_of(st.lists(st.one_of(profile, anything), max_size=3), st.fixed_dictionaries({"profiles": st.lists(profile, max_size=2)}), anything)


def parse(text: str) -> None:
    try:
        profiles = load_text(text, FILE)
    except ProfileValidationError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.line >= 1
            assert issue.file == FILE
            assert str(issue).startswith(f"{FILE}:{issue.line}: ")
        return
    slugs = [p.slug for p in profiles]
    assert len(slugs) == len(set(slugs))
    for p in profiles:
        p.resources()
        pod_shape(p)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_documents(document):
    parse(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("- :{}[]'\"#&*!|>\n\t abc12GB.%@`")), max_size=60))
def test_generated_text(text):
    parse(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(profile, min_size=1, max_size=3))
def test_generated_profiles_with_keys(entries):
    parse(yaml.safe_dump(entries, allow_unicode=True) + "\n" + "# tail\n")


memory = st.sampled_from(["512M", "1G", "2G", "1.5G", 1073741824, "16GB", "8Gi"])
cpu = st.sampled_from([0.25, 0.5, 1, 2, 4, "500m"])
plausible_override = st.fixed_dictionaries(
    {},
    optional={
        "cpu_limit": cpu,
        "cpu_guarantee": cpu,
        "mem_limit": memory,
        "mem_guarantee": memory,
        "image": st.sampled_from(["example/notebook:1", ""]),
        "environment": st.dictionaries(st.sampled_from(["A", "B"]), st.sampled_from(["1", 1])),
    },
)
plausible_profile = st.fixed_dictionaries(
    {
        "display_name": st.sampled_from(["Small", "Large", "GPU"]),
        "kubespawner_override": plausible_override,
    },
    optional={
        "slug": st.sampled_from(["small", "large", "gpu"]),
        "default": st.booleans(),
        "groups": st.lists(st.sampled_from(["ml", "bi", 7]), max_size=2),
        "max_servers": st.sampled_from([1, 5, 0]),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(plausible_profile, min_size=1, max_size=3))
def test_plausible_profiles(entries):
    parse(yaml.safe_dump(entries))
