"""The profile form: KubeSpawner field names, cost, free slots, full profiles, Japanese text."""

from __future__ import annotations

import re

import pytest

from nbplatform.profiles import Profile
from nbplatform.spawners.form import FormEntry, render_profile_form

SMALL = Profile(display_name="Small", slug="small", default=True, cost_per_hour=0.05, kubespawner_override={"cpu_limit": 1, "mem_limit": "2G"})
LARGE = Profile(display_name="Large", slug="large", max_servers=3, cost_per_hour=0.4)
GPU = Profile(
    display_name="GPU",
    slug="gpu",
    groups=["ml"],
    max_servers=1,
    kubespawner_override={"extra_resource_limits": {"nvidia.com/gpu": "1"}},
    profile_options={
        "image": {
            "display_name": "Image",
            "choices": {
                "base": {"display_name": "Base"},
                "torch": {"display_name": "PyTorch", "default": True},
            },
            "unlisted_choice": {"enabled": True, "display_name": "Custom image", "validation_regex": "^ex/.+$"},
        }
    },
)


def render(entries, **kwargs):
    kwargs.setdefault("locale", "en")
    return render_profile_form(entries, **kwargs)


def test_form_field_names():
    html = render([FormEntry(SMALL), FormEntry(GPU)])
    assert 'name="profile" id="profile-item-small" value="small"' in html
    assert 'name="profile-option-gpu--image"' in html
    assert 'data-name="profile-option-gpu--image--unlisted-choice"' in html
    assert '<option value="unlisted-choice"' in html


def test_form_default_checked():
    html = render([FormEntry(LARGE), FormEntry(SMALL)])
    assert re.search(r'id="profile-item-small" value="small"\s+checked', html)
    assert not re.search(r'id="profile-item-large" value="large"\s+checked', html)


def test_form_saved_options_selected():
    html = render([FormEntry(SMALL), FormEntry(GPU)], user_options={"profile": "gpu", "image": "base"})
    assert re.search(r'id="profile-item-gpu" value="gpu"\s+checked', html)
    assert '<option value="base" selected>' in html


def test_form_default_choice_selected():
    html = render([FormEntry(GPU)])
    assert '<option value="torch" selected>' in html


def test_form_cost_and_slots():
    html = render([FormEntry(SMALL), FormEntry(LARGE, in_use=1)])
    assert "0.05 USD per hour" in html
    assert "2 of 3 slots free" in html
    assert "no server limit" in html
    assert "1 CPU" in html
    assert "2G memory" in html


def test_form_full_profile_disabled():
    html = render([FormEntry(SMALL), FormEntry(LARGE, in_use=3)])
    assert re.search(r'value="large"\s+disabled', html)
    assert "Full: 3 of 3 servers in use" in html


def test_form_japanese():
    html = render([FormEntry(SMALL), FormEntry(LARGE, in_use=1), FormEntry(GPU)], locale="ja", currency="JPY")
    assert "1 時間あたり 0.40 JPY" in html
    assert "空き 2 / 3" in html
    assert "その他..." in html
    assert 'lang="ja"' in html


def test_form_escapes_text():
    evil = Profile(display_name="<script>x</script>", slug="evil")
    html = render([FormEntry(evil)])
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_form_notice():
    html = render([FormEntry(SMALL)], notice="Profile gone")
    assert 'id="nbp-notice">Profile gone</p>' in html


def test_form_empty():
    html = render([], locale="ja")
    assert "利用できるリソースプロファイルがありません" in html


def test_options_from_form_called_like_jupyterhub(tmp_path):
    from nbplatform.spawners.local import LocalProfileSpawner

    spawner = LocalProfileSpawner(profiles_dir=str(tmp_path))
    formdata = {"profile": ["gpu"], "profile-option-gpu--image": ["base"], "profile-option-small--x": ["y"]}
    assert spawner.run_options_from_form(formdata) == {"profile": "gpu", "image": "base"}


def make_request(method, body=b"", uri="/hub/api/users/alice/server"):
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    start_line = RequestStartLine(method, uri, "HTTP/1.1")
    return HTTPServerRequest(start_line=start_line, body=body, headers=HTTPHeaders({"Host": "127.0.0.1", "Accept-Language": "ja"}))


@pytest.mark.parametrize(
    ("method", "body", "uri", "explicit"),
    [
        ("POST", b'{"profile": "small"}', "/hub/api/users/alice/server", True),
        ("POST", b'{"user_options": {"profile": "small"}}', "/hub/api/users/alice/server", True),
        ("POST", b'{"user_options": null, "display_name": "x"}', "/hub/api/users/alice/servers/x", False),
        ("POST", b"", "/hub/api/users/alice/server", False),
        ("POST", b"profile=small&_xsrf=abc", "/hub/spawn", True),
        ("GET", b"", "/hub/spawn?profile=small", True),
        ("GET", b"", "/hub/spawn", False),
    ],
)
def test_options_source(tmp_path, method, body, uri, explicit):
    from types import SimpleNamespace

    from nbplatform.spawners.local import LocalProfileSpawner

    spawner = LocalProfileSpawner(profiles_dir=str(tmp_path))
    spawner.handler = SimpleNamespace(request=make_request(method, body, uri))
    assert spawner._options_from_request() is explicit
    assert spawner.request_locale() == "ja"
