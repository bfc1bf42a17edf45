"""The scheduler's cursor per job: the instant up to which its slots were decided."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path


class CursorStore:
    """One small file per job holding an ISO instant, replaced atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def get(self, job: str) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat((self.directory / job).read_text(encoding="utf-8").strip())
        except (FileNotFoundError, ValueError):
            return None

    def set(self, job: str, instant: dt.datetime) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        descriptor, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{job}.")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(instant.isoformat())
        os.replace(temp, self.directory / job)
