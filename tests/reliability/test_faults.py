"""Parts of the local platform die; the rest notices and recovers without losing anything.

One real hub (with its proxy and jobs service) serves the whole module. The
hub polls servers every 2 s and checks the proxy every 2 s here, so a test
waits seconds instead of JupyterHub's default 30 s poll.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import psutil
import pytest
import requests

from conftest import make_profiles_copy
from support.hub import HubProcess
from support.kernel import KernelClient

pytestmark = pytest.mark.slow

EXTRA_CONFIG = """
c.Spawner.poll_interval = 2
c.ConfigurableHTTPProxy.check_running_interval = 2
c.JupyterHub.concurrent_spawn_limit = 1
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("faults")
    process = HubProcess(workdir, profiles_dir=make_profiles_copy(workdir / "profiles"), extra_config=EXTRA_CONFIG)
    process.start()
    yield process
    process.cleanup()


def wait_until(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(message)


def pid_file(hub: HubProcess, user: str) -> Path:
    return hub.data_dir / "servers" / user / "_default.json"


def singleuser_pids(hub: HubProcess) -> set[int]:
    """Return the pids of every jupyterhub.singleuser process started for this hub's data dir."""
    found = set()
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "jupyterhub.singleuser" not in " ".join(process.info["cmdline"] or []):
                continue
            if process.environ().get("NBPLATFORM_DATA_DIR") == str(hub.data_dir.resolve()):
                found.add(process.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def jobs_service_pids(hub: HubProcess) -> set[int]:
    found = set()
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "nbplatform.web.service" not in " ".join(process.info["cmdline"] or []):
                continue
            if process.environ().get("NBPLATFORM_DATA_DIR") == str(hub.data_dir):
                found.add(process.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def server_status(hub: HubProcess, user: str, token: str) -> int:
    try:
        response = requests.get(f"{hub.url}/user/{user}/api/status", headers={"Authorization": f"token {token}"}, timeout=10)
    except requests.RequestException:
        return 0
    return response.status_code


def start_and_wait(hub: HubProcess, user: str) -> dict:
    response = hub.api("POST", f"/users/{user}/server", json={"profile": "small"})
    assert response.status_code in (201, 202), response.text
    return hub.wait_for_server(user)


def stop_and_wait(hub: HubProcess, user: str) -> None:
    response = hub.api("DELETE", f"/users/{user}/server")
    assert response.status_code in (202, 204), response.text
    hub.wait_for_stop(user)


def test_spawn_limit_answers_429(hub):
    first = hub.api("POST", "/users/alice/server", json={"profile": "small"})
    assert first.status_code == 202, first.text
    second = hub.api("POST", "/users/bob/server", json={"profile": "small"})
    hub.wait_for_server("alice")
    assert second.status_code == 429, second.text
    assert int(second.headers["Retry-After"]) > 0
    assert "bob" not in [name for name, model in hub.api("GET", "/users/bob").json()["servers"].items()]
    stop_and_wait(hub, "alice")


def test_hub_sigkill_during_spawn(hub):
    response = hub.api("POST", "/users/alice/server", json={"profile": "small"})
    assert response.status_code == 202, response.text
    wait_until(lambda: pid_file(hub, "alice").exists(), 60, "the spawner wrote no pid file")
    spawning = json.loads(pid_file(hub, "alice").read_text())["pid"]
    old_service = jobs_service_pids(hub)
    hub.kill()

    hub.start()
    model = wait_until(
        lambda: (m := hub.api("GET", "/users/alice").json()) and not m["pending"] and m,
        60,
        "alice stayed pending after the hub restarted",
    )
    server = model["servers"].get("")
    running = singleuser_pids(hub)
    if server:
        # Adopted: the hub tracks the process it started before the crash.
        assert server["ready"], server
        assert running == {spawning}
        token = hub.user_token("alice")
        assert server_status(hub, "alice", token) == 200
        stop_and_wait(hub, "alice")
    assert singleuser_pids(hub) == set()
    assert not pid_file(hub, "alice").exists()
    # The jobs service of the dead hub exits, so the new hub's service can bind the port.
    wait_until(lambda: not (old_service & jobs_service_pids(hub)), 30, "the old jobs service outlived its hub")
    wait_until(
        lambda: requests.get(f"{hub.url}/services/jobs/api/jobs", timeout=10).status_code in (401, 403),
        30,
        "the jobs service did not come back behind the proxy",
    )


def test_proxy_sigkill_restores_routes(hub):
    start_and_wait(hub, "bob")
    token = hub.user_token("bob")
    assert server_status(hub, "bob", token) == 200
    proxy = hub.proxy_pid()
    assert proxy is not None
    os.kill(proxy, signal.SIGKILL)

    wait_until(lambda: hub.proxy_pid() not in (None, proxy), 30, "the hub did not restart the proxy")
    wait_until(lambda: server_status(hub, "bob", token) == 200, 30, "bob's server is unreachable after the proxy restart")
    routes = hub.api("GET", "/proxy").json()
    assert "/user/bob/" in routes
    assert "/services/jobs/" in routes
    stop_and_wait(hub, "bob")


def test_killed_server_noticed(hub):
    start_and_wait(hub, "alice")
    token = hub.user_token("alice")
    kernel = KernelClient(hub.url, "alice", token)
    try:
        assert kernel.execute("open('notes.txt', 'w').write('survives')").status == "ok"
    finally:
        kernel.close()
    pid = json.loads(pid_file(hub, "alice").read_text())["pid"]
    for process in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        process.kill()

    hub.wait_for_stop("alice", timeout=30)
    assert not pid_file(hub, "alice").exists()
    start_and_wait(hub, "alice")
    assert server_status(hub, "alice", token) == 200
    kernel = KernelClient(hub.url, "alice", token)
    try:
        result = kernel.execute("print(open('notes.txt').read())")
    finally:
        kernel.close()
    assert result.stdout.strip() == "survives"
    stop_and_wait(hub, "alice")
