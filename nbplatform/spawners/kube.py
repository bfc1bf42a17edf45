"""KubeSpawner with the platform's profiles, groups, quotas and form.

``profile_list`` is a callable, so KubeSpawner re-reads the profiles the user
may see at every start and form render, and the hub needs no restart or Helm
upgrade when the profile files change. The mixin's ``apply_user_options``
hook checks groups and quotas first; KubeSpawner's own ``load_user_options``
then applies the profile's ``kubespawner_override`` and the chosen options.
"""

from __future__ import annotations

from typing import Any

from kubespawner import KubeSpawner
from traitlets import default

from ..profiles import Resources
from .profile_mixin import ProfileSpawnerMixin


def profile_list_for(spawner: "ProfileKubeSpawner") -> list[dict[str, Any]]:
    """Return the KubeSpawner ``profile_list`` entries the spawner's user may pick."""
    return [profile.to_kubespawner() for profile in spawner.visible_profiles()]


class ProfileKubeSpawner(ProfileSpawnerMixin, KubeSpawner):
    """KubeSpawner whose profiles come from the platform's profile files."""

    @default("profile_list")
    def _default_profile_list(self):
        return profile_list_for

    # The form and the form parser come from the mixin, so both spawners show
    # the same page; KubeSpawner's defaults for these would win otherwise.
    @default("options_form")
    def _default_options_form(self):
        return type(self)._render_profile_form

    @default("options_from_form")
    def _default_options_from_form(self):
        # JupyterHub calls options_from_form(formdata) without the spawner,
        # unlike options_form(spawner), so this one is a bound method.
        return self._profile_options_from_form

    def apply_profile_override(self, override: dict[str, Any], resources: Resources) -> None:
        """Leave the override to KubeSpawner's ``load_user_options``, which runs in ``start``."""

    def get_env(self) -> dict[str, str]:
        env = super().get_env()
        env.update(self.profile_environment())
        return env

    async def start(self):
        # KubeSpawner.start stores the future that its progress() watches, and awaiting the result keeps it.
        url = await super().start()
        self.log.info(
            "Server %s started with profile %s: pod %s in namespace %s",
            self._log_name, self._profile_slug, self.pod_name, self.namespace,
        )
        return url

    async def stop(self, now: bool = False):
        await super().stop(now=now)
        self.log.info(
            "Server %s with profile %s stopped: pod %s in namespace %s",
            self._log_name, self._profile_slug, self.pod_name, self.namespace,
        )

    async def progress(self):
        for event in self.profile_progress():
            yield event
        async for event in super().progress():
            yield event
