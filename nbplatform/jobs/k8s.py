"""Read the Job a job pod belongs to, for its scheduled-timestamp annotation (GKE only)."""

from __future__ import annotations

import asyncio
from typing import Any


async def _read_job(name: str, namespace: str) -> dict[str, Any]:
    from kubernetes_asyncio import client, config  # only installed with the gke extra

    config.load_incluster_config()
    async with client.ApiClient() as api:
        job = await client.BatchV1Api(api).read_namespaced_job(name, namespace)
        return api.sanitize_for_serialization(job)


def read_own_job(name: str, namespace: str) -> dict[str, Any]:
    """Return the Job ``name`` as a dict, read with the pod's service account."""
    # NOTE: runs only inside a cluster; tests cover the annotation parsing, not this API call.
    return asyncio.run(_read_job(name, namespace))
