"""Memory limits for local server processes, enforced as far as the OS allows.

Three mechanisms, tried in order: a cgroup v2 child with ``memory.max``, a
cgroup v1 memory child with ``memory.limit_in_bytes`` (both cover the server
and every kernel it starts, together), and ``RLIMIT_DATA`` (each process of
the server on its own, since rlimits are per process). The first one that
can be set up on this machine is used.
"""

from __future__ import annotations

import logging
import os
import resource
from pathlib import Path
from typing import Callable, Protocol

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")


class MemoryLimiter(Protocol):
    name: str

    def prepare(self, key: str, limit_bytes: int) -> Callable[[], None]:
        """Set up the limit named ``key``; return a function to run in the child before exec."""

    def release(self, key: str) -> None:
        """Remove what :meth:`prepare` set up for ``key``, once its processes are gone."""


def _own_cgroup(controller: str | None) -> str | None:
    """Return this process's cgroup path for ``controller`` (None for the v2 unified entry)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        names = controllers.split(",") if controllers else []
        if (controller is None and not names) or (controller in names):
            return path
    return None


def _join_cgroup(directory: Path) -> Callable[[], None]:
    procs = directory / "cgroup.procs"

    def join() -> None:
        with open(procs, "w") as handle:
            handle.write(str(os.getpid()))

    return join


class CgroupLimiter:
    """A child cgroup per server under the hub's own cgroup, v1 or v2."""

    def __init__(self, parent: Path, limit_file: str, name: str) -> None:
        self.parent = parent
        self.limit_file = limit_file
        self.name = name

    def _directory(self, key: str) -> Path:
        return self.parent / f"nbplatform-{key}"

    def prepare(self, key: str, limit_bytes: int) -> Callable[[], None]:
        directory = self._directory(key)
        directory.mkdir(exist_ok=True)
        (directory / self.limit_file).write_text(str(limit_bytes))
        return _join_cgroup(directory)

    def release(self, key: str) -> None:
        try:
            self._directory(key).rmdir()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("Cgroup %s still in use, not removed: %s", self._directory(key), exc)

    @classmethod
    def detect(cls) -> "CgroupLimiter | None":
        candidates: list[tuple[Path, str, str]] = []
        v2_path = _own_cgroup(None)
        for mount in (CGROUP_ROOT, CGROUP_ROOT / "unified"):
            controllers = mount / "cgroup.controllers"
            if v2_path is not None and controllers.exists() and "memory" in controllers.read_text().split():
                candidates.append((mount / v2_path.lstrip("/"), "memory.max", "cgroup-v2"))
        v1_path = _own_cgroup("memory")
        if v1_path is not None and (CGROUP_ROOT / "memory").is_dir():
            candidates.append((CGROUP_ROOT / "memory" / v1_path.lstrip("/"), "memory.limit_in_bytes", "cgroup-v1"))
        for parent, limit_file, name in candidates:
            probe = parent / f"nbplatform-probe-{os.getpid()}"
            try:
                probe.mkdir()
                writable = (probe / limit_file).exists() and os.access(probe / limit_file, os.W_OK)
                probe.rmdir()
            except OSError:
                continue
            if writable:
                return cls(parent, limit_file, name)
        return None


class RlimitLimiter:
    """``RLIMIT_DATA`` on each process: private memory per process, not per server."""

    name = "rlimit-data"

    def prepare(self, key: str, limit_bytes: int) -> Callable[[], None]:
        def apply() -> None:
            resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))

        return apply

    def release(self, key: str) -> None:
        return None


def detect_limiter() -> MemoryLimiter:
    """Return the strongest memory limiter this machine supports."""
    limiter = CgroupLimiter.detect()
    if limiter is not None:
        return limiter
    return RlimitLimiter()
