"""Property tests: the job spec and parameter parsers end in a result or their own error, never a crash."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbplatform.jobs.errors import JobSpecError, PromoteError
from nbplatform.jobs.parameters import Parameter, check_parameters, parse_cli_value, parse_parameters_source
from nbplatform.jobs.spec import parse_spec

DIGEST = "sha256:" + "b" * 64
SPEC_KEYS = [
    "name", "owner", "notebook", "profile", "image", "schedule", "timezone", "parameters", "timeout_seconds",
    "retries", "overlap", "catchup", "output", "alerts", "paused", "unknown_key",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["0 7 * * *", "Asia/Tokyo", "forbid", "allow", "latest", "all", "none", DIGEST, "60 25 * * *"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
spec_like = st.dictionaries(st.sampled_from(SPEC_KEYS), values, max_size=10).map(
    lambda data: {"name": "daily", "owner": "alice", "notebook": {"snapshot": DIGEST}, "schedule": "0 7 * * *", **data}
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(spec_like)
def test_spec_parser_only_validation_errors(data):
    try:
        parse_spec(data, "generated.yaml")
    except JobSpecError as exc:
        assert "generated.yaml" in exc.message


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "日本語", max_size=200))
def test_spec_parser_on_yaml_text(text):
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    try:
        parse_spec(data, "text.yaml")
    except JobSpecError as exc:
        assert "text.yaml" in exc.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable, max_size=120))
def test_parameters_cell_parser_never_crashes(source):
    try:
        declared = parse_parameters_source(source)
    except PromoteError:
        return
    for name, parameter in declared.items():
        assert isinstance(parameter, Parameter)
        assert name.isidentifier()


DEFAULTS = {"n": 1, "ratio": 0.5, "flag": True, "label": "x", "items": [1], "pairs": (1, 2), "opts": {"a": 1}, "day": "2013-07-01", "none": None}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(DEFAULTS)), st.text(max_size=40))
def test_cli_values_typed_or_rejected(name, text):
    declared = parse_parameters_source("\n".join(f"{key} = {value!r}" for key, value in DEFAULTS.items()))
    try:
        value = parse_cli_value(text, declared[name])
        check_parameters({name: value}, declared, "generated.ipynb")
    except PromoteError as exc:
        assert name in exc.message
