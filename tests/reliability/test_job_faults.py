"""Jobs whose output location cannot be written fail with that reason; other jobs keep running."""

from __future__ import annotations

import datetime as dt

import pytest

from jobs.conftest import make_context, spec_for
from nbplatform.cli.main import main as cli_main
from nbplatform.jobs.errors import OutputNotWritable
from nbplatform.jobs.runner import run_job

pytestmark = pytest.mark.slow

SLOT = dt.datetime(2024, 3, 10, 22, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def context(tmp_path):
    return make_context(tmp_path)


@pytest.fixture
def blocked_location(tmp_path):
    # A path below a regular file cannot be created, even by root (the tests may run as root).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return str(blocker / "runs")


def test_unwritable_output_names_location(context, blocked_location):
    spec = spec_for(context, "quick.ipynb", "blocked", output={"location": blocked_location})
    with pytest.raises(OutputNotWritable) as raised:
        run_job(spec, snapshots=context.snapshots, store=context.store_for(spec), logical_date=SLOT)
    assert raised.value.reason == "output-not-writable"
    assert blocked_location in raised.value.message
    assert "Fix:" in raised.value.message


def test_other_job_runs_after_failure(context, blocked_location):
    blocked = spec_for(context, "quick.ipynb", "blocked", output={"location": blocked_location})
    healthy = spec_for(context, "quick.ipynb", "healthy")
    with pytest.raises(OutputNotWritable):
        run_job(blocked, snapshots=context.snapshots, store=context.store_for(blocked), logical_date=SLOT)
    record = run_job(healthy, snapshots=context.snapshots, store=context.store_for(healthy), logical_date=SLOT)
    assert record.status == "succeeded"


def test_cli_exit_code_for_unwritable_output(context, blocked_location, monkeypatch, capsys):
    spec_for(context, "quick.ipynb", "blocked", output={"location": blocked_location})
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("NBPLATFORM_RUNS_URL", context.runs_url)
    monkeypatch.setenv("NBPLATFORM_SNAPSHOTS_URL", context.snapshots_url)
    code = cli_main(["jobs", "run", "blocked"])
    err = capsys.readouterr().err
    assert code != 0
    assert "not writable" in err
