"""The local scheduler: decide due slots, claim each one atomically, start its run in a subprocess.

Policy lives in :mod:`.schedule` (which slots are due) and the spec (overlap,
catch-up); this module applies it. Runs are separate ``nbplatform jobs run``
processes in their own session, so a scheduler that stops or crashes leaves
running jobs alone, and the slot claims keep a restarted or second scheduler
from starting the same slot again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass
from typing import Callable, Protocol

from .context import JobsContext
from .schedule import next_slot, plan_due_slots, slot_key, slots_between
from .spec import JobSpec
from .store import NOTEBOOK_NAME, RunRecord, new_run_id

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Launcher(Protocol):
    """Starts one run of a job without waiting for it."""

    def launch(self, spec: JobSpec, slot: dt.datetime, run_id: str, trigger: str, *, requested_by: str | None = None) -> None: ...

    def running(self, job: str) -> bool: ...


class SubprocessLauncher:
    """Starts ``nbplatform jobs run`` for each slot as a child process in its own session."""

    def __init__(self, context: JobsContext, python: str = sys.executable) -> None:
        self.context = context
        self.python = python
        self._children: dict[str, list[subprocess.Popen]] = {}

    def command(self, spec: JobSpec, slot: dt.datetime, run_id: str, trigger: str) -> list[str]:
        return [
            self.python, "-m", "nbplatform.cli.main", "jobs", "run", spec.name,
            "--logical-date", slot.isoformat(), "--run-id", run_id, "--trigger", trigger,
        ]

    @staticmethod
    def child_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
        """Return the environment of a run: this process's, without the hub's ``JUPYTERHUB_*`` variables.

        The jobs service has its own hub API token, and notebooks must not read it from ``os.environ``.
        """
        source = os.environ if environ is None else environ
        return {key: value for key, value in source.items() if not key.startswith("JUPYTERHUB_")}

    def launch(self, spec: JobSpec, slot: dt.datetime, run_id: str, trigger: str, *, requested_by: str | None = None) -> None:
        """Start the run's process; ``requested_by`` names the user of a manual run, for the log line."""
        log_path = self.context.logs_dir / spec.name / f"{run_id}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log_file:
            child = subprocess.Popen(
                self.command(spec, slot, run_id, trigger),
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                env=self.child_environment(),
            )
        self._children.setdefault(spec.name, []).append(child)
        log.info(
            "Run %s of job %r launched as pid %d: owner %s, trigger %s, requested by %s, slot %s, log %s",
            run_id, spec.name, child.pid, spec.owner, trigger, requested_by or "-", slot.isoformat(), log_path,
        )

    def running(self, job: str) -> bool:
        children = [c for c in self._children.get(job, []) if c.poll() is None]
        self._children[job] = children
        return bool(children)

    def wait_all(self, timeout: float | None = None) -> None:
        for children in self._children.values():
            for child in children:
                child.wait(timeout)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Decision:
    job: str
    slot: dt.datetime
    action: str  # "launched", "skipped-overlap", "skipped-catchup", "claimed-elsewhere"


class Scheduler:
    """One scheduling pass per :meth:`tick`; ``clock`` gives the current UTC instant."""

    def __init__(self, context: JobsContext, launcher: Launcher, *, clock: Clock = system_clock, name: str | None = None) -> None:
        self.context = context
        self.launcher = launcher
        self.clock = clock
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        #: Earliest instant each job can have a due slot, with the schedule it was computed for.
        #: A pass skips a job without I/O until that instant comes or the schedule changes.
        self._next_due: dict[str, tuple[tuple[str, str], dt.datetime]] = {}
        self._host = socket.gethostname()

    def tick(self) -> list[Decision]:
        """Run one scheduling pass and return what it decided for each due slot."""
        now = self.clock()
        decisions: list[Decision] = []
        specs = self.context.specs.load_all()
        for name in list(self._next_due):
            if name not in specs:
                del self._next_due[name]
        for spec in specs.values():
            cached = self._next_due.get(spec.name)
            if cached is not None and cached[0] == (spec.schedule, spec.timezone) and now < cached[1] and not spec.paused:
                continue
            try:
                decisions.extend(self._schedule_job(spec, now))
            except Exception:  # one broken job must not stop the others
                log.exception("Scheduling job %r failed; the next pass retries it", spec.name)
        return decisions

    def _cursor(self, spec: JobSpec, now: dt.datetime) -> dt.datetime:
        cursor = self.context.cursors.get(spec.name)
        if cursor is not None:
            return cursor
        # A job seen for the first time counts slots from when its spec was written.
        try:
            written = dt.datetime.fromtimestamp(self.context.specs.path_for(spec.name).stat().st_mtime, dt.timezone.utc)
        except FileNotFoundError:
            written = now
        return min(now, written)

    def _schedule_job(self, spec: JobSpec, now: dt.datetime) -> list[Decision]:
        cursor = self._cursor(spec, now)
        decisions: list[Decision] = []
        if spec.paused:
            # Slots passed while paused are skipped, not caught up on resume.
            self.context.cursors.set(spec.name, now)
            self._next_due.pop(spec.name, None)
            return decisions
        slots = slots_between(spec.schedule, spec.zone, cursor, now)
        plan = plan_due_slots(
            slots, now, policy=spec.catchup.policy, max_runs=spec.catchup.max_runs,
            grace=dt.timedelta(seconds=spec.catchup.grace_seconds),
            window=dt.timedelta(seconds=spec.catchup.window_seconds),
        )
        for slot in plan.skipped:
            log.info(
                "Job %r slot %s missed and not caught up (policy %s, owner %s)",
                spec.name, slot.isoformat(), spec.catchup.policy, spec.owner,
            )
            decisions.append(Decision(spec.name, slot, "skipped-catchup"))
        for slot in plan.run:
            decisions.append(self._start_slot(spec, slot, trigger="schedule"))
        self.context.cursors.set(spec.name, now)
        self._next_due[spec.name] = ((spec.schedule, spec.timezone), next_slot(spec.schedule, spec.zone, now))
        return decisions

    def _start_slot(self, spec: JobSpec, slot: dt.datetime, trigger: str) -> Decision:
        run_id = new_run_id(slot)
        key = slot_key(slot)
        if self.context.claims.is_claimed(spec.name, key):
            return Decision(spec.name, slot, "claimed-elsewhere")
        overlapping = spec.overlap == "forbid" and self.active_run(spec)
        if not self.context.claims.claim(spec.name, key, owner=self.name, run_id=run_id):
            return Decision(spec.name, slot, "claimed-elsewhere")
        if overlapping:
            self._record_skipped(spec, slot, run_id, "The previous run was still running and the overlap policy is forbid.")
            log.warning(
                "Run %s of job %r skipped: the previous run is still running and overlap is 'forbid' (owner %s, slot %s)",
                run_id, spec.name, spec.owner, slot.isoformat(),
            )
            return Decision(spec.name, slot, "skipped-overlap")
        try:
            self.launcher.launch(spec, slot, run_id, trigger)
        except Exception:
            # Releasing the claim lets the next pass launch the slot again, as tick()'s log line states.
            self.context.claims.release(spec.name, key)
            raise
        return Decision(spec.name, slot, "launched")

    def active_run(self, spec: JobSpec) -> bool:
        """Return True if a run of ``spec`` is still going; mark runs whose process died as abandoned."""
        if self.launcher.running(spec.name):
            return True
        history = self.context.history_for(spec)
        for record, store in history.runs(spec.name, limit=5):
            if record.status != "running":
                continue
            if record.host == self._host and record.pid and not _pid_alive(record.pid):
                record.status = "abandoned"
                record.error_name = "ProcessLost"
                record.error_message = "The run's process ended without writing a final status."
                record.ended = self.clock()
                # Papermill saves the output notebook after each cell, so the
                # cells that ran before the process died stay readable.
                partial = store.run_path(spec.name, record.run_id, NOTEBOOK_NAME)
                if record.output_notebook is None and store.fs.exists(partial):
                    record.output_notebook = store.url(spec.name, record.run_id, NOTEBOOK_NAME)
                history.write_record(record)
                log.warning(
                    "Run %s of job %r marked abandoned: pid %d is gone (owner %s, attempt %d)",
                    record.run_id, spec.name, record.pid, spec.owner, record.attempt,
                )
                continue
            return True
        return False

    def _record_skipped(self, spec: JobSpec, slot: dt.datetime, run_id: str, reason: str) -> None:
        now = self.clock()
        record = RunRecord(
            job=spec.name, run_id=run_id, owner=spec.owner, logical_date=slot.astimezone(spec.zone),
            trigger="schedule", status="skipped", started=now, ended=now, duration_seconds=0.0,
            snapshot=spec.notebook.snapshot, error_name="OverlapForbidden", error_message=reason, host=self._host,
        )
        self.context.history_for(spec).write_record(record)

    def next_run(self, spec: JobSpec) -> dt.datetime | None:
        if spec.paused:
            return None
        return next_slot(spec.schedule, spec.zone, self.clock())
