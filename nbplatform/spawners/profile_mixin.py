"""Profile picking shared by the local spawner and the KubeSpawner subclass.

The form uses KubeSpawner's field names (``profile`` and
``profile-option-<slug>--<option>``) so KubeSpawner's own form parser accepts
what ours sends and the other way round.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from tornado import web
from traitlets import Any as AnyTrait
from traitlets import Unicode, default
from traitlets.config import LoggingConfigurable

from ..config import Settings
from ..errors import ProfileError
from ..profiles import Profile, ProfileRegistry, Resources

_REGISTRIES: dict[Path, ProfileRegistry] = {}


def shared_registry(directory: Path) -> ProfileRegistry:
    """Return the one registry per directory that every spawner in the hub shares."""
    directory = Path(directory).resolve()
    registry = _REGISTRIES.get(directory)
    if registry is None:
        registry = _REGISTRIES[directory] = ProfileRegistry(directory)
    return registry


class ProfileSpawnerMixin(LoggingConfigurable):
    """Adds the profile picker and applies the chosen profile before start."""

    profiles_dir = Unicode(
        help="""
        Directory of resource profile files (``*.yaml``) offered to users.

        Default: ``NBPLATFORM_PROFILES_DIR``, else ``profiles/`` in the repository.
        Files are re-read when they change, so profiles can be edited on a
        running hub.
        """,
    ).tag(config=True)

    @default("profiles_dir")
    def _default_profiles_dir(self) -> str:
        return str(Settings.from_env().profiles_dir)

    #: The profile applied for the current start; None before the first start.
    profile = AnyTrait(None, allow_none=True)
    #: The resources that profile gives; None before the first start.
    resources = AnyTrait(None, allow_none=True)

    @property
    def profile_registry(self) -> ProfileRegistry:
        return shared_registry(Path(self.profiles_dir))

    def _user_group_names(self) -> list[str]:
        return [group.name for group in getattr(self.user, "groups", [])]

    def visible_profiles(self) -> list[Profile]:
        registry = self.profile_registry
        registry.refresh()
        return registry.visible_to(self._user_group_names(), bool(self.user.admin))

    @default("options_form")
    def _default_options_form(self):
        return type(self)._render_profile_form

    def _render_profile_form(self) -> str:
        profiles = self.visible_profiles()
        if not profiles:
            return ""
        chosen = (self.user_options or {}).get("profile")
        if chosen not in {p.slug for p in profiles}:
            chosen = next((p.slug for p in profiles if p.default), profiles[0].slug)
        rows = []
        for profile in profiles:
            checked = " checked" if profile.slug == chosen else ""
            slug = html.escape(profile.slug)
            rows.append(
                f'<label class="profile" for="profile-item-{slug}">'
                f'<input type="radio" name="profile" id="profile-item-{slug}" value="{slug}"{checked}>'
                f" <strong>{html.escape(profile.display_name)}</strong>"
                f" <span>{html.escape(profile.description)}</span></label><br>"
            )
        return '<div class="nbplatform-profiles">' + "\n".join(rows) + "</div>"

    @default("options_from_form")
    def _default_options_from_form(self):
        return type(self)._profile_options_from_form

    def _profile_options_from_form(self, formdata: dict[str, list[str]]) -> dict[str, Any]:
        slug = (formdata.get("profile") or [None])[0]
        options: dict[str, Any] = {}
        if slug:
            options["profile"] = slug
            prefix = f"profile-option-{slug}--"
            for key, values in formdata.items():
                if key.startswith(prefix) and values:
                    options[key[len(prefix):]] = values[0]
        return options

    @default("apply_user_options")
    def _default_apply_user_options(self):
        return type(self)._apply_profile

    def _apply_profile(self, user_options: dict[str, Any]) -> None:
        """Resolve the requested profile and set limits; reject a profile the user may not use."""
        visible = self.visible_profiles()
        slug = (user_options or {}).get("profile")
        if slug:
            profile = next((p for p in visible if p.slug == slug), None)
            if profile is None:
                raise web.HTTPError(
                    400,
                    f"Profile {slug!r} is not available to you. Choose one of: "
                    + ", ".join(p.slug for p in visible),
                )
        else:
            try:
                profile = self.profile_registry.default_for(self._user_group_names(), bool(self.user.admin))
            except ProfileError as exc:
                raise web.HTTPError(403, exc.message) from exc
        resources: Resources = profile.resources()
        self.profile = profile
        self.resources = resources
        self.mem_limit = resources.mem_limit
        self.mem_guarantee = resources.mem_guarantee
        self.cpu_limit = resources.cpu_limit
        self.cpu_guarantee = resources.cpu_guarantee
        self.log.info(
            "Applying profile %r to %s: cpu_limit=%s mem_limit=%s",
            profile.slug,
            self._log_name,
            resources.cpu_limit,
            resources.mem_limit,
        )

    def profile_environment(self) -> dict[str, str]:
        """Environment the chosen profile adds to the server."""
        if self.profile is None:
            return {}
        env = dict(self.resources.environment)
        env["NBPLATFORM_PROFILE"] = self.profile.slug
        env["NBPLATFORM_PROFILES_DIR"] = str(Path(self.profiles_dir).resolve())
        if self.resources.gpu_limit:
            env["NBPLATFORM_GPU_LIMIT"] = str(self.resources.gpu_limit)
        return env

