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


class RecordingLauncher:
    """Records the jobs a scheduler pass launches instead of starting processes."""

    def __init__(self) -> None:
        self.launched: list[str] = []

    def launch(self, spec, slot, run_id, trigger) -> None:
        self.launched.append(spec.name)

    def running(self, job: str) -> bool:
        return False


@pytest.fixture
def context(tmp_path):
    return make_context(tmp_path)


@pytest.fixture
def blocked_location(tmp_path):
    # A path below a regular file cannot be created, even by root (the tests may run as root).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return str(blocker / "runs")


def run_blocked(context, spec, **kwargs):
    return run_job(
        spec, snapshots=context.snapshots, store=context.store_for(spec), fallback=context.store_for(),
        logical_date=SLOT, **kwargs,
    )


def test_unwritable_output_names_location(context, blocked_location):
    spec = spec_for(context, "quick.ipynb", "blocked", output={"location": blocked_location})
    record = run_blocked(context, spec)
    assert record.status == "failed"
    assert record.error_name == "output-not-writable"
    assert blocked_location in record.error_message
    assert "Fix:" in record.error_message
    assert record.output_location == blocked_location


def test_unwritable_output_without_fallback_raises(context, tmp_path):
    # The platform's runs location itself is blocked, so the run has nowhere to be recorded.
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "runs").write_text("")
    spec = spec_for(context, "quick.ipynb", "blocked")
    with pytest.raises(OutputNotWritable) as raised:
        run_blocked(context, spec)
    assert raised.value.reason == "output-not-writable"
    assert context.runs_url in raised.value.message
    assert raised.value.record.status == "failed"


def test_other_job_runs_after_failure(context, blocked_location):
    blocked = spec_for(context, "quick.ipynb", "blocked", output={"location": blocked_location})
    healthy = spec_for(context, "quick.ipynb", "healthy")
    assert run_blocked(context, blocked).status == "failed"
    record = run_blocked(context, healthy)
    assert record.status == "succeeded"


def test_cli_exit_code_for_unwritable_output(context, blocked_location, monkeypatch, capsys):
    spec_for(context, "quick.ipynb", "blocked", output={"location": blocked_location})
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("NBPLATFORM_RUNS_URL", context.runs_url)
    monkeypatch.setenv("NBPLATFORM_SNAPSHOTS_URL", context.snapshots_url)
    code = cli_main(["jobs", "run", "blocked"])
    out = capsys.readouterr().out
    assert code == 1
    assert "output-not-writable" in out
    assert blocked_location in out
    assert context.store_for().list_runs("blocked")[0].error_name == "output-not-writable"


def test_scheduler_goes_on_after_unwritable_run(tmp_path, blocked_location, monkeypatch):
    from nbplatform.jobs.scheduler import Scheduler, SubprocessLauncher

    context = make_context(tmp_path)
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]))
    spec = spec_for(context, "quick.ipynb", "blocked", schedule="0 * * * *", timezone="UTC",
                    output={"location": blocked_location})
    spec_for(context, "quick.ipynb", "healthy", schedule="0 * * * *", timezone="UTC")
    for name in ("blocked", "healthy"):
        context.cursors.set(name, TICK - dt.timedelta(minutes=1))
    clock = FixedClock(TICK)
    launcher = SubprocessLauncher(context)
    scheduler = Scheduler(context, launcher, clock=clock)
    first = scheduler.tick()
    launcher.wait_all(timeout=120)

    # The next pass reads the blocked job's history to check for overlap; it must plan both jobs again.
    clock.now += dt.timedelta(hours=1)
    launches = RecordingLauncher()
    second = Scheduler(context, launches, clock=clock).tick()
    history = context.history_for(spec).list_runs("blocked")
    assert sorted(d.action for d in first) == ["launched", "launched"]
    assert sorted(d.action for d in second) == ["launched", "launched"]
    assert sorted(launches.launched) == ["blocked", "healthy"]
    assert [r.status for r in history] == ["failed"]
    assert history[0].error_name == "output-not-writable"
    assert [r.status for r in context.store_for().list_runs("healthy")] == ["succeeded"]


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
