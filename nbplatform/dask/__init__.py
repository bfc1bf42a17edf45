"""Dask clusters sized by the user's profile: LocalCluster locally, KubeCluster on GKE.

``new_cluster()`` is the one entry point; pass its result to
``distributed.Client``. Every way of adding workers (scale(), scale_up(),
adapt() and the cluster widget) stops with a ClusterError at the cluster's
cap: the profile's ``dask.max_workers``, or fewer where the server's CPU or
memory limit fits fewer.
"""

from __future__ import annotations

from typing import Any

__all__ = ["new_cluster"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so the hub can read the pure builders in this
    # package without importing dask itself.
    if name == "new_cluster":
        from .api import new_cluster

        return new_cluster
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
