"""new_cluster(): pick the back end for the platform mode and start a profile-sized cluster."""

from __future__ import annotations

import importlib
import numbers
import os
from typing import Any, Mapping

import dask
from dask.utils import parse_bytes

from ..config import Settings
from ..errors import ClusterError, ConfigError
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
    threads_per_worker: int | None = None,
    memory_limit: int | str | None = None,
    asynchronous: bool = False,
    environ: Mapping[str, str] | None = None,
    **kwargs: Any,
):
    """Start a Dask cluster sized by the current profile and return it.

    ``n_workers`` defaults to the most that fit locally (the workers share
    the server's CPUs) and to one worker on GKE. ``threads_per_worker`` and
    ``memory_limit`` (bytes, or a size such as ``"1GiB"``) set the size of
    each worker within the profile's limits; larger values raise ClusterError.
    Other keyword arguments go to the cluster class (LocalCluster or
    KubeCluster), except those new_cluster() sets itself, which raise
    ClusterError naming the argument. With ``asynchronous=True`` the result
    is awaitable, as dask-labextension expects of a cluster factory.
    """
    env = os.environ if environ is None else environ
    threads = _parse_threads_per_worker(threads_per_worker)
    memory = _parse_memory_limit(memory_limit)
    backend = backend_for(env)
    profile = profile_from_env(env)
    link = link_config(backend.name, env)
    if link:
        # dashboard_link is formatted when read, so the setting must outlive this call.
        dask.config.set(link)
    return backend.create(
        profile,
        env,
        n_workers=n_workers,
        threads_per_worker=threads,
        memory_limit=memory,
        asynchronous=asynchronous,
        **kwargs,
    )


def _parse_threads_per_worker(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ClusterError(
            f"threads_per_worker={value!r} is invalid: use a whole number of 1 or more.", reason="invalid-size"
        )
    return int(value)


def _parse_memory_limit(value: object) -> int | None:
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral, str)):
            raise ValueError(value)
        size = parse_bytes(value) if isinstance(value, str) else int(value)
    except ValueError:
        size = 0
    if size <= 0:
        raise ClusterError(
            f"memory_limit={value!r} is invalid: use a size in bytes or a string such as '1GiB'. "
            "Profile-sized workers always have a memory limit, so 0 and 'auto' are rejected.",
            reason="invalid-size",
        )
    return size
