"""The hub's profile admin page: every profile, its file and validation state, and what it uses now.

Served by the hub itself (``c.JupyterHub.extra_handlers``) at
``/hub/profiles-admin``, for admins only. ``?format=json`` returns the same
data as JSON for scripts.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from jupyterhub.handlers import BaseHandler
from tornado import web

from ..i18n import DEFAULT_LOCALE, Catalog, locale_from_accept_language
from ..profiles.registry import shared_registry
from ..profiles.units import format_memory
from ..profiles.usage import ProfileUsage, summarize_usage
from ..spawners.usage import active_servers

ADMIN_PATH = r"/profiles-admin"

TEXTS = Catalog(
    {
        "title": {"en": "Resource profiles", "ja": "リソースプロファイル"},
        "valid": {"en": "valid", "ja": "正常"},
        "invalid_file": {
            "en": "file has errors: serving the last valid version",
            "ja": "ファイルにエラーがあります: 最後に正常だった内容を使用中",
        },
        "disabled": {"en": "disabled", "ja": "無効"},
        "issues": {
            "en": "The profile files have {count} problem(s). The hub keeps serving the last valid set until they are fixed.",
            "ja": "プロファイルファイルに {count} 件の問題があります。修正されるまで最後に正常だった設定を使い続けます。",
        },
        "orphans": {
            "en": "Servers whose profile no longer exists: {servers}",
            "ja": "削除されたプロファイルで動いているサーバー: {servers}",
        },
        "total": {"en": "Total", "ja": "合計"},
        "everyone": {"en": "everyone", "ja": "全員"},
        "columns": {
            "en": "Profile|Source file|State|Groups|Servers|Free slots|CPU reserved|Memory reserved|GPUs|Cost per hour|Users",
            "ja": "プロファイル|定義ファイル|状態|グループ|サーバー数|空き|予約 CPU|予約メモリ|GPU|1 時間あたりの費用|ユーザー",
        },
    }
)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def usage_rows(rows: list[ProfileUsage], files_with_issues: set[str]) -> list[dict[str, Any]]:
    """Return the admin page rows as plain data (also the JSON output)."""
    data = []
    for row in rows:
        profile = row.profile
        source = str(profile.source_file) if profile.source_file else None
        if not profile.enabled:
            state = "disabled"
        elif source in files_with_issues:
            state = "invalid_file"
        else:
            state = "valid"
        data.append(
            {
                "slug": profile.slug,
                "display_name": profile.display_name,
                "source_file": source,
                "source_line": profile.source_line,
                "state": state,
                "enabled": profile.enabled,
                "groups": list(profile.groups),
                "max_servers": profile.max_servers,
                "servers": row.servers,
                "free": row.free,
                "cpu": row.cpu,
                "memory_bytes": row.memory,
                "gpus": row.gpus,
                "cost_per_hour": profile.cost_per_hour,
                "total_cost_per_hour": row.cost_per_hour,
                "users": row.users,
            }
        )
    return data


class ProfilesAdminHandler(BaseHandler):
    """Admin-only page listing every profile with its validation state and current use."""

    def initialize(self, profiles_dir: str, currency: str = "USD") -> None:
        self.profiles_dir = Path(profiles_dir)
        self.currency = currency

    def collect(self, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
        """Return the page data; validation issues are written in ``locale``."""
        registry = shared_registry(self.profiles_dir)
        profiles = registry.profiles
        default_slug = next((p.slug for p in profiles if p.default), profiles[0].slug if profiles else None)
        usage, orphans = summarize_usage(profiles, active_servers(self.db), default_slug)
        files_with_issues = {str(issue.file) for issue in registry.issues}
        rows = usage_rows(usage, files_with_issues)
        return {
            "profiles_dir": str(registry.directory),
            "issues": [issue.render(locale) for issue in registry.issues],
            "profiles": rows,
            "orphans": [
                {"user": s.user, "server_name": s.server_name, "profile": s.profile_slug} for s in orphans
            ],
            "totals": {
                "servers": sum(r["servers"] for r in rows),
                "cpu": sum(r["cpu"] for r in rows),
                "memory_bytes": sum(r["memory_bytes"] for r in rows),
                "gpus": sum(r["gpus"] for r in rows),
                "cost_per_hour": sum(r["total_cost_per_hour"] or 0 for r in rows),
            },
            "currency": self.currency,
        }

    @web.authenticated
    async def get(self) -> None:
        user = self.current_user
        if user is None or not getattr(user, "admin", False):
            raise web.HTTPError(403, "Only JupyterHub admins can see the profiles page.")
        if self.get_argument("format", "") == "json":
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(self.collect()))
            return
        locale = locale_from_accept_language(self.request.headers.get("Accept-Language"))
        data = self.collect(locale)
        source = files("nbplatform.web").joinpath("templates/profiles_admin.html").read_text(encoding="utf-8")
        template = self.settings["jinja2_env"].from_string(source)
        namespace = dict(self.template_namespace)
        namespace.update(
            data=data,
            locale=locale,
            t=lambda key, **fields: TEXTS.get(key, locale, **fields),
            columns=TEXTS.get("columns", locale).split("|"),
            memory=format_memory,
            number=_number,
        )
        self.finish(await template.render_async(**namespace))


def register(c: Any, profiles_dir: str | Path, currency: str = "USD") -> None:
    """Add the profile admin page to a JupyterHub config object ``c`` (served at ``/hub/profiles-admin``)."""
    # Appending works whether or not other code already set extra_handlers
    # (an unset traitlets config value is a lazy list that records appends).
    c.JupyterHub.extra_handlers.append(
        (ADMIN_PATH, ProfilesAdminHandler, {"profiles_dir": str(profiles_dir), "currency": currency})
    )
