import math

import pytest

from nbplatform.dask.local import server_limits
from nbplatform.dask.sizing import (
    KERNEL_MEMORY_SHARE,
    WorkerCap,
    adapt_bounds,
    check_scale,
    kubernetes_shape,
    local_shape,
)
from nbplatform.errors import ClusterError
from nbplatform.profiles import DaskSettings

GIB = 1024**3


def test_local_shape_small_profile():
    shape = local_shape(
        DaskSettings(worker_cores=1, worker_memory="2G", max_workers=2),
        cpu_limit=1, mem_limit=2 * GIB, host_cpus=8, host_memory=64 * GIB,
    )
    assert shape.n_workers == 1
    assert shape.threads_per_worker == 1
    assert shape.memory_limit == int(2 * GIB * (1 - KERNEL_MEMORY_SHARE))


def test_local_shape_fits_cpu_limit():
    shape = local_shape(
        DaskSettings(worker_cores=2, worker_memory="8G", max_workers=8),
        cpu_limit=4, mem_limit=16 * GIB, host_cpus=32, host_memory=128 * GIB,
    )
    assert shape.n_workers == 2
    assert shape.threads_per_worker == 2
    assert shape.n_workers * shape.threads_per_worker <= 4
    assert shape.memory_limit == 6 * GIB


def test_local_shape_fits_memory_limit():
    shape = local_shape(
        DaskSettings(worker_cores=1, worker_memory="8G", max_workers=4),
        cpu_limit=4, mem_limit=4 * GIB, host_cpus=4, host_memory=64 * GIB,
    )
    assert shape.n_workers * shape.memory_limit <= 4 * GIB * (1 - KERNEL_MEMORY_SHARE)


def test_local_shape_host_smaller_than_profile():
    shape = local_shape(
        DaskSettings(worker_cores=1, worker_memory="2G", max_workers=8),
        cpu_limit=16, mem_limit=None, host_cpus=2, host_memory=8 * GIB,
    )
    assert shape.n_workers == 2
    assert shape.memory_limit == 2 * GIB


def test_local_shape_fractional_cpu():
    shape = local_shape(
        DaskSettings(worker_cores=0.5, worker_memory="1G", max_workers=4),
        cpu_limit=0.5, mem_limit=None, host_cpus=4, host_memory=8 * GIB,
    )
    assert shape.n_workers == 1
    assert shape.threads_per_worker == 1


def test_kubernetes_shape_from_profile():
    shape = kubernetes_shape(DaskSettings(worker_cores=2, worker_memory="8G", max_workers=8))
    assert shape.n_workers == 1
    assert shape.worker_cpu == 2.0
    assert shape.memory_limit == 8 * GIB
    assert shape.max_workers == 8


def test_kubernetes_shape_initial_over_max():
    with pytest.raises(ClusterError, match="Cannot scale to 9 workers"):
        kubernetes_shape(DaskSettings(max_workers=8), n_workers=9)


def cap(max_workers: int, slug: str | None = "large") -> WorkerCap:
    return kubernetes_shape(DaskSettings(max_workers=max_workers), profile_slug=slug).cap


def test_check_scale_at_max():
    check_scale(4, cap(4))


def test_check_scale_over_max():
    with pytest.raises(ClusterError, match="profile 'large' sets dask.max_workers: 8") as info:
        check_scale(9, cap(8))
    assert info.value.reason == "too-many-workers"
    assert "a higher dask.max_workers" in info.value.message


def test_check_scale_negative():
    with pytest.raises(ClusterError, match="use 0 or more"):
        check_scale(-1, cap(8))


def test_check_scale_not_integer():
    with pytest.raises(ClusterError, match="pass a whole number"):
        check_scale(2.5, cap(8))


def test_adapt_default_maximum_is_cap():
    assert adapt_bounds(None, None, cap(4)) == (0, 4)
    assert adapt_bounds(1, math.inf, cap(4)) == (1, 4)


def test_adapt_over_cap():
    with pytest.raises(ClusterError, match="Use adapt\\(maximum=4\\)"):
        adapt_bounds(0, 5, cap(4))


def test_adapt_minimum_over_cap():
    with pytest.raises(ClusterError, match="Cannot adapt with minimum=6 workers"):
        adapt_bounds(6, None, cap(4))
    with pytest.raises(ClusterError, match=r"Use adapt\(minimum=1\)"):
        adapt_bounds(3, 1, cap(1))


@pytest.mark.parametrize(("minimum", "maximum"), [(0, math.nan), (math.nan, 2), (-1, 2), ("2", 3)])
def test_adapt_invalid_bounds(minimum, maximum):
    with pytest.raises(ClusterError, match="Invalid adapt bounds"):
        adapt_bounds(minimum, maximum, cap(4))


@pytest.mark.parametrize(
    ("name", "value"), [("CPU_LIMIT", "abc"), ("CPU_LIMIT", "-2"), ("MEM_LIMIT", "abc"), ("MEM_LIMIT", "0")]
)
def test_spawner_limits_validated(name, value):
    with pytest.raises(ClusterError, match=f"{name}='{value}' is not a valid limit"):
        server_limits(None, {name: value})


def test_adapt_inverted_bounds():
    with pytest.raises(ClusterError, match="minimum must not exceed maximum"):
        adapt_bounds(3, 2, cap(4))


SMALL = DaskSettings(worker_cores=1, worker_memory="2G", max_workers=2)
LARGE = DaskSettings(worker_cores=2, worker_memory="8G", max_workers=8)


def test_cap_from_server_cpu_limit():
    shape = local_shape(SMALL, cpu_limit=1, mem_limit=2 * GIB, host_cpus=8, host_memory=64 * GIB, profile_slug="small")
    with pytest.raises(ClusterError) as info:
        check_scale(2, shape.cap)
    message = info.value.message
    assert shape.cap.limit == "cpu"
    assert "at most 1 worker, because the server's CPU limit of 1 CPU fits 1 worker of 1 thread" in message
    assert "higher cpu_limit" in message
    assert "dask.max_workers" not in message


def test_cap_from_host_cpus():
    shape = local_shape(LARGE, cpu_limit=4, mem_limit=16 * GIB, host_cpus=2, host_memory=64 * GIB, profile_slug="large")
    with pytest.raises(ClusterError) as info:
        check_scale(4, shape.cap)
    message = info.value.message
    assert shape.cap.limit == "cpu"
    assert "this machine's 2 CPUs fit 1 worker of 2 threads" in message
    assert "threads_per_worker=1" in message
    assert "more CPUs" in message


def test_cap_from_profile():
    shape = local_shape(SMALL, cpu_limit=None, mem_limit=None, host_cpus=8, host_memory=64 * GIB, profile_slug="small")
    with pytest.raises(ClusterError) as info:
        check_scale(3, shape.cap)
    assert shape.cap.limit == "profile"
    assert "profile 'small' sets dask.max_workers: 2" in info.value.message
    assert "cpu_limit" not in info.value.message


def test_cap_without_profile():
    shape = local_shape(SMALL, cpu_limit=None, mem_limit=None, host_cpus=8, host_memory=64 * GIB)
    assert "no profile is set and the default dask.max_workers is 2" in shape.cap.cause


def test_cap_from_memory_limit():
    shape = local_shape(
        SMALL, cpu_limit=4, mem_limit=4 * GIB, host_cpus=8, host_memory=64 * GIB,
        profile_slug="small", memory_limit=2 * GIB,
    )
    with pytest.raises(ClusterError) as info:
        check_scale(2, shape.cap)
    message = info.value.message
    assert shape.cap.limit == "memory"
    assert shape.max_workers == 1
    assert shape.memory_limit == 2 * GIB
    assert "the 3GiB left for workers (three quarters of the server's memory limit of 4GiB)" in message
    assert "smaller memory_limit" in message
    assert "higher mem_limit" in message


def test_threads_override_changes_cap():
    shape = local_shape(LARGE, cpu_limit=4, mem_limit=16 * GIB, host_cpus=8, host_memory=64 * GIB, threads_per_worker=1)
    assert shape.threads_per_worker == 1
    assert shape.max_workers == 4


def test_threads_over_cpus_rejected():
    with pytest.raises(ClusterError, match="threads_per_worker=8 is more than the 1 CPU\\(s\\)") as info:
        local_shape(SMALL, cpu_limit=1, mem_limit=2 * GIB, host_cpus=8, host_memory=64 * GIB, threads_per_worker=8)
    assert "use threads_per_worker=1 or fewer" in info.value.message
    assert info.value.reason == "too-many-threads"


def test_memory_over_server_rejected():
    with pytest.raises(ClusterError, match="memory_limit=93.13GiB is more than the 1.5GiB") as info:
        local_shape(SMALL, cpu_limit=1, mem_limit=2 * GIB, host_cpus=8, host_memory=64 * GIB, memory_limit=100 * 10**9)
    assert "use memory_limit='1.5GiB' or less" in info.value.message
    assert info.value.reason == "too-much-memory"


def test_kubernetes_threads_over_pod_rejected():
    with pytest.raises(ClusterError, match="more than the 2 CPUs each worker pod gets from profile 'large'"):
        kubernetes_shape(LARGE, profile_slug="large", threads_per_worker=3)


def test_kubernetes_memory_over_pod_rejected():
    with pytest.raises(ClusterError, match="use memory_limit='8GiB' or less"):
        kubernetes_shape(LARGE, profile_slug="large", memory_limit=9 * GIB)


def test_kubernetes_smaller_workers():
    shape = kubernetes_shape(LARGE, threads_per_worker=1, memory_limit=4 * GIB)
    assert shape.threads_per_worker == 1
    assert shape.memory_limit == 4 * GIB
    assert shape.worker_cpu == 2.0
