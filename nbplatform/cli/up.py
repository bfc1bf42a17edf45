"""``nbplatform up``: run the local platform in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from ..config import REPO_ROOT, Settings, check_bind_address, parse_port
from ..errors import ConfigError
from ..profiles import ProfileRegistry
from ..spawners.processes import read_pid_file, terminate
from .messages import CATALOG, message
from .users import generate_password

HUB_CONFIG = REPO_ROOT / "hub" / "jupyterhub_config.py"


def check_port_free(ip: str, port: int, role: str = "public", setting: str = "--port") -> None:
    """Raise ConfigError naming the owner and the setting to change if ``ip:port`` cannot be bound.

    ``role`` is ``public``, ``hub-api`` or ``proxy-api``, shown in the ``LANG`` language.
    """
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((ip, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise ConfigError(CATALOG.message("listen-failed", ip=ip, port=port, reason=exc.strerror)) from exc
            raise ConfigError(
                message(
                    "port-in-use", ip=ip, port=port, role=message(f"port-role-{role}"), setting=setting,
                    owner=_port_owner(port),
                ),
                reason="port-in-use",
            ) from exc


def _port_owner(port: int) -> str:
    try:
        for connection in psutil.net_connections(kind="tcp"):
            if connection.laddr and connection.laddr.port == port and connection.status == psutil.CONN_LISTEN and connection.pid:
                name = psutil.Process(connection.pid).name()
                return f" (PID {connection.pid}, {name})"
    except (psutil.AccessDenied, psutil.NoSuchProcess):
        pass
    return ""


def ensure_users_file(settings: Settings, url: str) -> None:
    """Create the users file with an admin account on first run and print how to sign in."""
    if settings.users_file.exists():
        print(message("sign-in-hint", path=settings.users_file))
        return
    from ..auth.local import set_user  # JupyterHub takes a second to import; other commands skip it.

    password = generate_password()
    set_user(settings.users_file, "admin", password, admin=True, groups=[])
    print(message("first-run", path=settings.users_file, url=url, user="admin", password=password))


def stop_leftover_servers(settings: Settings) -> int:
    """End server processes still listed in pid files; return how many were running."""
    count = 0
    for path in sorted(settings.servers_dir.glob("*/*.json")):
        record = read_pid_file(path)
        if record is not None and record.is_running():
            terminate(record)
            count += 1
        path.unlink(missing_ok=True)
    return count


def announce_when_ready(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    """Print the ready message once the hub responds to its health check through the proxy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/hub/health", timeout=2) as response:
                if response.status == 200:
                    print(message("ready", url=url), flush=True)
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)


def run(args: argparse.Namespace) -> int:
    from ..wiring import find_proxy_command  # imports JupyterHub, which other commands need not load

    environ = dict(os.environ)
    if args.ip:
        environ["NBPLATFORM_IP"] = args.ip
    if args.port is not None:
        environ["NBPLATFORM_PORT"] = str(parse_port("--port", args.port))
    if args.data_dir:
        environ["NBPLATFORM_DATA_DIR"] = str(Path(args.data_dir).resolve())
    if args.allow_remote:
        environ["NBPLATFORM_ALLOW_REMOTE"] = "1"
    environ["NBPLATFORM_MODE"] = "local"
    settings = Settings.from_env(environ)

    check_bind_address(settings.ip, settings.allow_remote)
    settings.ensure_data_dir()
    ProfileRegistry(settings.profiles_dir)
    find_proxy_command(environ)
    check_port_free(settings.ip, settings.port, "public", message("either-setting", first="--port", second="NBPLATFORM_PORT"))
    check_port_free("127.0.0.1", settings.hub_port, "hub-api", "NBPLATFORM_HUB_PORT")
    check_port_free("127.0.0.1", settings.proxy_api_port, "proxy-api", "NBPLATFORM_PROXY_API_PORT")

    url = f"http://{settings.ip}:{settings.port}"
    ensure_users_file(settings, url)
    if not settings.warehouse_path.exists():
        print(message("no-warehouse", path=settings.warehouse_path))
    if not args.keep_servers:
        environ["NBPLATFORM_CLEANUP_SERVERS"] = "1"
    settings.hub_dir.mkdir(parents=True, exist_ok=True)
    print(message("starting", url=url, data_dir=settings.data_dir), flush=True)

    hub = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)],
        cwd=settings.hub_dir,
        env=environ,
    )
    threading.Thread(target=announce_when_ready, args=(url, hub), daemon=True).start()
    try:
        return_code = hub.wait()
    except KeyboardInterrupt:
        # The terminal sent SIGINT to the hub too; give it time to stop its
        # servers, services and proxy before forcing it.
        try:
            return_code = hub.wait(timeout=60)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            hub.send_signal(signal.SIGTERM)
            return_code = hub.wait()
    if not args.keep_servers:
        count = stop_leftover_servers(settings)
        print(message("stopped", count=count))
    return 0 if return_code in (0, -signal.SIGINT, -signal.SIGTERM) else return_code


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("up", help=message("help-up"))
    parser.add_argument("--ip", help=message("help-up-ip"))
    parser.add_argument("--port", help=message("help-up-port"))
    parser.add_argument("--data-dir", help=message("help-up-data-dir"))
    parser.add_argument("--allow-remote", action="store_true", help=message("help-up-allow-remote"))
    parser.add_argument("--keep-servers", action="store_true", help=message("help-up-keep-servers"))
    parser.set_defaults(func=run)
