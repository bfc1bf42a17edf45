"""Dashboard links that work through jupyter-server-proxy behind JupyterHub.

A Dask dashboard listens on a port inside the notebook's pod (LocalCluster)
or on the scheduler's service (KubeCluster on GKE). Browsers reach neither
directly, so the link goes through the server's own jupyter-server-proxy
under ``JUPYTERHUB_SERVICE_PREFIX``, which is ``/user/<name>/`` for a default
server and ``/user/<name>/<server>/`` for a named one. distributed formats
``distributed.dashboard.link`` with the environment plus ``host`` and ``port``.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Mapping

#: Local dashboards listen on 127.0.0.1 in the server's own process tree.
LOCAL_LINK_TEMPLATE = "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status"
#: On GKE the dashboard is the scheduler service ``<cluster>-scheduler.<namespace>``.
REMOTE_LINK_TEMPLATE = "{JUPYTERHUB_SERVICE_PREFIX}proxy/{host}:{port}/status"

_TEMPLATES = {"local": LOCAL_LINK_TEMPLATE, "gke": REMOTE_LINK_TEMPLATE}


def dashboard_link_template(mode: str) -> str:
    """Return the ``distributed.dashboard.link`` template for a platform mode."""
    return _TEMPLATES[mode]


def dask_environment(mode: str) -> dict[str, str]:
    """Return environment variables for single-user servers so kernels and dask-labextension agree.

    They set the dashboard link template, and make the labextension's "New"
    button call :func:`nbplatform.dask.new_cluster`, so clusters started from
    the sidebar are sized and capped by the profile too.
    """
    return {
        "DASK_DISTRIBUTED__DASHBOARD__LINK": dashboard_link_template(mode),
        "DASK_LABEXTENSION__FACTORY__MODULE": "nbplatform.dask",
        "DASK_LABEXTENSION__FACTORY__CLASS": "new_cluster",
    }


def link_config(mode: str, environ: Mapping[str, str]) -> dict[str, str]:
    """Return the dask config new_cluster() should set, or nothing outside JupyterHub.

    An explicit ``DASK_DISTRIBUTED__DASHBOARD__LINK`` wins; without
    ``JUPYTERHUB_SERVICE_PREFIX`` there is no proxy, so distributed's
    default link stays.
    """
    if "DASK_DISTRIBUTED__DASHBOARD__LINK" in environ or not environ.get("JUPYTERHUB_SERVICE_PREFIX"):
        return {}
    return {"distributed.dashboard.link": dashboard_link_template(mode)}


def scheduler_host_allowlist(namespace: str):
    """Return a ``ServerProxy.host_allowlist`` callable for GKE single-user servers.

    It lets jupyter-server-proxy forward to loopback and to Dask scheduler
    services in the server's own namespace, and to nothing else.
    """
    patterns = ("localhost", "127.0.0.1", f"*-scheduler.{namespace}", f"*-scheduler.{namespace}.svc.cluster.local")

    def host_allowed(handler: Any, host: str) -> bool:
        return any(fnmatch.fnmatchcase(host, pattern) for pattern in patterns)

    return host_allowed
