from pathlib import Path

import pytest

from nbplatform.config import Settings, check_bind_address, detect_mode, is_loopback
from nbplatform.errors import ConfigError


def test_detect_mode_defaults_to_local():
    assert detect_mode({}) == "local"


def test_detect_mode_inside_pod_is_gke():
    assert detect_mode({"KUBERNETES_SERVICE_HOST": "10.0.0.1"}) == "gke"


def test_detect_mode_rejects_unknown_value():
    with pytest.raises(ConfigError, match="NBPLATFORM_MODE='cloud' is invalid"):
        detect_mode({"NBPLATFORM_MODE": "cloud"})


def test_settings_from_env_reads_data_dir(tmp_path):
    settings = Settings.from_env({"NBPLATFORM_DATA_DIR": str(tmp_path), "NBPLATFORM_PORT": "8123"})
    assert settings.data_dir == tmp_path
    assert settings.port == 8123
    assert settings.users_file == tmp_path / "users.yaml"


def test_settings_rejects_non_numeric_port():
    with pytest.raises(ConfigError, match="NBPLATFORM_PORT='abc' is not a port number"):
        Settings.from_env({"NBPLATFORM_PORT": "abc"})


@pytest.mark.parametrize("ip", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses(ip):
    assert is_loopback(ip)


@pytest.mark.parametrize("ip", ["0.0.0.0", "", "10.1.2.3", "example.org", "::"])
def test_non_loopback_addresses(ip):
    assert not is_loopback(ip)


def test_check_bind_address_rejects_all_interfaces():
    with pytest.raises(ConfigError, match="Refusing to listen on '0.0.0.0'"):
        check_bind_address("0.0.0.0", allow_remote=False)


def test_check_bind_address_allows_explicit_remote():
    check_bind_address("0.0.0.0", allow_remote=True)


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root can write anywhere")
def test_ensure_data_dir_rejects_read_only(tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    with pytest.raises(ConfigError, match="is not writable"):
        Settings(data_dir=read_only).ensure_data_dir()


def test_ensure_data_dir_rejects_file_in_path(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me")
    with pytest.raises(ConfigError, match="Cannot create the data directory"):
        Settings(data_dir=blocker / "data").ensure_data_dir()
    assert blocker.read_text() == "keep me"
