"""Run repository notebooks with Papermill on a real kernel and read their outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import nbformat
import papermill
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def run_notebook(name: str, output_dir: Path, env: Mapping[str, str], parameters: dict[str, Any] | None = None):
    """Execute ``notebooks/<name>`` with ``env`` added to the kernel's environment; return the output notebook."""
    output = output_dir / name
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / name),
            str(output),
            parameters=parameters or {},
            kernel_name="python3",
            cwd=str(output_dir),
            progress_bar=False,
        )
    return nbformat.read(output, as_version=4)


def tagged_json(notebook, tag: str) -> dict[str, Any]:
    """Parse the JSON line printed by the cell tagged ``tag``."""
    for cell in notebook.cells:
        if tag in cell.get("metadata", {}).get("tags", []):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            return json.loads(text.strip().splitlines()[-1])
    raise AssertionError(f"no cell tagged {tag!r} in the output notebook")


def image_outputs(notebook) -> int:
    """Count PNG images in the notebook's outputs."""
    return sum(
        1 for cell in notebook.cells for o in cell.get("outputs", []) if "image/png" in o.get("data", {})
    )

