"""Servers running or starting per profile, read from the hub's database.

A server counts from the moment JupyterHub creates its server row (before
the spawner's ``start``) until it stops, so pending starts count against
``max_servers`` too. The profile of a server is the ``profile`` key of its
saved ``user_options``. The spawner mixin writes the profile it actually
applied there, so a fallback to the default is counted correctly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jupyterhub import orm
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ActiveServer:
    """One running or starting server and the profile it uses."""

    user: str
    server_name: str
    profile_slug: str | None
    spawner_id: int
    started: datetime | None
    user_options: dict[str, Any]


def active_servers(session: Session) -> list[ActiveServer]:
    """Return every server that is running or starting, across all users."""
    rows = session.query(orm.Spawner).filter(orm.Spawner.server_id.isnot(None)).all()
    servers = []
    for spawner in rows:
        options = dict(spawner.user_options or {})
        slug = options.get("profile")
        servers.append(
            ActiveServer(
                user=spawner.user.name,
                server_name=spawner.name or "",
                profile_slug=slug if isinstance(slug, str) else None,
                spawner_id=spawner.id,
                started=spawner.started,
                user_options=options,
            )
        )
    return servers


def count_by_profile(servers: list[ActiveServer], default_slug: str | None, *, exclude_id: int | None = None) -> dict[str, int]:
    """Count servers per profile slug; servers with no saved profile count for ``default_slug``."""
    counts: Counter[str] = Counter()
    for server in servers:
        if server.spawner_id == exclude_id:
            continue
        slug = server.profile_slug or default_slug
        if slug:
            counts[slug] += 1
    return dict(counts)
