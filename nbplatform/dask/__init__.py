"""Dask clusters sized by the user's profile: LocalCluster locally, KubeCluster on GKE.

``new_cluster()`` is the one entry point; pass its result to
``distributed.Client``. scale() and adapt() stop at the profile's
``dask.max_workers`` with a ClusterError.
"""

from .api import new_cluster

__all__ = ["new_cluster"]
