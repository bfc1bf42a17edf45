"""Sign in, pick a profile and land in JupyterLab, in headless chromium."""

from __future__ import annotations

import pytest

from support.browser import chromium_page
from support.hub import HubProcess

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = HubProcess(tmp_path_factory.mktemp("browser-hub"))
    process.start()
    yield process
    process.cleanup()


def test_sign_in_pick_profile_open_jupyterlab(hub, tmp_path):
    with chromium_page() as page:
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", "alice")
        page.fill("#password_input", hub.users["alice"]["password"])
        page.click("#login_submit")

        page.wait_for_url("**/hub/spawn**", timeout=30_000)
        labels = page.locator("input[name=profile]")
        assert labels.count() >= 2
        page.check("input[name=profile][value=large]")
        page.click("form#spawn_form [type=submit]")

        page.wait_for_url("**/user/alice/lab**", timeout=180_000)
        page.wait_for_selector("#jp-main-dock-panel", timeout=120_000)
        page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        assert "JupyterLab" in page.title()

    model = hub.api("GET", "/users/alice").json()
    assert model["servers"][""]["user_options"]["profile"] == "large"
    hub.api("DELETE", "/users/alice/server")
    hub.wait_for_stop("alice")
