"""The profile picker form, the same HTML for the local spawner and KubeSpawner.

Field names follow KubeSpawner 7 (``profile`` is the slug,
``profile-option-<slug>--<option>`` a choice key and
``profile-option-<slug>--<option>--unlisted-choice`` free text), so
KubeSpawner's form parser reads what this form posts and the other way round.
Rendering is a pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import jinja2

from ..i18n import Catalog
from ..profiles import Profile
from ..profiles.units import format_memory

TEXTS = Catalog(
    {
        "cpu": {"en": "{cpu} CPU", "ja": "CPU {cpu} コア"},
        "memory": {"en": "{memory} memory", "ja": "メモリ {memory}"},
        "gpu": {"en": "{gpus} GPU", "ja": "GPU {gpus} 基"},
        "cost": {"en": "{cost} {currency} per hour", "ja": "1 時間あたり {cost} {currency}"},
        "free_slots": {"en": "{free} of {total} slots free", "ja": "空き {free} / {total}"},
        "unlimited": {"en": "no server limit", "ja": "台数制限なし"},
        "full": {"en": "Full: {used} of {total} servers in use", "ja": "満員: {total} 台中 {used} 台が使用中"},
        "groups": {"en": "for groups: {groups}", "ja": "対象グループ: {groups}"},
        "other": {"en": "Other...", "ja": "その他..."},
        "replaced": {
            "en": "Your last profile {slug!r} no longer exists, so the default profile {default!r} was used.",
            "ja": "前回のプロファイル {slug!r} は削除されたため、既定のプロファイル {default!r} を使いました。",
        },
        "no_profiles": {
            "en": "No resource profile is available to you. Ask an admin to add you to a group.",
            "ja": "利用できるリソースプロファイルがありません。管理者にグループへの追加を依頼してください。",
        },
        "legend": {"en": "Resource profile", "ja": "リソースプロファイル"},
    }
)


@dataclass(frozen=True)
class FormEntry:
    """One profile as the form shows it, with its current server count."""

    profile: Profile
    in_use: int = 0

    @property
    def free(self) -> int | None:
        if self.profile.max_servers is None:
            return None
        return max(self.profile.max_servers - self.in_use, 0)

    @property
    def full(self) -> bool:
        return self.free == 0


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nbplatform.spawners", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    # Keep the order admins wrote choices in when a template uses tojson.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False}
    return env


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def summary(profile: Profile, locale: str) -> list[str]:
    """Return the short resource facts shown under a profile's name (CPU, memory, GPU)."""
    resources = profile.resources()
    facts = []
    if resources.cpu_limit is not None:
        facts.append(TEXTS.get("cpu", locale, cpu=_number(resources.cpu_limit)))
    if resources.mem_limit is not None:
        facts.append(TEXTS.get("memory", locale, memory=format_memory(resources.mem_limit)))
    if resources.gpu_limit:
        facts.append(TEXTS.get("gpu", locale, gpus=resources.gpu_limit))
    return facts


def render_profile_form(
    entries: list[FormEntry],
    *,
    locale: str,
    user_options: Mapping[str, Any] | None = None,
    notice: str | None = None,
    currency: str = "USD",
) -> str:
    """Return the HTML of the profile picker.

    ``user_options`` (saved from the last start) pre-select a profile and its
    choices if that profile is listed; otherwise the default profile is
    selected. A full profile is shown but cannot be selected.
    """
    user_options = dict(user_options or {})
    selectable = [e for e in entries if not e.full]
    slugs = {e.profile.slug for e in selectable}
    selected = user_options.get("profile")
    if selected not in slugs:
        default = next((e for e in selectable if e.profile.default), selectable[0] if selectable else None)
        selected = default.profile.slug if default else None
        user_options = {"profile": selected} if selected else {}
    rows = []
    for entry in entries:
        profile = entry.profile
        if entry.free is None:
            slots = TEXTS.get("unlimited", locale)
        elif entry.full:
            slots = TEXTS.get("full", locale, used=entry.in_use, total=profile.max_servers)
        else:
            slots = TEXTS.get("free_slots", locale, free=entry.free, total=profile.max_servers)
        cost = None
        if profile.cost_per_hour is not None:
            cost = TEXTS.get("cost", locale, cost=f"{profile.cost_per_hour:.2f}", currency=currency)
        rows.append(
            {
                "profile": profile,
                "facts": summary(profile, locale),
                "cost": cost,
                "slots": slots,
                "full": entry.full,
                "groups": TEXTS.get("groups", locale, groups=", ".join(profile.groups)) if profile.groups else None,
                "checked": profile.slug == selected,
            }
        )
    template = _environment().get_template("profile_form.html")
    return template.render(
        rows=rows,
        user_options=user_options,
        locale=locale,
        notice=notice,
        legend=TEXTS.get("legend", locale),
        other_text=TEXTS.get("other", locale),
        empty_text=TEXTS.get("no_profiles", locale),
    )
