"""Prometheus metrics of the jobs room, built from the run records at scrape time.

The service serves them at ``<prefix>metrics`` (``/services/jobs/metrics``)
to tokens with the ``read:metrics`` scope, the scope JupyterHub itself
requires for ``/hub/metrics``, so one scraper token reads both.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric

from ..jobs.store import RunRecord

#: Upper bounds, in seconds, of the run duration histogram's buckets.
DURATION_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0)


def _timestamp(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


def _duration_histogram(durations: list[float]) -> tuple[list[tuple[str, float]], float]:
    buckets = [(repr(bound), float(sum(1 for d in durations if d <= bound))) for bound in DURATION_BUCKETS]
    buckets.append(("+Inf", float(len(durations))))
    return buckets, float(sum(durations))


def job_metric_families(runs_by_job: Mapping[str, Iterable[RunRecord]]) -> list[Metric]:
    """Build the metric families for every job from its run records (newest first, as the store lists them)."""
    # NOTE: counts come from the records in the run store, so deleting records
    # lowers them, and Prometheus treats the drop as a counter reset.
    runs = CounterMetricFamily("nbplatform_job_runs", "Run attempts recorded, by job and status.", labels=["job", "status"])
    duration = HistogramMetricFamily(
        "nbplatform_job_run_duration_seconds", "Wall time of finished run attempts, by job.", labels=["job"]
    )
    last_success = GaugeMetricFamily(
        "nbplatform_job_last_success_timestamp_seconds", "Unix time when the job's last successful run ended.", labels=["job"]
    )
    lag = GaugeMetricFamily(
        "nbplatform_job_scheduling_lag_seconds",
        "Seconds between the slot time and the start of the job's latest scheduled run.",
        labels=["job"],
    )
    for job, records in sorted(runs_by_job.items()):
        records = list(records)
        counts: dict[str, int] = {}
        for record in records:
            counts[record.status] = counts.get(record.status, 0) + 1
        for status, count in sorted(counts.items()):
            runs.add_metric([job, status], count)

        durations = [r.duration_seconds for r in records if r.finished and r.duration_seconds is not None]
        buckets, total = _duration_histogram(durations)
        duration.add_metric([job], buckets, total)

        ended = [_timestamp(r.ended) for r in records if r.status == "succeeded" and r.ended is not None]
        if ended:
            last_success.add_metric([job], max(ended))

        scheduled = [r for r in records if r.trigger == "schedule"]
        if scheduled:
            latest = max(scheduled, key=lambda r: (r.logical_date, r.started))
            lag.add_metric([job], max(0.0, _timestamp(latest.started) - _timestamp(latest.logical_date)))
    return [runs, duration, last_success, lag]
