"""Cluster sizes a profile allows: pure policy that starts no processes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ClusterError
from ..profiles import DaskSettings, parse_memory
from ..profiles.units import format_memory

#: Share of the server's memory limit left to the notebook kernel itself when a
#: LocalCluster runs inside the same limit; the workers split the rest.
#: NOTE: a chosen default, not a measured one.
KERNEL_MEMORY_SHARE = 0.25


@dataclass(frozen=True)
class ClusterShape:
    """Worker count and size for one cluster, plus the ceiling scale() and adapt() may reach."""

    n_workers: int
    threads_per_worker: int
    #: Memory limit of each worker, in bytes.
    memory_limit: int
    max_workers: int
    #: CPUs requested (and limited) per worker on Kubernetes; may be fractional.
    worker_cpu: float

    def describe(self) -> str:
        return (
            f"{self.n_workers} worker(s) x {self.threads_per_worker} thread(s), "
            f"{format_memory(self.memory_limit)} each, at most {self.max_workers} worker(s)"
        )


def local_shape(
    dask: DaskSettings,
    *,
    cpu_limit: float | None,
    mem_limit: int | None,
    host_cpus: int,
    host_memory: int,
) -> ClusterShape:
    """Size a LocalCluster to fit inside the server's own CPU and memory limits.

    The server's limits (the profile's ``cpu_limit``/``mem_limit``, or the
    host's when the profile sets none) bound the whole cluster. Workers times
    threads never exceed the CPUs. The workers' memory limits add up to at
    most the memory left after the kernel's share. Within that, workers get
    the profile's ``dask.worker_cores`` and ``dask.worker_memory`` where they fit.
    """
    cpus = max(1, math.floor(min(cpu_limit, host_cpus) if cpu_limit else host_cpus))
    memory = min(mem_limit, host_memory) if mem_limit else host_memory
    worker_memory = parse_memory(dask.worker_memory)
    threads = max(1, min(math.floor(dask.worker_cores), cpus))
    max_workers = max(1, min(dask.max_workers, cpus // threads))
    memory_for_workers = int(memory * (1 - KERNEL_MEMORY_SHARE))
    memory_limit = min(worker_memory, memory_for_workers // max_workers)
    return ClusterShape(
        n_workers=max_workers,
        threads_per_worker=threads,
        memory_limit=memory_limit,
        max_workers=max_workers,
        worker_cpu=float(threads),
    )


def kubernetes_shape(dask: DaskSettings, *, n_workers: int | None = None) -> ClusterShape:
    """Size a KubeCluster from the profile's ``dask`` section: each worker gets its own pod.

    ``n_workers`` is the initial count (default 1, so a new cluster costs one
    node share until the user scales); it must not exceed ``dask.max_workers``.
    """
    initial = 1 if n_workers is None else n_workers
    check_scale(initial, dask.max_workers)
    return ClusterShape(
        n_workers=initial,
        threads_per_worker=max(1, math.floor(dask.worker_cores)),
        memory_limit=parse_memory(dask.worker_memory),
        max_workers=dask.max_workers,
        worker_cpu=float(dask.worker_cores),
    )


def check_scale(n: int, max_workers: int, *, profile_slug: str | None = None) -> None:
    """Raise ClusterError if ``n`` workers exceed the profile's ``dask.max_workers``."""
    if n < 0:
        raise ClusterError(f"Cannot scale to {n} workers: use 0 or more.", reason="invalid-scale")
    if n > max_workers:
        raise ClusterError(
            f"Cannot scale to {n} workers: {_profile_name(profile_slug)} caps this cluster at {max_workers}. "
            f"Use scale({max_workers}) or fewer, or ask an admin for a profile with a higher dask.max_workers.",
            reason="too-many-workers",
        )


def adapt_bounds(
    minimum: float | None, maximum: float | None, max_workers: int, *, profile_slug: str | None = None
) -> tuple[int, int]:
    """Return ``(minimum, maximum)`` for adapt(), with no maximum meaning the profile's ceiling.

    Raises ClusterError if a bound exceeds ``max_workers`` or ``minimum`` exceeds ``maximum``.
    """
    low = 0 if minimum is None else minimum
    high = max_workers if maximum is None or maximum == math.inf else maximum
    if high > max_workers or low > max_workers:
        raise ClusterError(
            f"Cannot adapt up to {max(low, high)} workers: {_profile_name(profile_slug)} caps this cluster "
            f"at {max_workers}. Use adapt(maximum={max_workers}) or less.",
            reason="too-many-workers",
        )
    if low > high or low < 0:
        raise ClusterError(
            f"Invalid adapt bounds minimum={minimum}, maximum={maximum}: use 0 <= minimum <= maximum.",
            reason="invalid-scale",
        )
    return int(low), int(high)


def _profile_name(slug: str | None) -> str:
    return f"profile {slug!r}" if slug else "the default Dask settings (no profile is set)"
