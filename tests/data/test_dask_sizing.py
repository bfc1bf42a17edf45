import math

import pytest

from nbplatform.dask.sizing import KERNEL_MEMORY_SHARE, adapt_bounds, check_scale, kubernetes_shape, local_shape
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


def test_check_scale_at_max():
    check_scale(4, 4)


def test_check_scale_over_max():
    with pytest.raises(ClusterError, match="profile 'large' caps this cluster at 8") as info:
        check_scale(9, 8, profile_slug="large")
    assert info.value.reason == "too-many-workers"


def test_check_scale_negative():
    with pytest.raises(ClusterError, match="use 0 or more"):
        check_scale(-1, 8)


def test_adapt_default_maximum_is_cap():
    assert adapt_bounds(None, None, 4) == (0, 4)
    assert adapt_bounds(1, math.inf, 4) == (1, 4)


def test_adapt_over_cap():
    with pytest.raises(ClusterError, match="Use adapt\\(maximum=4\\)"):
        adapt_bounds(0, 5, 4)


def test_adapt_minimum_over_cap():
    with pytest.raises(ClusterError, match="Cannot adapt up to 6"):
        adapt_bounds(6, None, 4)


def test_adapt_inverted_bounds():
    with pytest.raises(ClusterError, match="0 <= minimum <= maximum"):
        adapt_bounds(3, 2, 4)
