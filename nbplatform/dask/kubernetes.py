"""The GKE back end: a dask-kubernetes operator KubeCluster built from the profile."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any, Mapping

from ..errors import ClusterError
from ..profiles import DaskSettings, Profile
from .manifests import DaskClusterRequest, OwnerPod, dask_cluster
from .sizing import kubernetes_shape, reject_reserved_arguments

log = logging.getLogger(__name__)

#: Seconds a scheduler may sit idle before the operator deletes the cluster.
DEFAULT_IDLE_TIMEOUT = 1800

#: File in which Kubernetes mounts the namespace of the pod's service account.
SERVICE_ACCOUNT_NAMESPACE_FILE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")

#: Variables passed on to scheduler and workers so nbplatform behaves the same there.
FORWARDED_ENV = ("NBPLATFORM_MODE", "NBPLATFORM_BIGQUERY_PROJECT", "NBPLATFORM_BIGQUERY_LOCATION", "GOOGLE_CLOUD_PROJECT")

_FROM_PROFILE = "new_cluster() builds the DaskCluster from the profile and the notebook's pod"
_CLUSTER_ONLY = "the scheduler is reachable only inside the Kubernetes cluster, through the notebook's server"

#: KubeCluster arguments that new_cluster() sets itself, with the reason.
RESERVED_ARGUMENTS = {
    "name": _FROM_PROFILE,
    "namespace": _FROM_PROFILE,
    "image": _FROM_PROFILE,
    "resources": _FROM_PROFILE,
    "env": _FROM_PROFILE,
    "worker_command": _FROM_PROFILE,
    "custom_cluster_spec": _FROM_PROFILE,
    "create_mode": _FROM_PROFILE,
    "shutdown_on_close": "the cluster is deleted when it is closed or its notebook pod goes away",
    "scheduler_service_type": _CLUSTER_ONLY,
    "jupyter": _CLUSTER_ONLY,
    "worker_cap": "the cap comes from the profile",
}


def cluster_request(
    profile: Profile | None,
    environ: Mapping[str, str],
    *,
    n_workers: int | None = None,
    threads_per_worker: int | None = None,
    memory_limit: int | None = None,
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
    name: str | None = None,
    namespace_file: Path = SERVICE_ACCOUNT_NAMESPACE_FILE,
) -> DaskClusterRequest:
    """Gather the DaskCluster inputs from the profile and the variables KubeSpawner sets in the pod.

    The image is the notebook's own (``JUPYTER_IMAGE``), the namespace the
    pod's own, and the owner the pod itself (``NBPLATFORM_POD_NAME`` and
    ``NBPLATFORM_POD_UID`` from the downward API).
    """
    image = environ.get("JUPYTER_IMAGE") or environ.get("JUPYTER_IMAGE_SPEC")
    if not image:
        raise ClusterError(
            "JUPYTER_IMAGE is not set, so the workers' image would not match the notebook's. "
            "Start the server with KubeSpawner, which sets it.",
            reason="missing-image",
        )
    namespace = environ.get("NBPLATFORM_POD_NAMESPACE") or _read_namespace(namespace_file)
    if not namespace:
        raise ClusterError(
            f"Cannot tell the pod's namespace: NBPLATFORM_POD_NAMESPACE is not set and {namespace_file} is missing.",
            reason="missing-namespace",
        )
    owner = None
    if environ.get("NBPLATFORM_POD_NAME") and environ.get("NBPLATFORM_POD_UID"):
        owner = OwnerPod(name=environ["NBPLATFORM_POD_NAME"], uid=environ["NBPLATFORM_POD_UID"])
    else:
        log.warning(
            "NBPLATFORM_POD_NAME/NBPLATFORM_POD_UID are not set; the Dask cluster gets no owner reference "
            "and is deleted only by close() or after %d idle seconds",
            idle_timeout,
        )
    user = environ.get("JUPYTERHUB_USER", "unknown")
    dask_settings = profile.dask if profile else DaskSettings()
    return DaskClusterRequest(
        name=name or cluster_name(user),
        namespace=namespace,
        image=image,
        shape=kubernetes_shape(
            dask_settings,
            n_workers=n_workers,
            profile_slug=profile.slug if profile else None,
            threads_per_worker=threads_per_worker,
            memory_limit=memory_limit,
        ),
        owner=owner,
        idle_timeout=idle_timeout,
        user=user,
        profile_slug=profile.slug if profile else None,
        env={key: environ[key] for key in FORWARDED_ENV if environ.get(key)},
    )


def cluster_name(user: str) -> str:
    """Return a new DNS-1123 name ``dask-<user>-<random>``, short enough for ``<name>-scheduler``."""
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in user.lower()).strip("-")[:30] or "user"
    return f"dask-{cleaned}-{secrets.token_hex(3)}"


def _read_namespace(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class KubeBackend:
    name = "gke"

    def create(
        self,
        profile: Profile | None,
        environ: Mapping[str, str],
        *,
        n_workers: int | None = None,
        threads_per_worker: int | None = None,
        memory_limit: int | None = None,
        asynchronous: bool = False,
        idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
        **kwargs: Any,
    ):
        # This path has never run against a cluster: tests check the DaskCluster manifest against the
        # CRD schema and ProfileKubeCluster's limits without starting it.
        from .kube_cluster import ProfileKubeCluster

        reject_reserved_arguments(kwargs, RESERVED_ARGUMENTS)
        request = cluster_request(
            profile,
            environ,
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            memory_limit=memory_limit,
            idle_timeout=idle_timeout,
        )
        log.info(
            "Creating DaskCluster %s in namespace %s for user %s with profile %s: %s",
            request.name,
            request.namespace,
            request.user,
            request.profile_slug or "(none)",
            request.shape.describe(),
        )
        return ProfileKubeCluster(
            worker_cap=request.shape.cap,
            profile_slug=request.profile_slug,
            user=request.user,
            custom_cluster_spec=dask_cluster(request),
            namespace=request.namespace,
            shutdown_on_close=True,
            asynchronous=asynchronous,
            **kwargs,
        )
