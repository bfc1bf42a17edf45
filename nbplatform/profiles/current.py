"""The profile a running server was started with, as the spawner passes it in the environment.

The spawner sets ``NBPLATFORM_PROFILE`` (slug) and ``NBPLATFORM_PROFILES_DIR``;
kernels, Papermill runs and Dask clusters started from the server inherit them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..errors import ProfileError
from .model import Profile
from .registry import ProfileRegistry


def profile_from_env(environ: Mapping[str, str]) -> Profile | None:
    """Return the profile named by ``NBPLATFORM_PROFILE``, or None if it is unset.

    Raises ProfileError if the slug is set but cannot be found, because
    running without the profile's limits would defeat them.
    """
    slug = environ.get("NBPLATFORM_PROFILE", "").strip()
    if not slug:
        return None
    directory = environ.get("NBPLATFORM_PROFILES_DIR", "").strip()
    if not directory:
        raise ProfileError(
            f"NBPLATFORM_PROFILE={slug!r} is set but NBPLATFORM_PROFILES_DIR is not; "
            "set it to the directory of profile files.",
            reason="missing-profiles-dir",
        )
    profile = ProfileRegistry(Path(directory)).get(slug)
    if profile is None:
        raise ProfileError(
            f"Profile {slug!r} (NBPLATFORM_PROFILE) is not defined in {directory}. "
            "Restart your server with an existing profile.",
            reason="profile-not-found",
        )
    return profile
