"""Storage locations of the jobs room for one platform: specs, snapshots, runs, claims, cursors."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..config import Settings
from .alerts import AlertSender
from .claims import ClaimStore
from .cursors import CursorStore
from .history import RunHistory
from .snapshot import SnapshotStore
from .spec import JobSpec, SpecDirectory
from .store import RunStore


@dataclass
class JobsContext:
    """The stores the CLI, the scheduler and the jobs service share, built from :class:`Settings`."""

    settings: Settings
    #: fsspec URL of run outputs (``gs://bucket/runs`` on GKE); default ``Settings.runs_dir``.
    runs_url: str | None = None
    #: fsspec URL of notebook snapshots (``gs://bucket/snapshots`` on GKE); default ``Settings.snapshots_dir``.
    snapshots_url: str | None = None
    specs: SpecDirectory = field(init=False)
    snapshots: SnapshotStore = field(init=False)
    claims: ClaimStore = field(init=False)
    cursors: CursorStore = field(init=False)
    alerts: AlertSender = field(init=False)
    _stores: dict[str, RunStore] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.specs = SpecDirectory(self.settings.jobs_dir)
        self.runs_url = self.runs_url or os.environ.get("NBPLATFORM_RUNS_URL") or str(self.settings.runs_dir)
        self.snapshots_url = (
            self.snapshots_url or os.environ.get("NBPLATFORM_SNAPSHOTS_URL") or str(self.settings.snapshots_dir)
        )
        self.snapshots = SnapshotStore(self.snapshots_url)
        self.claims = ClaimStore(self.settings.data_dir / "scheduler" / "claims")
        self.cursors = CursorStore(self.settings.data_dir / "scheduler" / "cursors")
        self.alerts = AlertSender.from_env()

    @property
    def logs_dir(self):
        return self.settings.data_dir / "scheduler" / "logs"

    def store_for(self, spec: JobSpec | None = None) -> RunStore:
        """Return the run store at the spec's output location, or the platform's runs directory."""
        url = (spec.output.location if spec is not None else None) or self.runs_url
        if url not in self._stores:
            self._stores[url] = RunStore(url)
        return self._stores[url]

    def history_for(self, spec: JobSpec) -> RunHistory:
        """Return the spec's runs at its output location and in the platform's runs directory, read as one history."""
        return RunHistory(self.store_for(spec), self.store_for(None))
