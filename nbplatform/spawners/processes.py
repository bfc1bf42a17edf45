"""Pid files of local servers, so a restarted hub finds its servers again.

Each server writes ``<servers_dir>/<user>/<server>.json`` with its pid and
process start time right after it starts. The start time distinguishes a live server
from an unrelated process that reused the pid.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerProcess:
    pid: int
    create_time: float
    port: int
    user: str
    server: str

    def is_running(self) -> bool:
        """Return True if the pid still belongs to the process that was started."""
        try:
            process = psutil.Process(self.pid)
            return abs(process.create_time() - self.create_time) < 0.01 and process.status() != psutil.STATUS_ZOMBIE
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return False


def pid_file(servers_dir: Path, safe_user: str, server_name: str) -> Path:
    return servers_dir / safe_user / f"{server_name or '_default'}.json"


def write_pid_file(path: Path, record: ServerProcess) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(record)))
    os.replace(temporary, path)


def read_pid_file(path: Path) -> ServerProcess | None:
    try:
        return ServerProcess(**json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        log.warning("Ignoring unreadable pid file %s: %s", path, exc)
        return None


def remove_pid_file(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def terminate(record: ServerProcess, timeout: float = 5.0) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if not record.is_running():
        return
    try:
        process = psutil.Process(record.pid)
        children = process.children(recursive=True)
    except psutil.NoSuchProcess:
        return
    group = [process, *children]
    for member in group:
        try:
            member.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(group, timeout=timeout)
    for member in alive:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=timeout)
