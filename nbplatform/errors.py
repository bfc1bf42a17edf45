"""Exception hierarchy shared by every room of the package.

Each area raises a narrow subclass of :class:`NbplatformError`. An error
carries a machine-readable ``reason`` beside its message, so callers (the CLI,
the hub, the jobs service) can map it to an exit code or HTTP status without
parsing text.

An error built from a :class:`~nbplatform.i18n.Message` (or a list of them,
one per line) keeps it, so the CLI and the pages can show it in the reader's
language with :meth:`render`. Its ``message`` and ``str()`` stay English for
logs.
"""

from __future__ import annotations

from typing import Sequence

from .i18n import DEFAULT_LOCALE, Message, render


class NbplatformError(Exception):
    """Base class of every error this package raises on purpose."""

    reason: str = "error"

    def __init__(self, message: str | Message | Sequence[str | Message], *, reason: str | None = None) -> None:
        if isinstance(message, (list, tuple)):
            super().__init__("\n".join(str(line) for line in message))
        else:
            super().__init__(str(message))
        self.text = message
        if reason is not None:
            self.reason = reason

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        """Return the message in ``locale``; an error built from plain text has only its English."""
        text = getattr(self, "text", self.message)
        if isinstance(text, (list, tuple)):
            return "\n".join(render(line, locale) for line in text)
        return text.render(locale) if isinstance(text, Message) else self.message


class ConfigError(NbplatformError):
    """Platform settings are invalid (bad path, bad address, missing value)."""

    reason = "invalid-config"


class ProfileError(NbplatformError):
    """A resource profile is invalid, hidden from the user, or not found."""

    reason = "invalid-profile"


class AuthError(NbplatformError):
    """A sign-in attempt failed verification."""

    reason = "unauthorized"


class JobError(NbplatformError):
    """A job spec, promotion or run failed."""

    reason = "job-failed"


class DataError(NbplatformError):
    """A data back end (DuckDB, BigQuery) rejected a request."""

    reason = "data-error"


class ClusterError(NbplatformError):
    """A Dask cluster request exceeds the profile or failed to start."""

    reason = "cluster-error"
