"""Profile picking shared by the local spawner and the KubeSpawner subclass.

The mixin renders the profile form (see :mod:`.form`). Its
``apply_user_options`` hook decides, before the server starts, which profile
a start uses. It rejects hidden, disabled and full profiles with an HTTP
error, which JupyterHub shows on the form and returns from the REST API. When
saved options name a profile that was removed since, it falls back to the
default with a notice.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.orm import object_session
from tornado import web
from traitlets import Any as AnyTrait
from traitlets import Float, Unicode, default
from traitlets.config import LoggingConfigurable

from ..config import Settings
from ..errors import ProfileError
from ..i18n import locale_from_accept_language, locale_from_env
from ..profiles import Profile, ProfileRegistry, Resources
from ..profiles.overrides import resolve_override
from ..profiles.policy import Selection, check_quota, select_profile, visible_profiles
from ..profiles.registry import shared_registry
from .form import TEXTS, FormEntry, render_profile_form
from .usage import active_servers, count_by_profile

#: HTTP status for each ProfileError reason raised while choosing a profile.
STATUS_FOR_REASON = {
    "profile-hidden": 403,
    "profile-disabled": 403,
    "profile-not-found": 400,
    "profile-full": 409,
    "no-profile": 403,
    "invalid-profile-option": 400,
}

#: Spawner traits that profiles set on every spawner class, beside the keys of
#: ``kubespawner_override``; reset to their configured values before each start.
PROFILE_TRAITS = ("mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee")

log = logging.getLogger(__name__)


_WATCHERS: dict[int, asyncio.Task] = {}


def watch_registry(registry: ProfileRegistry, interval: float) -> None:
    """Re-check ``registry`` every ``interval`` seconds in the running event loop, once per registry.

    Does nothing without a running loop (the CLI, plain unit tests) or with
    an interval of 0.
    """
    if interval <= 0:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    existing = _WATCHERS.get(id(registry))
    if existing is not None and not existing.done() and existing.get_loop() is loop:
        return

    async def check_forever() -> None:
        last_error = None
        while True:
            await asyncio.sleep(interval)
            try:
                # File reads and YAML parsing run in a thread, off the hub's loop.
                await asyncio.to_thread(registry.refresh)
                last_error = None
            except ProfileError as exc:
                # Logged once per distinct problem, not at every check.
                if exc.message != last_error:
                    log.error("Checking profiles in %s failed: %s", registry.directory, exc.message)
                last_error = exc.message
            except Exception as exc:  # the check goes on; a crashed task would stop all later reloads
                if repr(exc) != last_error:
                    log.exception("Checking profiles in %s failed unexpectedly; checking again every %.0f s", registry.directory, interval)
                last_error = repr(exc)

    _WATCHERS[id(registry)] = loop.create_task(check_forever())


class ProfileSpawnerMixin(LoggingConfigurable):
    """Adds the profile picker and applies the chosen profile before start."""

    profiles_dir = Unicode(
        help="""
        Directory of resource profile files (``*.yaml``) offered to users.

        Default: ``NBPLATFORM_PROFILES_DIR``, else ``profiles/`` in the repository.
        Files are re-read when they change, so profiles can be edited on a
        running hub. An invalid change is logged and the last valid set stays.
        """,
    ).tag(config=True)

    @default("profiles_dir")
    def _default_profiles_dir(self) -> str:
        return str(Settings.from_env().profiles_dir)

    cost_currency = Unicode(
        "USD",
        help="""
        Currency shown beside each profile's ``cost_per_hour`` on the form and
        the admin page, for example ``USD`` or ``JPY``. Default ``USD``. Only
        the label changes; costs are never converted.
        """,
    ).tag(config=True)

    #: The profile applied for the current start; None before the first start.
    profile = AnyTrait(None, allow_none=True)
    #: The resources that profile gives; None before the first start.
    resources = AnyTrait(None, allow_none=True)
    #: Message for the user when the start did not use the requested profile.
    profile_notice = AnyTrait(None, allow_none=True)

    profiles_check_interval = Float(
        5.0,
        help="""
        Seconds between background checks of ``profiles_dir`` for changes.
        Default 5. A change is also picked up at the next form render or start,
        so this only decides how soon an invalid change shows in the log and
        on the admin page when no server is starting. 0 turns the
        background check off.
        """,
    ).tag(config=True)

    @property
    def profile_registry(self) -> ProfileRegistry:
        registry = shared_registry(Path(self.profiles_dir))
        watch_registry(registry, self.profiles_check_interval)
        return registry

    # -- who is asking ---------------------------------------------------------

    def _user_group_names(self) -> list[str]:
        return [getattr(group, "name", str(group)) for group in getattr(self.user, "groups", [])]

    def _user_is_admin(self) -> bool:
        return bool(getattr(self.user, "admin", False))

    @property
    def _profile_slug(self) -> str:
        """The slug of the applied profile, else of the saved choice (after a hub restart), for log lines."""
        if self.profile is not None:
            return self.profile.slug
        return str((self.user_options or {}).get("profile") or "(none)")

    def _request(self) -> Any:
        handler = getattr(self, "handler", None)
        return getattr(handler, "request", None)

    def request_locale(self) -> str:
        """Return ``ja`` or ``en`` from the current request's Accept-Language, else from LANG."""
        request = self._request()
        if request is not None:
            return locale_from_accept_language(request.headers.get("Accept-Language"))
        return locale_from_env()

    def _options_from_request(self) -> bool:
        """Return True if this start's options came with the request, not from an earlier start.

        JupyterHub passes saved options when a start request has no body (the
        REST API without JSON, a link to ``/hub/spawn`` with no form).
        """
        request = self._request()
        if request is None:
            return False
        if "profile" in request.query_arguments:
            return True
        if request.method != "POST" or not request.body:
            return False
        try:
            body = json.loads(request.body)
        except ValueError:
            # Not JSON, so a posted form, which always carries the choice.
            return True
        if not isinstance(body, dict):
            return False
        if "user_options" in body:
            return body["user_options"] is not None
        return "display_name" not in body and bool(body)

    # -- what they may use ---------------------------------------------------------

    def visible_profiles(self) -> list[Profile]:
        """Return the profiles this user may pick from the current (last good) set."""
        return visible_profiles(self.profile_registry.profiles, self._user_group_names(), self._user_is_admin())

    def servers_in_use(self) -> dict[str, int]:
        """Count the other running or starting servers per profile slug, across all users."""
        orm_spawner = getattr(self, "orm_spawner", None)
        session = object_session(orm_spawner) if orm_spawner is not None else None
        if session is None:
            return {}
        profiles = self.profile_registry.profiles
        default_slug = next((p.slug for p in profiles if p.default), profiles[0].slug if profiles else None)
        return count_by_profile(active_servers(session), default_slug, exclude_id=orm_spawner.id)

    # -- the form ------------------------------------------------------------------

    @default("options_form")
    def _default_options_form(self):
        return type(self)._render_profile_form

    def _render_profile_form(self) -> str:
        locale = self.request_locale()
        in_use = self.servers_in_use()
        entries = [FormEntry(p, in_use.get(p.slug, 0)) for p in self.visible_profiles()]
        saved = dict(self.user_options or {})
        notice = None
        saved_slug = saved.get("profile")
        if saved_slug and saved_slug not in {p.slug for p in self.profile_registry.profiles}:
            default = next((e.profile.slug for e in entries if e.profile.default), entries[0].profile.slug if entries else "")
            notice = TEXTS.get("replaced", locale, slug=saved_slug, default=default)
        return render_profile_form(entries, locale=locale, user_options=saved, notice=notice, currency=self.cost_currency)

    @default("options_from_form")
    def _default_options_from_form(self):
        # JupyterHub calls options_from_form(formdata) without the spawner,
        # unlike options_form(spawner), so this one is a bound method.
        return self._profile_options_from_form

    def _profile_options_from_form(self, formdata: dict[str, list[str]]) -> dict[str, Any]:
        """Turn form fields into user_options the way KubeSpawner 7 does."""
        slug = (formdata.get("profile") or [None])[0]
        options: dict[str, Any] = {}
        if slug:
            options["profile"] = slug
            prefix = f"profile-option-{slug}--"
            for key, values in formdata.items():
                if key.startswith(prefix) and values:
                    options[key[len(prefix) :]] = values[0]
        return options

    # -- applying a profile -------------------------------------------------------------

    @default("apply_user_options")
    def _default_apply_user_options(self):
        return type(self)._apply_profile

    def choose_profile(self, user_options: dict[str, Any]) -> Selection:
        """Return the profile this start uses; raise web.HTTPError with the reason otherwise."""
        registry = self.profile_registry
        profiles = registry.profiles
        if not profiles:
            problem = (registry.error or "no profile files were found").replace("\n", "; ")
            self.log.error("No valid profiles for %s: %s", self._log_name, problem)
            raise web.HTTPError(503, "No resource profiles are loaded because the profile files are invalid. Ask an admin to run 'nbplatform profiles validate'.")
        groups, is_admin = self._user_group_names(), self._user_is_admin()
        slug = (user_options or {}).get("profile")
        try:
            selection = select_profile(
                profiles,
                slug if isinstance(slug, str) or slug is None else str(slug),
                groups,
                is_admin,
                from_saved_options=not self._options_from_request(),
            )
            options = {k: v for k, v in (user_options or {}).items() if k != "profile"}
            if selection.replaced_slug is None:
                resolve_override(selection.profile, options)
            check_quota(selection.profile, self.servers_in_use(), visible_profiles(profiles, groups, is_admin))
        except ProfileError as exc:
            self.log.warning("Rejected profile %r for %s: %s", slug, self._log_name, exc.message)
            raise web.HTTPError(STATUS_FOR_REASON.get(exc.reason, 400), exc.message) from exc
        return selection

    def _apply_profile(self, user_options: dict[str, Any]) -> None:
        """Choose the profile, record it in the saved options and set the spawner's limits."""
        selection = self.choose_profile(user_options)
        profile = selection.profile
        options = {k: v for k, v in (user_options or {}).items() if k != "profile"}
        if selection.replaced_slug is not None:
            # The saved choices belonged to the removed profile.
            options = {}
            self.profile_notice = TEXTS.get(
                "replaced", self.request_locale(), slug=selection.replaced_slug, default=profile.slug
            )
            self.log.warning(
                "Saved profile %r of %s no longer exists; using the default %r",
                selection.replaced_slug,
                self._log_name,
                profile.slug,
            )
        else:
            self.profile_notice = None
        applied = {"profile": profile.slug, **options}
        self.user_options = applied
        if getattr(self, "orm_spawner", None) is not None:
            # Saved options are what the quota count reads for this server.
            self.orm_spawner.user_options = applied
            session = object_session(self.orm_spawner)
            if session is not None:
                session.commit()

        override = resolve_override(profile, options)
        self.reset_profile_traits(set(override) | set(PROFILE_TRAITS))
        resources: Resources = Resources.from_override(override)
        self.profile = profile
        self.resources = resources
        self.apply_profile_override(override, resources)
        self.log.info(
            "Applying profile %r to %s: cpu_limit=%s mem_limit=%s gpus=%d",
            profile.slug,
            self._log_name,
            resources.cpu_limit,
            resources.mem_limit,
            resources.gpu_limit,
        )

    def reset_profile_traits(self, keys: set[str]) -> None:
        """Put back the configured value of every trait a profile has set on this spawner.

        The first time a key is seen its current (configured) value is kept as
        the baseline, so choosing profile B after a failed start with profile A
        leaves none of A's image, limits or environment behind.
        """
        baseline: dict[str, Any] = self.__dict__.setdefault("_profile_baseline", {})
        for key in keys:
            if key not in baseline and self.has_trait(key):
                baseline[key] = copy.deepcopy(getattr(self, key))
        for key, value in baseline.items():
            setattr(self, key, copy.deepcopy(value))

    def apply_profile_override(self, override: dict[str, Any], resources: Resources) -> None:
        """Set the spawner's limits from the profile; KubeSpawner applies the rest itself."""
        self.mem_limit = resources.mem_limit
        self.mem_guarantee = resources.mem_guarantee
        self.cpu_limit = resources.cpu_limit
        self.cpu_guarantee = resources.cpu_guarantee

    def profile_progress(self) -> list[dict[str, Any]]:
        """Return progress events to show before the server's own (the fallback notice)."""
        if self.profile_notice:
            return [{"progress": 5, "message": self.profile_notice}]
        return []

    def profile_environment(self) -> dict[str, str]:
        """Return the environment the chosen profile adds to the server."""
        if self.profile is None:
            return {}
        env = dict(self.resources.environment)
        env["NBPLATFORM_PROFILE"] = self.profile.slug
        # NOTE: this is the hub's path. On GKE the user pod sees the profiles
        # only if the same directory is mounted there (for example from the
        # ConfigMap the hub reads); nothing here mounts it.
        env["NBPLATFORM_PROFILES_DIR"] = str(Path(self.profiles_dir).resolve())
        if self.resources.gpu_limit:
            env["NBPLATFORM_GPU_LIMIT"] = str(self.resources.gpu_limit)
        if self.profile.idle_timeout:
            env["NBPLATFORM_IDLE_TIMEOUT"] = str(self.profile.idle_timeout)
        if self.profile_notice:
            env["NBPLATFORM_PROFILE_NOTICE"] = self.profile_notice
        return env

    def get_args(self) -> list[str]:
        """Add the profile's idle timeout: the server shuts itself down after that many idle seconds."""
        args = super().get_args()  # type: ignore[misc]
        if self.profile is not None and self.profile.idle_timeout:
            args.append(f"--ServerApp.shutdown_no_activity_timeout={int(self.profile.idle_timeout)}")
        return args
