"""The hub configuration as the Zero to JupyterHub chart runs it.

tests/deploy/chart_config.py reproduces the chart's loading: hub/values.yaml is
read and exposed the way ``z2jh.get_config`` exposes it, the chart's own
settings are applied, then the files the hub image puts in
``jupyterhub_config.d`` run. The spawner and authenticator classes the result
names are imported and their base classes checked.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from jupyterhub.auth import Authenticator
from kubespawner import KubeSpawner
from traitlets.utils.importstring import import_item

from nbplatform.errors import ConfigError

from deploy.chart_config import ChartValues, hub_environment, load_hub_config
from deploy.conftest import REPO, VALUES_FILE

CONFIG_DIR = REPO / "images" / "hub" / "jupyterhub_config.d"
SPAWNER = "nbplatform.spawners.kube.ProfileKubeSpawner"
AUTHENTICATOR = "nbplatform.auth.iap.IAPAuthenticator"


def _in_checkout(dotted: str) -> bool:
    """Return whether the module of class ``dotted`` is a file of this checkout.

    The editable install of the shared virtualenv can import modules from
    another checkout, so importability alone would test the wrong files.
    """
    module = dotted.rsplit(".", 1)[0]
    return (REPO / (module.replace(".", "/") + ".py")).exists()


def _resolve(configured):
    """Return the class a ``*_class`` setting names, importing it when it is a dotted string."""
    return configured if isinstance(configured, type) else import_item(configured)


#: Hub variables that terraform/modules/helm_releases sets on top of hub/values.yaml.
TERRAFORM_ENVIRONMENT = {
    "NBPLATFORM_IAP_AUDIENCE": "/projects/123456789/global/backendServices/987654321",
    "NBPLATFORM_ALLOWED_DOMAINS": "example.com",
}


def _pod_environment(tmp_path_factory) -> dict[str, str]:
    """Return the hub container's environment: values.yaml's extraEnv, then Terraform's settings."""
    values = ChartValues.from_file(VALUES_FILE)
    environment = hub_environment(values)
    environment.update(TERRAFORM_ENVIRONMENT)
    # Paths that only exist in the hub pod point at this checkout instead:
    # the profiles ConfigMap mount at profiles/, the data volume at a temp dir.
    environment["NBPLATFORM_PROFILES_DIR"] = str(REPO / "profiles")
    environment["NBPLATFORM_DATA_DIR"] = str(tmp_path_factory.mktemp("hub-data"))
    # Set in every pod. Configuration must not connect to it; a loopback
    # address keeps any attempt on this machine.
    environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1"
    return environment


@pytest.fixture(scope="module")
def hub_config(tmp_path_factory):
    if not _in_checkout("nbplatform.wiring.configure"):
        pytest.skip("nbplatform.wiring is not in this checkout yet; the hub config file calls it")
    environment = _pod_environment(tmp_path_factory)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        config, executed = load_hub_config(VALUES_FILE, CONFIG_DIR)
        yield config, executed


def test_config_dir_file_executed(hub_config):
    _, executed = hub_config
    assert executed == ["50-nbplatform.py"]


def test_spawner_is_profile_kubespawner(hub_config):
    config, _ = hub_config
    spawner = config.JupyterHub.spawner_class
    name = spawner if isinstance(spawner, str) else f"{spawner.__module__}.{spawner.__qualname__}"
    assert name == SPAWNER
    if _in_checkout(SPAWNER):
        assert issubclass(_resolve(spawner), KubeSpawner)


def test_authenticator_is_iap(hub_config):
    config, _ = hub_config
    authenticator = config.JupyterHub.authenticator_class
    name = authenticator if isinstance(authenticator, str) else f"{authenticator.__module__}.{authenticator.__qualname__}"
    assert name == AUTHENTICATOR
    if _in_checkout(AUTHENTICATOR):
        assert issubclass(_resolve(authenticator), Authenticator)


def _jobs_service(config):
    return next((service for service in config.JupyterHub.services if service["name"] == "jobs"), None)


def test_jobs_service_registered(hub_config):
    config, _ = hub_config
    names = [service["name"] for service in config.JupyterHub.services]
    assert "jobs" in names


def test_jobs_service_reachable_from_proxy(hub_config):
    # The chart's proxy runs in its own pod, so a loopback URL in the hub pod
    # is unreachable for it; the hub Service opens the jobs port instead.
    config, _ = hub_config
    jobs = _jobs_service(config)
    assert jobs is not None, "no jobs service in c.JupyterHub.services"
    values = ChartValues.from_file(VALUES_FILE)
    port = next(item["port"] for item in values.get("hub.service.extraPorts") if item["name"] == "jobs")
    assert urlparse(jobs["url"]).hostname == "hub", jobs["url"]
    assert urlparse(jobs["url"]).port == port, jobs["url"]


def test_idle_culler_kept(hub_config):
    config, _ = hub_config
    names = [service["name"] for service in config.JupyterHub.services]
    assert "jupyterhub-idle-culler" in names, "the chart's culler service was dropped by the nbplatform wiring"


def test_service_names_unique(hub_config):
    config, _ = hub_config
    names = [service["name"] for service in config.JupyterHub.services]
    assert len(names) == len(set(names)), names


def test_database_on_volume(hub_config):
    config, _ = hub_config
    assert config.JupyterHub.db_url == "sqlite:///jupyterhub.sqlite"


def test_home_volume_configured(hub_config):
    config, _ = hub_config
    assert config.KubeSpawner.storage_pvc_ensure is True
    assert config.KubeSpawner.storage_class == "nbplatform-retain"
    assert config.KubeSpawner.volume_mounts[0]["mountPath"] == "/home/jovyan"


def test_notebook_image_from_values(hub_config):
    config, _ = hub_config
    assert config.KubeSpawner.image == "ghcr.io/nbplatform/notebook:0.1.0"


def test_profile_list_not_configured(hub_config):
    # A configured KubeSpawner.profile_list would replace the spawner's own
    # callable that reads the mounted profiles directory.
    config, _ = hub_config
    assert "profile_list" not in config.KubeSpawner
    assert "profile_list" not in config.get("ProfileKubeSpawner", {})


def test_notebooks_find_profiles(hub_config):
    config, _ = hub_config
    mounts = {mount["mountPath"] for mount in config.KubeSpawner.volume_mounts}
    assert config.KubeSpawner.environment["NBPLATFORM_PROFILES_DIR"] in mounts


def test_gke_mode_in_hub_and_notebooks(hub_config):
    config, _ = hub_config
    assert config.KubeSpawner.environment["NBPLATFORM_MODE"] == "gke"
    assert hub_environment(ChartValues.from_file(VALUES_FILE))["NBPLATFORM_MODE"] == "gke"


def test_audience_set_from_environment(hub_config):
    config, _ = hub_config
    assert config.IAPAuthenticator.audience == TERRAFORM_ENVIRONMENT["NBPLATFORM_IAP_AUDIENCE"]


def test_missing_audience_stops_hub(tmp_path_factory, monkeypatch):
    # Until Terraform has created the audience the hub must refuse to start, and
    # say which variable is missing, rather than accept unverifiable tokens.
    environment = _pod_environment(tmp_path_factory)
    del environment["NBPLATFORM_IAP_AUDIENCE"]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NBPLATFORM_IAP_AUDIENCE", raising=False)
    with pytest.raises(ConfigError, match="NBPLATFORM_IAP_AUDIENCE"):
        load_hub_config(VALUES_FILE, CONFIG_DIR)
