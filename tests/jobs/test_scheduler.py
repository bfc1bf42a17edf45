"""The scheduler with a controllable clock: one run per slot across restarts and two schedulers."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import time

import pytest

from nbplatform.jobs.scheduler import Scheduler, SubprocessLauncher

from .conftest import make_context

UTC = dt.timezone.utc
START = dt.datetime(2024, 6, 3, 0, 0, 30, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


class RecordingLauncher:
    """Records launches instead of starting processes; ``busy`` lists jobs that count as still running."""

    def __init__(self, log_path=None) -> None:
        self.launched: list[tuple[str, str]] = []
        self.busy: set[str] = set()
        self.log_path = log_path

    def launch(self, spec, slot, run_id, trigger) -> None:
        self.launched.append((spec.name, slot.isoformat()))
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps([spec.name, slot.isoformat(), os.getpid()]) + "\n")

    def running(self, job: str) -> bool:
        return job in self.busy


def scheduler_for(context, clock, launcher=None):
    return Scheduler(context, launcher or RecordingLauncher(), clock=clock)


def test_due_slot_launched_once(context, make_spec):
    make_spec("quick.ipynb", "hourly", schedule="0 * * * *", timezone="UTC")
    context.cursors.set("hourly", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    scheduler = scheduler_for(context, clock)
    scheduler.tick()
    scheduler.tick()
    assert scheduler.launcher.launched == [("hourly", "2024-06-03T00:00:00+00:00")]


def test_restart_does_not_rerun_slot(context, make_spec):
    make_spec("quick.ipynb", "hourly", schedule="0 * * * *", timezone="UTC")
    context.cursors.set("hourly", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    first = scheduler_for(context, clock)
    first.tick()
    # A new scheduler process after a crash: same state directory, older cursor.
    context.cursors.set("hourly", START - dt.timedelta(minutes=1))
    restarted = scheduler_for(context, clock)
    decisions = restarted.tick()
    assert restarted.launcher.launched == []
    assert [d.action for d in decisions] == ["claimed-elsewhere"]


class FailingOnceLauncher(RecordingLauncher):
    """Raises OSError at the first launch, as a failed process start would."""

    def launch(self, spec, slot, run_id, trigger) -> None:
        if not getattr(self, "failed", False):
            self.failed = True
            raise OSError("no such file: python")
        super().launch(spec, slot, run_id, trigger)


def test_failed_launch_retried_next_pass(context, make_spec, caplog):
    make_spec("quick.ipynb", "hourly", schedule="0 * * * *", timezone="UTC")
    context.cursors.set("hourly", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    scheduler = scheduler_for(context, clock, FailingOnceLauncher())
    scheduler.tick()
    failures = [r for r in caplog.records if "Scheduling job 'hourly' failed" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].levelname == "ERROR"
    assert scheduler.launcher.launched == []
    clock.advance(seconds=20)
    scheduler.tick()
    assert scheduler.launcher.launched == [("hourly", "2024-06-03T00:00:00+00:00")]


def test_dst_gap_slot_runs_once(context, make_spec):
    make_spec("quick.ipynb", "nightly", schedule="30 2 * * *", timezone="America/New_York")
    context.cursors.set("nightly", dt.datetime(2024, 3, 10, 6, 0, tzinfo=UTC))
    clock = FakeClock(dt.datetime(2024, 3, 10, 7, 30, 10, tzinfo=UTC))  # 03:30 EDT
    scheduler = scheduler_for(context, clock)
    for _ in range(3):
        scheduler.tick()
        clock.advance(minutes=1)
    assert scheduler.launcher.launched == [("nightly", "2024-03-10T07:30:00+00:00")]


def test_dst_fall_back_slot_runs_once(context, make_spec):
    make_spec("quick.ipynb", "nightly", schedule="30 1 * * *", timezone="America/New_York")
    context.cursors.set("nightly", dt.datetime(2024, 11, 3, 5, 0, tzinfo=UTC))
    clock = FakeClock(dt.datetime(2024, 11, 3, 5, 30, 5, tzinfo=UTC))  # first 01:30, EDT
    scheduler = scheduler_for(context, clock)
    for _ in range(70):  # tick every minute through the repeated hour
        scheduler.tick()
        clock.advance(minutes=1)
    assert scheduler.launcher.launched == [("nightly", "2024-11-03T05:30:00+00:00")]


@pytest.mark.parametrize(("policy", "expected"), [("none", 0), ("latest", 1), ("all", 3)])
def test_catchup_policy_after_downtime(context, make_spec, policy, expected):
    make_spec("quick.ipynb", "hourly", schedule="0 * * * *", timezone="UTC", catchup={"policy": policy, "max_runs": 3})
    context.cursors.set("hourly", START - dt.timedelta(hours=6))
    clock = FakeClock(START + dt.timedelta(minutes=30))  # 00:00 is 30 minutes late: missed
    scheduler = scheduler_for(context, clock)
    scheduler.tick()
    launched = [slot for _, slot in scheduler.launcher.launched]
    assert len(launched) == expected
    assert launched == sorted(launched)
    if expected:
        assert launched[-1] == "2024-06-03T00:00:00+00:00"


def test_overlap_forbid_skips_slot(context, make_spec):
    make_spec("quick.ipynb", "busy", schedule="* * * * *", timezone="UTC", overlap="forbid")
    context.cursors.set("busy", START - dt.timedelta(seconds=31))
    clock = FakeClock(START)
    scheduler = scheduler_for(context, clock)
    scheduler.launcher.busy.add("busy")
    decisions = scheduler.tick()
    assert [d.action for d in decisions] == ["skipped-overlap"]
    records = context.store_for().list_runs("busy")
    assert [r.status for r in records] == ["skipped"]


def test_overlap_allow_runs_anyway(context, make_spec):
    make_spec("quick.ipynb", "busy", schedule="* * * * *", timezone="UTC", overlap="allow")
    context.cursors.set("busy", START - dt.timedelta(seconds=31))
    scheduler = scheduler_for(context, FakeClock(START))
    scheduler.launcher.busy.add("busy")
    assert [d.action for d in scheduler.tick()] == ["launched"]


def test_paused_job_skips_slots(context, make_spec):
    make_spec("quick.ipynb", "hourly", schedule="0 * * * *", timezone="UTC", paused=True)
    context.cursors.set("hourly", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    scheduler = scheduler_for(context, clock)
    scheduler.tick()
    spec = context.specs.get("hourly")
    context.specs.write(spec.model_copy(update={"paused": False}))
    clock.advance(minutes=10)
    scheduler.tick()
    assert scheduler.launcher.launched == []
    clock.advance(hours=1)
    scheduler.tick()
    assert scheduler.launcher.launched == [("hourly", "2024-06-03T01:00:00+00:00")]


def _tick_in_process(root, now_iso, log_path, barrier):
    context = make_context(root)
    scheduler = Scheduler(context, RecordingLauncher(log_path), clock=lambda: dt.datetime.fromisoformat(now_iso))
    barrier.wait()
    scheduler.tick()


def test_two_schedulers_one_run_per_slot(tmp_path):
    from .conftest import spec_for

    context = make_context(tmp_path)
    names = [f"job-{i:02d}" for i in range(40)]
    for name in names:
        spec_for(context, "quick.ipynb", name, schedule="* * * * *", timezone="UTC")
        context.cursors.set(name, START - dt.timedelta(minutes=3, seconds=30))
    log_path = tmp_path / "launches.jsonl"
    fork = multiprocessing.get_context("fork")
    barrier = fork.Barrier(2)
    workers = [fork.Process(target=_tick_in_process, args=(tmp_path, START.isoformat(), log_path, barrier)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    launches = [json.loads(line) for line in log_path.read_text().splitlines()]
    slots = [(name, slot) for name, slot, _ in launches]
    assert len(slots) == len(set(slots))
    # Slots 23:58, 23:59 and 00:00 are within the grace period, so each job runs all three exactly once.
    assert len(slots) == len(names) * 3
    assert len({pid for _, _, pid in launches}) <= 2


@pytest.mark.slow
def test_restart_mid_run_real_process(tmp_path, monkeypatch):
    from .conftest import spec_for

    context = make_context(tmp_path)
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(context.settings.profiles_dir.parent), os.environ.get("PYTHONPATH", "")]))
    spec_for(context, "big_output.ipynb", "slow", schedule="0 * * * *", timezone="UTC", parameters={"megabytes": 5})
    context.cursors.set("slow", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    first_launcher = SubprocessLauncher(context)
    Scheduler(context, first_launcher, clock=clock).tick()
    # The scheduler "crashes" while the run goes on; a new one starts and ticks over the same slot.
    context.cursors.set("slow", START - dt.timedelta(minutes=1))
    second_launcher = SubprocessLauncher(context)
    decisions = Scheduler(context, second_launcher, clock=clock).tick()
    assert [d.action for d in decisions] == ["claimed-elsewhere"]
    first_launcher.wait_all(timeout=120)
    runs = context.store_for().list_runs("slow")
    assert [r.status for r in runs] == ["succeeded"]
    assert runs[0].trigger == "schedule"
    assert runs[0].logical_date == START.replace(second=0)


@pytest.mark.slow
def test_dead_run_marked_abandoned(tmp_path, monkeypatch):
    from .conftest import spec_for

    context = make_context(tmp_path)
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(context.settings.profiles_dir.parent), os.environ.get("PYTHONPATH", "")]))
    spec_for(context, "endless.ipynb", "stuck", schedule="0 * * * *", timezone="UTC", timeout_seconds=60)
    context.cursors.set("stuck", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    launcher = SubprocessLauncher(context)
    Scheduler(context, launcher, clock=clock).tick()
    child = launcher._children["stuck"][0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not context.store_for().list_runs("stuck"):
        time.sleep(0.2)
    os.killpg(child.pid, 9)  # the run's whole session dies, as on a machine crash
    child.wait(30)
    clock.advance(hours=1)
    second = SubprocessLauncher(context)
    try:
        decisions = Scheduler(context, second, clock=clock).tick()
        statuses = sorted(r.status for r in context.store_for().list_runs("stuck"))
        assert "abandoned" in statuses
        assert [d.action for d in decisions] == ["launched"]
    finally:
        # Stop the second, endless run this test started.
        for process in second._children.get("stuck", []):
            os.killpg(process.pid, 9)
            process.wait(30)


def test_schedule_change_applies_at_once(context, make_spec):
    spec = make_spec("quick.ipynb", "changing", schedule="0 7 * * *", timezone="UTC")
    context.cursors.set("changing", START - dt.timedelta(minutes=1))
    clock = FakeClock(START)
    scheduler = scheduler_for(context, clock)
    scheduler.tick()
    context.specs.write(spec.model_copy(update={"schedule": "*/5 * * * *"}))
    clock.advance(minutes=5)
    scheduler.tick()
    assert scheduler.launcher.launched == [("changing", "2024-06-03T00:05:00+00:00")]


def test_run_environment_drops_hub_token():
    environ = {"JUPYTERHUB_API_TOKEN": "service-secret", "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:1", "NBPLATFORM_DATA_DIR": "/d", "PATH": "/bin"}
    child = SubprocessLauncher.child_environment(environ)
    assert "JUPYTERHUB_API_TOKEN" not in child
    assert "JUPYTERHUB_SERVICE_URL" not in child
    assert child["NBPLATFORM_DATA_DIR"] == "/d"
    assert child["PATH"] == "/bin"
