"""Runs with real Papermill kernels: typed values, failures, deadline, dead kernel, big output, alerts, unwritable outputs."""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import json
import logging

import fsspec
import nbformat
import pytest

from nbplatform.jobs.alerts import AlertSender
from nbplatform.jobs.history import RunHistory
from nbplatform.jobs.runner import run_job
from nbplatform.jobs.store import RunStore

pytestmark = pytest.mark.slow

SLOT = dt.datetime(2024, 3, 10, 22, 0, tzinfo=dt.timezone.utc)


def run(context, spec, **kwargs):
    return run_job(spec, snapshots=context.snapshots, store=context.store_for(spec), logical_date=SLOT, **kwargs)


def output_text(record, snippet: str) -> str:
    """Return the printed output of the first code cell whose source contains ``snippet``."""
    nb = nbformat.read(record.output_notebook, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and snippet in c.source)
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_typed_parameters_arrive_typed(context, make_spec):
    spec = make_spec("typed.ipynb", "typed", parameters={
        "window": [3, 4], "airports": ["HND", "NRT"], "limits": {"max": 5, "nested": [1]}, "verbose": True,
        "ratio": 2, "cutoff": None, "start": "2024-05-01", "stamp": "2024-05-01T06:30:00", "count": 7, "label": "7",
    })
    record = run(context, spec)
    assert record.status == "succeeded"
    values = json.loads(output_text(record, "json.dumps"))
    assert values["types"]["window"] == "tuple"
    assert values["types"]["start"] == "date"
    assert values["types"]["stamp"] == "datetime"
    assert values["types"]["ratio"] == "float"
    assert values["types"]["verbose"] == "bool"
    assert values["types"]["cutoff"] == "NoneType"
    assert values["types"]["label"] == "str"
    assert values["types"]["limits"] == "dict"
    assert values["window"] == [3, 4]
    assert values["limits"] == {"max": 5, "nested": [1]}
    assert values["start"] == "2024-05-01"


def test_logical_date_is_slot_in_job_zone(context, make_spec):
    spec = make_spec("typed.ipynb", "typed-slot")
    record = run(context, spec)
    values = json.loads(output_text(record, "json.dumps"))
    # 22:00 UTC on 10 March is 07:00 on 11 March in Asia/Tokyo.
    assert values["logical_date"] == "2024-03-11"
    assert values["run_id"] == record.run_id
    assert record.logical_date.isoformat() == "2024-03-11T07:00:00+09:00"


def test_raising_cell_recorded(context, make_spec):
    record = run(context, make_spec("raises.ipynb", "raises"))
    assert record.status == "failed"
    assert record.error_name == "ValueError"
    assert record.error_cell == 2
    assert "bad input data" in record.error_message
    assert record.output_notebook.endswith("output.ipynb")
    assert record.output_html.endswith("output.html")
    assert "before" in output_text(record, "print('before')")


def test_sys_exit_fails_run(context, make_spec):
    record = run(context, make_spec("sys_exit.ipynb", "sys-exit"))
    assert record.status == "failed"
    assert record.error_name == "SystemExit"
    assert record.error_cell == 1


def test_endless_loop_hits_deadline(context, make_spec):
    record = run(context, make_spec("endless.ipynb", "endless", timeout_seconds=8))
    assert record.status == "timed_out"
    assert record.error_cell == 2
    assert record.duration_seconds < 40
    assert "looping" in output_text(record, "print('looping'")
    assert record.output_html is not None


def test_killed_kernel_recorded(context, make_spec):
    record = run(context, make_spec("kill_kernel.ipynb", "kill-kernel"))
    assert record.status == "dead_kernel"
    assert record.error_name == "DeadKernelError"
    assert record.error_cell == 2
    assert "about to die" in output_text(record, "about to die")


def test_japanese_notebook_runs(context, make_spec):
    record = run(context, make_spec("日本語レポート.ipynb", "japanese", parameters={"空港": "成田", "件数": 12}))
    assert record.status == "succeeded"
    assert "空港 成田 の遅延件数は 12 件です" in output_text(record, "結果 =")
    html = context.store_for().read_bytes("japanese", record.run_id, "output.html").decode("utf-8")
    assert "日次遅延レポート" in html
    assert "成田" in html


def test_big_output_written(context, make_spec):
    record = run(context, make_spec("big_output.ipynb", "big-output", parameters={"megabytes": 20}))
    assert record.status == "succeeded"
    nb = nbformat.read(record.output_notebook, as_version=4)
    printed = len(output_text(record, "line = "))
    assert printed >= 20 * 1024 * 1000
    assert "done" in output_text(record, "print('done')")


def test_retries_then_alerts_once(context, make_spec, receiver):
    spec = make_spec(
        "raises.ipynb", "retried", retries={"max": 2, "backoff_seconds": 5},
        alerts={"webhook": receiver.url + "/hook", "sentry": False},
    )
    waits = []
    record = run(context, spec, alerts=AlertSender(), sleep=waits.append)
    assert record.status == "failed"
    assert record.attempt == 3
    assert waits == [5, 10]
    assert len(context.store_for().list_runs("retried")) == 3
    assert len(receiver.received) == 1
    path, headers, body = receiver.received[0]
    payload = json.loads(body)
    assert path == "/hook"
    assert payload["job"] == "retried"
    assert payload["error_name"] == "ValueError"
    assert payload["attempt"] == 3


def test_sentry_alert_reaches_dsn(context, make_spec, receiver):
    spec = make_spec("sys_exit.ipynb", "sentried")
    dsn = f"http://publickey@127.0.0.1:{receiver.port}/42"
    record = run(context, spec, alerts=AlertSender(sentry_dsn=dsn))
    assert record.status == "failed"
    assert len(receiver.received) >= 1
    path, headers, body = receiver.received[0]
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    assert path.startswith("/api/42/")
    assert b"sentried" in body
    assert b"SystemExit" in body


def test_outputs_through_fsspec_url(context, make_spec):
    # memory:// takes the same code path as gs:// on GKE: nothing is written to a local runs directory.
    spec = make_spec("raises.ipynb", "remote", output={"location": "memory://nbplatform-test/runs"})
    store = context.store_for(spec)
    assert store.is_local is False
    record = run(context, spec)
    assert record.status == "failed"
    assert record.output_notebook == f"memory://nbplatform-test/runs/remote/{record.run_id}/output.ipynb"
    assert b"bad input data" in store.read_bytes("remote", record.run_id, "output.ipynb")
    assert store.list_runs("remote")[0].status == "failed"
    assert not (context.settings.runs_dir / "remote").exists()


def test_logical_date_string_keeps_form(context, notebooks, tmp_path):
    from nbplatform.jobs.parameters import parse_parameters_source
    from nbplatform.jobs.runner import runtime_values

    spec = make_plain_spec(context)
    as_date = runtime_values(spec, parse_parameters_source("logical_date = '2013-07-01'"), SLOT, "r1")
    as_stamp = runtime_values(spec, parse_parameters_source("logical_date = ''"), SLOT, "r1")
    assert as_date["logical_date"] == "2024-03-11"
    assert as_stamp["logical_date"] == "2024-03-11T07:00:00+09:00"


def make_plain_spec(context):
    from nbplatform.jobs.spec import parse_spec

    return parse_spec({"name": "plain", "owner": "alice", "notebook": {"snapshot": "sha256:" + "d" * 64}, "schedule": "0 7 * * *"})


def test_relative_files_stay_with_run(context, tmp_path):
    import nbformat as nbf

    from nbplatform.jobs.spec import parse_spec

    nb = nbf.v4.new_notebook(cells=[
        nbf.v4.new_code_cell("name = 'report.txt'", metadata={"tags": ["parameters"]}),
        nbf.v4.new_code_cell("open(name, 'w').write('written by the job')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "work" / "writer.ipynb"
    source.parent.mkdir()
    nbf.write(nb, source)
    digest = context.snapshots.save(nb)
    spec = parse_spec({"name": "writer", "owner": "alice", "schedule": "0 7 * * *",
                       "notebook": {"snapshot": digest, "source": str(source)}})
    record = run(context, spec)
    assert record.status == "succeeded"
    assert (context.settings.runs_dir / "writer" / record.run_id / "report.txt").read_text() == "written by the job"
    assert not (source.parent / "report.txt").exists()


def test_missing_snapshot_not_retried(context, make_spec, receiver):
    spec = make_spec(
        "raises.ipynb", "snapshot-gone", retries={"max": 3, "backoff_seconds": 5},
        alerts={"webhook": receiver.url + "/hook", "sentry": False},
    )
    snapshot_url = context.snapshots.url_for(spec.notebook.snapshot)
    fsspec.open(snapshot_url).fs.rm(snapshot_url)
    waits = []
    record = run(context, spec, alerts=AlertSender(), sleep=waits.append)
    assert record.status == "failed"
    assert record.error_name == "snapshot-missing"
    assert "Promote the notebook again" in record.error_message
    assert record.attempt == 1
    assert waits == []
    assert len(receiver.received) == 1


@pytest.fixture
def blocked_location(tmp_path):
    # A path below a regular file cannot be created, even by root (CI runs the tests as root).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return str(blocker / "runs")


def test_unwritable_output_recorded_and_alerted(context, make_spec, receiver, blocked_location):
    spec = make_spec(
        "quick.ipynb", "blocked", output={"location": blocked_location}, retries={"max": 2, "backoff_seconds": 5},
        alerts={"webhook": receiver.url + "/hook", "sentry": False},
    )
    waits = []
    record = run(context, spec, alerts=AlertSender(), sleep=waits.append, fallback=context.store_for())
    assert record.status == "failed"
    assert record.error_name == "output-not-writable"
    assert record.output_location == blocked_location
    assert f"Output location {blocked_location} is not writable" in record.error_message
    assert "The notebook was not run." in record.error_message
    assert "Fix: make the location a writable directory or bucket" in record.error_message
    assert waits == []
    stored = context.history_for(spec).list_runs("blocked")
    assert [r.run_id for r in stored] == [record.run_id]
    assert stored[0].error_message == record.error_message
    assert len(receiver.received) == 1
    payload = json.loads(receiver.received[0][2])
    assert payload["error_name"] == "output-not-writable"
    assert payload["output_location"] == blocked_location


class FullDiskStore(RunStore):
    """A local run store that accepts the run's first record, then fails every write as a full disk does."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.records_written = 0

    def write_record(self, record) -> None:
        if self.records_written:
            raise OSError(errno.ENOSPC, "No space left on device")
        super().write_record(record)
        self.records_written += 1

    def write_bytes(self, job, run_id, name, data) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_output_kept_when_location_fails_mid_run(context, make_spec, receiver, tmp_path):
    # Simulated with a store subclass: filling a real disk needs a mount only root can make.
    location = str(tmp_path / "full-disk")
    spec = make_spec("quick.ipynb", "full-disk", output={"location": location},
                     alerts={"webhook": receiver.url + "/hook", "sentry": False})
    store = FullDiskStore(location)
    fallback = context.store_for()
    record = run_job(spec, snapshots=context.snapshots, store=store, fallback=fallback, logical_date=SLOT, alerts=AlertSender())
    assert record.status == "failed"
    assert record.error_name == "output-not-writable"
    assert "The notebook ran and succeeded." in record.error_message
    assert "No space left on device" in record.error_message
    assert record.output_notebook == fallback.url("full-disk", record.run_id, "output.ipynb")
    assert "45" in output_text(record, "print(total)")
    assert b"45" in fallback.read_bytes("full-disk", record.run_id, "output.html")
    history = RunHistory(store, fallback)
    assert [(r.run_id, r.status) for r in history.list_runs("full-disk")] == [(record.run_id, "failed")]
    assert store.read_record("full-disk", record.run_id).status == "running"
    assert len(receiver.received) == 1


def test_retry_logs_one_line_each(context, make_spec, receiver, caplog):
    secret = "hook-secret-" + "5f1c9e2a7b"
    spec = make_spec(
        "raises.ipynb", "logged", owner="carol", retries={"max": 1, "backoff_seconds": 3},
        alerts={"webhook": f"{receiver.url}/hook?token={secret}", "sentry": False},
    )
    caplog.set_level(logging.INFO, logger="nbplatform")
    record = run(context, spec, alerts=AlertSender(), sleep=lambda seconds: None, run_id="r-logs")
    assert record.status == "failed"
    ours = [r for r in caplog.records if r.name.startswith("nbplatform.jobs")]
    started = [r.getMessage() for r in ours if "started:" in r.getMessage()]
    ended = [r for r in ours if " ended: " in r.getMessage()]
    retried = [r.getMessage() for r in ours if "retrying" in r.getMessage()]
    alerted = [r.getMessage() for r in ours if "Webhook alert" in r.getMessage()]

    assert started == [
        "Run r-logs of job 'logged' started: owner carol, attempt 1, trigger manual, logical date 2024-03-11T07:00:00+09:00",
        "Run r-logs-retry1 of job 'logged' started: owner carol, attempt 2, trigger manual, logical date 2024-03-11T07:00:00+09:00",
    ]
    assert len(ended) == 2
    assert all(r.levelno == logging.WARNING for r in ended)
    assert "Run r-logs of job 'logged' ended: failed" in ended[0].getMessage()
    assert "with ValueError in cell" in ended[0].getMessage()
    assert "(owner carol, attempt 1)" in ended[0].getMessage()
    assert "(owner carol, attempt 2)" in ended[1].getMessage()
    assert retried == [
        "Run r-logs of job 'logged' failed; retrying in 3 s as run r-logs-retry1 (owner carol, attempt 2 of 2)"
    ]
    assert len(alerted) == 1
    assert "r-logs-retry1" in alerted[0]
    assert not [r for r in ours if r.levelno >= logging.ERROR]
    assert secret not in caplog.text
