"""Promote form checks: each problem tied to its field, every message key present in both languages."""

from __future__ import annotations

import pytest

from nbplatform.jobs.errors import AccessDenied, JobSpecError, PromoteError
from nbplatform.web.messages import MESSAGES
from nbplatform.web.promote_form import DEFAULTS, FIELD_OF_REASON, check_form, error_from_promotion, form_values

GOOD = {**DEFAULTS, "notebook": "work/report.ipynb", "name": "daily-report", "parameters": "count=3"}


def keys(errors):
    return [(error.field, error.key) for error in errors]


def test_good_form_passes(tmp_path):
    assert check_form(GOOD, tmp_path) == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("notebook", "", ("notebook", "error_notebook_required")),
        ("notebook", "../bob/report.ipynb", ("notebook", "error_notebook_outside_home")),
        ("notebook", "notes.txt", ("notebook", "error_notebook_outside_home")),
        ("name", "", ("name", "error_name_required")),
        ("name", "Daily_Report", ("name", "error_name_invalid")),
        ("schedule", "", ("schedule", "error_schedule_required")),
        ("schedule", "0 7 * *", ("schedule", "error_schedule_invalid")),
        ("timezone", "Mars/Olympus", ("timezone", "error_timezone_invalid")),
        ("parameters", "count 3", ("parameters", "error_parameters_line")),
        ("parameters", "run_id=x", ("parameters", "error_parameters_reserved")),
    ],
)
def test_bad_field_reported(tmp_path, field, value, expected):
    assert keys(check_form({**GOOD, field: value}, tmp_path)) == [expected]


def test_every_problem_reported(tmp_path):
    form = {**GOOD, "name": "", "schedule": "never", "parameters": "a\nb=1\nc"}
    assert keys(check_form(form, tmp_path)) == [
        ("name", "error_name_required"),
        ("schedule", "error_schedule_invalid"),
        ("parameters", "error_parameters_line"),
        ("parameters", "error_parameters_line"),
    ]


def test_form_values_keep_text():
    values = form_values({"name": [b"r\xc3\xa9port"], "parameters": [b" a = 1 \n"], "extra": [b"x"]})
    assert values["name"] == "réport"
    assert values["parameters"] == " a = 1 \n"
    assert values["schedule"] == ""
    assert "extra" not in values


def test_promotion_error_tied_to_field():
    exc = PromoteError("m", reason="parameter-type", details={"name": "count", "value": "many", "expected": "int"})
    error = error_from_promotion(exc, GOOD)
    assert error.field == "parameters"
    assert error.values["value"] == "'many'"
    assert "count" in MESSAGES.get(error.key, "ja", **error.values)


def test_notebook_error_names_form_path():
    exc = PromoteError("m", reason="no-parameters-cell", details={"notebook": "/srv/home/alice/work/report.ipynb"})
    error = error_from_promotion(exc, GOOD)
    assert error.field == "notebook"
    assert MESSAGES.get(error.key, "en", **error.values).startswith("work/report.ipynb has no cell")


def test_taken_name_tied_to_name():
    error = error_from_promotion(AccessDenied("Job 'daily-report' belongs to 'bob'."), GOOD)
    assert error.field == "name"
    assert "daily-report" in MESSAGES.get(error.key, "en", **error.values)


def test_other_error_above_form():
    error = error_from_promotion(JobSpecError("jobs/x.yaml: field owner is missing."), GOOD)
    assert error.field is None
    assert "field owner is missing" in MESSAGES.get(error.key, "ja", **error.values)


@pytest.mark.parametrize("reason", sorted(FIELD_OF_REASON))
def test_every_reason_has_message(reason):
    assert f"error_{reason.replace('-', '_')}" in MESSAGES.keys()
