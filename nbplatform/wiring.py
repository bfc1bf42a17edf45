"""Wire the platform's rooms into a JupyterHub configuration, for either mode.

``hub/jupyterhub_config.py`` calls :func:`configure`. Everything that
differs between local mode and GKE is chosen here, once; the rooms do not
check the mode themselves.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any, Callable

from .auth.selection import configure_authenticator
from .dask.dashboard import dask_environment
from .dask.manifests import pod_identity_env
from .config import REPO_ROOT, Settings, check_bind_address
from .errors import ConfigError
from .sentry import init_sentry
from .web.profiles_admin import register as register_profiles_admin
from .web.service import hub_service_config

log = logging.getLogger(__name__)

#: Pending spawns the local hub allows before it returns 429 with Retry-After.
#: JupyterHub's own default is 100. Local servers share the hub's CPUs, and
#: each JupyterLab start costs a few CPU-seconds, so many at once slow every start.
#: NOTE: not tuned. With 10, 50 users at once all started within the start
#: timeout on a 2-core machine (benchmarks/load.py); larger hosts may raise it.
LOCAL_CONCURRENT_SPAWN_LIMIT = 10

PROXY_BIN = REPO_ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


def find_proxy_command(environ: dict[str, str] | None = None) -> list[str]:
    """Locate configurable-http-proxy: ``NBPLATFORM_PROXY_COMMAND``, the repository's ``node_modules``, then PATH."""
    env = os.environ if environ is None else environ
    if env.get("NBPLATFORM_PROXY_COMMAND"):
        return env["NBPLATFORM_PROXY_COMMAND"].split()
    if shutil.which("node") is None:
        raise ConfigError(
            "Node.js was not found on PATH, and configurable-http-proxy needs it. "
            "Install Node.js 20 or newer, then run 'make up' again.",
            reason="node-missing",
        )
    if PROXY_BIN.exists():
        return [str(PROXY_BIN)]
    on_path = shutil.which("configurable-http-proxy")
    if on_path:
        return [on_path]
    raise ConfigError(
        f"configurable-http-proxy is not installed ({PROXY_BIN} is missing). "
        "Run 'make up' (it runs 'npm ci' in the repository) or 'npm ci' yourself.",
        reason="proxy-missing",
    )


def configure_local(c: Any, settings: Settings) -> None:
    """Local mode: password sign-in, local profile spawner, proxy from node_modules, state in the data dir."""
    check_bind_address(settings.ip, settings.allow_remote)
    settings.ensure_data_dir()
    settings.hub_dir.mkdir(parents=True, exist_ok=True)

    c.JupyterHub.bind_url = f"http://{settings.ip}:{settings.port}"
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = f"sqlite:///{settings.hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(settings.hub_dir / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.command = find_proxy_command()
    c.ConfigurableHTTPProxy.pid_file = str(settings.hub_dir / "proxy.pid")

    c.JupyterHub.authenticator_class = "nbplatform.auth.local.LocalPasswordAuthenticator"
    c.LocalPasswordAuthenticator.users_file = str(settings.users_file)

    c.JupyterHub.concurrent_spawn_limit = LOCAL_CONCURRENT_SPAWN_LIMIT

    c.JupyterHub.spawner_class = "nbplatform.spawners.local.LocalProfileSpawner"
    c.LocalProfileSpawner.data_dir = str(settings.data_dir)
    c.LocalProfileSpawner.profiles_dir = str(settings.profiles_dir)
    # Kernels and dask-labextension link the Dask dashboard through jupyter-server-proxy.
    c.LocalProfileSpawner.environment.update(dask_environment("local"))

    # The jobs service serves the Jobs page and runs the local scheduler.
    services, roles = hub_service_config(settings)
    c.JupyterHub.services.extend(services)
    c.JupyterHub.load_roles.extend(roles)

    # A first JupyterLab start on a 1-CPU profile can take longer than the
    # 30 s JupyterHub allows by default.
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 120

    # Servers outlive a hub restart by default; `nbplatform up` sets this so
    # that Ctrl-C stops everything it started.
    c.JupyterHub.cleanup_servers = os.environ.get("NBPLATFORM_CLEANUP_SERVERS", "") == "1"


def configure_gke(c: Any, settings: Settings) -> None:
    """GKE mode: KubeSpawner with the same profiles; sign-in through IAP."""
    c.JupyterHub.spawner_class = "nbplatform.spawners.kube.ProfileKubeSpawner"
    c.JupyterHub.authenticator_class = "nbplatform.auth.iap.IAPAuthenticator"
    c.ProfileKubeSpawner.profiles_dir = str(settings.profiles_dir)
    # new_cluster() needs the pod's name, UID and namespace for the DaskCluster's
    # owner reference, so clusters are deleted with the notebook pod.
    c.ProfileKubeSpawner.environment.update({**dask_environment("gke"), **pod_identity_env()})

    # The chart's proxy runs in its own pod and reaches the jobs service
    # through the hub's Kubernetes Service (z2jh names it "hub").
    services, roles = hub_service_config(
        settings,
        port=int(os.environ.get("NBPLATFORM_JOBS_PORT", "8101")),
        host=os.environ.get("NBPLATFORM_JOBS_HOST", "hub"),
    )
    c.JupyterHub.services.extend(services)
    c.JupyterHub.load_roles.extend(roles)


def configure_common(c: Any, settings: Settings) -> None:
    """Settings that are the same in both modes."""
    c.JupyterHub.allow_named_servers = True
    c.Spawner.default_url = "/lab"
    c.Authenticator.manage_groups = True


MODES: dict[str, Callable[[Any, Settings], None]] = {
    "local": configure_local,
    "gke": configure_gke,
}


def send_logs_to_hub() -> None:
    """Send the ``nbplatform`` loggers' records through the running hub's log handlers, at its level.

    JupyterHub hooks only the ``tornado`` and ``oauthlib`` loggers into its
    own log. Without this, records of module loggers such as
    ``nbplatform.profiles.registry`` reach no handler in the hub process, so
    info lines are lost and warnings print unformatted. Does nothing outside a hub.
    """
    from jupyterhub.app import JupyterHub

    if not JupyterHub.initialized():
        return
    logger = logging.getLogger("nbplatform")
    logger.parent = JupyterHub.instance().log
    logger.propagate = True
    # setLevel clears the level cache of loggers that logged before the parent changed.
    logger.setLevel(logging.NOTSET)


def configure(c: Any, settings: Settings | None = None) -> Settings:
    """Apply the platform's configuration for ``settings.mode`` to the JupyterHub config object ``c``."""
    settings = settings or Settings.from_env()
    send_logs_to_hub()
    # The hub loads this configuration in its own process, so errors logged by
    # the platform's authenticators, spawners and handlers reach Sentry.
    init_sentry("hub")
    configure_common(c, settings)
    MODES[settings.mode](c, settings)
    # NBPLATFORM_AUTH (local, iap, google) may replace the mode's default sign-in.
    configure_authenticator(c, settings.mode, os.environ)
    register_profiles_admin(c, settings.profiles_dir)
    log.info("nbplatform configured for %s mode; data in %s", settings.mode, settings.data_dir)
    return settings
