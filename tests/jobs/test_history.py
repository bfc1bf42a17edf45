"""Run history across a job's output location and the platform's runs location, without kernels."""

from __future__ import annotations

import datetime as dt

import pytest

from nbplatform.jobs.history import RunHistory
from nbplatform.jobs.store import RunRecord, RunStore

STARTED = dt.datetime(2024, 6, 3, 7, 0, tzinfo=dt.timezone.utc)


def make_record(run_id: str, status: str = "succeeded", hour: int = 7) -> RunRecord:
    slot = STARTED.replace(hour=hour)
    return RunRecord(job="report", run_id=run_id, owner="alice", logical_date=slot, started=slot, status=status)


@pytest.fixture
def stores(tmp_path):
    return RunStore(str(tmp_path / "output")), RunStore(str(tmp_path / "runs"))


@pytest.fixture
def blocked(tmp_path):
    # A path below a regular file cannot be created, even by root.
    (tmp_path / "file").write_text("")
    return RunStore(str(tmp_path / "file" / "runs"))


def test_runs_merged_newest_first(stores):
    store, fallback = stores
    store.write_record(make_record("a", hour=7))
    fallback.write_record(make_record("b", status="failed", hour=8))
    history = RunHistory(store, fallback)
    assert [r.run_id for r in history.list_runs("report")] == ["b", "a"]
    assert [s for _, s in history.runs("report")] == [fallback, store]
    assert [r.run_id for r in history.list_runs("report", limit=1)] == ["b"]


def test_finished_record_wins(stores):
    store, fallback = stores
    store.write_record(make_record("a", status="running"))
    fallback.write_record(make_record("a", status="failed"))
    runs = RunHistory(store, fallback).runs("report")
    assert len(runs) == 1
    assert runs[0][0].status == "failed"
    assert runs[0][1] is fallback


def test_same_location_listed_once(stores):
    store, _ = stores
    store.write_record(make_record("a"))
    assert len(RunHistory(store, RunStore(store.base_url)).list_runs("report")) == 1


def test_unreadable_location_lists_fallback(blocked, stores):
    _, fallback = stores
    fallback.write_record(make_record("a", status="failed"))
    assert [r.run_id for r in RunHistory(blocked, fallback).list_runs("report")] == ["a"]


def test_write_falls_back(blocked, stores):
    _, fallback = stores
    record = make_record("a", status="abandoned")
    written = RunHistory(blocked, fallback).write_record(record)
    assert written is fallback
    assert fallback.read_record("report", "a").output_location == blocked.base_url


def test_write_without_fallback_raises(blocked):
    with pytest.raises(OSError):
        RunHistory(blocked, RunStore(blocked.base_url)).write_record(make_record("a"))


def test_output_read_from_winning_record(stores):
    store, fallback = stores
    store.write_record(make_record("a", status="running"))
    store.write_bytes("report", "a", "output.ipynb", b"partial")
    fallback.write_record(make_record("a", status="failed"))
    fallback.write_bytes("report", "a", "output.ipynb", b"complete")
    assert RunHistory(store, fallback).read_bytes("report", "a", "output.ipynb") == b"complete"


def test_missing_output_not_found(stores):
    store, fallback = stores
    store.write_record(make_record("a"))
    with pytest.raises(FileNotFoundError):
        RunHistory(store, fallback).read_bytes("report", "a", "output.html")
