"""Run the hub configuration the way the Zero to JupyterHub chart does, without a cluster.

The chart (jupyterhub/jupyterhub 4.x) mounts the merged Helm values as
``/usr/local/etc/jupyterhub/secret/values.yaml``; its ``z2jh.get_config("a.b")``
walks that document and returns the default when a level is missing or not a
mapping. The chart's ``jupyterhub_config.py`` then, in this order:

1. sets ``JupyterHub.spawner_class`` to ``kubespawner.KubeSpawner`` and the
   authenticator from ``hub.config.JupyterHub.authenticator_class``;
2. sets the database URL from ``hub.db``;
3. copies ``singleuser.*`` values onto ``KubeSpawner`` traits (image, storage,
   resources, environment, service account, ``profileList``);
4. builds ``JupyterHub.services`` from ``hub.services`` and adds the idle
   culler service when ``cull.enabled`` is true;
5. applies ``hub.config`` with ``c[app].update(...)``;
6. executes every ``jupyterhub_config.d/*.py`` file in sorted order;
7. executes each ``hub.extraConfig`` snippet in sorted key order.

This module reproduces those steps for the values nbplatform sets. It is a
reproduction written from the chart's documented behaviour, not the chart's
file: the real file also needs the pod's service environment variables and
the Kubernetes client, which only exist in a cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from traitlets.config import Config

#: Keys the chart drops from ``hub.config`` because it sets them itself.
_CHART_OWNED_KEYS = {
    "JupyterHub": ("proxy_auth_token", "cookie_secret", "services", "authenticator_class"),
    "ConfigurableHTTPProxy": ("auth_token",),
    "CryptKeeper": ("keys",),
}

#: (KubeSpawner trait, key under ``singleuser``) pairs the chart copies when set.
_SINGLEUSER_TRAITS = (
    ("start_timeout", "startTimeout"),
    ("image_pull_policy", "image.pullPolicy"),
    ("extra_labels", "extraLabels"),
    ("extra_annotations", "extraAnnotations"),
    ("uid", "uid"),
    ("fs_gid", "fsGid"),
    ("service_account", "serviceAccountName"),
    ("node_selector", "nodeSelector"),
    ("mem_limit", "memory.limit"),
    ("mem_guarantee", "memory.guarantee"),
    ("cpu_limit", "cpu.limit"),
    ("cpu_guarantee", "cpu.guarantee"),
    ("environment", "extraEnv"),
    ("profile_list", "profileList"),
    ("extra_pod_config", "extraPodConfig"),
)


class ChartValues:
    """Helm values exposed the way ``z2jh.get_config`` exposes them."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    @classmethod
    def from_file(cls, path: Path) -> "ChartValues":
        with path.open(encoding="utf-8") as stream:
            return cls(yaml.safe_load(stream) or {})

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value at dotted ``key``, or ``default`` when any level is missing."""
        value: Any = self._values
        for level in key.split("."):
            if not isinstance(value, dict) or level not in value:
                return default
            value = value[level]
        return value

    def set_if_not_none(self, section: Any, trait: str, key: str) -> None:
        value = self.get(key)
        if value is not None:
            setattr(section, trait, value)


def _environment_from_extra_env(extra_env: dict[str, Any]) -> dict[str, str]:
    """Return the literal variables of a chart ``extraEnv`` mapping (``valueFrom`` entries need a cluster)."""
    literal: dict[str, str] = {}
    for name, value in (extra_env or {}).items():
        if isinstance(value, dict):
            if "value" in value:
                literal[name] = str(value["value"])
            continue
        literal[name] = str(value)
    return literal


def hub_environment(values: ChartValues) -> dict[str, str]:
    """Return the environment variables the hub container gets from ``hub.extraEnv``."""
    return _environment_from_extra_env(values.get("hub.extraEnv", {}))


def apply_chart_defaults(c: Config, values: ChartValues) -> None:
    """Apply steps 1 to 5 of the chart's configuration to ``c``."""
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    authenticator = values.get("hub.config.JupyterHub.authenticator_class")
    if authenticator is not None:
        c.JupyterHub.authenticator_class = authenticator

    db_type = values.get("hub.db.type")
    if db_type == "sqlite-pvc":
        c.JupyterHub.db_url = "sqlite:///jupyterhub.sqlite"
    elif db_type == "sqlite-memory":
        c.JupyterHub.db_url = "sqlite://"
    else:
        values.set_if_not_none(c.JupyterHub, "db_url", "hub.db.url")

    for trait, key in _SINGLEUSER_TRAITS:
        values.set_if_not_none(c.KubeSpawner, trait, "singleuser." + key)
    image = values.get("singleuser.image.name")
    if image:
        tag = values.get("singleuser.image.tag")
        c.KubeSpawner.image = f"{image}:{tag}" if tag else image

    if values.get("singleuser.storage.type") == "dynamic":
        volume_name = values.get("singleuser.storage.dynamic.volumeNameTemplate")
        c.KubeSpawner.pvc_name_template = values.get("singleuser.storage.dynamic.pvcNameTemplate")
        c.KubeSpawner.storage_pvc_ensure = True
        values.set_if_not_none(c.KubeSpawner, "storage_class", "singleuser.storage.dynamic.storageClass")
        values.set_if_not_none(
            c.KubeSpawner, "storage_access_modes", "singleuser.storage.dynamic.storageAccessModes"
        )
        values.set_if_not_none(c.KubeSpawner, "storage_capacity", "singleuser.storage.capacity")
        c.KubeSpawner.volumes = [{"name": volume_name, "persistentVolumeClaim": {"claimName": "{pvc_name}"}}]
        c.KubeSpawner.volume_mounts = [
            {"mountPath": values.get("singleuser.storage.homeMountPath"), "name": volume_name}
        ]
    c.KubeSpawner.volumes = list(c.KubeSpawner.volumes or []) + list(
        values.get("singleuser.storage.extraVolumes", [])
    )
    c.KubeSpawner.volume_mounts = list(c.KubeSpawner.volume_mounts or []) + list(
        values.get("singleuser.storage.extraVolumeMounts", [])
    )

    services: list[dict[str, Any]] = []
    for name, service in (values.get("hub.services", {}) or {}).items():
        entry = dict(service)
        entry.setdefault("name", name)
        if "apiToken" in entry:
            entry["api_token"] = entry.pop("apiToken")
        services.append(entry)
    if values.get("cull.enabled", False):
        culler = ["python3", "-m", "jupyterhub_idle_culler", "--url=http://localhost:8081/hub/api"]
        if values.get("cull.timeout"):
            culler.append(f"--timeout={values.get('cull.timeout')}")
        if values.get("cull.every"):
            culler.append(f"--cull-every={values.get('cull.every')}")
        services.append({"name": "jupyterhub-idle-culler", "command": culler})
    c.JupyterHub.services = services

    for app, section in (values.get("hub.config", {}) or {}).items():
        section = dict(section)
        for key in _CHART_OWNED_KEYS.get(app, ()):
            section.pop(key, None)
        c[app].update(section)


def run_config_dir(c: Config, config_dir: Path) -> list[str]:
    """Execute each ``*.py`` file of ``config_dir`` in sorted order with ``c`` in scope; return the names run."""
    executed: list[str] = []
    for path in sorted(config_dir.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        exec(compile(source, str(path), "exec"), {"c": c, "__file__": str(path)})  # noqa: S102
        executed.append(path.name)
    return executed


def run_extra_config(c: Config, values: ChartValues) -> None:
    for _key, snippet in sorted((values.get("hub.extraConfig", {}) or {}).items()):
        exec(snippet, {"c": c})  # noqa: S102


def load_hub_config(values_file: Path, config_dir: Path) -> tuple[Config, list[str]]:
    """Return the traitlets config the chart's hub would run with, and the config.d files executed."""
    values = ChartValues.from_file(values_file)
    c = Config()
    apply_chart_defaults(c, values)
    executed = run_config_dir(c, config_dir)
    run_extra_config(c, values)
    return c, executed

