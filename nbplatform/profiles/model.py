"""The resource profile: a z2jh ``singleuser.profileList`` entry plus platform keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .units import parse_memory


class DaskSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    worker_cores: float = 1
    worker_memory: str = "2G"
    max_workers: int = 2


class BigQuerySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    maximum_bytes_billed: int | None = None


class Profile(BaseModel):
    """One entry of a profile file."""

    model_config = ConfigDict(extra="forbid")

    display_name: str
    slug: str
    description: str = ""
    default: bool = False
    kubespawner_override: dict[str, Any] = Field(default_factory=dict)
    profile_options: dict[str, Any] = Field(default_factory=dict)
    groups: list[str] = Field(default_factory=list)
    max_servers: int | None = None
    idle_timeout: int | None = None
    dask: DaskSettings = Field(default_factory=DaskSettings)
    bigquery: BigQuerySettings = Field(default_factory=BigQuerySettings)
    cost_per_hour: float | None = None
    enabled: bool = True
    #: File the profile was read from; set by the loader, never by YAML.
    source_file: Path | None = Field(default=None, exclude=True)

    def resources(self, overrides: dict[str, Any] | None = None) -> "Resources":
        """Return the resources this profile gives, with ``overrides`` from chosen options applied."""
        merged = {**self.kubespawner_override, **(overrides or {})}
        return Resources.from_override(merged)


@dataclass(frozen=True)
class Resources:
    """CPU, memory, GPU, image and environment a profile gives a server."""

    cpu_limit: float | None = None
    cpu_guarantee: float | None = None
    mem_limit: int | None = None
    mem_guarantee: int | None = None
    gpu_limit: int = 0
    image: str | None = None
    environment: dict[str, str] = field(default_factory=dict)
    node_selector: dict[str, str] = field(default_factory=dict)
    tolerations: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_override(cls, override: dict[str, Any]) -> "Resources":
        extra = override.get("extra_resource_limits") or {}
        gpu = extra.get("nvidia.com/gpu", 0)
        return cls(
            cpu_limit=_float_or_none(override.get("cpu_limit")),
            cpu_guarantee=_float_or_none(override.get("cpu_guarantee")),
            mem_limit=_memory_or_none(override.get("mem_limit")),
            mem_guarantee=_memory_or_none(override.get("mem_guarantee")),
            gpu_limit=int(gpu or 0),
            image=override.get("image"),
            environment={str(k): str(v) for k, v in (override.get("environment") or {}).items()},
            node_selector=dict(override.get("node_selector") or {}),
            tolerations=list(override.get("tolerations") or []),
        )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _memory_or_none(value: Any) -> int | None:
    return None if value is None else parse_memory(value)
