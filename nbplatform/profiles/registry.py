"""The set of profiles a running hub serves: reloaded on change, last good set kept."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

from ..errors import ProfileError
from .loader import load_directory, profile_files
from .model import Profile

log = logging.getLogger(__name__)


class ProfileRegistry:
    """Profiles from one directory, refreshed when any file in it changes."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._profiles: list[Profile] = []
        self._fingerprint: tuple | None = None
        self.error: str | None = None
        self.refresh()

    def _current_fingerprint(self) -> tuple:
        try:
            return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in profile_files(self.directory))
        except (ProfileError, OSError):
            return ("<unreadable>",)

    def refresh(self) -> bool:
        """Reload if the directory changed; return True if a new set was loaded."""
        fingerprint = self._current_fingerprint()
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        try:
            profiles = load_directory(self.directory)
        except ProfileError as exc:
            self.error = exc.message
            if self._profiles:
                log.error("Profiles in %s are invalid; keeping the last good set: %s", self.directory, exc.message)
                return False
            raise
        self._profiles = profiles
        self.error = None
        log.info("Loaded %d profiles from %s", len(profiles), self.directory)
        return True

    @property
    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    def get(self, slug: str) -> Profile | None:
        return next((p for p in self._profiles if p.slug == slug), None)

    def visible_to(self, groups: Iterable[str], is_admin: bool) -> list[Profile]:
        """Return enabled profiles the user may pick: admins see all, others need a shared group."""
        user_groups = set(groups)
        return [
            p
            for p in self._profiles
            if p.enabled and (is_admin or not p.groups or user_groups.intersection(p.groups))
        ]

    def default_for(self, groups: Iterable[str], is_admin: bool) -> Profile:
        visible = self.visible_to(groups, is_admin)
        if not visible:
            raise ProfileError("No profile is available to you. Ask an admin to add you to a group.", reason="no-profile")
        return next((p for p in visible if p.default), visible[0])
