"""The jobs service behind a real hub and proxy: ownership enforced in the API, pages in both languages."""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import psutil
import pytest
import requests

from support.hub import HubProcess
from support.ports import free_port

from .conftest import spec_for, start_jobs_hub

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = start_jobs_hub(tmp_path_factory.mktemp("jobs-hub"))
    try:
        spec_for(hub.context, "quick.ipynb", "alice-report", owner="alice")
        spec_for(hub.context, "quick.ipynb", "bob-report", owner="bob")
        home = hub.data_dir / "home" / "alice"
        home.mkdir(parents=True)
        (home / "typed.ipynb").write_bytes((Path(__file__).parent / "notebooks" / "typed.ipynb").read_bytes())
        yield hub
    finally:
        hub.cleanup()


def call(hub: HubProcess, method: str, path: str, user: str | None, **kwargs) -> requests.Response:
    headers = {"Authorization": f"token {hub.tokens[user]}"} if user else {}
    return requests.request(method, hub.jobs_api + path, headers=headers, timeout=30, **kwargs)


def job_names(response: requests.Response) -> set[str]:
    return {job["name"] for job in response.json()["jobs"]}


def test_list_owner_sees_own_jobs(hub):
    assert job_names(call(hub, "GET", "/jobs", "alice")) == {"alice-report"}
    assert job_names(call(hub, "GET", "/jobs", "bob")) == {"bob-report"}


def test_list_admin_sees_all_jobs(hub):
    response = call(hub, "GET", "/jobs", "admin")
    assert response.json()["admin"] is True
    assert job_names(response) == {"alice-report", "bob-report"}


def test_broken_spec_shown_to_admin_only(hub):
    broken = hub.context.settings.jobs_dir / "half-edited.yaml"
    broken.write_text("name: half-edited\nschedule: every morning\n")
    try:
        admin = call(hub, "GET", "/jobs", "admin").json()
        alice = call(hub, "GET", "/jobs", "alice").json()
    finally:
        broken.unlink()
    assert "half-edited.yaml" in admin["invalid_specs"]
    assert "half-edited.yaml" in admin["invalid_specs"]["half-edited.yaml"]
    assert "invalid_specs" not in alice
    assert job_names(call(hub, "GET", "/jobs", "admin")) == {"alice-report", "bob-report"}


def test_api_rejects_anonymous(hub):
    assert call(hub, "GET", "/jobs", None).status_code == 403


def test_show_other_users_job_not_found(hub):
    assert call(hub, "GET", "/jobs/bob-report", "alice").status_code == 404
    assert call(hub, "GET", "/jobs/bob-report", "bob").status_code == 200


def test_pause_other_users_job_rejected(hub):
    assert call(hub, "POST", "/jobs/bob-report/pause", "alice").status_code == 404
    assert hub.context.specs.get("bob-report").paused is False
    assert call(hub, "POST", "/jobs/bob-report/run", "alice").status_code == 404
    assert call(hub, "DELETE", "/jobs/bob-report", "alice").status_code == 404
    assert hub.context.specs.path_for("bob-report").exists()


def test_pause_resume_own_job(hub):
    paused = call(hub, "POST", "/jobs/alice-report/pause", "alice")
    assert paused.status_code == 200
    assert paused.json()["next_run"] is None
    assert hub.context.specs.get("alice-report").paused is True
    resumed = call(hub, "POST", "/jobs/alice-report/resume", "alice")
    assert resumed.status_code == 200
    assert hub.context.specs.get("alice-report").paused is False


def test_admin_pauses_any_job(hub):
    assert call(hub, "POST", "/jobs/bob-report/pause", "admin").status_code == 200
    assert hub.context.specs.get("bob-report").paused is True
    assert call(hub, "POST", "/jobs/bob-report/resume", "admin").status_code == 200


def test_run_now_links_output(hub):
    started = call(hub, "POST", "/jobs/alice-report/run", "alice")
    assert started.status_code == 202
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + 90
    run = {}
    while time.monotonic() < deadline:
        runs = call(hub, "GET", "/jobs/alice-report", "alice").json()["runs"]
        run = next((r for r in runs if r["run_id"] == run_id), {})
        if run.get("status") not in (None, "running"):
            break
        time.sleep(1)
    assert run.get("status") == "succeeded", run
    assert run["trigger"] == "manual"
    html = requests.get(hub.url + run["html_url"], headers={"Authorization": f"token {hub.tokens['alice']}"}, timeout=30)
    assert html.status_code == 200
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert "45" in html.text
    other = requests.get(hub.url + run["html_url"], headers={"Authorization": f"token {hub.tokens['bob']}"}, timeout=30)
    assert other.status_code == 404
    launched = [line for line in hub.log_text().splitlines() if f"Run {run_id} of job 'alice-report' launched" in line]
    assert len(launched) == 1
    assert "owner alice, trigger manual, requested by alice" in launched[0]


def test_jobs_page_in_japanese(hub):
    session = hub.login("alice")
    page = session.get(f"{hub.url}/services/jobs/", headers={"Accept-Language": "ja"}, timeout=30)
    assert page.status_code == 200
    assert "スケジュールジョブ" in page.text
    assert "alice-report" in page.text
    assert "bob-report" not in page.text


def test_jobs_page_in_english(hub):
    session = hub.login("bob")
    page = session.get(f"{hub.url}/services/jobs/", headers={"Accept-Language": "en-US,en;q=0.9"}, timeout=30)
    assert "Scheduled jobs" in page.text
    assert "bob-report" in page.text


def test_promote_page_writes_spec(hub):
    session = hub.login("alice")
    page = session.get(f"{hub.url}/services/jobs/promote", timeout=30)
    assert "typed.ipynb" in page.text
    xsrf = page.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    form = {"_xsrf": xsrf, "notebook": "typed.ipynb", "name": "alice-typed", "schedule": "0 6 * * 1",
            "timezone": "Asia/Tokyo", "parameters": "window=[5, 6]\nstart=2024-02-01"}
    done = session.post(f"{hub.url}/services/jobs/promote", data=form, timeout=30)
    assert done.status_code == 200, done.text
    spec = hub.context.specs.get("alice-typed")
    assert spec.owner == "alice"
    assert spec.parameters["window"] == [5, 6]


def test_promote_page_rejects_outside_home(hub):
    session = hub.login("alice")
    page = session.get(f"{hub.url}/services/jobs/promote", timeout=30)
    xsrf = page.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    form = {"_xsrf": xsrf, "notebook": "../bob/x.ipynb", "name": "escape", "schedule": "0 6 * * 1"}
    response = session.post(f"{hub.url}/services/jobs/promote", data=form, timeout=30)
    assert response.status_code == 400
    assert not hub.context.specs.path_for("escape").exists()
    rejected = [line for line in hub.log_text().splitlines() if "Promotion of '../bob/x.ipynb' by 'alice' rejected" in line]
    assert len(rejected) == 1


def test_service_listed_in_hub(hub):
    services = hub.api("GET", "/services").json()
    assert "jobs" in services


def test_page_button_request_with_xsrf(hub):
    # The request the page's Pause button sends, without a browser.
    session = hub.login("alice")
    page = session.get(f"{hub.url}/services/jobs/", timeout=30)
    xsrf = page.text.split('const xsrf = "', 1)[1].split('"', 1)[0]
    url = f"{hub.url}/services/jobs/api/jobs/alice-report/pause"
    assert session.post(url, timeout=30).status_code == 403
    assert hub.context.specs.get("alice-report").paused is False
    response = session.post(url, headers={"X-XSRFToken": xsrf}, timeout=30)
    assert response.status_code == 200
    assert hub.context.specs.get("alice-report").paused is True
    resumed = session.post(url.replace("/pause", "/resume"), headers={"X-XSRFToken": xsrf}, timeout=30)
    assert resumed.status_code == 200


@pytest.mark.browser
def test_browser_pause_resume_in_japanese(hub):
    from support.browser import chromium_page

    with chromium_page(locale="ja-JP") as page:
        page.goto(f"{hub.url}/hub/login?next=%2Fservices%2Fjobs%2F")
        page.fill("#username_input", "alice")
        page.fill("#password_input", hub.users["alice"]["password"])
        page.click("#login_submit")
        page.wait_for_selector("tr[data-job='alice-report']", timeout=60_000)
        assert "スケジュールジョブ" in page.content()
        assert page.locator("tr[data-job='bob-report']").count() == 0
        page.click("tr[data-job='alice-report'] button[data-action='pause']")
        page.wait_for_selector("tr[data-job='alice-report'] button[data-action='resume']", timeout=30_000)
        assert hub.context.specs.get("alice-report").paused is True
        assert "一時停止中" in page.inner_text("tr[data-job='alice-report']")
        page.click("tr[data-job='alice-report'] button[data-action='resume']")
        page.wait_for_selector("tr[data-job='alice-report'] button[data-action='pause']", timeout=30_000)
        assert hub.context.specs.get("alice-report").paused is False


def test_run_cannot_read_service_token(hub):
    spec = spec_for(hub.context, "env_probe.ipynb", "alice-env", owner="alice")
    started = call(hub, "POST", f"/jobs/{spec.name}/run", "alice")
    assert started.status_code == 202
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + 90
    run = {}
    while time.monotonic() < deadline:
        runs = call(hub, "GET", f"/jobs/{spec.name}", "alice").json()["runs"]
        run = next((r for r in runs if r["run_id"] == run_id), {})
        if run.get("status") not in (None, "running"):
            break
        time.sleep(1)
    assert run.get("status") == "succeeded", run
    nb = nbformat.reads(hub.context.store_for(spec).read_bytes(spec.name, run_id, "output.ipynb").decode("utf-8"), as_version=4)
    printed = "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs)
    assert printed.strip() == "hub token absent"


def test_service_stops_after_hub_killed(tmp_path):
    hub = HubProcess(tmp_path, env={"NBPLATFORM_JOBS_PORT": str(free_port()), "NBPLATFORM_JOBS_DIR": str(tmp_path / "jobs")})
    hub.start()
    try:
        service = next(
            child for child in psutil.Process(hub.proc.pid).children()
            if "nbplatform.web.service" in " ".join(child.cmdline())
        )
        hub.kill()
        service.wait(timeout=30)
        assert not service.is_running()
    finally:
        hub.cleanup()


def wait_for_run(hub, job: str, run_id: str, user: str = "alice") -> dict:
    deadline = time.monotonic() + 90
    run = {}
    while time.monotonic() < deadline:
        runs = call(hub, "GET", f"/jobs/{job}", user).json()["runs"]
        run = next((r for r in runs if r["run_id"] == run_id), {})
        if run.get("status") not in (None, "running"):
            break
        time.sleep(1)
    return run


@pytest.fixture(scope="module")
def blocked_run(hub, tmp_path_factory):
    """A run started with Run now of a job whose output location is a path below a regular file.

    Root, which runs CI, may write into any directory but cannot create one below a file either.
    """
    from .conftest import Receiver

    receiver = Receiver()
    blocker = tmp_path_factory.mktemp("blocked") / "not-a-directory"
    blocker.write_text("")
    location = str(blocker / "runs")
    spec = spec_for(
        hub.context, "quick.ipynb", "alice-blocked", owner="alice", output={"location": location},
        alerts={"webhook": receiver.url + "/hook", "sentry": False},
    )
    try:
        started = call(hub, "POST", f"/jobs/{spec.name}/run", "alice")
        assert started.status_code == 202
        run = wait_for_run(hub, spec.name, started.json()["run_id"])
        deadline = time.monotonic() + 30
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.2)
        yield {"spec": spec, "location": location, "run": run, "alerts": list(receiver.received)}
    finally:
        receiver.close()


def test_unwritable_run_in_api(blocked_run):
    run, location = blocked_run["run"], blocked_run["location"]
    assert run.get("status") == "failed", run
    assert run["error_name"] == "output-not-writable"
    assert run["output_location"] == location
    assert f"Output location {location} is not writable" in run["error_message"]
    assert "Fix:" in run["error_message"]


def test_unwritable_run_recorded(hub, blocked_run):
    run_id = blocked_run["run"]["run_id"]
    record = hub.context.store_for().read_record("alice-blocked", run_id)
    assert record.status == "failed"
    assert record.output_location == blocked_run["location"]
    assert blocked_run["run"]["recorded_in"] == hub.context.store_for().url("alice-blocked", run_id, "").rstrip("/")


def test_unwritable_run_alerted(blocked_run):
    assert len(blocked_run["alerts"]) == 1
    path, headers, body = blocked_run["alerts"][0]
    payload = json.loads(body)
    assert path == "/hook"
    assert payload["run_id"] == blocked_run["run"]["run_id"]
    assert payload["error_name"] == "output-not-writable"
    assert blocked_run["location"] in payload["error_message"]


def test_unwritable_run_on_page_in_english(hub, blocked_run):
    session = hub.login("alice")
    page = session.get(f"{hub.url}/services/jobs/", headers={"Accept-Language": "en"}, timeout=30)
    row = page.text.split(f'data-run="{blocked_run["run"]["run_id"]}"', 1)[1].split('<div class="run"', 1)[0]
    assert "failed" in row
    assert f"Output location {blocked_run['location']} is not writable" in row
    assert "remove output.location from the job spec" in row


@pytest.mark.browser
def test_browser_unwritable_run_in_japanese(hub, blocked_run):
    from support.browser import chromium_page

    run_id = blocked_run["run"]["run_id"]
    with chromium_page(locale="ja-JP") as page:
        page.goto(f"{hub.url}/hub/login?next=%2Fservices%2Fjobs%2F")
        page.fill("#username_input", "alice")
        page.fill("#password_input", hub.users["alice"]["password"])
        page.click("#login_submit")
        selector = f"tr[data-job='alice-blocked'] .run[data-run='{run_id}']"
        page.wait_for_selector(selector, timeout=60_000)
        text = page.inner_text(selector)
    assert "失敗" in text
    assert f"出力先 {blocked_run['location']} に書き込めない" in text
    assert "output.location を削除" in text
