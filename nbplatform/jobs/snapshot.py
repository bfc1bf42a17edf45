"""Content-addressed notebook snapshots with outputs stripped.

The snapshot's name is the SHA-256 of the stripped notebook, so the same
content always gives the same snapshot and a job keeps running the code it was
promoted with after the working copy changes.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import uuid

from typing import TYPE_CHECKING

import fsspec

from .errors import JobError

if TYPE_CHECKING:
    import nbformat

#: Cell metadata that only describes a past execution.
_EXECUTION_METADATA = ("execution", "papermill", "collapsed", "scrolled")


def strip_outputs(nb: "nbformat.NotebookNode") -> "nbformat.NotebookNode":
    """Return a copy of ``nb`` without outputs, execution counts or execution metadata."""
    import nbformat  # imported on use: nbformat's schema validator is slow to import

    stripped = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in _EXECUTION_METADATA:
            cell.metadata.pop(key, None)
    for key in ("papermill", "widgets"):
        stripped.metadata.pop(key, None)
    return stripped


def canonical_bytes(nb: "nbformat.NotebookNode") -> bytes:
    import nbformat

    return (nbformat.writes(nb) + "\n").encode("utf-8")


def snapshot_digest(nb: "nbformat.NotebookNode") -> str:
    """Return ``sha256:<hex>`` of the stripped notebook."""
    return "sha256:" + hashlib.sha256(canonical_bytes(strip_outputs(nb))).hexdigest()


class SnapshotStore:
    """Snapshots under one fsspec URL (a local directory, or ``gs://bucket/snapshots`` on GKE)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = str(base_url).rstrip("/")

    def url_for(self, digest: str) -> str:
        return posixpath.join(self.base_url, digest.replace(":", "-") + ".ipynb")

    def save(self, nb: "nbformat.NotebookNode") -> str:
        """Store the stripped notebook once and return its digest."""
        stripped = strip_outputs(nb)
        data = canonical_bytes(stripped)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        url = self.url_for(digest)
        fs, path = fsspec.core.url_to_fs(url)
        if fs.exists(path):
            return digest
        fs.makedirs(posixpath.dirname(path), exist_ok=True)
        temp = f"{path}.{uuid.uuid4().hex}.tmp"
        with fs.open(temp, "wb") as handle:
            handle.write(data)
        fs.mv(temp, path)
        return digest

    def load(self, digest: str) -> "nbformat.NotebookNode":
        import nbformat

        url = self.url_for(digest)
        try:
            with fsspec.open(url, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise JobError(
                f"Snapshot {digest} is missing from {self.base_url}. Promote the notebook again to store it.",
                reason="snapshot-missing",
            ) from None
        if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
            raise JobError(
                f"Snapshot {url} does not match its digest {digest}; it was changed after promotion. "
                "Promote the notebook again.",
                reason="snapshot-tampered",
            )
        return nbformat.reads(data.decode("utf-8"), as_version=4)
