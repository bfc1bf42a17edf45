"""The jobs' Prometheus metrics built from run records (no service needed)."""

from __future__ import annotations

import datetime as dt

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from nbplatform.jobs.store import RunRecord
from nbplatform.web.metrics import job_metric_families

UTC = dt.timezone.utc
SLOT = dt.datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


def record(run_id: str, status: str, *, trigger: str = "schedule", slot: dt.datetime = SLOT,
           delay: float = 2.0, duration: float | None = 10.0) -> RunRecord:
    started = slot + dt.timedelta(seconds=delay)
    ended = started + dt.timedelta(seconds=duration) if duration is not None else None
    return RunRecord(job="daily", run_id=run_id, owner="alice", logical_date=slot, trigger=trigger, status=status,
                     started=started, ended=ended, duration_seconds=duration)


def samples(runs_by_job) -> dict[tuple[str, tuple], float]:
    class Collector:
        def collect(self):
            return iter(job_metric_families(runs_by_job))

    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector())
    text = generate_latest(registry).decode()
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


RUNS = [
    record("r3", "running", slot=SLOT + dt.timedelta(days=2), delay=30.0, duration=None),
    record("r2", "failed", slot=SLOT + dt.timedelta(days=1), duration=100.0),
    record("r1", "succeeded", duration=10.0),
    record("m1", "succeeded", trigger="manual", slot=SLOT - dt.timedelta(days=1), duration=3.0),
]


def test_runs_counted_by_status():
    found = samples({"daily": RUNS})
    assert found[("nbplatform_job_runs_total", (("job", "daily"), ("status", "succeeded")))] == 2
    assert found[("nbplatform_job_runs_total", (("job", "daily"), ("status", "failed")))] == 1
    assert found[("nbplatform_job_runs_total", (("job", "daily"), ("status", "running")))] == 1


def test_duration_histogram_skips_running():
    found = samples({"daily": RUNS})
    assert found[("nbplatform_job_run_duration_seconds_count", (("job", "daily"),))] == 3
    assert found[("nbplatform_job_run_duration_seconds_sum", (("job", "daily"),))] == 113.0
    assert found[("nbplatform_job_run_duration_seconds_bucket", (("job", "daily"), ("le", "5.0")))] == 1
    assert found[("nbplatform_job_run_duration_seconds_bucket", (("job", "daily"), ("le", "15.0")))] == 2


def test_last_success_is_latest_end():
    found = samples({"daily": RUNS})
    expected = (SLOT + dt.timedelta(seconds=12)).timestamp()
    assert found[("nbplatform_job_last_success_timestamp_seconds", (("job", "daily"),))] == expected


def test_lag_from_latest_scheduled_run():
    found = samples({"daily": RUNS})
    assert found[("nbplatform_job_scheduling_lag_seconds", (("job", "daily"),))] == 30.0


def test_job_without_runs_has_no_success():
    found = samples({"fresh": []})
    assert ("nbplatform_job_last_success_timestamp_seconds", (("job", "fresh"),)) not in found
    assert found[("nbplatform_job_run_duration_seconds_count", (("job", "fresh"),))] == 0
