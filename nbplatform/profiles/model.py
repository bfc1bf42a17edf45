"""The resource profile: a z2jh ``singleuser.profileList`` entry plus platform keys.

These models hold profiles that already passed :mod:`.validation`, which
checks raw YAML with file and line numbers. The pydantic constraints here
repeat the type rules so a profile built in Python is held to them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .units import parse_kubespawner_memory, parse_cpu


class DaskSettings(BaseModel):
    """Size and count of the Dask workers a server of this profile may start."""

    model_config = ConfigDict(extra="forbid")

    worker_cores: float = Field(default=1, gt=0)
    worker_memory: str = "2G"
    max_workers: int = Field(default=2, ge=0)


class BigQuerySettings(BaseModel):
    """BigQuery limits for queries run from a server of this profile."""

    model_config = ConfigDict(extra="forbid")

    maximum_bytes_billed: int | None = Field(default=None, gt=0)


class Choice(BaseModel):
    """One pre-defined choice of a profile option."""

    model_config = ConfigDict(extra="forbid")

    display_name: str
    default: bool = False
    kubespawner_override: dict[str, Any] = Field(default_factory=dict)


class UnlistedChoice(BaseModel):
    """The free-text choice of a profile option (KubeSpawner ``unlisted_choice``)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    display_name: str = ""
    display_name_in_choices: str = "Other..."
    validation_regex: str | None = None
    validation_message: str = ""
    kubespawner_override: dict[str, Any] = Field(default_factory=dict)


class ProfileOption(BaseModel):
    """A drop-down inside a profile; each choice adds its own overrides."""

    model_config = ConfigDict(extra="forbid")

    display_name: str
    choices: dict[str, Choice] = Field(default_factory=dict)
    unlisted_choice: UnlistedChoice = Field(default_factory=UnlistedChoice)

    def default_choice(self) -> str:
        """Return the key of the choice marked default, else the first choice."""
        for key, choice in self.choices.items():
            if choice.default:
                return key
        return next(iter(self.choices))


class Profile(BaseModel):
    """One entry of a profile file."""

    model_config = ConfigDict(extra="forbid")

    display_name: str
    slug: str
    description: str = ""
    default: bool = False
    kubespawner_override: dict[str, Any] = Field(default_factory=dict)
    profile_options: dict[str, ProfileOption] = Field(default_factory=dict)
    groups: list[str] = Field(default_factory=list)
    max_servers: int | None = Field(default=None, ge=0)
    idle_timeout: int | None = Field(default=None, gt=0)
    dask: DaskSettings = Field(default_factory=DaskSettings)
    bigquery: BigQuerySettings = Field(default_factory=BigQuerySettings)
    cost_per_hour: float | None = Field(default=None, ge=0)
    enabled: bool = True
    #: File the profile was read from; set by the loader, never by YAML.
    source_file: Path | None = Field(default=None, exclude=True)
    #: Line of the entry in ``source_file`` (1-based); set by the loader.
    source_line: int | None = Field(default=None, exclude=True)

    def resources(self, options: dict[str, Any] | None = None) -> "Resources":
        """Return the resources this profile gives with the chosen ``options`` applied.

        ``options`` are KubeSpawner ``user_options`` without the ``profile``
        key: option name to choice key, or ``<option>--unlisted-choice`` to
        free text. Raise ProfileError for a choice the profile does not have.
        """
        from .overrides import resolve_override

        return Resources.from_override(resolve_override(self, options or {}))

    def to_kubespawner(self) -> dict[str, Any]:
        """Return the entry as KubeSpawner's ``profile_list`` expects it (platform keys dropped)."""
        entry: dict[str, Any] = {
            "display_name": self.display_name,
            "slug": self.slug,
        }
        if self.description:
            entry["description"] = self.description
        if self.default:
            entry["default"] = True
        if self.kubespawner_override:
            entry["kubespawner_override"] = _plain(self.kubespawner_override)
        if self.profile_options:
            entry["profile_options"] = {
                name: _plain(option.model_dump(exclude_none=True)) for name, option in self.profile_options.items()
            }
        return entry


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
        """Read resources from a merged ``kubespawner_override`` dict."""
        extra = override.get("extra_resource_limits") or {}
        gpu = extra.get("nvidia.com/gpu", 0)
        image = override.get("image") or override.get("image_spec")
        return cls(
            cpu_limit=_cpu_or_none(override.get("cpu_limit")),
            cpu_guarantee=_cpu_or_none(override.get("cpu_guarantee")),
            mem_limit=_memory_or_none(override.get("mem_limit")),
            mem_guarantee=_memory_or_none(override.get("mem_guarantee")),
            gpu_limit=int(gpu or 0),
            image=image,
            environment={str(k): str(v) for k, v in (override.get("environment") or {}).items() if v is not None},
            node_selector={str(k): str(v) for k, v in (override.get("node_selector") or {}).items() if v is not None},
            tolerations=list(override.get("tolerations") or []),
        )


def _plain(value: Any) -> Any:
    """Return a deep copy made of dicts, lists and scalars only."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cpu_or_none(value: Any) -> float | None:
    return None if value is None else parse_cpu(value)


def _memory_or_none(value: Any) -> int | None:
    return None if value is None else parse_kubespawner_memory(value)
