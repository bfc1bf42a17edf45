"""Cluster sizes a profile allows: pure policy that starts no processes."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Mapping

from ..errors import ClusterError
from ..profiles import DaskSettings, parse_memory
from ..profiles.units import format_memory

#: Share of the server's memory limit left to the notebook kernel itself when a
#: LocalCluster runs inside the same limit; the workers split the rest.
#: NOTE: a chosen default, not a measured one.
KERNEL_MEMORY_SHARE = 0.25


@dataclass(frozen=True)
class WorkerCap:
    """Maximum worker count of one cluster, and the limit that sets it."""

    max_workers: int
    #: The binding limit: "profile" (``dask.max_workers``), "cpu" (the server's
    #: CPU limit or the machine's CPUs) or "memory" (the server's memory).
    limit: str
    #: The limit and its value, as the end of "this cluster may have at most N workers because ...".
    cause: str
    #: Change the user can make to get more workers.
    remedy: str


@dataclass(frozen=True)
class ClusterShape:
    """Worker count and size for one cluster, plus the ceiling scale() and adapt() may reach."""

    n_workers: int
    threads_per_worker: int
    #: Memory limit of each worker, in bytes.
    memory_limit: int
    cap: WorkerCap
    #: CPUs requested (and limited) per worker on Kubernetes; may be fractional.
    worker_cpu: float

    @property
    def max_workers(self) -> int:
        return self.cap.max_workers

    def describe(self) -> str:
        return (
            f"{self.n_workers} worker(s) x {self.threads_per_worker} thread(s), "
            f"{format_memory(self.memory_limit)} each, at most {self.max_workers} worker(s) ({self.cap.limit} limit)"
        )


def local_shape(
    dask: DaskSettings,
    *,
    cpu_limit: float | None,
    mem_limit: int | None,
    host_cpus: int,
    host_memory: int,
    profile_slug: str | None = None,
    threads_per_worker: int | None = None,
    memory_limit: int | None = None,
) -> ClusterShape:
    """Size a LocalCluster to fit inside the server's own CPU and memory limits.

    The server's limits (the profile's ``cpu_limit``/``mem_limit``, or the
    host's when the profile sets none) bound the whole cluster. Workers times
    threads never exceed the CPUs. The workers' memory limits add up to at
    most the memory left after the kernel's share. Within that, workers get
    the profile's ``dask.worker_cores`` and ``dask.worker_memory`` where they
    fit, unless ``threads_per_worker`` or ``memory_limit`` (bytes) override
    them. Raises ClusterError if one override alone exceeds the server.
    """
    if cpu_limit and cpu_limit <= host_cpus:
        cpus = max(1, math.floor(cpu_limit))
        cpu_source = f"the server's CPU limit of {_count(cpu_limit, 'CPU')}"
        cpu_verb = "fits"
        cpu_remedy = "start your server with a profile that has a higher cpu_limit"
    else:
        cpus = max(1, host_cpus)
        cpu_source = f"this machine's {_count(host_cpus, 'CPU')}"
        cpu_verb = "fits" if host_cpus == 1 else "fit"
        cpu_remedy = "run on a machine with more CPUs"
    if mem_limit and mem_limit <= host_memory:
        memory = mem_limit
        memory_source = f"the server's memory limit of {_human_bytes(mem_limit)}"
        memory_remedy = "start your server with a profile that has a higher mem_limit"
    else:
        memory = host_memory
        memory_source = f"this machine's memory of {_human_bytes(host_memory)}"
        memory_remedy = "run on a machine with more memory"
    memory_for_workers = int(memory * (1 - KERNEL_MEMORY_SHARE))

    if threads_per_worker is not None and threads_per_worker > cpus:
        raise ClusterError(
            f"threads_per_worker={threads_per_worker} is more than the {cpus} CPU(s) of {cpu_source}: "
            f"use threads_per_worker={cpus} or fewer.",
            reason="too-many-threads",
        )
    if memory_limit is not None and memory_limit > memory_for_workers:
        raise ClusterError(
            f"memory_limit={_human_bytes(memory_limit)} is more than the {_human_bytes(memory_for_workers)} "
            f"the workers may use together (three quarters of {memory_source}): "
            f"use memory_limit={_human_bytes(memory_for_workers)!r} or less.",
            reason="too-much-memory",
        )
    threads = threads_per_worker or max(1, min(math.floor(dask.worker_cores), cpus))

    caps = [_profile_cap(dask.max_workers, profile_slug)]
    fewer_threads = f"pass threads_per_worker={threads - 1} or fewer to new_cluster(), or " if threads > 1 else ""
    caps.append(
        WorkerCap(
            max_workers=cpus // threads,
            limit="cpu",
            cause=f"{cpu_source} {cpu_verb} {_count(cpus // threads, 'worker')} of {_count(threads, 'thread')}",
            remedy=f"{fewer_threads}{cpu_remedy}",
        )
    )
    if memory_limit is not None:
        caps.append(
            WorkerCap(
                max_workers=memory_for_workers // memory_limit,
                limit="memory",
                cause=(
                    f"the {_human_bytes(memory_for_workers)} left for workers (three quarters of {memory_source}) "
                    f"fits {_count(memory_for_workers // memory_limit, 'worker')} of memory_limit={_human_bytes(memory_limit)}"
                ),
                remedy=f"pass a smaller memory_limit to new_cluster(), or {memory_remedy}",
            )
        )
    # The first of the smallest wins, so a profile cap equal to the CPU cap is reported as the profile's.
    cap = min(caps, key=lambda c: c.max_workers)
    if cap.max_workers < 1:
        # A profile with dask.max_workers 0 still gets one local worker, because
        # local workers use only the server's own CPUs and memory.
        cap = WorkerCap(1, cap.limit, cap.cause, cap.remedy)
    worker_memory = memory_limit or min(parse_memory(dask.worker_memory), memory_for_workers // cap.max_workers)
    return ClusterShape(
        n_workers=cap.max_workers,
        threads_per_worker=threads,
        memory_limit=worker_memory,
        cap=cap,
        worker_cpu=float(threads),
    )


def kubernetes_shape(
    dask: DaskSettings,
    *,
    n_workers: int | None = None,
    profile_slug: str | None = None,
    threads_per_worker: int | None = None,
    memory_limit: int | None = None,
) -> ClusterShape:
    """Size a KubeCluster from the profile's ``dask`` section: each worker gets its own pod.

    ``n_workers`` is the initial count (default 1, so a new cluster costs one
    node share until the user scales); it must not exceed ``dask.max_workers``.
    ``threads_per_worker`` and ``memory_limit`` (bytes) may lower what each
    worker uses inside its pod, whose size stays the profile's; ClusterError
    if they exceed it.
    """
    pod_threads = max(1, math.floor(dask.worker_cores))
    pod_memory = parse_memory(dask.worker_memory)
    source = f"{_profile_name(profile_slug)} (dask.worker_cores: {dask.worker_cores}, dask.worker_memory: {dask.worker_memory})"
    if threads_per_worker is not None and threads_per_worker > pod_threads:
        raise ClusterError(
            f"threads_per_worker={threads_per_worker} is more than the {_count(pod_threads, 'CPU')} each worker pod "
            f"gets from {source}: use threads_per_worker={pod_threads} or fewer, or ask an admin for a profile "
            "with a higher dask.worker_cores.",
            reason="too-many-threads",
        )
    if memory_limit is not None and memory_limit > pod_memory:
        raise ClusterError(
            f"memory_limit={_human_bytes(memory_limit)} is more than the {_human_bytes(pod_memory)} each worker pod "
            f"gets from {source}: use memory_limit={_human_bytes(pod_memory)!r} or less, or ask an admin for a "
            "profile with a higher dask.worker_memory.",
            reason="too-much-memory",
        )
    cap = _profile_cap(dask.max_workers, profile_slug)
    initial = 1 if n_workers is None else n_workers
    check_scale(initial, cap)
    return ClusterShape(
        n_workers=initial,
        threads_per_worker=threads_per_worker or pod_threads,
        memory_limit=memory_limit or pod_memory,
        cap=cap,
        worker_cpu=float(dask.worker_cores),
    )


def check_scale(n: int, cap: WorkerCap) -> None:
    """Raise ClusterError if ``n`` is not a worker count within ``cap``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ClusterError(f"Cannot scale to {n!r} workers: pass a whole number of workers.", reason="invalid-scale")
    if n < 0:
        raise ClusterError(f"Cannot scale to {n} workers: use 0 or more.", reason="invalid-scale")
    if n > cap.max_workers:
        raise ClusterError(
            f"Cannot scale to {n} workers: {cap_sentence(cap)} Use scale({cap.max_workers}) or fewer. "
            f"For more workers, {cap.remedy}.",
            reason="too-many-workers",
        )


def adapt_bounds(minimum: float | None, maximum: float | None, cap: WorkerCap) -> tuple[int, int]:
    """Return ``(minimum, maximum)`` for adapt(), with no maximum meaning the cluster's cap.

    Raises ClusterError if a bound exceeds the cap or ``minimum`` exceeds ``maximum``.
    """
    low = 0 if minimum is None else minimum
    high = cap.max_workers if maximum is None or maximum == math.inf else maximum
    valid = all(
        isinstance(bound, numbers.Real) and not isinstance(bound, bool) and math.isfinite(bound)
        for bound in (low, high)
    )
    if not valid or low < 0:
        raise ClusterError(
            f"Invalid adapt bounds minimum={minimum}, maximum={maximum}: use whole numbers with "
            "0 <= minimum <= maximum.",
            reason="invalid-scale",
        )
    if low > cap.max_workers:
        raise ClusterError(
            f"Cannot adapt with minimum={low} workers: {cap_sentence(cap)} "
            f"Use adapt(minimum={cap.max_workers}) or less. For more workers, {cap.remedy}.",
            reason="too-many-workers",
        )
    if high > cap.max_workers:
        raise ClusterError(
            f"Cannot adapt up to {high} workers: {cap_sentence(cap)} "
            f"Use adapt(maximum={cap.max_workers}) or less. For more workers, {cap.remedy}.",
            reason="too-many-workers",
        )
    if low > high:
        raise ClusterError(
            f"Invalid adapt bounds minimum={minimum}, maximum={maximum}: minimum must not exceed maximum.",
            reason="invalid-scale",
        )
    return int(low), int(high)


def cap_sentence(cap: WorkerCap) -> str:
    """Return "this cluster may have at most N workers, because <cause>." for error messages."""
    return f"this cluster may have at most {_count(cap.max_workers, 'worker')}, because {cap.cause}."


def _profile_cap(max_workers: int, slug: str | None) -> WorkerCap:
    if slug:
        cause = f"profile {slug!r} sets dask.max_workers: {max_workers}"
    else:
        cause = f"no profile is set and the default dask.max_workers is {max_workers}"
    return WorkerCap(
        max_workers=max_workers,
        limit="profile",
        cause=cause,
        remedy="ask an admin for a profile with a higher dask.max_workers",
    )


def _profile_name(slug: str | None) -> str:
    return f"profile {slug!r}" if slug else "the default Dask settings (no profile is set)"


def _count(number: float, noun: str) -> str:
    value = int(number) if float(number).is_integer() else number
    return f"{value} {noun}" if value == 1 else f"{value} {noun}s"


def _human_bytes(num_bytes: int) -> str:
    """Render bytes in GiB or MiB, rounded down to two decimals (``1610612736`` -> ``1.5GiB``).

    Rounding down keeps a suggested ``memory_limit`` within the limit it is quoted for.
    """
    for suffix, factor in (("GiB", 1024**3), ("MiB", 1024**2)):
        if num_bytes >= factor:
            return f"{math.floor(num_bytes / factor * 100) / 100:g}{suffix}"
    return f"{num_bytes}B"


def reject_reserved_arguments(kwargs: Mapping[str, object], reserved: Mapping[str, str]) -> None:
    """Raise ClusterError naming the first keyword argument that new_cluster() sets itself.

    ``reserved`` maps each such argument to the reason it is fixed.
    """
    for name in kwargs:
        if name in reserved:
            raise ClusterError(
                f"new_cluster({name}=...) is not supported, because {reserved[name]}. Remove the argument.",
                reason="reserved-argument",
            )
