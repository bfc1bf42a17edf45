"""new_cluster(): pick the back end for the platform mode and start a profile-sized cluster."""

from __future__ import annotations

import importlib
import os
from typing import Any, Mapping

import dask

from ..config import Settings
from ..errors import ConfigError
from ..profiles.current import profile_from_env
from .dashboard import link_config

#: Cluster back end by name; "module:class", imported on first use so the
#: Kubernetes client loads only on GKE.
_REGISTRY: dict[str, str] = {
    "local": "nbplatform.dask.local:LocalBackend",
    "gke": "nbplatform.dask.kubernetes:KubeBackend",
}


def register_backend(name: str, path: str) -> None:
    """Add or replace a cluster back end given as ``"module:class"``."""
    _REGISTRY[name] = path


def backend_for(environ: Mapping[str, str]) -> Any:
    """Return the cluster back end: ``NBPLATFORM_DASK_BACKEND`` if set, else the platform mode's."""
    name = environ.get("NBPLATFORM_DASK_BACKEND", "").strip() or Settings.from_env(environ).mode
    if name not in _REGISTRY:
        raise ConfigError(
            f"NBPLATFORM_DASK_BACKEND={name!r} is not a cluster back end; use one of {', '.join(sorted(_REGISTRY))}.",
            reason="unknown-backend",
        )
    module_name, _, class_name = _REGISTRY[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)()


def new_cluster(
    n_workers: int | None = None,
    *,
    asynchronous: bool = False,
    environ: Mapping[str, str] | None = None,
    **kwargs: Any,
):
    """Start a Dask cluster sized by the current profile and return it.

    ``n_workers`` defaults to the profile's maximum locally (the workers share
    the server's CPUs) and to one worker on GKE. Extra keyword arguments go
    to the cluster class. With ``asynchronous=True`` the result is awaitable,
    as dask-labextension expects of a cluster factory.
    """
    env = os.environ if environ is None else environ
    backend = backend_for(env)
    profile = profile_from_env(env)
    link = link_config(backend.name, env)
    if link:
        # dashboard_link is formatted when read, so the setting must outlive this call.
        dask.config.set(link)
    return backend.create(profile, env, n_workers=n_workers, asynchronous=asynchronous, **kwargs)
