"""ProfileKubeCluster's caps and new_cluster()'s arguments on GKE, without a Kubernetes cluster.

No Kubernetes API runs here, so ``RecordingKubeCluster`` is a stand-in: it
runs the real KubeCluster methods, but its ``sync()`` records the coroutine
KubeCluster would run against the API instead of running it.
"""

import pytest

from data.test_dask_manifests import POD_ENV, PROFILES, worker_container
from nbplatform.dask.kube_cluster import ProfileKubeCluster
from nbplatform.dask.kubernetes import KubeBackend, cluster_request
from nbplatform.dask.manifests import dask_cluster
from nbplatform.dask.sizing import kubernetes_shape
from nbplatform.errors import ClusterError


class RecordingKubeCluster(ProfileKubeCluster):
    """Stand-in for a started cluster: records what KubeCluster would send to the operator."""

    def __init__(self, slug: str) -> None:
        profile = PROFILES.get(slug)
        self.worker_cap = kubernetes_shape(profile.dask, profile_slug=slug).cap
        self.calls: list[tuple[str, tuple]] = []

    def sync(self, func, *args, **kwargs):
        self.calls.append((func.__name__, args))


@pytest.fixture
def cluster():
    return RecordingKubeCluster("small")


def test_kube_scale_within_cap(cluster):
    cluster.scale(2)
    assert cluster.calls == [("_scale", (2, "default"))]


def test_kube_scale_over_cap(cluster):
    with pytest.raises(ClusterError, match="profile 'small' sets dask.max_workers: 2"):
        cluster.scale(3)
    assert cluster.calls == []


def test_kube_scale_other_group(cluster):
    with pytest.raises(ClusterError, match="worker_group='gpu'"):
        cluster.scale(1, worker_group="gpu")
    assert cluster.calls == []


def test_kube_adapt_default_maximum(cluster):
    cluster.adapt(minimum=1)
    assert cluster.calls == [("_adapt", (1, 2))]


def test_kube_adapt_over_cap(cluster):
    with pytest.raises(ClusterError, match="Use adapt\\(maximum=2\\)"):
        cluster.adapt(maximum=5)
    assert cluster.calls == []


def test_kube_add_worker_group_rejected(cluster):
    with pytest.raises(ClusterError, match="add_worker_group\\('big'\\) is not supported"):
        cluster.add_worker_group("big", n_workers=10)
    assert cluster.calls == []


def test_kube_reserved_argument():
    with pytest.raises(ClusterError, match="new_cluster\\(scheduler_service_type=...\\) is not supported") as info:
        KubeBackend().create(PROFILES.get("small"), POD_ENV, scheduler_service_type="LoadBalancer")
    assert info.value.reason == "reserved-argument"


def test_kube_threads_reach_worker_args():
    request = cluster_request(PROFILES.get("large"), POD_ENV, threads_per_worker=1, memory_limit=4 * 1024**3)
    args = worker_container(dask_cluster(request))["args"]
    assert args[args.index("--nthreads") + 1] == "1"
    assert args[args.index("--memory-limit") + 1] == str(4 * 1024**3)


def test_kube_threads_over_pod():
    with pytest.raises(ClusterError, match="threads_per_worker=8 is more than the 1 CPU each worker pod"):
        cluster_request(PROFILES.get("small"), POD_ENV, threads_per_worker=8)
