"""Profile policy: visibility by group, hidden and disabled profiles, fallback, quotas."""

from __future__ import annotations

import pytest

from nbplatform.errors import ProfileError
from nbplatform.profiles import Profile
from nbplatform.profiles.policy import check_quota, free_slots, select_profile, visible_profiles

PROFILES = [
    Profile(display_name="Small", slug="small", default=True),
    Profile(display_name="Large", slug="large", max_servers=2),
    Profile(display_name="GPU", slug="gpu", groups=["ml"], max_servers=1),
    Profile(display_name="Old", slug="old", enabled=False),
]


def slugs(profiles):
    return [p.slug for p in profiles]


def test_visible_without_groups():
    assert slugs(visible_profiles(PROFILES, [], False)) == ["small", "large"]


def test_visible_with_group():
    assert slugs(visible_profiles(PROFILES, ["ml"], False)) == ["small", "large", "gpu"]


def test_visible_admin():
    assert slugs(visible_profiles(PROFILES, [], True)) == ["small", "large", "gpu"]


def test_select_default():
    assert select_profile(PROFILES, None, [], False, from_saved_options=False).profile.slug == "small"


def test_select_hidden_rejected():
    with pytest.raises(ProfileError) as caught:
        select_profile(PROFILES, "gpu", ["bi"], False, from_saved_options=False)
    assert caught.value.reason == "profile-hidden"
    assert caught.value.message == (
        "Profile 'gpu' is not available to you: it is limited to the groups ml. Pick one of: small, large, "
        "or ask an admin to add you to one of those groups."
    )


def test_select_disabled_rejected():
    with pytest.raises(ProfileError) as caught:
        select_profile(PROFILES, "old", [], True, from_saved_options=True)
    assert caught.value.reason == "profile-disabled"
    assert caught.value.message == "Profile 'old' is disabled by an admin. Pick one of: small, large, gpu."


def test_select_unknown_requested():
    with pytest.raises(ProfileError) as caught:
        select_profile(PROFILES, "huge", [], False, from_saved_options=False)
    assert caught.value.message == "Profile 'huge' does not exist. Pick one of: small, large."


def test_select_vanished_saved_falls_back():
    selection = select_profile(PROFILES, "huge", [], False, from_saved_options=True)
    assert selection.profile.slug == "small"
    assert selection.replaced_slug == "huge"


def test_quota_full_message():
    with pytest.raises(ProfileError) as caught:
        check_quota(PROFILES[1], {"large": 2}, visible_profiles(PROFILES, [], False))
    assert caught.value.reason == "profile-full"
    assert caught.value.message == (
        "Profile 'large' is full: 2 of 2 servers are in use. Pick another profile (small) or try again when a server stops."
    )


def test_quota_full_no_alternative():
    with pytest.raises(ProfileError, match="No other profile has a free slot either"):
        check_quota(PROFILES[2], {"gpu": 1}, [PROFILES[2]])


def test_quota_free():
    check_quota(PROFILES[1], {"large": 1}, PROFILES)
    assert free_slots(PROFILES[1], 1) == 1


def test_free_slots_unlimited():
    assert free_slots(PROFILES[0], 50) is None
