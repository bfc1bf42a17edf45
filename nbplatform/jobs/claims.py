"""Atomic claims of schedule slots on the local filesystem.

A claim is a file ``<dir>/<job>/<slot key>`` created with ``O_CREAT | O_EXCL``:
the kernel lets exactly one process create it, so two schedulers (or one
restarted mid-run) never start the same slot twice. This relies on a local
filesystem; NFS before v3 does not make ``O_EXCL`` atomic. On GKE the
CronJob controller schedules instead and no claims are written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path


class ClaimStore:
    """Slot claims of every job under one local directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path_for(self, job: str, key: str) -> Path:
        return self.directory / job / key

    def claim(self, job: str, key: str, *, owner: str, run_id: str) -> bool:
        """Create the claim for ``job`` and slot ``key``; return False if another process already claimed it."""
        path = self.path_for(job, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        payload = {
            "job": job,
            "slot": key,
            "run_id": run_id,
            "claimed_by": owner,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "claimed_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        }
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        return True

    def release(self, job: str, key: str) -> None:
        """Remove the claim, so a later pass may claim the slot again."""
        self.path_for(job, key).unlink(missing_ok=True)

    def is_claimed(self, job: str, key: str) -> bool:
        return self.path_for(job, key).exists()

    def read(self, job: str, key: str) -> dict | None:
        try:
            return json.loads(self.path_for(job, key).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
