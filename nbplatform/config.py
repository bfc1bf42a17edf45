"""Platform settings: mode, data directory and the paths derived from it.

Settings come from environment variables prefixed with ``NBPLATFORM_`` so the
same values reach the hub, the spawned servers, the jobs service and the CLI.
Nothing here touches the disk except :meth:`Settings.ensure_data_dir`.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal, Mapping

from pydantic import BaseModel, Field

from .config_messages import message
from .errors import ConfigError

#: Repository root when running from a checkout; the default home of ``.nbplatform/``.
REPO_ROOT = Path(__file__).resolve().parent.parent

Mode = Literal["local", "gke"]


def detect_mode(environ: Mapping[str, str]) -> Mode:
    """Return the mode set by ``NBPLATFORM_MODE``, else ``gke`` inside a pod, else ``local``."""
    explicit = environ.get("NBPLATFORM_MODE", "").strip().lower()
    if explicit:
        if explicit not in ("local", "gke"):
            raise ConfigError(message("invalid-mode", value=explicit))
        return explicit  # type: ignore[return-value]
    if environ.get("KUBERNETES_SERVICE_HOST"):
        return "gke"
    return "local"


class Settings(BaseModel):
    """Platform settings: the state directories and the local hub's addresses."""

    mode: Mode = "local"
    data_dir: Path = Field(default=REPO_ROOT / ".nbplatform")
    profiles_dir: Path = Field(default=REPO_ROOT / "profiles")
    jobs_dir: Path = Field(default=REPO_ROOT / "papermill_jobs")
    notebooks_dir: Path = Field(default=REPO_ROOT / "notebooks")
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    allow_remote: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Build settings from ``NBPLATFORM_*`` variables, falling back to the defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {"mode": detect_mode(env)}
        for field, var in (
            ("data_dir", "NBPLATFORM_DATA_DIR"),
            ("profiles_dir", "NBPLATFORM_PROFILES_DIR"),
            ("jobs_dir", "NBPLATFORM_JOBS_DIR"),
            ("notebooks_dir", "NBPLATFORM_NOTEBOOKS_DIR"),
            ("ip", "NBPLATFORM_IP"),
        ):
            if env.get(var):
                values[field] = env[var]
        for field, var in (
            ("port", "NBPLATFORM_PORT"),
            ("hub_port", "NBPLATFORM_HUB_PORT"),
            ("proxy_api_port", "NBPLATFORM_PROXY_API_PORT"),
        ):
            if env.get(var):
                values[field] = parse_port(var, env[var])
        values["allow_remote"] = env.get("NBPLATFORM_ALLOW_REMOTE", "").lower() in ("1", "true", "yes")
        return cls(**values)

    # Paths inside the data directory. Each room owns one subdirectory.
    @property
    def users_file(self) -> Path:
        return self.data_dir / "users.yaml"

    @property
    def homes_dir(self) -> Path:
        return self.data_dir / "home"

    @property
    def servers_dir(self) -> Path:
        return self.data_dir / "servers"

    @property
    def hub_dir(self) -> Path:
        return self.data_dir / "hub"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse" / "flights.duckdb"

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"

    @property
    def snapshots_dir(self) -> Path:
        return self.data_dir / "snapshots"

    def ensure_data_dir(self) -> Path:
        """Create the data directory if needed and check that it is writable."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(message("data-dir-create-failed", path=self.data_dir, reason=exc.strerror)) from exc
        if not os.access(self.data_dir, os.W_OK | os.X_OK):
            raise ConfigError(message("data-dir-not-writable", path=self.data_dir))
        return self.data_dir


def parse_port(var: str, text: str) -> int:
    """Return ``text`` as a port number; raise ConfigError naming ``var`` if it is not one from 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise ConfigError(message("invalid-port", variable=var, value=text))
    return port


def is_loopback(ip: str) -> bool:
    """Return True if ``ip`` is a loopback address or ``localhost``."""
    if ip in ("localhost", ""):
        return ip == "localhost"
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def check_bind_address(ip: str, allow_remote: bool) -> None:
    """Reject a non-loopback bind address unless remote access was allowed explicitly."""
    if is_loopback(ip) or allow_remote:
        return
    raise ConfigError(message("non-loopback-bind", ip=ip), reason="non-loopback-bind")
