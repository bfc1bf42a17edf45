"""Users cannot reach each other's servers, kernels or files through the real proxy, and tokens stay out of files.

The jobs service's own ownership checks (other users' jobs, run outputs, XSRF
on its buttons) are tested in tests/jobs/test_service.py. Here: user servers,
token scopes at the jobs service, and a scan of logs and data for tokens.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest
import requests
import websocket

from jobs.conftest import make_context, spec_for
from support.hub import HubProcess
from support.kernel import KernelClient
from support.ports import free_port

pytestmark = pytest.mark.slow

SECRET = "alice-private-4f1c"
SCRAPER_TOKEN = secrets.token_hex(32)
# A scraper with the scopes a Prometheus token needs for both /hub/metrics and the jobs service.
SCRAPER_CONFIG = f"""
c.JupyterHub.services.append({{"name": "scraper", "api_token": {SCRAPER_TOKEN!r}}})
c.JupyterHub.load_roles.append({{"name": "scraper", "scopes": ["read:metrics", "access:services!service=jobs"], "services": ["scraper"]}})
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("isolation")
    jobs_dir = workdir / "jobs"
    process = HubProcess(
        workdir,
        env={"NBPLATFORM_JOBS_PORT": str(free_port()), "NBPLATFORM_JOBS_DIR": str(jobs_dir)},
        extra_config=SCRAPER_CONFIG,
    )
    context = make_context(workdir)
    context.settings.data_dir = process.data_dir
    context.settings.jobs_dir = jobs_dir
    context = type(context)(context.settings)
    spec_for(context, "quick.ipynb", "alice-report", owner="alice")
    process.jobs_dir = jobs_dir
    process.start()
    try:
        process.tokens = {name: process.user_token(name) for name in ("alice", "bob", "admin")}
        response = process.api("POST", "/users/alice/server", json={"profile": "small"})
        assert response.status_code in (201, 202), response.text
        process.wait_for_server("alice")
        kernel = KernelClient(process.url, "alice", process.tokens["alice"])
        try:
            assert kernel.execute(f"open('secret.txt', 'w').write({SECRET!r})").status == "ok"
            process.alice_kernel = kernel.kernel_id
        except Exception:
            kernel.close()
            raise
        process.alice_kernel_client = kernel
        yield process
    finally:
        process.cleanup()


def as_user(hub: HubProcess, user: str, path: str, method: str = "GET", **kwargs) -> requests.Response:
    headers = {"Authorization": f"token {hub.tokens[user]}"}
    return requests.request(method, f"{hub.url}{path}", headers=headers, timeout=30, allow_redirects=False, **kwargs)


@pytest.mark.parametrize(
    "path",
    [
        "/user/alice/api/status",
        "/user/alice/api/kernels",
        "/user/alice/api/sessions",
        "/user/alice/api/contents",
        "/user/alice/api/contents/secret.txt",
        "/user/alice/files/secret.txt",
        "/user/alice/lab",
    ],
)
def test_other_user_token_rejected(hub, path):
    response = as_user(hub, "bob", path)
    assert response.status_code in (403, 404), response.status_code
    assert SECRET not in response.text
    assert "secret.txt" not in response.text


def test_owner_reads_own_file(hub):
    response = as_user(hub, "alice", "/user/alice/api/contents/secret.txt")
    assert response.status_code == 200
    assert response.json()["content"] == SECRET


def test_other_user_cannot_write_file(hub):
    response = as_user(hub, "bob", "/user/alice/api/contents/planted.txt", method="PUT",
                       json={"type": "file", "format": "text", "content": "from bob"})
    assert response.status_code in (403, 404)
    assert not (hub.data_dir / "home" / "alice" / "planted.txt").exists()


def test_other_user_cannot_start_kernel(hub):
    response = as_user(hub, "bob", "/user/alice/api/kernels", method="POST", json={"name": "python3"})
    assert response.status_code in (403, 404)
    kernels = as_user(hub, "alice", "/user/alice/api/kernels").json()
    assert [k["id"] for k in kernels] == [hub.alice_kernel]


def test_other_user_kernel_websocket_rejected(hub):
    url = f"{hub.url.replace('http://', 'ws://')}/user/alice/api/kernels/{hub.alice_kernel}/channels"
    with pytest.raises(websocket.WebSocketBadStatusException) as raised:
        websocket.create_connection(url, header=[f"Authorization: token {hub.tokens['bob']}"], timeout=30)
    assert raised.value.status_code in (403, 404)


def test_other_user_cookie_redirected_away(hub):
    session = hub.login("bob")
    response = session.get(f"{hub.url}/user/alice/api/contents/secret.txt", allow_redirects=True, timeout=30)
    assert SECRET not in response.text
    assert response.status_code in (403, 404) or "/user/alice/" not in response.url


def test_other_user_cannot_stop_server(hub):
    response = as_user(hub, "bob", "/hub/api/users/alice/server", method="DELETE")
    assert response.status_code in (403, 404)
    assert hub.api("GET", "/users/alice").json()["servers"][""]["ready"] is True


def test_cookie_post_without_xsrf_rejected(hub):
    session = hub.login("bob")
    response = session.post(f"{hub.url}/hub/api/users/bob/server", json={"profile": "small"}, timeout=30)
    assert response.status_code == 403
    assert "" not in hub.api("GET", "/users/bob").json()["servers"]


def test_jobs_service_rejects_token_without_scope(hub):
    created = hub.api("POST", "/users/alice/tokens", json={"note": "narrow", "expires_in": 600, "scopes": ["read:users:name!user=alice"]})
    assert created.status_code == 201, created.text
    narrow = created.json()["token"]
    response = requests.get(f"{hub.url}/services/jobs/api/jobs", headers={"Authorization": f"token {narrow}"}, timeout=30)
    assert response.status_code == 403
    assert "alice-report" not in response.text
    full = requests.get(f"{hub.url}/services/jobs/api/jobs", headers={"Authorization": f"token {hub.tokens['alice']}"}, timeout=30)
    assert full.status_code == 200


def test_jobs_service_rejects_forged_token(hub):
    response = requests.get(f"{hub.url}/services/jobs/api/jobs", headers={"Authorization": "token " + "0" * 43}, timeout=30)
    assert response.status_code in (401, 403)
    assert "alice-report" not in response.text


def run_job_to_end(hub: HubProcess, job: str) -> dict:
    api = f"{hub.url}/services/jobs/api/jobs/{job}"
    headers = {"Authorization": f"token {hub.tokens['alice']}"}
    started = requests.post(f"{api}/run", headers=headers, timeout=30)
    assert started.status_code == 202, started.text
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        runs = requests.get(api, headers=headers, timeout=30).json()["runs"]
        run = next((r for r in runs if r["run_id"] == run_id), {})
        if run.get("status") not in (None, "running"):
            return run
        time.sleep(1)
    raise AssertionError(f"run {run_id} of {job} did not finish")


def files_under(*roots: Path):
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.name.endswith((".sqlite", ".sqlite-journal")):
                yield path


@pytest.fixture(scope="module")
def finished_run(hub) -> dict:
    return run_job_to_end(hub, "alice-report")


def test_tokens_absent_from_logs_and_files(hub, finished_run):
    assert finished_run["status"] == "succeeded", finished_run
    secrets = {"admin-service": hub.admin_token, "scraper": SCRAPER_TOKEN, **hub.tokens}
    log = hub.log_text()
    assert "alice-report" in log
    for name, token in secrets.items():
        assert token not in log, f"the {name} token appears in the hub log"
    for path in files_under(hub.data_dir, hub.jobs_dir):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for name, token in secrets.items():
            assert token not in text, f"the {name} token appears in {path}"


def scrape(hub: HubProcess, path: str, token: str) -> requests.Response:
    return requests.get(f"{hub.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_metrics_scraped_with_scope(hub, finished_run):
    response = scrape(hub, "/services/jobs/metrics", SCRAPER_TOKEN)
    assert response.status_code == 200, response.text
    assert 'nbplatform_job_runs_total{job="alice-report",status="succeeded"} 1.0' in response.text
    assert 'nbplatform_job_last_success_timestamp_seconds{job="alice-report"}' in response.text
    assert 'nbplatform_job_run_duration_seconds_count{job="alice-report"} 1.0' in response.text


def test_hub_metrics_same_token(hub):
    response = scrape(hub, "/hub/metrics", SCRAPER_TOKEN)
    assert response.status_code == 200
    assert "jupyterhub_" in response.text


def test_metrics_need_read_metrics_scope(hub):
    response = scrape(hub, "/services/jobs/metrics", hub.tokens["alice"])
    assert response.status_code == 403
    assert "nbplatform_job_runs" not in response.text


def test_metrics_reject_anonymous(hub):
    response = requests.get(f"{hub.url}/services/jobs/metrics", timeout=30, allow_redirects=False)
    assert response.status_code == 403
