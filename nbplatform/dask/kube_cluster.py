"""dask-kubernetes' operator KubeCluster, with every way of adding workers stopped at the profile's cap.

The operator's KubeCluster adds workers through ``scale(n, worker_group)``,
through ``adapt(minimum, maximum)`` (a DaskAutoscaler resource the operator
acts on) and through ``add_worker_group()``, whose workers would have any
size. The cluster widget's buttons call ``scale()`` and ``adapt()``.

NOTE: the cap is checked in the notebook's process. The notebooks' service
account may patch DaskWorkerGroups itself, so only the namespace's
ResourceQuota, a total for all users, bounds a user who goes around this class.
"""

from __future__ import annotations

from typing import Any

from dask_kubernetes.operator import KubeCluster

from ..errors import ClusterError
from .limits import CloseLogMixin
from .sizing import WorkerCap, adapt_bounds, check_scale

#: The only worker group of a cluster that new_cluster() creates.
DEFAULT_WORKER_GROUP = "default"


class ProfileKubeCluster(CloseLogMixin, KubeCluster):
    """A KubeCluster whose scale() and adapt() stop at the profile's ``dask.max_workers``."""

    def __init__(
        self, *, worker_cap: WorkerCap, profile_slug: str | None = None, user: str | None = None, **kwargs: Any
    ) -> None:
        self.worker_cap = worker_cap
        self.profile_slug = profile_slug
        self.user = user
        super().__init__(**kwargs)

    @property
    def max_workers(self) -> int:
        return self.worker_cap.max_workers

    def scale(self, n: int, worker_group: str = DEFAULT_WORKER_GROUP) -> Any:
        if worker_group != DEFAULT_WORKER_GROUP:
            raise ClusterError(
                f"scale(worker_group={worker_group!r}) is not supported: profile-sized clusters have only the "
                f"{DEFAULT_WORKER_GROUP!r} worker group. Call scale(n) without worker_group.",
                reason="invalid-scale",
            )
        check_scale(n, self.worker_cap)
        return super().scale(n, worker_group)

    def adapt(self, minimum: float | None = None, maximum: float | None = None) -> Any:
        low, high = adapt_bounds(minimum, maximum, self.worker_cap)
        return super().adapt(minimum=low, maximum=high)

    def add_worker_group(self, name: str, *args: Any, **kwargs: Any) -> Any:
        raise ClusterError(
            f"add_worker_group({name!r}) is not supported on profile-sized clusters, because its workers would "
            "not count toward dask.max_workers and could be of any size. Use scale(n) on the default group.",
            reason="invalid-scale",
        )
