"""The run history of a job across its output location and the platform's runs location.

A run whose output location (``output.location`` of its spec) cannot be
written keeps its record and outputs in the platform's runs location
instead, so the Jobs page, the API and the CLI still list it. This module
reads both locations as one history and writes a record to the second when
the first fails.
"""

from __future__ import annotations

import logging

from .errors import JobError
from .store import RunRecord, RunStore

log = logging.getLogger(__name__)


class RunHistory:
    """The runs of one job's spec: its output location ``store``, then the platform's runs location ``fallback``."""

    def __init__(self, store: RunStore, fallback: RunStore) -> None:
        self.store = store
        self.fallback = fallback

    @property
    def stores(self) -> list[RunStore]:
        return [self.store] if self.fallback.base_url == self.store.base_url else [self.store, self.fallback]

    def runs(self, job: str, limit: int | None = None) -> list[tuple[RunRecord, RunStore]]:
        """Return the job's runs with the store that contains each record, newest slot first.

        A run id recorded in both locations (a run that started at its output
        location and ended in the fallback) appears once: the finished record
        wins over a running one, and the later-written fallback record wins a tie.
        """
        chosen: dict[str, tuple[RunRecord, RunStore]] = {}
        for store in self.stores:
            for record in store.list_runs(job):
                previous = chosen.get(record.run_id)
                if previous is None or record.finished or not previous[0].finished:
                    chosen[record.run_id] = (record, store)
        entries = sorted(chosen.values(), key=lambda e: (e[0].logical_date, e[0].started, e[0].attempt), reverse=True)
        return entries[:limit] if limit else entries

    def list_runs(self, job: str, limit: int | None = None) -> list[RunRecord]:
        return [record for record, _ in self.runs(job, limit)]

    def read_bytes(self, job: str, run_id: str, name: str) -> bytes:
        """Return an output file of a run, from the location whose record of the run wins; FileNotFoundError if none has it."""
        holder = self._holder(job, run_id)
        ordered = [holder] + [s for s in self.stores if s is not holder] if holder else self.stores
        for store in ordered:
            try:
                return store.read_bytes(job, run_id, name)
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("Reading %s of run %s of job %r from %s failed: %s", name, run_id, job, store.base_url, exc)
        raise FileNotFoundError(f"{name} of run {run_id} of job {job}")

    def _holder(self, job: str, run_id: str) -> RunStore | None:
        chosen: tuple[RunRecord, RunStore] | None = None
        for store in self.stores:
            try:
                record = store.read_record(job, run_id)
            except (JobError, OSError, ValueError):
                continue
            if chosen is None or record.finished or not chosen[0].finished:
                chosen = (record, store)
        return chosen[1] if chosen else None

    def write_record(self, record: RunRecord) -> RunStore:
        """Write ``record`` to the output location, or to the fallback when that fails; return the store written.

        Raises OSError when neither location can be written.
        """
        try:
            self.store.write_record(record)
            return self.store
        except OSError as exc:
            if self.fallback.base_url == self.store.base_url:
                raise
            log.warning(
                "Run %s of job %r: output location %s is not writable (%s); recording the run in %s",
                record.run_id, record.job, self.store.base_url, exc, self.fallback.base_url,
            )
        record.output_location = self.store.base_url
        self.fallback.write_record(record)
        return self.fallback

