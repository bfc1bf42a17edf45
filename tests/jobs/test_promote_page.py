"""The Promote page after an error: every value kept, the error at its field, in English and Japanese, escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import NOTEBOOKS, start_jobs_hub

pytestmark = pytest.mark.slow

SCRIPT = "<script>window.injected = 1</script>"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = start_jobs_hub(tmp_path_factory.mktemp("promote-page"))
    home = hub.data_dir / "home" / "alice"
    home.mkdir(parents=True)
    for name in ("typed.ipynb", "quick.ipynb", "no_parameters.ipynb"):
        (home / name).write_bytes((NOTEBOOKS / name).read_bytes())
    try:
        yield hub
    finally:
        hub.cleanup()


def promote_form(hub, session, language: str = "en") -> str:
    page = session.get(f"{hub.url}/services/jobs/promote", headers={"Accept-Language": language}, timeout=30)
    return re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)


def post_form(hub, fields: dict[str, str], language: str = "en"):
    session = hub.login("alice")
    xsrf = promote_form(hub, session, language)
    return session.post(
        f"{hub.url}/services/jobs/promote", data={"_xsrf": xsrf, **fields},
        headers={"Accept-Language": language}, timeout=30,
    )


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<div class="field-error" id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


BAD_FORM = {
    "notebook": "typed.ipynb", "name": "alice-kept", "schedule": "0 25 * * *", "timezone": "Europe/Paris",
    "profile": "small", "parameters": "count=7\nlabel=seven\nno equals sign",
}


def test_bad_schedule_keeps_values(hub):
    response = post_form(hub, BAD_FORM)
    html = response.text
    assert response.status_code == 400
    assert 'value="alice-kept"' in html
    assert 'value="0 25 * * *"' in html
    assert 'value="Europe/Paris"' in html
    assert 'value="small"' in html
    assert "count=7\nlabel=seven\nno equals sign</textarea>" in html
    assert '<option value="typed.ipynb" selected>' in html
    assert not hub.context.specs.path_for("alice-kept").exists()


def test_bad_schedule_error_at_field(hub):
    html = post_form(hub, BAD_FORM).text
    assert "0 25 * * *" in field_error(html, "schedule")
    assert "5-field cron" in field_error(html, "schedule")
    assert "Line 3 (no equals sign)" in field_error(html, "parameters")
    assert field_error(html, "name") == ""
    assert "Schedule, Parameters" in html.split('id="form-errors"', 1)[1].split("</div>", 1)[0]


def test_bad_schedule_error_in_japanese(hub):
    html = post_form(hub, BAD_FORM, language="ja").text
    assert "cron 式ではありません" in field_error(html, "schedule")
    assert "3 行目" in field_error(html, "parameters")
    assert "スケジュール、パラメータ" in html
    assert 'value="alice-kept"' in html


def test_bad_name_rejected_at_field(hub):
    html = post_form(hub, {**BAD_FORM, "name": "Alice_Report", "schedule": "0 7 * * *", "parameters": ""}).text
    assert "Alice_Report" in field_error(html, "name")
    assert 'value="Alice_Report"' in html


def test_parameter_type_error_at_field(hub):
    # The form is valid; promote() reads the notebook and rejects the value's type.
    fields = {**BAD_FORM, "schedule": "0 7 * * *", "profile": "", "parameters": "count=many"}
    response = post_form(hub, fields, language="ja")
    html = response.text
    assert response.status_code == 400
    assert "count" in field_error(html, "parameters")
    assert "既定値の型 int" in field_error(html, "parameters")
    assert "count=many</textarea>" in html
    assert 'value="0 7 * * *"' in html


def test_missing_parameters_cell_at_notebook(hub):
    fields = {**BAD_FORM, "notebook": "no_parameters.ipynb", "schedule": "0 7 * * *", "profile": "", "parameters": ""}
    html = post_form(hub, fields).text
    assert "no_parameters.ipynb has no cell tagged" in field_error(html, "notebook")
    assert str(hub.data_dir) not in field_error(html, "notebook")
    assert '<option value="no_parameters.ipynb" selected>' in html


def test_unknown_profile_at_field(hub):
    fields = {**BAD_FORM, "schedule": "0 7 * * *", "profile": "huge-gpu", "parameters": ""}
    html = post_form(hub, fields).text
    assert "huge-gpu" in field_error(html, "profile")
    assert "Available profiles" in field_error(html, "profile")


def test_notebook_outside_home_kept(hub):
    fields = {**BAD_FORM, "notebook": "../bob/x.ipynb", "schedule": "0 7 * * *", "parameters": ""}
    response = post_form(hub, fields)
    assert response.status_code == 400
    assert "../bob/x.ipynb" in field_error(response.text, "notebook")
    assert '<option value="../bob/x.ipynb" selected>' in response.text


def test_values_escaped(hub):
    fields = {**BAD_FORM, "schedule": SCRIPT, "timezone": '"><b>zone', "parameters": f"label={SCRIPT}\n{SCRIPT}"}
    html = post_form(hub, fields).text
    assert SCRIPT not in html
    assert "&lt;script&gt;window.injected = 1&lt;/script&gt;" in html
    assert "<b>zone" not in html
    assert 'value="&quot;&gt;&lt;b&gt;zone"' in html


def test_post_without_xsrf_rejected(hub):
    session = hub.login("alice")
    session.get(f"{hub.url}/services/jobs/promote", timeout=30)
    response = session.post(f"{hub.url}/services/jobs/promote", data={**BAD_FORM, "schedule": "0 7 * * *"}, timeout=30)
    assert response.status_code == 403
    assert not hub.context.specs.path_for("alice-kept").exists()


def test_fixed_form_promotes(hub):
    fields = {**BAD_FORM, "schedule": "0 6 * * 1", "profile": "", "parameters": "count=7\nlabel=seven"}
    response = post_form(hub, fields)
    assert response.status_code == 200, response.text
    spec = hub.context.specs.get("alice-kept")
    assert spec.timezone == "Europe/Paris"
    assert spec.parameters == {"count": 7, "label": "seven"}
    hub.context.specs.delete("alice-kept")


def sign_in(page, hub, next_path: str) -> None:
    page.goto(f"{hub.url}/hub/login?next={next_path}")
    page.fill("#username_input", "alice")
    page.fill("#password_input", hub.users["alice"]["password"])
    page.click("#login_submit")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("locale", "schedule_text", "parameters_text"),
    [("en-US", "is not a 5-field cron expression", "Line 2 (oops) is not KEY=VALUE"),
     ("ja-JP", "5 フィールドの cron 式ではありません", "2 行目 (oops) が KEY=VALUE の形ではありません")],
    ids=["en", "ja"],
)
def test_browser_form_kept_after_error(hub, locale, schedule_text, parameters_text):
    from support.browser import chromium_page

    with chromium_page(locale=locale) as page:
        sign_in(page, hub, "%2Fservices%2Fjobs%2Fpromote")
        page.wait_for_selector("#field-name", timeout=60_000)
        page.select_option("#field-notebook", "typed.ipynb")
        page.fill("#field-name", "alice-browser")
        page.fill("#field-schedule", "0 7 * * 8")
        page.fill("#field-timezone", "UTC")
        page.fill("#field-profile", "small")
        page.fill("#field-parameters", f"label={SCRIPT}\noops")
        page.click("button[type=submit]")
        page.wait_for_selector("#schedule-error", timeout=30_000)

        assert page.input_value("#field-notebook") == "typed.ipynb"
        assert page.input_value("#field-name") == "alice-browser"
        assert page.input_value("#field-schedule") == "0 7 * * 8"
        assert page.input_value("#field-timezone") == "UTC"
        assert page.input_value("#field-profile") == "small"
        assert page.input_value("#field-parameters") == f"label={SCRIPT}\noops"
        assert schedule_text in page.inner_text("#schedule-error")
        assert parameters_text in page.inner_text("#parameters-error")
        assert page.get_attribute("#field-schedule", "aria-invalid") == "true"
        assert page.evaluate("window.injected") is None
        assert not hub.context.specs.path_for("alice-browser").exists()

        page.fill("#field-schedule", "0 7 * * 1")
        page.fill("#field-parameters", "label=fixed")
        page.click("button[type=submit]")
        page.wait_for_selector(".done", timeout=30_000)
    spec = hub.context.specs.get("alice-browser")
    assert spec.schedule == "0 7 * * 1"
    assert spec.parameters == {"label": "fixed"}
    hub.context.specs.delete("alice-browser")
