"""Typed parameters: defaults read from the parameters cell, values checked and rebuilt as the same type."""

from __future__ import annotations

import datetime as dt

import pytest

from nbplatform.jobs.errors import PromoteError
from nbplatform.jobs.parameters import (
    check_parameters,
    parse_cli_value,
    parse_parameters_source,
    render_value,
)

SOURCE = """
import datetime
window = (1, 2)
airports = ['JFK']
limits = {'max': 1}
verbose = False
ratio = 0.5
cutoff = None
start = datetime.date(2024, 1, 1)
stamp = datetime.datetime(2024, 1, 1, 6, 0)
count = 3
label = 'x'
computed = len(airports)
"""


@pytest.fixture
def declared():
    return parse_parameters_source(SOURCE)


def test_default_types_read(declared):
    types = {name: p.type_name for name, p in declared.items()}
    assert types == {
        "window": "tuple", "airports": "list", "limits": "dict", "verbose": "bool", "ratio": "float",
        "cutoff": "None", "start": "date", "stamp": "datetime", "count": "int", "label": "str", "computed": "any",
    }


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("window", [3, 4], (3, 4)),
        ("ratio", 2, 2.0),
        ("start", "2024-02-29", dt.date(2024, 2, 29)),
        ("stamp", "2024-02-29T07:30:00+09:00", dt.datetime.fromisoformat("2024-02-29T07:30:00+09:00")),
        ("cutoff", [1], [1]),
        ("computed", "anything", "anything"),
    ],
)
def test_value_converted(declared, name, value, expected):
    converted = check_parameters({name: value}, declared)[name]
    assert converted == expected
    assert type(converted) is type(expected)


@pytest.mark.parametrize(
    ("name", "value", "expected_type"),
    [
        ("count", "3", "int"),
        ("count", True, "int"),
        ("verbose", 1, "bool"),
        ("label", 5, "str"),
        ("limits", [1], "dict"),
        ("start", "31/01/2024", "date"),
        ("airports", "JFK", "list"),
    ],
)
def test_type_mismatch_names_type(declared, name, value, expected_type):
    with pytest.raises(PromoteError) as info:
        check_parameters({name: value}, declared)
    assert f"which is {expected_type}" in info.value.message
    assert repr(name) in info.value.message


def test_unknown_parameter_lists_defined(declared):
    with pytest.raises(PromoteError) as info:
        check_parameters({"airport": "JFK"}, declared, "report.ipynb")
    assert "'airport'" in info.value.message
    assert "airports" in info.value.message
    assert info.value.reason == "unknown-parameter"


@pytest.mark.parametrize(
    "value",
    [(1,), (1, "a"), [1, (2, 3)], {"k": [dt.date(2024, 1, 1)]}, dt.date(2024, 1, 1),
     dt.datetime(2024, 1, 1, 7, tzinfo=dt.timezone.utc), None, True, 1.5, float("inf"), "引用'符\"", {1, 2}],
)
def test_render_round_trip(value):
    rebuilt = eval(render_value(value))  # noqa: S307 - the rendered source is what the kernel runs
    assert rebuilt == value
    assert type(rebuilt) is type(value)


def test_cli_value_keeps_strings(declared):
    assert parse_cli_value("123", declared["label"]) == "123"
    assert parse_cli_value("123", declared["count"]) == 123
    assert parse_cli_value("[1, 2]", declared["window"]) == [1, 2]
    assert parse_cli_value("true", declared["verbose"]) is True


def test_syntax_error_in_cell():
    with pytest.raises(PromoteError) as info:
        parse_parameters_source("x = (")
    assert "not valid Python" in info.value.message
