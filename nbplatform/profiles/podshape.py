"""The pod shape a profile gives: container resources, scheduling, image and environment.

KubeSpawner builds user pods from the same ``kubespawner_override`` keys, and
the CronJob builder for scheduled jobs uses :func:`pod_shape` so a job runs
with the resources of the profile it was promoted with. The function is pure:
no I/O and no clock.

Kubernetes and KubeSpawner read memory suffixes differently, so memory is
rendered with binary suffixes (``2G`` in a profile becomes ``2Gi`` here, the
same number of bytes KubeSpawner puts in the pod).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .model import Profile
from .overrides import resolve_override
from .units import kubernetes_cpu, kubernetes_memory, parse_cpu, parse_kubespawner_memory

GPU_RESOURCE = "nvidia.com/gpu"


@dataclass(frozen=True)
class PodShape:
    """Container and pod settings a profile gives a notebook server or a job.

    ``resources`` has the Kubernetes container form
    ``{"requests": {...}, "limits": {...}}`` with quantities as strings.
    ``env`` keeps the profile's ``environment`` as a name-to-value mapping.
    """

    profile_slug: str
    image: str | None = None
    resources: dict[str, dict[str, str]] = field(default_factory=lambda: {"requests": {}, "limits": {}})
    node_selector: dict[str, str] = field(default_factory=dict)
    tolerations: list[dict[str, Any]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def gpus(self) -> int:
        """Return the number of NVIDIA GPUs in the container limits."""
        return int(self.resources["limits"].get(GPU_RESOURCE, "0"))

    def container_env(self) -> list[dict[str, str]]:
        """Return ``env`` as a Kubernetes container ``env`` list, sorted by name."""
        return [{"name": name, "value": value} for name, value in sorted(self.env.items())]

    def to_dict(self) -> dict[str, Any]:
        """Return the shape as plain data (for JSON, YAML or manifest templates)."""
        return {
            "profile": self.profile_slug,
            "image": self.image,
            "resources": {kind: dict(values) for kind, values in self.resources.items()},
            "nodeSelector": dict(self.node_selector),
            "tolerations": [dict(t) for t in self.tolerations],
            "env": self.container_env(),
        }


def pod_shape(profile: Profile, options: Mapping[str, Any] | None = None) -> PodShape:
    """Return the pod shape of ``profile`` with the chosen ``options`` applied.

    ``options`` are KubeSpawner ``user_options`` without the ``profile`` key
    (option name to choice key, ``<option>--unlisted-choice`` to free text);
    options left out take their default choice. Raise ProfileError for a
    choice the profile does not offer.
    """
    override = resolve_override(profile, options or {})
    return shape_from_override(profile.slug, override)


def shape_from_override(slug: str, override: Mapping[str, Any]) -> PodShape:
    """Return the pod shape that a merged ``kubespawner_override`` gives."""
    requests: dict[str, str] = {}
    limits: dict[str, str] = {}
    if override.get("cpu_guarantee") is not None:
        requests["cpu"] = kubernetes_cpu(parse_cpu(override["cpu_guarantee"]))
    if override.get("cpu_limit") is not None:
        limits["cpu"] = kubernetes_cpu(parse_cpu(override["cpu_limit"]))
    if override.get("mem_guarantee") is not None:
        requests["memory"] = kubernetes_memory(parse_kubespawner_memory(override["mem_guarantee"]))
    if override.get("mem_limit") is not None:
        limits["memory"] = kubernetes_memory(parse_kubespawner_memory(override["mem_limit"]))
    for name, value in (override.get("extra_resource_guarantees") or {}).items():
        if value is not None:
            requests[str(name)] = str(value)
    for name, value in (override.get("extra_resource_limits") or {}).items():
        if value is not None:
            limits[str(name)] = str(value)

    # Kubernetes rejects an extended resource (a GPU) whose request differs
    # from its limit. It copies the limit into the request when only the
    # limit is set, so setting both here changes nothing but is explicit.
    if GPU_RESOURCE in limits and GPU_RESOURCE not in requests:
        requests[GPU_RESOURCE] = limits[GPU_RESOURCE]

    environment = override.get("environment") or {}
    return PodShape(
        profile_slug=slug,
        image=override.get("image") or override.get("image_spec"),
        resources={"requests": requests, "limits": limits},
        node_selector={str(k): str(v) for k, v in (override.get("node_selector") or {}).items() if v is not None},
        tolerations=[dict(t) for t in (override.get("tolerations") or [])],
        env={str(k): str(v) for k, v in environment.items() if v is not None and not callable(v)},
    )
