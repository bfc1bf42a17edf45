"""Job spec validation: each error names the file, field, value and fix."""

from __future__ import annotations

import pytest

from nbplatform.jobs.errors import JobNotFound, JobSpecError
from nbplatform.jobs.spec import SpecDirectory, load_spec, parse_spec

DIGEST = "sha256:" + "a" * 64


def valid(**overrides):
    data = {"name": "daily", "owner": "alice", "notebook": {"snapshot": DIGEST}, "schedule": "0 7 * * *"}
    data.update(overrides)
    return data


def test_defaults_applied():
    spec = parse_spec(valid())
    assert spec.timezone == "Asia/Tokyo"
    assert spec.overlap == "forbid"
    assert spec.catchup.policy == "latest"
    assert spec.retries.max == 0
    assert spec.paused is False


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("schedule", "every day", "5-field cron"),
        ("timezone", "Tokyo/Japan", "IANA"),
        ("name", "Daily_Report", "lowercase"),
        ("overlap", "sometimes", "'forbid' or 'allow'"),
        ("parameters", {"run_id": "x"}, "set by the runner"),
        ("timeout_seconds", 0, "deadline for the whole run"),
    ],
)
def test_invalid_field_message(tmp_path, field, value, expected):
    path = tmp_path / "daily.yaml"
    with pytest.raises(JobSpecError) as info:
        parse_spec(valid(**{field: value}), path)
    message = info.value.message
    assert str(path) in message
    assert f"field {field}" in message
    assert repr(value) in message
    assert expected in message
    assert "Fix:" in message


def test_unknown_field_rejected():
    with pytest.raises(JobSpecError) as info:
        parse_spec(valid(schedul="0 7 * * *"))
    assert "schedul" in info.value.message
    assert "correct its spelling" in info.value.message


def test_missing_field_named():
    data = valid()
    del data["owner"]
    with pytest.raises(JobSpecError) as info:
        parse_spec(data)
    assert "field owner is missing" in info.value.message


def test_bad_snapshot_reference():
    with pytest.raises(JobSpecError) as info:
        parse_spec(valid(notebook={"snapshot": "latest"}))
    assert "notebook.snapshot" in info.value.message
    assert "nbplatform promote" in info.value.message


def test_file_name_must_match(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text("name: daily\nowner: alice\nnotebook: {snapshot: '%s'}\nschedule: '0 7 * * *'\n" % DIGEST)
    with pytest.raises(JobSpecError) as info:
        load_spec(path)
    assert "rename the file to daily.yaml" in info.value.message


def test_invalid_yaml_names_file(tmp_path):
    path = tmp_path / "daily.yaml"
    path.write_text("name: [daily\n")
    with pytest.raises(JobSpecError) as info:
        load_spec(path)
    assert str(path) in info.value.message


def test_directory_keeps_valid_specs(tmp_path):
    directory = SpecDirectory(tmp_path)
    directory.write(parse_spec(valid()))
    (tmp_path / "broken.yaml").write_text("name: broken\n")
    specs = directory.load_all()
    assert list(specs) == ["daily"]
    assert tmp_path / "broken.yaml" in directory.errors


def test_directory_get_missing(tmp_path):
    with pytest.raises(JobNotFound):
        SpecDirectory(tmp_path).get("nothing")


def test_round_trip_through_yaml(tmp_path):
    directory = SpecDirectory(tmp_path)
    spec = parse_spec(valid(parameters={"window": [1, 2], "label": "空港"}))
    directory.write(spec)
    assert directory.get("daily") == spec


def test_broken_edit_keeps_last_good(tmp_path):
    directory = SpecDirectory(tmp_path)
    path = directory.write(parse_spec(valid(schedule="0 7 * * *")))
    assert directory.load_all()["daily"].schedule == "0 7 * * *"

    path.write_text("name: daily\nschedule: [not, a, cron]\n")
    specs = directory.load_all()
    assert specs["daily"].schedule == "0 7 * * *"
    assert path in directory.errors
    assert "schedule" in directory.errors[path]

    directory.write(parse_spec(valid(schedule="30 8 * * *")))
    assert directory.load_all()["daily"].schedule == "30 8 * * *"
    assert directory.errors == {}


def test_broken_new_spec_not_served(tmp_path):
    directory = SpecDirectory(tmp_path)
    (tmp_path / "fresh.yaml").write_text("name: fresh\n")
    assert directory.load_all() == {}
    assert tmp_path / "fresh.yaml" in directory.errors
