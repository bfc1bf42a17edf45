"""Merge a profile's ``kubespawner_override`` with the overrides of the chosen options.

The order and merge rules follow KubeSpawner 7 (``KubeSpawner._load_profile``):
the profile's override first, then each option's chosen override in the order
the options are listed. A dict value is merged into the dict before it, key by
key and recursively, and a ``None`` value removes the key. Any other value
replaces what was there. An unlisted (free-text) choice has ``{value}`` in its
override strings replaced by the text the user entered.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Mapping

from ..errors import ProfileError
from .model import Profile

UNLISTED_SUFFIX = "--unlisted-choice"


def merge_override(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``override`` applied by KubeSpawner's rules; inputs are not changed."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge_dict(merged[key], value)
        elif isinstance(value, Mapping):
            merged[key] = _merge_dict({}, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _merge_dict(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in update.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = _merge_dict(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _format_value(value: Any, text: str) -> Any:
    if isinstance(value, str):
        return value.replace("{value}", text)
    if isinstance(value, Mapping):
        return {k: _format_value(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_format_value(v, text) for v in value]
    return value


def chosen_overrides(profile: Profile, options: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the overrides of the chosen (or default) choice of each option, in order.

    Raise ProfileError for an unknown choice, for free text where the option
    has no unlisted choice, and for free text that fails its validation regex.
    """
    overrides = []
    for name, option in profile.profile_options.items():
        free_text = options.get(name + UNLISTED_SUFFIX)
        choice_key = options.get(name)
        if free_text:
            unlisted = option.unlisted_choice
            if not unlisted.enabled:
                raise ProfileError(
                    f"Profile {profile.slug!r}, option {name!r} takes no free-text value. "
                    f"Pick one of: {', '.join(option.choices)}.",
                    reason="invalid-profile-option",
                )
            if unlisted.validation_regex and not re.match(unlisted.validation_regex, str(free_text)):
                hint = unlisted.validation_message or f"It must match {unlisted.validation_regex}."
                raise ProfileError(
                    f"Profile {profile.slug!r}, option {name!r}: {free_text!r} is invalid. {hint}",
                    reason="invalid-profile-option",
                )
            overrides.append(_format_value(unlisted.kubespawner_override, str(free_text)))
            continue
        if choice_key:
            if choice_key not in option.choices:
                raise ProfileError(
                    f"Profile {profile.slug!r}, option {name!r} has no choice {choice_key!r}. "
                    f"Pick one of: {', '.join(option.choices)}.",
                    reason="invalid-profile-option",
                )
        else:
            choice_key = option.default_choice()
        overrides.append(option.choices[choice_key].kubespawner_override)
    return overrides


def resolve_override(profile: Profile, options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the profile's ``kubespawner_override`` merged with the chosen options' overrides."""
    merged: dict[str, Any] = {}
    for override in [profile.kubespawner_override, *chosen_overrides(profile, options)]:
        merged = merge_override(merged, override)
    return merged
