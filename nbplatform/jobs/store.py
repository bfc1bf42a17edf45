"""Run records and outputs under an fsspec URL: ``<base>/<job>/<run id>/{run.json,output.ipynb,output.html}``.

The base is a local directory by default and ``gs://bucket/runs`` on GKE; the
layout is the same for both, so the jobs page and the CLI read either.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import posixpath
import uuid
from typing import Literal

import fsspec
from pydantic import BaseModel

from .errors import JobError

log = logging.getLogger(__name__)

RunStatus = Literal["running", "succeeded", "failed", "timed_out", "dead_kernel", "abandoned", "skipped"]
FINAL_STATUSES = ("succeeded", "failed", "timed_out", "dead_kernel", "abandoned", "skipped")
RECORD_NAME = "run.json"
NOTEBOOK_NAME = "output.ipynb"
HTML_NAME = "output.html"


class RunRecord(BaseModel):
    """Record of one attempt of one run."""

    job: str
    run_id: str
    owner: str
    #: The scheduled slot the run stands for (in the job's time zone), not the wall clock.
    logical_date: dt.datetime
    trigger: Literal["schedule", "manual", "backfill", "kubernetes"] = "manual"
    attempt: int = 1
    status: RunStatus = "running"
    started: dt.datetime
    ended: dt.datetime | None = None
    duration_seconds: float | None = None
    snapshot: str = ""
    error_name: str | None = None
    error_message: str | None = None
    #: 0-based index in the snapshot (injected cell not counted) of the cell that failed,
    #: or of the last cell started when the kernel died or the deadline passed.
    error_cell: int | None = None
    output_notebook: str | None = None
    output_html: str | None = None
    host: str = ""
    pid: int | None = None
    #: The job's output location when it was not writable, so this record and the run's
    #: outputs are kept in the platform's runs location instead; None otherwise.
    output_location: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


def new_run_id(logical_date: dt.datetime) -> str:
    """Return a run id that sorts by slot: ``20240131T070000Z-1a2b3c4d``."""
    stamp = logical_date.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


class RunStore:
    """Run records and outputs of every job below one fsspec URL."""

    def __init__(self, base_url: str) -> None:
        self.base_url = str(base_url).rstrip("/")
        self.fs, self.base_path = fsspec.core.url_to_fs(self.base_url)

    @property
    def is_local(self) -> bool:
        protocol = self.fs.protocol
        return "file" in (protocol if isinstance(protocol, tuple) else (protocol,))

    def run_path(self, job: str, run_id: str, name: str = "") -> str:
        if "/" in job or "/" in run_id or run_id.startswith("."):
            raise JobError(f"Invalid job or run id: {job!r} / {run_id!r}.")
        return posixpath.join(self.base_path, job, run_id, name) if name else posixpath.join(self.base_path, job, run_id)

    def url(self, job: str, run_id: str, name: str) -> str:
        return posixpath.join(self.base_url, job, run_id, name)

    def prepare(self, job: str, run_id: str) -> None:
        self.fs.makedirs(self.run_path(job, run_id), exist_ok=True)

    def write_record(self, record: RunRecord) -> None:
        """Write ``run.json`` through a temporary name, so readers never see half a record."""
        self.prepare(record.job, record.run_id)
        path = self.run_path(record.job, record.run_id, RECORD_NAME)
        temp = f"{path}.{uuid.uuid4().hex}.tmp"
        with self.fs.open(temp, "w", encoding="utf-8") as handle:
            handle.write(record.model_dump_json(indent=2))
        self.fs.mv(temp, path)

    def read_record(self, job: str, run_id: str) -> RunRecord:
        path = self.run_path(job, run_id, RECORD_NAME)
        try:
            with self.fs.open(path, "r", encoding="utf-8") as handle:
                return RunRecord.model_validate(json.load(handle))
        except FileNotFoundError:
            raise JobError(f"Run {run_id!r} of job {job!r} not found.", reason="run-not-found") from None

    def list_runs(self, job: str, limit: int | None = None) -> list[RunRecord]:
        """Return the job's runs, newest slot first."""
        pattern = posixpath.join(self.base_path, job, "*", RECORD_NAME)
        records: list[RunRecord] = []
        try:
            paths = self.fs.glob(pattern)
        except OSError as exc:
            # An unreadable location (a path below a file, a bucket without read access)
            # must not break the pages and the scheduler, which list every job's runs.
            log.warning("Listing runs of job %r in %s failed: %s", job, self.base_url, exc)
            return []
        for path in paths:
            try:
                with self.fs.open(path, "r", encoding="utf-8") as handle:
                    records.append(RunRecord.model_validate(json.load(handle)))
            except (OSError, ValueError):
                continue
        records.sort(key=lambda r: (r.logical_date, r.started, r.attempt), reverse=True)
        return records[:limit] if limit else records

    def read_bytes(self, job: str, run_id: str, name: str) -> bytes:
        with self.fs.open(self.run_path(job, run_id, name), "rb") as handle:
            return handle.read()

    def put_file(self, local_path: str, job: str, run_id: str, name: str) -> str:
        """Copy a local file into the run's directory and return its URL."""
        target = self.run_path(job, run_id, name)
        if self.is_local:
            if posixpath.abspath(local_path) != posixpath.abspath(target):
                self.fs.put_file(local_path, target)
        else:
            self.fs.put_file(local_path, target)
        return self.url(job, run_id, name)

    def write_bytes(self, job: str, run_id: str, name: str, data: bytes) -> str:
        with self.fs.open(self.run_path(job, run_id, name), "wb") as handle:
            handle.write(data)
        return self.url(job, run_id, name)
