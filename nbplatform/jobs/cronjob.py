"""Pure builders of the Kubernetes objects that run jobs on GKE: one CronJob per job, plus RBAC.

Inputs in, dicts out: no cluster, no clock, no file access. The runner in the
pod reads its logical date from the ``batch.kubernetes.io/cronjob-scheduled-timestamp``
annotation, which the CronJob controller (Kubernetes 1.28+) puts on every Job
it creates. The pod finds its Job through the ``batch.kubernetes.io/job-name``
label, which the Job controller sets on its pods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..profiles import Resources, format_memory
from .errors import JobSpecError
from .spec import JobSpec

DIGEST_IMAGE = re.compile(r"^[^@\s]+@sha256:[0-9a-f]{64}$")
SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
SPEC_CONFIGMAP = "nbplatform-job-specs"
SPEC_MOUNT = "/etc/nbplatform/jobs"
ALERTS_SECRET = "nbplatform-alerts"
#: Seconds added to each attempt's deadline for pulling the image and starting the pod.
POD_START_ALLOWANCE = 300


@dataclass(frozen=True)
class ClusterSettings:
    """Namespace, service account, storage URLs and default image of jobs on GKE."""

    namespace: str = "nbplatform-jobs"
    #: Kubernetes service account bound to a Google service account through Workload Identity.
    service_account: str = "nbplatform-jobs"
    runs_url: str = "gs://CHANGE-ME-runs/runs"
    snapshots_url: str = "gs://CHANGE-ME-runs/snapshots"
    #: Image used when neither the spec nor the profile names one; must be pinned by digest.
    default_image: str | None = None


def _label_value(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "-", text)[:63].strip("-_.")
    return cleaned or "unknown"


def resolve_image(spec: JobSpec, resources: Resources, cluster: ClusterSettings) -> str:
    """Return the image by digest for the job; raise JobSpecError naming the fix otherwise."""
    image = spec.image or resources.image or cluster.default_image
    if not image:
        raise JobSpecError(
            f"Job {spec.name!r}: field image is missing. Fix: set image to the notebook image pinned by digest, "
            "such as registry/image@sha256:<64 hex digits>.",
        )
    if not DIGEST_IMAGE.match(image):
        raise JobSpecError(
            f"Job {spec.name!r}: field image: value {image!r} is not pinned by digest, so a rebuilt tag could change "
            "the job. Fix: use registry/image@sha256:<digest> (see 'gcloud artifacts docker images describe').",
        )
    return image


def memory_quantity(num_bytes: int) -> str:
    """Write bytes as a Kubernetes quantity with a binary suffix (``2147483648`` -> ``2Gi``)."""
    text = format_memory(num_bytes)
    return text + "i" if text[-1:] in ("K", "M", "G", "T") else text


def container_resources(resources: Resources) -> dict[str, Any]:
    """Return a container's ``resources`` from a profile: guarantees as requests, limits as limits."""
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    if resources.cpu_guarantee is not None:
        requests["cpu"] = str(resources.cpu_guarantee)
    if resources.mem_guarantee is not None:
        requests["memory"] = memory_quantity(resources.mem_guarantee)
    if resources.cpu_limit is not None:
        limits["cpu"] = str(resources.cpu_limit)
    if resources.mem_limit is not None:
        limits["memory"] = memory_quantity(resources.mem_limit)
    if resources.gpu_limit:
        limits["nvidia.com/gpu"] = resources.gpu_limit
    result: dict[str, Any] = {}
    if requests:
        result["requests"] = requests
    if limits:
        result["limits"] = limits
    return result


def starting_deadline_seconds(spec: JobSpec) -> int:
    """Return how late Kubernetes may still start a slot: the grace for policy none, else the catch-up window."""
    if spec.catchup.policy == "none":
        return spec.catchup.grace_seconds
    return spec.catchup.window_seconds


def build_cronjob(spec: JobSpec, resources: Resources, cluster: ClusterSettings) -> dict[str, Any]:
    """Return the CronJob that runs ``spec`` with the pod shape its profile gives a notebook server."""
    image = resolve_image(spec, resources, cluster)
    labels = {
        "app.kubernetes.io/name": "nbplatform-job",
        "app.kubernetes.io/managed-by": "nbplatform",
        "nbplatform.io/job": spec.name,
        "nbplatform.io/owner": _label_value(spec.owner),
    }
    env: list[dict[str, Any]] = [
        {"name": "NBPLATFORM_MODE", "value": "gke"},
        {"name": "NBPLATFORM_JOBS_DIR", "value": SPEC_MOUNT},
        {"name": "NBPLATFORM_RUNS_URL", "value": cluster.runs_url},
        {"name": "NBPLATFORM_SNAPSHOTS_URL", "value": cluster.snapshots_url},
        {"name": "NBPLATFORM_K8S_JOB_NAME", "valueFrom": {"fieldRef": {"fieldPath": f"metadata.labels['{JOB_NAME_LABEL}']"}}},
        {"name": "NBPLATFORM_K8S_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {
            "name": "SENTRY_DSN",
            "valueFrom": {"secretKeyRef": {"name": ALERTS_SECRET, "key": "sentry-dsn", "optional": True}},
        },
    ]
    env += [{"name": key, "value": value} for key, value in sorted(resources.environment.items())]
    container: dict[str, Any] = {
        "name": "notebook",
        "image": image,
        "command": [
            "nbplatform", "jobs", "run", spec.name,
            "--attempts", "1", "--trigger", "kubernetes", "--logical-date-from-job",
        ],
        # NOTE: Kubernetes retries through backoffLimit, so each failed pod sends its own alert.
        "env": env,
        "volumeMounts": [{"name": "job-specs", "mountPath": SPEC_MOUNT, "readOnly": True}],
        "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True, "runAsUser": 1000},
    }
    shaped = container_resources(resources)
    if shaped:
        container["resources"] = shaped
    pod_spec: dict[str, Any] = {
        "restartPolicy": "Never",
        "serviceAccountName": cluster.service_account,
        "containers": [container],
        "volumes": [{"name": "job-specs", "configMap": {"name": SPEC_CONFIGMAP}}],
        "securityContext": {"fsGroup": 100},
    }
    if resources.node_selector:
        pod_spec["nodeSelector"] = dict(resources.node_selector)
    if resources.tolerations:
        pod_spec["tolerations"] = [dict(t) for t in resources.tolerations]
    attempts = spec.retries.max + 1
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": spec.name, "namespace": cluster.namespace, "labels": labels},
        "spec": {
            "schedule": spec.schedule,
            "timeZone": spec.timezone,
            "concurrencyPolicy": "Forbid" if spec.overlap == "forbid" else "Allow",
            "startingDeadlineSeconds": starting_deadline_seconds(spec),
            "suspend": spec.paused,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": {
                "metadata": {"labels": labels},
                "spec": {
                    "backoffLimit": spec.retries.max,
                    # The Job's deadline covers every attempt; each attempt also stops itself at timeout_seconds.
                    "activeDeadlineSeconds": attempts * (spec.timeout_seconds + POD_START_ALLOWANCE),
                    "template": {"metadata": {"labels": labels}, "spec": pod_spec},
                },
            },
        },
    }


def build_rbac(cluster: ClusterSettings) -> list[dict[str, Any]]:
    """Return the Role and RoleBinding that let job pods read their own Job's scheduled-timestamp annotation."""
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "nbplatform-job-reader", "namespace": cluster.namespace},
        "rules": [{"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get"]}],
    }
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "nbplatform-job-reader", "namespace": cluster.namespace},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "nbplatform-job-reader"},
        "subjects": [{"kind": "ServiceAccount", "name": cluster.service_account, "namespace": cluster.namespace}],
    }
    return [role, binding]


def build_kustomization(cronjob_files: list[str], spec_files: list[str], cluster: ClusterSettings) -> dict[str, Any]:
    """Return the kustomization that applies the CronJobs, the RBAC and a ConfigMap of the specs."""
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": cluster.namespace,
        "resources": ["rendered/rbac.yaml", *cronjob_files],
        "configMapGenerator": [{"name": SPEC_CONFIGMAP, "files": spec_files}],
    }


def logical_date_from_job(job: dict[str, Any]) -> str:
    """Return the scheduled-timestamp annotation of a Job object; raise JobSpecError if it is missing."""
    annotations = (job.get("metadata") or {}).get("annotations") or {}
    value = annotations.get(SCHEDULED_TIMESTAMP_ANNOTATION)
    if not value:
        name = (job.get("metadata") or {}).get("name", "?")
        raise JobSpecError(
            f"Job {name!r} has no {SCHEDULED_TIMESTAMP_ANNOTATION} annotation. It was not created by a CronJob on "
            "Kubernetes 1.28 or later; pass --logical-date instead.",
        )
    return value
