"""The query context: the user, notebook and profile a query runs for.

The spawner sets ``JUPYTERHUB_USER``, ``NBPLATFORM_PROFILE`` and
``NBPLATFORM_PROFILES_DIR`` in the server's environment; kernels and Papermill
runs inherit them. Jupyter Server 2 also sets ``JPY_SESSION_NAME`` (the
notebook path) in each kernel's environment.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..profiles import Profile
from ..profiles.current import profile_from_env

#: BigQuery label keys and values: at most 63 characters of lowercase
#: letters, digits, underscores and dashes (keys must start with a letter).
_LABEL_INVALID = re.compile(r"[^a-z0-9_-]+")
_LABEL_MAX = 63


@dataclass(frozen=True)
class QueryContext:
    """The caller's identity and limits for one query."""

    user: str
    notebook: str | None
    profile: Profile | None

    @property
    def profile_limit(self) -> int | None:
        return self.profile.bigquery.maximum_bytes_billed if self.profile else None

    @property
    def profile_slug(self) -> str | None:
        return self.profile.slug if self.profile else None

    def labels(self) -> dict[str, str]:
        """Return the job labels used for cost attribution, cleaned to BigQuery's label rules."""
        labels = {"nbplatform-user": label_value(self.user)}
        if self.notebook:
            labels["nbplatform-notebook"] = label_value(Path(self.notebook).stem)
        if self.profile:
            labels["nbplatform-profile"] = label_value(self.profile.slug)
        return labels


def label_value(text: str) -> str:
    """Lowercase ``text`` and replace characters BigQuery labels reject with ``_``."""
    cleaned = _LABEL_INVALID.sub("_", text.strip().lower())
    return cleaned[:_LABEL_MAX] or "unknown"


def context_from_env(environ: Mapping[str, str] | None = None) -> QueryContext:
    """Build the query context from the environment the spawner and Jupyter Server set."""
    env = os.environ if environ is None else environ
    user = env.get("JUPYTERHUB_USER") or _os_user()
    notebook = env.get("NBPLATFORM_NOTEBOOK") or env.get("JPY_SESSION_NAME") or None
    return QueryContext(user=user, notebook=notebook, profile=profile_from_env(env))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
