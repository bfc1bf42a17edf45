"""Read profile files from a directory into :class:`Profile` objects."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import ProfileError
from .model import Profile

PROFILE_SUFFIXES = (".yaml", ".yml")


def profile_files(directory: Path) -> list[Path]:
    """Return the profile files in ``directory``, sorted by name."""
    if not directory.is_dir():
        raise ProfileError(
            f"Profile directory {directory} does not exist. Create it or set NBPLATFORM_PROFILES_DIR.",
        )
    return sorted(p for p in directory.iterdir() if p.suffix in PROFILE_SUFFIXES and p.is_file())


def load_file(path: Path) -> list[Profile]:
    """Parse one profile file; raise ProfileError naming the file on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(
            f"{path}: cannot read the profile file ({exc.strerror}). Fix its permissions or remove it.",
            reason="unreadable-profile-file",
        ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: invalid YAML: {exc}", reason="invalid-yaml") from exc
    if data is None:
        return []
    if isinstance(data, dict) and "profiles" in data:
        data = data["profiles"]
    if not isinstance(data, list):
        raise ProfileError(
            f"{path}: expected a list of profiles (or a 'profiles:' key holding one), got {type(data).__name__}.",
        )
    profiles = []
    for index, entry in enumerate(data):
        try:
            profile = Profile.model_validate(entry)
        except ValidationError as exc:
            raise ProfileError(f"{path}: profile #{index + 1}: {exc}") from exc
        profile.source_file = path
        profiles.append(profile)
    return profiles


def load_directory(directory: Path) -> list[Profile]:
    """Load every profile file in ``directory``; raise ProfileError on the first problem."""
    profiles: list[Profile] = []
    seen: dict[str, Path] = {}
    for path in profile_files(directory):
        for profile in load_file(path):
            if profile.slug in seen:
                raise ProfileError(
                    f"{path}: slug {profile.slug!r} is already defined in {seen[profile.slug]}. Give each profile a unique slug.",
                )
            seen[profile.slug] = path
            profiles.append(profile)
    if not profiles:
        raise ProfileError(f"{directory}: no profiles found. Add at least one profile file ending in .yaml.")
    return profiles
