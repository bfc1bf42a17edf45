"""Job runs under faults: an unwritable output location, and a run killed with its scheduler."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path

import pytest

from jobs.conftest import make_context, spec_for
from nbplatform.cli.main import main as cli_main
from nbplatform.jobs.errors import OutputNotWritable
from nbplatform.jobs.runner import run_job

pytestmark = pytest.mark.slow

SLOT = dt.datetime(2024, 3, 10, 22, 0, tzinfo=dt.timezone.utc)
TICK = dt.datetime(2024, 6, 3, 0, 0, 30, tzinfo=dt.timezone.utc)
REPO_ROOT = Path(__file__).resolve().parents[2]


class FixedClock:
    """A scheduler clock that moves only when the test sets ``now``."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


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


def test_killed_run_keeps_partial_output(tmp_path, monkeypatch):
    from nbplatform.jobs.scheduler import Scheduler, SubprocessLauncher

    context = make_context(tmp_path)
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]))
    spec_for(context, "endless.ipynb", "stuck", schedule="0 * * * *", timezone="UTC", timeout_seconds=120)
    context.cursors.set("stuck", TICK - dt.timedelta(minutes=1))
    clock = FixedClock(TICK)
    launcher = SubprocessLauncher(context)
    Scheduler(context, launcher, clock=clock).tick()
    child = launcher._children["stuck"][0]
    store = context.store_for()

    def looping_output_saved() -> bool:
        runs = store.list_runs("stuck")
        if not runs:
            return False
        try:
            return b"looping" in store.read_bytes("stuck", runs[0].run_id, "output.ipynb")
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not looping_output_saved():
        time.sleep(0.3)
    assert looping_output_saved(), "the run never saved the output of its second cell"
    os.killpg(child.pid, signal.SIGKILL)  # the scheduler's run dies as on a machine crash
    child.wait(30)

    clock.now += dt.timedelta(hours=1)
    second = SubprocessLauncher(context)
    try:
        Scheduler(context, second, clock=clock).tick()
        first = min(store.list_runs("stuck"), key=lambda r: r.logical_date)
        assert first.status == "abandoned"
        assert first.output_notebook is not None
        assert b"looping" in store.read_bytes("stuck", first.run_id, "output.ipynb")
    finally:
        for process in second._children.get("stuck", []):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
