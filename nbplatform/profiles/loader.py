"""Read profile files from a directory into :class:`Profile` objects.

A file contains a list of profiles, a mapping with a ``profiles:`` list, or a
z2jh values excerpt with ``singleuser: {profileList: [...]}``, so entries can
be pasted from an existing z2jh deployment unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml
from pydantic import ValidationError

from ..errors import ProfileError
from .messages import message
from .model import Profile
from .validation import Issue, ProfileValidationError, check_across_files, check_entry
from .yamllines import LineMap, parse_with_lines

PROFILE_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    """Profiles read from a directory and every problem found on the way."""

    profiles: list[Profile] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def raise_for_issues(self) -> list[Profile]:
        """Return the profiles, or raise ProfileValidationError listing every issue."""
        if self.issues:
            raise ProfileValidationError(self.issues)
        return self.profiles


def profile_files(directory: Path) -> list[Path]:
    """Return the profile files in ``directory``, sorted by name; hidden files are skipped.

    A directory or a broken link with a profile suffix is returned too, so
    reading it reports an error instead of skipping it silently.
    """
    if not directory.is_dir():
        raise ProfileError(message("directory-missing", directory=directory), reason="profile-dir-missing")
    return sorted(
        p for p in directory.iterdir() if p.suffix in PROFILE_SUFFIXES and not p.name.startswith(".")
    )


def _entries(data: Any, file: Path, lines: LineMap) -> tuple[list[Any], tuple[Any, ...], list[Issue]]:
    """Return the raw entries of a parsed file, the path of their list and any shape issue."""
    if data is None:
        return [], (), []
    base: tuple[Any, ...] = ()
    if isinstance(data, Mapping) and "profiles" in data:
        data, base = data["profiles"], ("profiles",)
    elif isinstance(data, Mapping) and isinstance(data.get("singleuser"), Mapping) and "profileList" in data["singleuser"]:
        data, base = data["singleuser"]["profileList"], ("singleuser", "profileList")
    if data is None:
        return [], base, []
    if not isinstance(data, list):
        issue = Issue(file, lines.line_of(base), "", "", message("not-a-list", type=type(data).__name__))
        return [], base, [issue]
    return data, base, []


def read_text(text: str, file: Path) -> tuple[list[tuple[str, int, Mapping[str, Any]]], list[Issue]]:
    """Parse and check one file's text; return (slug, line, entry) for each entry and the issues."""
    try:
        data, lines = parse_with_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        # PyYAML's description of the problem stays English in every locale.
        return [], [Issue(file, line, "", "", message("invalid-yaml", problem=problem))]
    except RecursionError:
        return [], [Issue(file, 1, "", "", message("yaml-too-deep"))]
    issues = [
        Issue(file, line, "", ".".join(map(str, path)), message("duplicate-key"))
        for path, line in lines.duplicates
    ]
    raw_entries, base, shape_issues = _entries(data, file, lines)
    issues += shape_issues
    entries = []
    for index, raw in enumerate(raw_entries):
        path = (*base, index)
        slug, entry_issues = check_entry(raw, file, lines, path)
        issues += entry_issues
        if isinstance(raw, Mapping):
            entries.append((slug, lines.line_of(path), raw))
    issues.sort(key=lambda issue: issue.line)
    return entries, issues


def _build(slug: str, file: Path, line: int, raw: Mapping[str, Any]) -> tuple[Profile | None, list[Issue]]:
    try:
        profile = Profile.model_validate({**raw, "slug": slug})
    except ValidationError as exc:
        # The checks in .validation should have caught this already; report
        # pydantic's words (English only) at the entry's line rather than fail.
        issues = [
            Issue(file, line, slug, ".".join(map(str, error["loc"])), f"{error['msg']}.")
            for error in exc.errors()
        ]
        return None, issues
    profile.source_file = file
    profile.source_line = line
    return profile, []


def load_file(path: Path) -> list[Profile]:
    """Parse and check one profile file; raise ProfileValidationError naming every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileValidationError([Issue(path, 1, "", "", message("unreadable-file", error=exc))]) from exc
    return load_text(text, path)


def load_text(text: str, path: Path) -> list[Profile]:
    """Parse and check profile YAML ``text`` read from ``path``; raise ProfileValidationError on any problem."""
    entries, issues = read_text(text, path)
    issues += check_across_files([(slug, path, line, raw) for slug, line, raw in entries])
    if issues:
        raise ProfileValidationError(issues)
    profiles = []
    for slug, line, raw in entries:
        profile, build_issues = _build(slug, path, line, raw)
        issues += build_issues
        if profile is not None:
            profiles.append(profile)
    if issues:
        raise ProfileValidationError(issues)
    return profiles


def read_directory(directory: Path) -> LoadResult:
    """Check every profile file in ``directory`` and collect all issues, including cross-file ones."""
    directory = Path(directory)
    result = LoadResult(files=profile_files(directory))
    all_entries: list[tuple[str, Path, int, Mapping[str, Any]]] = []
    for path in result.files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.issues.append(Issue(path, 1, "", "", message("unreadable-file", error=exc)))
            continue
        entries, issues = read_text(text, path)
        result.issues += issues
        all_entries += [(slug, path, line, raw) for slug, line, raw in entries]
    result.issues += check_across_files(all_entries)
    if result.issues:
        return result
    for slug, path, line, raw in all_entries:
        profile, issues = _build(slug, path, line, raw)
        result.issues += issues
        if profile is not None:
            result.profiles.append(profile)
    if not result.profiles and not result.issues:
        result.issues.append(Issue(directory, 1, "", "", message("no-profiles")))
    return result


def load_directory(directory: Path) -> list[Profile]:
    """Load every profile file in ``directory``; raise ProfileValidationError listing every problem."""
    return read_directory(directory).raise_for_issues()
