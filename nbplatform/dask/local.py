"""The local back end: a LocalCluster inside the server's own CPU and memory limits."""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Mapping

import psutil

from ..errors import ClusterError
from ..profiles import DaskSettings, Profile, parse_memory
from .limits import ProfileLocalCluster
from .sizing import ClusterShape, check_scale, local_shape, reject_reserved_arguments

log = logging.getLogger(__name__)

_LOOPBACK_ONLY = "the scheduler, the workers and their dashboards listen on 127.0.0.1 only, so other users of the machine cannot reach them"

#: LocalCluster arguments that new_cluster() sets itself, with the reason.
RESERVED_ARGUMENTS = {
    "processes": "workers run as separate processes, so their memory limits can be enforced",
    "worker_class": "workers run as separate processes, so their memory limits can be enforced",
    "nthreads": "the thread count is threads_per_worker= (within the server's CPUs)",
    "host": _LOOPBACK_ONLY,
    "ip": _LOOPBACK_ONLY,
    "interface": _LOOPBACK_ONLY,
    "protocol": _LOOPBACK_ONLY,
    "dashboard_address": _LOOPBACK_ONLY,
    "worker_dashboard_address": _LOOPBACK_ONLY,
    "scheduler_kwargs": _LOOPBACK_ONLY,
    "worker_cap": "the cap comes from the profile and the server's limits",
}


def server_limits(profile: Profile | None, environ: Mapping[str, str]) -> tuple[float | None, int | None]:
    """Return the server's CPU and memory limits: ``CPU_LIMIT``/``MEM_LIMIT`` as the spawner set them, else the profile's."""
    resources = profile.resources() if profile else None
    cpu_limit = resources.cpu_limit if resources else None
    mem_limit = resources.mem_limit if resources else None
    if environ.get("CPU_LIMIT"):
        cpu_limit = _positive_limit(environ["CPU_LIMIT"], "CPU_LIMIT", float, "a number of CPUs such as 2 or 0.5")
    if environ.get("MEM_LIMIT"):
        mem_limit = _positive_limit(environ["MEM_LIMIT"], "MEM_LIMIT", parse_memory, "bytes or a size such as 4G")
    return (cpu_limit or None, mem_limit or None)


def _positive_limit(text: str, name: str, parse: Callable[[str], Any], expected: str) -> Any:
    """Parse a limit the spawner set in the environment; raise ClusterError naming it if it is not positive."""
    try:
        value = parse(text)
    except (TypeError, ValueError):
        value = None
    if value is None or not value > 0:
        raise ClusterError(
            f"{name}={text!r} is not a valid limit: expected {expected}. The spawner sets {name}; "
            "restart your server, or unset it to use the profile's limit.",
            reason="invalid-limit",
        )
    return value


def host_cpus() -> int:
    """Return the CPUs this process may run on (its affinity set, not the whole machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_local_cluster(
    profile: Profile | None,
    environ: Mapping[str, str],
    *,
    threads_per_worker: int | None = None,
    memory_limit: int | None = None,
) -> ClusterShape:
    cpu_limit, mem_limit = server_limits(profile, environ)
    return local_shape(
        profile.dask if profile else DaskSettings(),
        cpu_limit=cpu_limit,
        mem_limit=mem_limit,
        host_cpus=host_cpus(),
        host_memory=psutil.virtual_memory().total,
        profile_slug=profile.slug if profile else None,
        threads_per_worker=threads_per_worker,
        memory_limit=memory_limit,
    )


class LocalBackend:
    name = "local"

    def create(
        self,
        profile: Profile | None,
        environ: Mapping[str, str],
        *,
        n_workers: int | None = None,
        threads_per_worker: int | None = None,
        memory_limit: int | None = None,
        asynchronous: bool = False,
        **kwargs: Any,
    ) -> ProfileLocalCluster:
        reject_reserved_arguments(kwargs, RESERVED_ARGUMENTS)
        shape = plan_local_cluster(
            profile, environ, threads_per_worker=threads_per_worker, memory_limit=memory_limit
        )
        slug = profile.slug if profile else None
        if n_workers is not None:
            check_scale(n_workers, shape.cap)
        workers = shape.n_workers if n_workers is None else n_workers
        cluster = ProfileLocalCluster(
            n_workers=workers,
            threads_per_worker=shape.threads_per_worker,
            memory_limit=shape.memory_limit,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            asynchronous=asynchronous,
            worker_cap=shape.cap,
            profile_slug=slug,
            user=environ.get("JUPYTERHUB_USER"),
            **kwargs,
        )
        log.info(
            "Dask cluster %s started for user %s with profile %s: %d worker(s), %s",
            cluster.name, cluster.user or "-", slug or "(none)", workers, shape.describe(),
        )
        return cluster
