"""Profile access policy: pure functions deciding which profile a user may see and start.

The spawner mixin calls these with the user's groups, admin flag and the
number of servers running per profile, and turns a ProfileError into an HTTP
error. Nothing here reads files or the hub database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from ..errors import ProfileError
from .model import Profile


@dataclass(frozen=True)
class Selection:
    """The profile a start will use, and a notice when it is not the one requested."""

    profile: Profile
    #: Slug of a saved profile that no longer exists and was replaced by the default.
    replaced_slug: str | None = None


def may_use(profile: Profile, groups: Iterable[str], is_admin: bool) -> bool:
    """Return True if the profile is enabled and the user is an admin or in one of its groups."""
    if not profile.enabled:
        return False
    return is_admin or not profile.groups or bool(set(groups).intersection(profile.groups))


def visible_profiles(profiles: Iterable[Profile], groups: Iterable[str], is_admin: bool) -> list[Profile]:
    """Return the profiles the user may pick, in file order."""
    groups = set(groups)
    return [p for p in profiles if may_use(p, groups, is_admin)]


def default_profile(visible: list[Profile]) -> Profile:
    """Return the profile marked default among ``visible``, else the first one."""
    if not visible:
        raise ProfileError(
            "No profile is available to you. Ask an admin to add you to a group that has a profile.",
            reason="no-profile",
        )
    return next((p for p in visible if p.default), visible[0])


def select_profile(
    profiles: list[Profile],
    slug: str | None,
    groups: Iterable[str],
    is_admin: bool,
    *,
    from_saved_options: bool,
) -> Selection:
    """Return the profile a start with ``slug`` uses, or raise ProfileError.

    No slug gives the default. A slug that names no profile gives the default
    with ``replaced_slug`` set if it came from options saved at an earlier
    start, because the profile was removed since. A request that names it
    now is rejected. A disabled profile, or one whose groups exclude the user, is
    rejected in both cases.
    """
    groups = set(groups)
    visible = visible_profiles(profiles, groups, is_admin)
    if not slug:
        return Selection(default_profile(visible))
    profile = next((p for p in profiles if p.slug == slug), None)
    available = ", ".join(p.slug for p in visible) or "none"
    if profile is None:
        if from_saved_options:
            return Selection(default_profile(visible), replaced_slug=slug)
        raise ProfileError(
            f"Profile {slug!r} does not exist. Pick one of: {available}.",
            reason="profile-not-found",
        )
    if not profile.enabled:
        raise ProfileError(
            f"Profile {slug!r} is disabled by an admin. Pick one of: {available}.",
            reason="profile-disabled",
        )
    if not may_use(profile, groups, is_admin):
        raise ProfileError(
            f"Profile {slug!r} is not available to you: it is limited to the groups "
            f"{', '.join(profile.groups)}. Pick one of: {available}, or ask an admin to add you to one of those groups.",
            reason="profile-hidden",
        )
    return Selection(profile)


def free_slots(profile: Profile, in_use: int) -> int | None:
    """Return how many more servers may start with ``profile``; None means no limit."""
    if profile.max_servers is None:
        return None
    return max(profile.max_servers - in_use, 0)


def check_quota(
    profile: Profile,
    in_use: Mapping[str, int],
    alternatives: Iterable[Profile],
) -> None:
    """Raise ProfileError if ``profile`` already has ``max_servers`` servers running or starting.

    ``in_use`` counts the other servers per profile slug (the server being
    started is not counted). ``alternatives`` are the profiles the user may
    pick; the message suggests those with a free slot.
    """
    used = in_use.get(profile.slug, 0)
    if profile.max_servers is None or used < profile.max_servers:
        return
    others = []
    for other in alternatives:
        slots = free_slots(other, in_use.get(other.slug, 0))
        if other.slug != profile.slug and (slots is None or slots > 0):
            others.append(other.slug)
    if others:
        suggestion = f"Pick another profile ({', '.join(others)}) or try again when a server stops."
    else:
        suggestion = "No other profile has a free slot either; try again when a server stops."
    raise ProfileError(
        f"Profile {profile.slug!r} is full: {used} of {profile.max_servers} servers are in use. {suggestion}",
        reason="profile-full",
    )
