"""Promote a working notebook to a job: check it, snapshot it, write the spec.

Re-promoting a job of the same name replaces its notebook, schedule and
parameters and keeps the rest of the spec (retries, alerts, paused) and its run
history, which is stored by job name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import nbformat

from ..profiles import ProfileRegistry
from .errors import AccessDenied, JobNotFound, PromoteError
from .kernels import check_local_kernel, notebook_kernel
from .parameters import check_parameters, notebook_parameters, parse_cli_value, to_spec_value
from .snapshot import SnapshotStore
from .spec import DEFAULT_TIMEZONE, JobSpec, SpecDirectory, parse_spec

log = logging.getLogger(__name__)


@dataclass
class PromoteRequest:
    notebook: Path
    name: str
    schedule: str
    owner: str
    timezone: str = DEFAULT_TIMEZONE
    profile: str | None = None
    #: Parameter values; strings from the command line or a form when ``parameters_as_text``.
    parameters: dict[str, Any] = field(default_factory=dict)
    parameters_as_text: bool = False
    #: Path of the notebook as the spec records it (relative to the user's home); defaults to ``notebook``.
    source_label: str | None = None


def read_notebook(path: Path) -> nbformat.NotebookNode:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromoteError(
            f"Notebook {path} not found. Give the path of an .ipynb file.", reason="notebook-missing", details={"path": path},
        ) from None
    except OSError as exc:
        raise PromoteError(
            f"Cannot read notebook {path}: {exc.strerror}.", reason="notebook-unreadable",
            details={"path": path, "error": exc.strerror},
        ) from exc
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad JSON and bad schema
        raise PromoteError(
            f"{path} is not a valid notebook: {exc}. Open and save it in JupyterLab, then retry.",
            reason="notebook-invalid", details={"path": path, "error": exc},
        ) from exc


def promote(
    request: PromoteRequest,
    *,
    specs: SpecDirectory,
    snapshots: SnapshotStore,
    profiles: ProfileRegistry | None = None,
    check_kernel: Callable[[str], None] = check_local_kernel,
    is_admin: bool = False,
) -> JobSpec:
    """Check ``request.notebook``, store its snapshot and write the job spec; return the spec."""
    nb = read_notebook(request.notebook)
    label = request.source_label or str(request.notebook)
    _, declared = notebook_parameters(nb, label)

    raw = request.parameters
    if request.parameters_as_text:
        raw = {name: parse_cli_value(str(value), declared.get(name)) for name, value in raw.items()}
    values = check_parameters(raw, declared, label)

    kernel = notebook_kernel(nb)
    # NOTE: this checks the kernels installed here; on GKE the job's image decides, and is not inspected.
    check_kernel(kernel)

    if profiles is not None and request.profile is not None and profiles.get(request.profile) is None:
        slugs = ", ".join(p.slug for p in profiles.profiles)
        raise PromoteError(
            f"Profile {request.profile!r} does not exist. Available profiles: {slugs}.", reason="unknown-profile",
            details={"profile": request.profile, "available": slugs},
        )

    try:
        previous: JobSpec | None = specs.get(request.name)
    except JobNotFound:
        previous = None
    if previous is not None and previous.owner != request.owner and not is_admin:
        raise AccessDenied(
            f"Job {request.name!r} belongs to {previous.owner!r}. Choose another name for your job.",
        )

    digest = snapshots.save(nb)
    data: dict[str, Any] = previous.model_dump(mode="json") if previous else {"owner": request.owner}
    data.update(
        name=request.name,
        notebook={"snapshot": digest, "source": label, "kernel": kernel},
        schedule=request.schedule,
        timezone=request.timezone,
        parameters=to_spec_value(values),
    )
    if request.profile is not None or previous is None:
        data["profile"] = request.profile
    spec = parse_spec(data, specs.path_for(request.name))
    path = specs.write(spec)
    log.info(
        "Job %r promoted by %r from %s: snapshot %s, schedule %r %s, spec %s",
        spec.name, request.owner, label, digest, spec.schedule, spec.timezone, path,
    )
    return spec
