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

from ..profiles.podshape import PodShape
from .errors import JobSpecError
from .messages import message
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


def resolve_image(spec: JobSpec, shape: PodShape, cluster: ClusterSettings) -> str:
    """Return the image by digest for the job; raise JobSpecError naming the fix otherwise."""
    image = spec.image or shape.image or cluster.default_image
    if not image:
        raise JobSpecError(message("image-missing", name=spec.name))
    if not DIGEST_IMAGE.match(image):
        raise JobSpecError(message("image-not-pinned", name=spec.name, image=image))
    return image


def starting_deadline_seconds(spec: JobSpec) -> int:
    """Return how late Kubernetes may still start a slot: the grace for policy none, else the catch-up window."""
    if spec.catchup.policy == "none":
        return spec.catchup.grace_seconds
    return spec.catchup.window_seconds


def build_cronjob(spec: JobSpec, shape: PodShape, cluster: ClusterSettings) -> dict[str, Any]:
    """Return the CronJob that runs ``spec`` with the pod shape its profile gives a notebook server."""
    image = resolve_image(spec, shape, cluster)
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
    env += shape.container_env()

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
    resources = {kind: dict(values) for kind, values in shape.resources.items() if values}
    if resources:
        container["resources"] = resources

    pod_spec: dict[str, Any] = {
        "restartPolicy": "Never",
        "serviceAccountName": cluster.service_account,
        "containers": [container],
        "volumes": [{"name": "job-specs", "configMap": {"name": SPEC_CONFIGMAP}}],
        "securityContext": {"fsGroup": 100},
    }
    if shape.node_selector:
        pod_spec["nodeSelector"] = dict(shape.node_selector)
    if shape.tolerations:
        pod_spec["tolerations"] = [dict(t) for t in shape.tolerations]

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
        raise JobSpecError(message("no-scheduled-timestamp", name=name, annotation=SCHEDULED_TIMESTAMP_ANNOTATION))
    return value
