"""The hub service entry and roles of the jobs service."""

from __future__ import annotations

from nbplatform.config import Settings
from nbplatform.web.service import hub_service_config


def test_service_entry_on_loopback(monkeypatch, tmp_path):
    monkeypatch.delenv("NBPLATFORM_JOBS_PORT", raising=False)
    services, roles = hub_service_config(Settings(data_dir=tmp_path, port=8000))
    service = services[0]
    assert service["name"] == "jobs"
    assert service["url"] == "http://127.0.0.1:8101"
    assert service["oauth_no_confirm"] is True
    assert service["command"][-1] == "nbplatform.web.service"
    assert service["environment"]["NBPLATFORM_DATA_DIR"] == str(tmp_path)


def test_service_port_follows_hub(monkeypatch, tmp_path):
    monkeypatch.delenv("NBPLATFORM_JOBS_PORT", raising=False)
    services, _ = hub_service_config(Settings(data_dir=tmp_path, port=41000))
    assert services[0]["url"] == "http://127.0.0.1:41101"
    monkeypatch.setenv("NBPLATFORM_JOBS_PORT", "9123")
    services, _ = hub_service_config(Settings(data_dir=tmp_path, port=41000))
    assert services[0]["url"] == "http://127.0.0.1:9123"


def test_roles_grant_access_and_admin_lookup(tmp_path):
    _, roles = hub_service_config(Settings(data_dir=tmp_path))
    by_name = {role["name"]: role for role in roles}
    assert by_name["user"]["scopes"] == ["self", "access:services!service=jobs"]
    assert by_name["nbplatform-jobs-service"]["scopes"] == ["read:users"]
    assert by_name["nbplatform-jobs-service"]["services"] == ["jobs"]


def test_environment_has_no_api_token(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "secret-token-value")
    services, _ = hub_service_config(Settings(data_dir=tmp_path))
    assert "secret-token-value" not in repr(services)
