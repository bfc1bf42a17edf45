"""Profiles in a real hub: group filtering, rejections through the REST API, quotas, hot reload, fallback.

A real JupyterHub with configurable-http-proxy and the local spawner runs
for the whole module; servers are real JupyterLab processes.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from support.hub import HubProcess

pytestmark = pytest.mark.slow

USERS = {
    "admin": {"password": "admin-pass", "admin": True, "groups": []},
    "alice": {"password": "alice-pass", "groups": ["ml"]},
    "bob": {"password": "bob-pass", "groups": []},
    "carol": {"password": "carol-pass", "groups": []},
    "dave": {"password": "dave-pass", "groups": []},
}

MAIN_PROFILES = """
- display_name: Small
  slug: small
  default: true
  cost_per_hour: 0.05
  kubespawner_override:
    cpu_limit: 1
    mem_limit: 2G
    environment: {FROM_SMALL: "yes"}
- display_name: Solo
  slug: solo
  max_servers: 1
  cost_per_hour: 0.40
  kubespawner_override: {cpu_limit: 2, cpu_guarantee: 1, mem_limit: 3G, mem_guarantee: 1G}
  profile_options:
    flavour:
      display_name: Flavour
      choices:
        plain: {display_name: Plain}
      unlisted_choice:
        enabled: true
        display_name: Custom flavour
        validation_regex: "^[a-z]+$"
        validation_message: "Use lower-case letters only."
        kubespawner_override: {environment: {FLAVOUR: "{value}"}}
- display_name: ML only
  slug: mlonly
  groups: [ml]
- display_name: Retired
  slug: retired
  enabled: false
"""

EXTRA_PROFILES = """
- display_name: Gone soon
  slug: gone
- display_name: Broken
  slug: broken
  kubespawner_override:
    mem_limit: 20M
    environment: {FROM_BROKEN: "yes"}
"""


def write_later(path: Path, text: str) -> None:
    """Write ``text`` and make sure the modification time moves forward."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(textwrap.dedent(text))
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.fixture(scope="module")
def profiles_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("profiles")
    (directory / "main.yaml").write_text(MAIN_PROFILES)
    (directory / "extra.yaml").write_text(EXTRA_PROFILES)
    return directory


@pytest.fixture(scope="module")
def hub(tmp_path_factory, profiles_dir):
    # The deliberately broken server fails fast: the local spawner reports a
    # process that exits before its port opens.
    process = HubProcess(tmp_path_factory.mktemp("hub"), users=USERS, profiles_dir=profiles_dir)
    process.start()
    yield process
    process.cleanup()


def spawn_form(hub: HubProcess, user: str, language: str = "en") -> str:
    session = hub.login(user)
    response = session.get(f"{hub.url}/hub/spawn", headers={"Accept-Language": language}, timeout=30)
    assert response.status_code == 200, response.text
    # The hub sends no charset in Content-Type, so decode explicitly.
    return response.content.decode("utf-8")


def start(hub: HubProcess, user: str, body: dict | None):
    kwargs = {"json": body} if body is not None else {}
    return hub.api("POST", f"/users/{user}/server", **kwargs)


def stop(hub: HubProcess, user: str) -> None:
    response = hub.api("DELETE", f"/users/{user}/server")
    assert response.status_code in (202, 204), response.text
    hub.wait_for_stop(user)


def server_environment(hub: HubProcess, user: str) -> dict[str, str]:
    """Return the environment of ``user``'s server process started by this hub (other hubs may run too)."""
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "jupyterhub.singleuser" in " ".join(process.info["cmdline"] or []):
                env = process.environ()
                if env.get("JUPYTERHUB_USER") == user and env.get("NBPLATFORM_DATA_DIR") == str(hub.data_dir.resolve()):
                    return env
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    raise AssertionError(f"no server process for {user}")


def test_form_filters_by_group(hub):
    bob_form = spawn_form(hub, "bob")
    alice_form = spawn_form(hub, "alice")
    admin_form = spawn_form(hub, "admin")
    assert 'value="small"' in bob_form
    assert 'value="mlonly"' not in bob_form
    assert 'value="mlonly"' in alice_form
    assert 'value="mlonly"' in admin_form
    assert 'value="retired"' not in admin_form


def test_form_cost_slots_language(hub):
    english = spawn_form(hub, "bob")
    japanese = spawn_form(hub, "bob", "ja,en;q=0.5")
    assert "0.40 USD per hour" in english
    assert "1 of 1 slots free" in english
    assert "1 時間あたり 0.40 USD" in japanese
    assert "空き 1 / 1" in japanese


def test_api_hidden_profile_rejected(hub):
    response = start(hub, "bob", {"profile": "mlonly"})
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Profile 'mlonly' is not available to you: it is limited to the groups ml. "
        "Pick one of: gone, broken, small, solo, or ask an admin to add you to one of those groups."
    )


def test_api_disabled_profile_rejected(hub):
    response = start(hub, "alice", {"profile": "retired"})
    assert response.status_code == 403
    assert response.json()["message"].startswith("Profile 'retired' is disabled by an admin.")


def test_api_unknown_profile_rejected(hub):
    response = start(hub, "bob", {"profile": "nope"})
    assert response.status_code == 400
    assert "Profile 'nope' does not exist" in response.json()["message"]


def test_api_invalid_free_text_rejected(hub):
    response = start(hub, "bob", {"profile": "solo", "flavour--unlisted-choice": "NOT OK"})
    assert response.status_code == 400
    assert "'NOT OK' is invalid. Use lower-case letters only." in response.json()["message"]


def test_quota_across_users(hub):
    response = start(hub, "bob", {"profile": "solo", "flavour--unlisted-choice": "mint"})
    assert response.status_code in (201, 202), response.text
    hub.wait_for_server("bob")
    try:
        assert server_environment(hub, "bob")["FLAVOUR"] == "mint"
        rejected = start(hub, "alice", {"profile": "solo"})
        assert rejected.status_code == 409
        assert rejected.json()["message"] == (
            "Profile 'solo' is full: 1 of 1 servers are in use. "
            "Pick another profile (gone, broken, small, mlonly) or try again when a server stops."
        )
        assert "Full: 1 of 1 servers in use" in spawn_form(hub, "alice")

        data = hub.login("admin").get(f"{hub.url}/hub/profiles-admin?format=json", timeout=30).json()
        solo = next(row for row in data["profiles"] if row["slug"] == "solo")
        assert solo["servers"] == 1
        assert solo["users"] == ["bob"]
        assert solo["cpu"] == 1
        assert solo["memory_bytes"] == 1024**3
        assert solo["total_cost_per_hour"] == pytest.approx(0.40)
    finally:
        stop(hub, "bob")
    response = start(hub, "alice", {"profile": "solo"})
    assert response.status_code in (201, 202), response.text
    hub.wait_for_server("alice")
    stop(hub, "alice")


def test_admin_page_for_admins_only(hub):
    response = hub.login("bob").get(f"{hub.url}/hub/profiles-admin", timeout=30)
    assert response.status_code == 403
    page = hub.login("admin").get(f"{hub.url}/hub/profiles-admin", timeout=30)
    assert page.status_code == 200
    assert 'id="nbp-profiles-table"' in page.text
    assert "main.yaml:2" in page.text


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing; install it with: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def browser_login(browser, hub: HubProcess, user: str, locale: str = "en-US"):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", USERS[user]["password"])
    page.click("#login_submit, input[type=submit], button[type=submit]")
    page.wait_for_url("**/hub/**")
    return context, page


@pytest.mark.browser
def test_browser_form_and_admin_page(hub, browser):
    context, page = browser_login(browser, hub, "alice", locale="ja-JP")
    try:
        page.goto(f"{hub.url}/hub/spawn")
        assert page.locator("#profile-item-mlonly").count() == 1
        assert page.locator("#profile-item-retired").count() == 0
        assert "1 時間あたり 0.40 USD" in page.locator("label[data-slug=solo]").inner_text()

        select = page.locator("#profile-option-solo--flavour")
        text = page.locator("#profile-option-solo--flavour--unlisted-choice")
        assert not text.is_visible()
        select.select_option("unlisted-choice")
        assert text.is_visible()
        assert select.get_attribute("name") is None
        assert text.get_attribute("name") == "profile-option-solo--flavour--unlisted-choice"
        assert page.locator("#profile-item-solo").is_checked()

        text.fill("NOT OK")
        assert text.evaluate("element => element.checkValidity()") is False
        text.fill("mint")
        assert text.evaluate("element => element.checkValidity()") is True
        page.click("#spawn_form button[type=submit], #spawn_form input[type=submit]")
        model = hub.wait_for_server("alice")
        assert model["user_options"] == {"profile": "solo", "flavour--unlisted-choice": "mint"}
    finally:
        context.close()

    context, page = browser_login(browser, hub, "admin")
    try:
        page.goto(f"{hub.url}/hub/profiles-admin")
        row = page.locator("#nbp-profiles-table tr[data-slug=solo]")
        assert row.locator(".nbp-servers").inner_text().strip() == "1 / 1"
        assert row.locator(".nbp-users").inner_text().strip() == "alice"
        assert row.locator(".nbp-cost").inner_text().strip() == "0.40 USD"
        assert row.locator(".nbp-state").inner_text().strip() == "valid"
        assert page.locator("#nbp-total").count() == 1
    finally:
        context.close()
        stop(hub, "alice")


def test_failed_start_leaves_nothing(hub):
    failed = start(hub, "dave", {"profile": "broken"})
    if failed.status_code in (201, 202):
        with pytest.raises(RuntimeError):
            hub.wait_for_server("dave", timeout=90)
    hub.wait_for_stop("dave")
    response = start(hub, "dave", {"profile": "small"})
    assert response.status_code in (201, 202), response.text
    hub.wait_for_server("dave")
    try:
        env = server_environment(hub, "dave")
        assert env["NBPLATFORM_PROFILE"] == "small"
        assert env["FROM_SMALL"] == "yes"
        assert "FROM_BROKEN" not in env
        assert env["MEM_LIMIT"] == str(2 * 1024**3)
    finally:
        stop(hub, "dave")


def test_vanished_profile_falls_back(hub, profiles_dir):
    response = start(hub, "carol", {"profile": "gone"})
    assert response.status_code in (201, 202), response.text
    hub.wait_for_server("carol")
    stop(hub, "carol")
    write_later(profiles_dir / "extra.yaml", "- {display_name: Kept, slug: kept}\n")
    time.sleep(1.2)
    form = spawn_form(hub, "carol")
    assert "Your last profile &#39;gone&#39; no longer exists" in form
    response = start(hub, "carol", None)
    assert response.status_code in (201, 202), response.text
    model = hub.wait_for_server("carol")
    try:
        assert model["user_options"]["profile"] == "small"
        env = server_environment(hub, "carol")
        assert env["NBPLATFORM_PROFILE"] == "small"
        assert "no longer exists" in env["NBPLATFORM_PROFILE_NOTICE"]
        assert "Saved profile 'gone' of carol" in hub.log_text()
    finally:
        stop(hub, "carol")


def test_hot_reload_keeps_last_good(hub, profiles_dir):
    path = profiles_dir / "main.yaml"
    write_later(path, MAIN_PROFILES.replace("mem_limit: 2G", "mem_limit: 2GB"))
    # The background check logs the problem without any request to the hub.
    expected = f"{path}:8: small: kubespawner_override.mem_limit: invalid memory size '2GB'."
    deadline = time.monotonic() + 15
    while expected not in hub.log_text() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert expected in hub.log_text()
    form = spawn_form(hub, "bob")
    assert 'value="small"' in form
    data = hub.login("admin").get(f"{hub.url}/hub/profiles-admin?format=json", timeout=30).json()
    assert data["issues"][0].startswith(expected)
    small = next(row for row in data["profiles"] if row["slug"] == "small")
    assert small["state"] == "invalid_file"

    write_later(path, MAIN_PROFILES + "- {display_name: Fresh, slug: fresh}\n")
    time.sleep(1.2)
    assert 'value="fresh"' in spawn_form(hub, "bob")
    data = hub.login("admin").get(f"{hub.url}/hub/profiles-admin?format=json", timeout=30).json()
    assert data["issues"] == []
