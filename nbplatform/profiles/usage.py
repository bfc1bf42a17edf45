"""Resources reserved per profile by the running servers: a pure summary for the admin page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol

from ..errors import ProfileError
from .model import Profile, Resources


class ServerRecord(Protocol):
    """A running or starting server as the hub database records it."""

    user: str
    server_name: str
    profile_slug: str | None
    user_options: Mapping[str, Any]


@dataclass
class ProfileUsage:
    """Servers using one profile and what they reserve together.

    CPU and memory count the guarantee (the Kubernetes request) of each
    server, or its limit where the profile sets no guarantee.
    """

    profile: Profile
    servers: int = 0
    cpu: float = 0.0
    memory: int = 0
    gpus: int = 0
    users: list[str] = field(default_factory=list)

    @property
    def cost_per_hour(self) -> float | None:
        if self.profile.cost_per_hour is None:
            return None
        return self.profile.cost_per_hour * self.servers

    @property
    def free(self) -> int | None:
        if self.profile.max_servers is None:
            return None
        return max(self.profile.max_servers - self.servers, 0)


def _reserved(resources: Resources) -> tuple[float, int, int]:
    cpu = resources.cpu_guarantee if resources.cpu_guarantee is not None else resources.cpu_limit
    memory = resources.mem_guarantee if resources.mem_guarantee is not None else resources.mem_limit
    return cpu or 0.0, memory or 0, resources.gpu_limit


def summarize_usage(
    profiles: Iterable[Profile], servers: Iterable[ServerRecord], default_slug: str | None
) -> tuple[list[ProfileUsage], list[ServerRecord]]:
    """Return usage per profile (in profile order) and the servers whose profile no longer exists.

    A server with no saved profile counts for ``default_slug``. Chosen
    options that are no longer valid count with the profile's defaults.
    """
    rows = {profile.slug: ProfileUsage(profile) for profile in profiles}
    orphans = []
    for server in servers:
        slug = server.profile_slug or default_slug
        row = rows.get(slug) if slug else None
        if row is None:
            orphans.append(server)
            continue
        options = {k: v for k, v in server.user_options.items() if k != "profile"}
        try:
            resources = row.profile.resources(options)
        except ProfileError:
            resources = row.profile.resources()
        cpu, memory, gpus = _reserved(resources)
        row.servers += 1
        row.cpu += cpu
        row.memory += memory
        row.gpus += gpus
        row.users.append(f"{server.user}/{server.server_name}" if server.server_name else server.user)
    return list(rows.values()), orphans
