"""LocalCluster whose every way of adding workers stops at the cluster's cap.

distributed's SpecCluster adds workers through ``scale()``, through
``scale_up`` (an alias bound to SpecCluster's own ``scale``, so an override
of ``scale`` alone misses it) and through ``adapt()``, whose Adaptive calls
``cluster.scale(n)`` with ``n`` up to its ``maximum``. The cluster widget's
buttons call ``scale()`` and ``adapt()``. All of them are checked here.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from dask.utils import parse_bytes
from distributed import Adaptive, LocalCluster
from distributed.core import Status

from ..errors import ClusterError
from .sizing import WorkerCap, adapt_bounds, check_scale

log = logging.getLogger(__name__)


class CloseLogMixin:
    """Logs one line when a cluster closes; set ``user`` and ``profile_slug`` on the instance."""

    #: The hub user and profile the cluster belongs to, for log lines.
    user: str | None = None
    profile_slug: str | None = None

    async def _close(self, *args: Any, **kwargs: Any) -> Any:
        # close() of both cluster classes ends here; a second call finds the cluster closed and logs nothing.
        was_open = self.status not in (Status.closing, Status.closed)  # type: ignore[attr-defined]
        result = await super()._close(*args, **kwargs)  # type: ignore[misc]
        if was_open:
            log.info(
                "Dask cluster %s of user %s with profile %s closed",
                self.name, self.user or "-", self.profile_slug or "(none)",  # type: ignore[attr-defined]
            )
        return result


class ProfileAdaptive(Adaptive):
    """Adaptive scaling whose ``minimum`` and ``maximum`` stay within the cluster's cap, also when set later."""

    def __init__(self, cluster: Any, *args: Any, **kwargs: Any) -> None:
        self._cap: WorkerCap = cluster.worker_cap
        super().__init__(cluster, *args, **kwargs)

    @property
    def minimum(self) -> int:
        return self._minimum

    @minimum.setter
    def minimum(self, value: int) -> None:
        self._minimum, _ = adapt_bounds(value, None, self._cap)

    @property
    def maximum(self) -> int:
        return self._maximum

    @maximum.setter
    def maximum(self, value: float) -> None:
        # No maximum (inf, the distributed default) means the cap.
        _, self._maximum = adapt_bounds(0, value, self._cap)


class ProfileLocalCluster(CloseLogMixin, LocalCluster):
    """A LocalCluster sized and capped by the user's profile and the server's limits."""

    def __init__(
        self,
        *args: Any,
        worker_cap: WorkerCap,
        profile_slug: str | None = None,
        user: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.worker_cap = worker_cap
        self.profile_slug = profile_slug
        self.user = user
        super().__init__(*args, **kwargs)

    @property
    def max_workers(self) -> int:
        return self.worker_cap.max_workers

    def scale(self, n: int = 0, memory: str | None = None, cores: int | None = None) -> Any:
        # SpecCluster turns memory= and cores= into a worker count; check that count.
        if memory is not None:
            n = max(n, math.ceil(parse_bytes(memory) / self._memory_per_worker()))
        if cores is not None:
            n = max(n, math.ceil(cores / self._threads_per_worker()))
        check_scale(n, self.worker_cap)
        return super().scale(n)

    def scale_up(self, n: int = 0, memory: str | None = None, cores: int | None = None) -> Any:
        return self.scale(n, memory=memory, cores=cores)

    def adapt(
        self,
        Adaptive: type[Adaptive] = ProfileAdaptive,  # noqa: N803 - distributed's parameter name
        minimum: float | None = None,
        maximum: float | None = None,
        **kwargs: Any,
    ) -> Adaptive:
        for key in ("minimum_cores", "maximum_cores", "minimum_memory", "maximum_memory"):
            if kwargs.get(key) is not None:
                # Only worker counts are checked against the cap, so these are rejected.
                raise ClusterError(
                    f"adapt({key}=...) is not supported on profile-sized clusters; pass minimum= and maximum= "
                    "as worker counts instead.",
                    reason="invalid-scale",
                )
        if not (isinstance(Adaptive, type) and issubclass(Adaptive, ProfileAdaptive)):
            raise ClusterError(
                f"adapt(Adaptive={Adaptive!r}) is not supported on profile-sized clusters, because that class "
                "could set a maximum above the cap. Pass a subclass of nbplatform.dask.limits.ProfileAdaptive.",
                reason="invalid-scale",
            )
        low, high = adapt_bounds(minimum, maximum, self.worker_cap)
        return super().adapt(Adaptive=Adaptive, minimum=low, maximum=high, **kwargs)
