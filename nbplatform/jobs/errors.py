"""Narrow errors of the jobs room; each one is a :class:`JobError` with its own ``reason``."""

from __future__ import annotations

from typing import Mapping

from ..errors import JobError


class JobSpecError(JobError):
    """A job spec file is invalid; the message names the file, field, value and fix."""

    reason = "invalid-job-spec"


class JobNotFound(JobError):
    """No job spec exists with the requested name."""

    reason = "job-not-found"


class PromoteError(JobError):
    """A notebook cannot be promoted (no parameters cell, bad parameter, missing kernel)."""

    reason = "promote-rejected"

    def __init__(self, message: str, *, reason: str | None = None, details: Mapping[str, object] | None = None) -> None:
        super().__init__(message, reason=reason)
        #: The values the message names (parameter, value, expected type, kernel), so the
        #: Promote page can word the error in the page's language.
        self.details = dict(details or {})


class RunFailed(JobError):
    """A run ended in a status other than ``succeeded``."""

    reason = "run-failed"


class AccessDenied(JobError):
    """A user tried to see or change a job owned by someone else."""

    reason = "forbidden"


class OutputNotWritable(JobError):
    """Neither the job's output location nor the platform's runs location can be written, so the run has no record."""

    reason = "output-not-writable"

    def __init__(self, message: str, *, record: object | None = None) -> None:
        super().__init__(message)
        #: The run's failed :class:`~nbplatform.jobs.store.RunRecord`, which exists only in memory, for the alert.
        self.record = record
