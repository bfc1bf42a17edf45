"""Dask clusters sized by the user's profile: LocalCluster locally, KubeCluster on GKE.

``new_cluster()`` is the one entry point; pass its result to
``distributed.Client``. scale() and adapt() stop at the profile's
``dask.max_workers`` with a ClusterError.
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
