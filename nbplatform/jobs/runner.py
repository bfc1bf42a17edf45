"""Execute a job's snapshot with Papermill: typed parameters, whole-run deadline, outputs always written.

Papermill's own ``execution_timeout`` applies to each cell. The runner instead
gives nbclient a ``timeout_func`` that returns the time left until the run's
deadline, so the whole run (kernel start included) stops at the deadline and
nbclient shuts the kernel down.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import nbformat
import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from ..errors import JobError
from .alerts import AlertSender
from .errors import OutputNotWritable, PromoteError
from .parameters import check_parameters, inject_parameters, notebook_parameters
from .snapshot import SnapshotStore
from .spec import JobSpec
from .store import HTML_NAME, NOTEBOOK_NAME, RunRecord, RunStore, new_run_id

log = logging.getLogger(__name__)

#: Maximum wait for a kernel to start, in seconds. It is shorter when the deadline is nearer.
KERNEL_START_TIMEOUT = 60


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def runtime_values(spec: JobSpec, declared: dict[str, Any], logical_date: dt.datetime, run_id: str) -> dict[str, Any]:
    """Return the spec's parameters typed by the snapshot, plus ``logical_date`` and ``run_id`` if the cell defines them."""
    values = check_parameters(dict(spec.parameters), declared, spec.notebook.source or spec.name)
    if "logical_date" in declared:
        kind = declared["logical_date"].type_name
        local = logical_date.astimezone(spec.zone)
        if kind == "date":
            values["logical_date"] = local.date()
        elif kind == "datetime":
            values["logical_date"] = local
        elif kind == "str" and _looks_like_date(declared["logical_date"].default):
            values["logical_date"] = local.date().isoformat()
        else:
            values["logical_date"] = local.isoformat()
    if "run_id" in declared:
        values["run_id"] = run_id
    return values


def _looks_like_date(text: str) -> bool:
    """Return True for a ``YYYY-MM-DD`` string, the form a str ``logical_date`` default then keeps."""
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return len(text) == 10


def last_started_cell(nb: nbformat.NotebookNode) -> int | None:
    """Return the index of the last cell Papermill started, from its cell metadata."""
    last = None
    for index, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            last = index
    return last


class HtmlRenderer:
    """Renders notebooks to HTML; :meth:`warm_up` loads nbconvert and its templates in a thread.

    Loading nbconvert and its templates takes longer than rendering a typical
    notebook, so the runner starts it while the kernel executes.
    """

    def __init__(self) -> None:
        self._exporter = None
        self._thread: threading.Thread | None = None

    def _load(self) -> None:
        from nbconvert import HTMLExporter  # imported on use: nbconvert is slow to import

        exporter = HTMLExporter()
        exporter.from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
        self._exporter = exporter

    def warm_up(self) -> None:
        self._thread = threading.Thread(target=self._load, name="html-warm-up", daemon=True)
        self._thread.start()

    def render(self, nb: nbformat.NotebookNode) -> str:
        if self._thread is not None:
            self._thread.join()
        if self._exporter is None:
            self._load()
        body, _ = self._exporter.from_notebook_node(nb)
        return body


#: Error names of runs that a retry cannot fix: the snapshot itself is missing or broken, or
#: the output location is not writable. A path below a file or a missing permission needs a
#: person to fix it, and the notebook may already have run.
NOT_RETRIED = frozenset({"snapshot-missing", "snapshot-tampered", PromoteError.reason, OutputNotWritable.reason})


def unwritable_message(location: str, error: OSError, fallback: str | None, outcome: str | None) -> str:
    """Return the error message of a run whose output location ``location`` is not writable.

    ``fallback`` is the run directory that keeps the record instead (None if there is none), and
    ``outcome`` how the notebook itself ended (None if it did not run).
    """
    parts = [f"Output location {location} is not writable ({error})."]
    parts.append(f"The notebook ran and {outcome}." if outcome else "The notebook was not run.")
    if fallback:
        parts.append(f"This record and the run's outputs are in {fallback}." if outcome else f"This record is in {fallback}.")
    parts.append("Fix: make the location a writable directory or bucket, or remove output.location from the job spec.")
    return " ".join(parts)


def _notebook_outcome(record: RunRecord) -> str:
    if record.status == "succeeded":
        return "succeeded"
    detail = f" ({record.error_name}: {record.error_message})" if record.error_name else ""
    return f"ended as {record.status}{detail}"


def _record_unwritable(
    spec: JobSpec, record: RunRecord, store: RunStore, fallback: RunStore | None, error: OSError, ran: bool,
) -> RunRecord:
    """Mark ``record`` failed because ``store`` is not writable and keep it in ``fallback``.

    Raises OutputNotWritable, with the record attached for the alert, when there is no
    separate fallback or it cannot be written either.
    """
    usable = fallback if fallback is not None and fallback.base_url != store.base_url else None
    outcome = _notebook_outcome(record) if ran else None
    where = usable.url(spec.name, record.run_id, "").rstrip("/") if usable else None
    record.status = "failed"
    record.error_name = OutputNotWritable.reason
    record.error_message = unwritable_message(store.base_url, error, where, outcome)
    record.output_location = store.base_url
    _finish(record)
    log.error(
        "Run %s of job %r failed: output location %s is not writable (owner %s, attempt %d): %s",
        record.run_id, spec.name, store.base_url, spec.owner, record.attempt, error,
    )
    if usable is None:
        raise OutputNotWritable(f"Job {spec.name!r}: {record.error_message}", record=record) from error
    try:
        usable.write_record(record)
    except OSError as second:
        log.error("Run %s of job %r: recording the failure in %s failed too: %s", record.run_id, spec.name, usable.base_url, second)
        raise OutputNotWritable(
            f"Job {spec.name!r}: {record.error_message} Recording it in {usable.base_url} failed too ({second}).", record=record,
        ) from error
    log.info("Run %s of job %r recorded in %s", record.run_id, spec.name, where)
    return record


def _finish(record: RunRecord) -> None:
    record.ended = now_utc()
    record.duration_seconds = (record.ended - record.started).total_seconds()


def execute_attempt(
    spec: JobSpec,
    *,
    snapshots: SnapshotStore,
    store: RunStore,
    logical_date: dt.datetime,
    run_id: str,
    attempt: int = 1,
    trigger: str = "manual",
    fallback: RunStore | None = None,
) -> RunRecord:
    """Run the snapshot once and return the final run record.

    A failing cell, the deadline, a dead kernel or a kernel that does not start end up in
    the record, not in an exception. When ``store`` cannot be written, the run fails with
    reason ``output-not-writable`` and its record and outputs go to ``fallback`` (the
    platform's runs location). OutputNotWritable is raised only when that fails too.
    """
    started = now_utc()
    deadline = time.monotonic() + spec.timeout_seconds
    record = RunRecord(
        job=spec.name, run_id=run_id, owner=spec.owner, logical_date=logical_date.astimezone(spec.zone),
        trigger=trigger, attempt=attempt, started=started, snapshot=spec.notebook.snapshot,
        host=socket.gethostname(), pid=os.getpid(),
    )
    try:
        store.write_record(record)
    except OSError as exc:
        # Fail before the kernel starts: a notebook with side effects should not run when its outputs cannot be kept.
        # NOTE: gcsfs (2026.10) raises OSError for a 403; its HttpError for other codes is not caught and ends the run process.
        return _record_unwritable(spec, record, store, fallback, exc, ran=False)
    log.info(
        "Run %s of job %r started: owner %s, attempt %d, trigger %s, logical date %s",
        run_id, spec.name, spec.owner, attempt, trigger, record.logical_date.isoformat(),
    )

    renderer = HtmlRenderer()
    renderer.warm_up()
    with tempfile.TemporaryDirectory(prefix=f"nbplatform-{spec.name}-") as workdir:
        input_path = Path(workdir) / "input.ipynb"
        output_path = Path(workdir) / NOTEBOOK_NAME
        # The notebook runs in its run directory, not next to the working copy, so files it writes
        # stay with the run and files it reads cannot change the job after promotion.
        working_directory = Path(workdir)
        if store.is_local:
            store.prepare(spec.name, run_id)
            output_path = Path(store.run_path(spec.name, run_id, NOTEBOOK_NAME))
            working_directory = output_path.parent
        # NOTE: with a remote output location, files the notebook writes to its working directory are discarded.
        nb = None
        injected_at: int | None = None
        try:
            nb = snapshots.load(spec.notebook.snapshot)
            parameters_at, declared = notebook_parameters(nb, spec.notebook.source or spec.name)
            injected_at = parameters_at + 1
            nb = inject_parameters(nb, runtime_values(spec, declared, logical_date, run_id))
            nbformat.write(nb, input_path)
            papermill.execute_notebook(
                str(input_path),
                str(output_path),
                kernel_name=spec.notebook.kernel,
                progress_bar=False,
                log_output=False,
                start_timeout=max(1, min(KERNEL_START_TIMEOUT, int(deadline - time.monotonic()))),
                cwd=str(working_directory),
                timeout_func=lambda cell: max(deadline - time.monotonic(), 0.001),
                shutdown_kernel="immediate",
            )
            record.status = "succeeded"
        except PapermillExecutionError as exc:
            record.status = "failed"
            record.error_name = exc.ename
            record.error_message = exc.evalue
            record.error_cell = _snapshot_index(exc.cell_index, injected_at)
        except CellTimeoutError as exc:
            record.status = "timed_out"
            record.error_name = "DeadlineExceeded"
            record.error_message = f"The run passed its deadline of {spec.timeout_seconds} s and its kernel was stopped."
            record.error_cell = _snapshot_index(_index_from_output(output_path), injected_at)
        except DeadKernelError as exc:
            record.status = "dead_kernel"
            record.error_name = "DeadKernelError"
            record.error_message = f"The kernel died (for example out of memory or killed): {exc}"
            record.error_cell = _snapshot_index(_index_from_output(output_path), injected_at)
        except JobError as exc:  # a missing or changed snapshot, a broken parameters cell
            record.status = "failed"
            record.error_name = exc.reason
            record.error_message = exc.message
        except Exception as exc:  # kernel start failures, I/O: record them as the run's error
            record.status = "failed"
            record.error_name = type(exc).__name__
            record.error_message = str(exc)
            log.exception(
                "Run %s of job %r failed outside the notebook (owner %s, attempt %d)", run_id, spec.name, spec.owner, attempt
            )

        try:
            record.output_notebook, record.output_html = _publish_outputs(store, spec.name, run_id, output_path, nb, renderer)
            _finish(record)
            store.write_record(record)
        except OSError as exc:
            # The location broke while the notebook ran: keep what it produced in the fallback.
            if fallback is not None and fallback.base_url != store.base_url:
                record.output_notebook, record.output_html = _publish_to_fallback(
                    fallback, spec.name, run_id, output_path, nb, renderer,
                )
            return _record_unwritable(spec, record, store, fallback, exc, ran=True)

    if record.status == "succeeded":
        log.info(
            "Run %s of job %r ended: succeeded in %.1f s (owner %s, attempt %d)",
            run_id, spec.name, record.duration_seconds, spec.owner, attempt,
        )
    else:
        # The owner's notebook failed, not the platform, so this is a warning. The error message
        # may quote data the notebook handled, so it stays in the run record and out of the log.
        log.warning(
            "Run %s of job %r ended: %s in %.1f s with %s in cell %s (owner %s, attempt %d)",
            run_id, spec.name, record.status, record.duration_seconds, record.error_name, record.error_cell,
            spec.owner, attempt,
        )
    return record


def _snapshot_index(index: int | None, injected_at: int | None) -> int | None:
    """Map a cell index of the executed notebook to the snapshot's, leaving out the injected cell."""
    if index is None or injected_at is None or index < injected_at:
        return index
    return index - 1 if index > injected_at else None


def _index_from_output(output_path: Path) -> int | None:
    try:
        return last_started_cell(nbformat.read(output_path, as_version=4))
    except (OSError, ValueError):
        return None


def _publish_outputs(
    store: RunStore, job: str, run_id: str, output_path: Path, fallback: nbformat.NotebookNode | None,
    renderer: HtmlRenderer,
) -> tuple[str | None, str | None]:
    """Store the output notebook (the injected input when Papermill wrote none) and its HTML rendering."""
    if not output_path.exists() and fallback is not None:
        nbformat.write(fallback, output_path)
    if not output_path.exists():
        return None, None
    notebook_url = store.put_file(str(output_path), job, run_id, NOTEBOOK_NAME)
    try:
        html = renderer.render(nbformat.read(output_path, as_version=4))
        html_url = store.write_bytes(job, run_id, HTML_NAME, html.encode("utf-8"))
    except Exception:  # a broken rendering must not hide the run's own result
        log.warning("Rendering HTML for run %s of job %r failed", run_id, job, exc_info=True)
        html_url = None
    return notebook_url, html_url


def _publish_to_fallback(
    fallback: RunStore, job: str, run_id: str, output_path: Path, nb: nbformat.NotebookNode | None, renderer: HtmlRenderer,
) -> tuple[str | None, str | None]:
    """Copy the run's outputs to ``fallback``; log and return no URLs if they cannot be read or written."""
    try:
        fallback.prepare(job, run_id)
        return _publish_outputs(fallback, job, run_id, output_path, nb, renderer)
    except OSError as exc:
        log.error("Run %s of job %r: saving its outputs in %s failed: %s", run_id, job, fallback.base_url, exc)
        return None, None


def run_job(
    spec: JobSpec,
    *,
    snapshots: SnapshotStore,
    store: RunStore,
    logical_date: dt.datetime | None = None,
    trigger: str = "manual",
    max_attempts: int | None = None,
    alerts: AlertSender | None = None,
    sleep: Callable[[float], None] = time.sleep,
    run_id: str | None = None,
    fallback: RunStore | None = None,
) -> RunRecord:
    """Run the job with the retries and backoff of its spec; send one alert if the last attempt fails.

    ``fallback`` (the platform's runs location) keeps the record of a run whose ``store`` is not writable.
    """
    logical_date = logical_date or now_utc()
    attempts = max_attempts if max_attempts is not None else 1 + spec.retries.max
    base_id = run_id or new_run_id(logical_date)
    record: RunRecord | None = None
    for attempt in range(1, attempts + 1):
        attempt_id = base_id if attempt == 1 else f"{base_id}-retry{attempt - 1}"
        if record is not None:
            delay = spec.retries.delay_before(attempt)
            log.info(
                "Run %s of job %r %s; retrying in %.0f s as run %s (owner %s, attempt %d of %d)",
                record.run_id, spec.name, record.status, delay, attempt_id, spec.owner, attempt, attempts,
            )
            sleep(delay)
        try:
            record = execute_attempt(
                spec, snapshots=snapshots, store=store, logical_date=logical_date,
                run_id=attempt_id, attempt=attempt, trigger=trigger, fallback=fallback,
            )
        except OutputNotWritable as exc:
            if alerts is not None and exc.record is not None:
                alerts.run_failed(spec, exc.record)
            raise
        if record.status == "succeeded":
            return record
        if record.error_name in NOT_RETRIED:
            log.warning(
                "Run %s of job %r not retried: %s cannot change between attempts (owner %s, attempt %d of %d)",
                record.run_id, spec.name, record.error_name, spec.owner, attempt, attempts,
            )
            break
    assert record is not None
    if alerts is not None:
        alerts.run_failed(spec, record)
    return record
