"""A real JupyterHub with the real configurable-http-proxy, on free loopback ports.

The hub loads ``hub/jupyterhub_config.py`` exactly as ``nbplatform up`` does,
then ``extra_config`` (Python lines) so a test can swap the authenticator or
add configuration. A service token with admin scopes is added for API calls.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import requests

from nbplatform.auth.local import set_user
from nbplatform.spawners.processes import read_pid_file

from .ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
HUB_CONFIG = REPO_ROOT / "hub" / "jupyterhub_config.py"

DEFAULT_USERS = {
    "admin": {"password": "admin-pass", "admin": True, "groups": ["ml"]},
    "alice": {"password": "alice-pass", "admin": False, "groups": []},
    "bob": {"password": "bob-pass", "admin": False, "groups": []},
}


class HubProcess:
    """One hub process (and the proxy it starts) under ``workdir``."""

    def __init__(
        self,
        workdir: Path,
        *,
        users: dict[str, dict[str, Any]] | None = None,
        profiles_dir: Path | None = None,
        extra_config: str = "",
        env: dict[str, str] | None = None,
    ) -> None:
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.profiles_dir = Path(profiles_dir) if profiles_dir else REPO_ROOT / "profiles"
        self.users = DEFAULT_USERS if users is None else users
        self.extra_config = extra_config
        self.extra_env = env or {}
        self.port = free_port()
        self.hub_port = free_port()
        self.proxy_api_port = free_port()
        self.jobs_port = free_port()
        self.admin_token = secrets.token_hex(32)
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "hub.log"
        self._write_files()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/hub/api"

    def _write_files(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        users_file = self.data_dir / "users.yaml"
        for name, entry in self.users.items():
            set_user(users_file, name, entry["password"], admin=entry.get("admin", False), groups=entry.get("groups", []))
        config = f"""
load_subconfig({str(HUB_CONFIG)!r})
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {self.admin_token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "test-admin",
    "scopes": ["admin:users", "admin:servers", "admin:groups", "access:servers", "list:users",
               "read:users", "read:servers", "tokens", "proxy", "list:services", "read:services"],
    "services": ["test-admin"],
}})
c.JupyterHub.log_level = "DEBUG"
# Return 202 from POST .../server at once, so progress events can be watched.
c.JupyterHub.tornado_settings.update({{"slow_spawn_timeout": 0}})
{self.extra_config}
"""
        (self.workdir / "test_config.py").write_text(config)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "NBPLATFORM_MODE": "local",
                "NBPLATFORM_DATA_DIR": str(self.data_dir),
                "NBPLATFORM_PROFILES_DIR": str(self.profiles_dir),
                "NBPLATFORM_PORT": str(self.port),
                "NBPLATFORM_HUB_PORT": str(self.hub_port),
                "NBPLATFORM_PROXY_API_PORT": str(self.proxy_api_port),
                "NBPLATFORM_JOBS_PORT": str(self.jobs_port),
                "PYTHONPATH": os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p),
            }
        )
        env.pop("KUBERNETES_SERVICE_HOST", None)
        env.pop("NBPLATFORM_CLEANUP_SERVERS", None)
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 90) -> "HubProcess":
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(self.workdir / "test_config.py")],
            cwd=self.workdir,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}:\n{self.log_text()[-4000:]}")
            try:
                response = requests.get(f"{self.api_url}/", timeout=2)
                if response.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"hub did not answer on {self.url} within {timeout}s:\n{self.log_text()[-4000:]}")

    def proxy_pid(self) -> int | None:
        pid_file = self.data_dir / "hub" / "proxy.pid"
        try:
            return int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub with SIGTERM (as Ctrl-C would) and wait for it."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        """Kill the hub with SIGKILL, leaving its proxy and servers behind as a crash would."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self, timeout: float = 90) -> "HubProcess":
        self.stop()
        return self.start(timeout)

    def cleanup(self) -> None:
        """Stop the hub, then every process it left (proxy, servers) that this test started."""
        leftovers = []
        if self.proc:
            try:
                leftovers = psutil.Process(self.proc.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                pass
        self.stop()
        for path in (self.data_dir / "servers").glob("*/*.json"):
            record = read_pid_file(path)
            if record is not None:
                leftovers.extend(_process_tree(record.pid))
        proxy = self.proxy_pid()
        if proxy:
            leftovers.extend(_process_tree(proxy))
        for process in leftovers:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(leftovers, timeout=10)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    # -- HTTP helpers ---------------------------------------------------------

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        headers.setdefault("Authorization", f"token {token or self.admin_token}")
        return requests.request(method, f"{self.api_url}{path}", headers=headers, timeout=kwargs.pop("timeout", 30), **kwargs)

    def login(self, username: str, password: str | None = None) -> requests.Session:
        """Sign in through the login form and return a session holding the cookies."""
        password = password if password is not None else self.users[username]["password"]
        session = requests.Session()
        page = session.get(f"{self.url}/hub/login", timeout=30)
        page.raise_for_status()
        match = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        data = {"username": username, "password": password}
        if match:
            data["_xsrf"] = match.group(1)
        response = session.post(f"{self.url}/hub/login", data=data, allow_redirects=False, timeout=30)
        if response.status_code != 302:
            raise RuntimeError(f"login as {username!r} failed with {response.status_code}")
        return session

    def user_token(self, username: str) -> str:
        response = self.api("POST", f"/users/{username}/tokens", json={"note": "test", "expires_in": 3600})
        response.raise_for_status()
        return response.json()["token"]

    def wait_for_server(self, username: str, server: str = "", timeout: float = 120) -> dict:
        """Wait until the user's server is ready; return its model from the REST API."""
        deadline = time.monotonic() + timeout
        model: dict = {}
        seen = False
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{username}").json()
            state = model.get("servers", {}).get(server)
            if state and state.get("ready"):
                return state
            if state:
                seen = True
            elif seen:
                raise RuntimeError(f"server {username}/{server} stopped while starting:\n{self.log_text()[-3000:]}")
            time.sleep(0.5)
        raise RuntimeError(f"server {username}/{server} not ready within {timeout}s: {model}\n{self.log_text()[-3000:]}")

    def wait_for_stop(self, username: str, server: str = "", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{username}").json()
            if server not in model.get("servers", {}):
                return
            time.sleep(0.5)
        raise RuntimeError(f"server {username}/{server} did not stop within {timeout}s")


def _process_tree(pid: int) -> list[psutil.Process]:
    try:
        process = psutil.Process(pid)
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
