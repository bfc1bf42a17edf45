"""Kubernetes objects for Dask on GKE, built by pure functions (inputs in, dicts out).

- :func:`dask_cluster` is the ``DaskCluster`` the dask-kubernetes operator
  turns into a scheduler and worker pods.
- :func:`dask_role` and :func:`dask_role_binding` let a notebook's service
  account manage DaskClusters in its own namespace.
- :func:`dask_network_policies` let notebooks reach their scheduler, workers
  and the API server, and let the operator reach the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .sizing import ClusterShape

DASK_API_VERSION = "kubernetes.dask.org/v1"

#: Ports the operator's default scheduler spec uses.
SCHEDULER_PORT = 8786
DASHBOARD_PORT = 8787
WORKER_DASHBOARD_PORT = 8788

#: Node label and taint of the GKE node pool for Dask workers.
#: NOTE: must match the worker node pool in the Terraform configuration.
DEFAULT_WORKER_NODE_SELECTOR = {"nbplatform.io/pool": "dask-worker"}
DEFAULT_WORKER_TOLERATIONS = [
    {"key": "nbplatform.io/pool", "operator": "Equal", "value": "dask-worker", "effect": "NoSchedule"}
]

#: Scheduler pod requests (equal to limits). One scheduler serves a handful
#: of workers; NOTE: sized by judgement, not by measurement.
SCHEDULER_CPU = "1"
SCHEDULER_MEMORY = "2Gi"

#: Label z2jh puts on single-user notebook pods.
NOTEBOOK_POD_LABELS = {"component": "singleuser-server"}

#: Namespace the dask-kubernetes operator runs in (its Helm chart's default).
OPERATOR_NAMESPACE = "dask-operator"


@dataclass(frozen=True)
class OwnerPod:
    """The notebook pod that owns a cluster: deleting it deletes the cluster."""

    name: str
    uid: str


@dataclass(frozen=True)
class DaskClusterRequest:
    """Everything :func:`dask_cluster` needs, gathered from the profile and the pod's environment."""

    name: str
    namespace: str
    image: str
    shape: ClusterShape
    owner: OwnerPod | None
    idle_timeout: int
    user: str
    profile_slug: str | None = None
    node_selector: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_WORKER_NODE_SELECTOR))
    tolerations: list[dict[str, str]] = field(default_factory=lambda: [dict(t) for t in DEFAULT_WORKER_TOLERATIONS])
    env: dict[str, str] = field(default_factory=dict)


def dask_cluster(request: DaskClusterRequest) -> dict[str, Any]:
    """Build the DaskCluster for ``request``.

    Workers request exactly what they are limited to (Guaranteed QoS), run on
    the Dask worker pool, and use the notebook's image so client, scheduler
    and workers share library versions. The owner reference makes Kubernetes
    garbage-collect the cluster when the notebook pod goes away, even after a
    kernel crash.
    """
    labels = {
        "app.kubernetes.io/managed-by": "nbplatform",
        "nbplatform.io/user": _label_value(request.user),
    }
    if request.profile_slug:
        labels["nbplatform.io/profile"] = _label_value(request.profile_slug)
    metadata: dict[str, Any] = {"name": request.name, "namespace": request.namespace, "labels": labels}
    if request.owner is not None:
        metadata["ownerReferences"] = [
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "name": request.owner.name,
                "uid": request.owner.uid,
                "controller": False,
                "blockOwnerDeletion": False,
            }
        ]
    env = [{"name": key, "value": value} for key, value in sorted(request.env.items())]
    return {
        "apiVersion": DASK_API_VERSION,
        "kind": "DaskCluster",
        "metadata": metadata,
        "spec": {
            "idleTimeout": request.idle_timeout,
            "worker": {
                "replicas": request.shape.n_workers,
                "metadata": {"labels": dict(labels)},
                "spec": _worker_pod_spec(request, env),
            },
            "scheduler": {
                "metadata": {"labels": dict(labels)},
                "spec": _scheduler_pod_spec(request, env),
                "service": _scheduler_service(request.name),
            },
        },
    }


def _worker_pod_spec(request: DaskClusterRequest, env: list[dict[str, str]]) -> dict[str, Any]:
    shape = request.shape
    resources = _equal_requests_limits(_cpu_quantity(shape.worker_cpu), str(shape.memory_limit))
    return {
        "nodeSelector": dict(request.node_selector),
        "tolerations": [dict(t) for t in request.tolerations],
        "containers": [
            {
                "name": "worker",
                "image": request.image,
                "args": [
                    "dask",
                    "worker",
                    "--name",
                    "$(DASK_WORKER_NAME)",
                    "--nthreads",
                    str(shape.threads_per_worker),
                    "--memory-limit",
                    str(shape.memory_limit),
                    "--dashboard",
                    "--dashboard-address",
                    str(WORKER_DASHBOARD_PORT),
                ],
                "env": env,
                "resources": resources,
                "ports": [{"name": "http-dashboard", "containerPort": WORKER_DASHBOARD_PORT, "protocol": "TCP"}],
            }
        ],
    }


def _scheduler_pod_spec(request: DaskClusterRequest, env: list[dict[str, str]]) -> dict[str, Any]:
    probe = {"httpGet": {"port": "http-dashboard", "path": "/health"}}
    return {
        "nodeSelector": dict(request.node_selector),
        "tolerations": [dict(t) for t in request.tolerations],
        "containers": [
            {
                "name": "scheduler",
                "image": request.image,
                "args": ["dask", "scheduler", "--host", "0.0.0.0"],
                "env": env,
                "resources": _equal_requests_limits(SCHEDULER_CPU, SCHEDULER_MEMORY),
                "ports": [
                    {"name": "tcp-comm", "containerPort": SCHEDULER_PORT, "protocol": "TCP"},
                    {"name": "http-dashboard", "containerPort": DASHBOARD_PORT, "protocol": "TCP"},
                ],
                "readinessProbe": {**probe, "initialDelaySeconds": 0, "periodSeconds": 1, "timeoutSeconds": 300},
                "livenessProbe": {**probe, "initialDelaySeconds": 15, "periodSeconds": 20},
            }
        ],
    }


def _scheduler_service(cluster_name: str) -> dict[str, Any]:
    return {
        "type": "ClusterIP",
        "selector": {"dask.org/cluster-name": cluster_name, "dask.org/component": "scheduler"},
        "ports": [
            {"name": "tcp-comm", "protocol": "TCP", "port": SCHEDULER_PORT, "targetPort": "tcp-comm"},
            {"name": "http-dashboard", "protocol": "TCP", "port": DASHBOARD_PORT, "targetPort": "http-dashboard"},
        ],
    }


def dask_role(namespace: str, name: str = "nbplatform-dask") -> dict[str, Any]:
    """Build the Role that lets a notebook create, scale, watch and delete Dask clusters in ``namespace``.

    KubeCluster also reads the scheduler's pod, service and logs, and
    port-forwards when it cannot resolve the scheduler service.
    """
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app.kubernetes.io/managed-by": "nbplatform"}},
        "rules": [
            {
                "apiGroups": ["kubernetes.dask.org"],
                "resources": ["daskclusters", "daskworkergroups", "daskautoscalers", "daskjobs"],
                "verbs": ["get", "list", "watch", "create", "patch", "update", "delete"],
            },
            {
                "apiGroups": [""],
                "resources": ["pods", "pods/log", "services"],
                "verbs": ["get", "list", "watch"],
            },
            {"apiGroups": [""], "resources": ["pods/portforward"], "verbs": ["create"]},
        ],
    }


def dask_role_binding(
    namespace: str, service_account: str, role_name: str = "nbplatform-dask"
) -> dict[str, Any]:
    """Build the RoleBinding that grants :func:`dask_role` to the notebooks' service account."""
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {
            "name": role_name,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/managed-by": "nbplatform"},
        },
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role_name},
        "subjects": [{"kind": "ServiceAccount", "name": service_account, "namespace": namespace}],
    }


def dask_network_policies(namespace: str, api_server_cidr: str) -> list[dict[str, Any]]:
    """Build the NetworkPolicies for Dask in ``namespace``.

    Network policies only add allowances, so these open what Dask needs on
    top of z2jh's own singleuser policy. Notebook pods may reach Dask pods on
    any port (worker ports are chosen at random), DNS, and the API server at
    ``api_server_cidr`` (the GKE control plane range). Dask pods accept
    traffic from each other, from notebooks and from the operator.
    """
    dask_pods = {"matchExpressions": [{"key": "dask.org/cluster-name", "operator": "Exists"}]}
    notebook_pods = {"matchLabels": dict(NOTEBOOK_POD_LABELS)}
    operator_namespace = {"matchLabels": {"kubernetes.io/metadata.name": OPERATOR_NAMESPACE}}
    managed = {"app.kubernetes.io/managed-by": "nbplatform"}
    notebook_egress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "nbplatform-notebook-to-dask", "namespace": namespace, "labels": managed},
        "spec": {
            "podSelector": notebook_pods,
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"podSelector": dask_pods}]},
                {
                    "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                },
                {"to": [{"ipBlock": {"cidr": api_server_cidr}}], "ports": [{"protocol": "TCP", "port": 443}]},
            ],
        },
    }
    dask_ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "nbplatform-dask-ingress", "namespace": namespace, "labels": managed},
        "spec": {
            "podSelector": dask_pods,
            "policyTypes": ["Ingress"],
            "ingress": [
                {"from": [{"podSelector": dask_pods}, {"podSelector": notebook_pods}]},
                {
                    "from": [{"namespaceSelector": operator_namespace}],
                    "ports": [
                        {"protocol": "TCP", "port": SCHEDULER_PORT},
                        {"protocol": "TCP", "port": DASHBOARD_PORT},
                    ],
                },
            ],
        },
    }
    return [notebook_egress, dask_ingress]


def pod_identity_env() -> dict[str, dict[str, Any]]:
    """Return KubeSpawner ``environment`` entries exposing the pod's name, UID and namespace.

    new_cluster() needs them for the owner reference and the namespace; the
    Kubernetes downward API fills them in when the pod starts.
    """
    return {
        "NBPLATFORM_POD_NAME": {"valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        "NBPLATFORM_POD_UID": {"valueFrom": {"fieldRef": {"fieldPath": "metadata.uid"}}},
        "NBPLATFORM_POD_NAMESPACE": {"valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
    }


def _equal_requests_limits(cpu: str, memory: str) -> dict[str, dict[str, str]]:
    return {"requests": {"cpu": cpu, "memory": memory}, "limits": {"cpu": cpu, "memory": memory}}


def _cpu_quantity(cores: float) -> str:
    """Render CPUs as a Kubernetes quantity: whole numbers plain, fractions in millicores."""
    return str(int(cores)) if float(cores).is_integer() else f"{round(cores * 1000)}m"


def _label_value(text: str) -> str:
    """Clean ``text`` into a Kubernetes label value (63 alphanumerics, ``-``, ``_``, ``.``)."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in text)
    return cleaned.strip("-_.")[:63].strip("-_.") or "unknown"
