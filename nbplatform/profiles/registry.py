"""The set of profiles a running hub serves: reloaded on change, last good set kept."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Iterable

from ..errors import ProfileError
from .loader import profile_files, read_directory
from .model import Profile
from .policy import default_profile, visible_profiles
from .validation import Issue

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]


class ProfileRegistry:
    """Profiles from one directory, re-read when a file in it changes.

    :meth:`refresh` compares file names, sizes and modification times and
    re-reads the directory only when they changed. A set that fails
    validation is logged with the same text as ``nbplatform profiles
    validate`` and the last good set keeps serving; ``issues`` contains the
    problems until a valid set is read.
    """

    def __init__(self, directory: Path, *, min_interval: float = 1.0) -> None:
        """Read ``directory`` once.

        ``min_interval`` (seconds) is how long :meth:`refresh` trusts its last
        look at the directory, so a page with many profile lookups lists the
        directory once. Raise ProfileError only if the directory is missing;
        invalid files leave the registry empty with ``issues`` set.
        """
        self.directory = Path(directory)
        self.min_interval = min_interval
        self._profiles: list[Profile] = []
        self._fingerprint: Fingerprint | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self.issues: list[Issue] = []
        #: Time (``time.time()``) of the last successful load.
        self.loaded_at: float | None = None
        self.refresh(force=True)

    @property
    def error(self) -> str | None:
        """Return the text of the current issues, or None if the last read was valid."""
        return "\n".join(str(issue) for issue in self.issues) or None

    def _current_fingerprint(self) -> Fingerprint:
        entries = []
        for path in profile_files(self.directory):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(entries)

    def refresh(self, *, force: bool = False) -> bool:
        """Re-read the directory if it changed; return True if a new valid set was loaded."""
        now = time.monotonic()
        with self._lock:
            if not force and now - self._checked_at < self.min_interval:
                return False
            self._checked_at = now
            try:
                fingerprint = self._current_fingerprint()
            except ProfileError as exc:
                if self._fingerprint != ():
                    log.error("Profile directory %s is unusable; keeping the last good set: %s", self.directory, exc.message)
                self._fingerprint = ()
                self.issues = [Issue(self.directory, 1, "", "", exc.message)]
                if not self._profiles:
                    raise
                return False
            if fingerprint == self._fingerprint and not force:
                return False
            self._fingerprint = fingerprint
            result = read_directory(self.directory)
            if result.issues:
                self.issues = result.issues
                # One line, so a log collector that splits on newlines keeps the problems with the event.
                message = "; ".join(str(issue) for issue in result.issues)
                if self._profiles:
                    log.error(
                        "Profiles in %s are invalid; keeping the last good set of %d profiles: %s",
                        self.directory,
                        len(self._profiles),
                        message,
                    )
                else:
                    log.error("Profiles in %s are invalid and no valid set was loaded yet: %s", self.directory, message)
                return False
            self._profiles = result.profiles
            self.issues = []
            self.loaded_at = time.time()
            log.info(
                "Loaded %d profiles from %s: %s",
                len(result.profiles),
                self.directory,
                ", ".join(p.slug for p in result.profiles),
            )
            return True

    @property
    def profiles(self) -> list[Profile]:
        """Return the current (last good) profiles after checking the directory for changes."""
        self.refresh()
        return list(self._profiles)

    def get(self, slug: str) -> Profile | None:
        """Return the profile with ``slug`` in the current set, or None."""
        return next((p for p in self.profiles if p.slug == slug), None)

    def visible_to(self, groups: Iterable[str], is_admin: bool) -> list[Profile]:
        """Return the enabled profiles the user may pick: admins see all, others need a shared group."""
        return visible_profiles(self.profiles, groups, is_admin)

    def default_for(self, groups: Iterable[str], is_admin: bool) -> Profile:
        """Return the default among the user's visible profiles; raise ProfileError if there are none."""
        return default_profile(self.visible_to(groups, is_admin))


_shared: dict[str, ProfileRegistry] = {}
_shared_lock = threading.Lock()


def shared_registry(directory: Path) -> ProfileRegistry:
    """Return the process-wide registry for ``directory``, creating it on first use.

    Every spawner of a hub shares one registry, so a change is read and
    logged once, not once per user.
    """
    key = os.path.realpath(directory)
    with _shared_lock:
        registry = _shared.get(key)
        if registry is None:
            registry = _shared[key] = ProfileRegistry(Path(directory))
        return registry
