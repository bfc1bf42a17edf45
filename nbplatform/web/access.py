"""Access policy for jobs: the owner and admins may see and change a job. Every API handler applies it."""

from __future__ import annotations

from dataclasses import dataclass

from ..jobs.spec import JobSpec


@dataclass(frozen=True)
class Caller:
    """The hub user behind a request."""

    name: str
    admin: bool = False


def may_access(caller: Caller, spec: JobSpec) -> bool:
    """Return True if ``caller`` may see and change ``spec``: admins may access every job, others only their own."""
    return caller.admin or spec.owner == caller.name


def visible_jobs(caller: Caller, specs: list[JobSpec]) -> list[JobSpec]:
    return [spec for spec in specs if may_access(caller, spec)]
