"""Cluster classes whose scale() and adapt() stop at the profile's ``dask.max_workers``."""

from __future__ import annotations

import logging
import math
from typing import Any

from distributed import LocalCluster
from distributed.core import Status
from dask.utils import parse_bytes

from ..errors import ClusterError

from .sizing import adapt_bounds, check_scale

log = logging.getLogger(__name__)


class ProfileLimitsMixin:
    """Checks scale() and adapt() requests against ``max_workers`` before the cluster acts on them.

    Set ``max_workers``, ``profile_slug`` and ``user`` on the instance before use.
    """

    max_workers: int
    profile_slug: str | None = None
    #: The hub user the cluster belongs to, for log lines.
    user: str | None = None

    def scale(self, n: int = 0, *args: Any, **kwargs: Any) -> Any:
        check_scale(n, self.max_workers, profile_slug=self.profile_slug)
        return super().scale(n, *args, **kwargs)  # type: ignore[misc]

    def adapt(self, *args: Any, minimum: float | None = None, maximum: float | None = None, **kwargs: Any) -> Any:
        low, high = adapt_bounds(minimum, maximum, self.max_workers, profile_slug=self.profile_slug)
        return super().adapt(*args, minimum=low, maximum=high, **kwargs)  # type: ignore[misc]

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


class ProfileLocalCluster(ProfileLimitsMixin, LocalCluster):
    """A LocalCluster sized and capped by the user's profile."""

    def __init__(
        self, *args: Any, max_workers: int, profile_slug: str | None = None, user: str | None = None, **kwargs: Any
    ) -> None:
        self.max_workers = max_workers
        self.profile_slug = profile_slug
        self.user = user
        super().__init__(*args, **kwargs)

    def scale(self, n: int = 0, memory: str | None = None, cores: int | None = None) -> Any:
        # SpecCluster turns memory= and cores= into a worker count; check that count.
        if memory is not None:
            n = max(n, math.ceil(parse_bytes(memory) / self._memory_per_worker()))
        if cores is not None:
            n = max(n, math.ceil(cores / self._threads_per_worker()))
        return super().scale(n)

    def adapt(self, *args: Any, minimum: float | None = None, maximum: float | None = None, **kwargs: Any) -> Any:
        for key in ("minimum_cores", "maximum_cores", "minimum_memory", "maximum_memory"):
            if kwargs.get(key) is not None:
                # NOTE: only worker counts are checked against the profile, so these are rejected.
                raise ClusterError(
                    f"adapt({key}=...) is not supported on profile-sized clusters; pass minimum= and maximum= "
                    "as worker counts instead.",
                    reason="invalid-scale",
                )
        return super().adapt(*args, minimum=minimum, maximum=maximum, **kwargs)
