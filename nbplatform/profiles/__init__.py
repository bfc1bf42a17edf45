"""Resource profiles: model, loader and the registry a running hub serves."""

from .model import BigQuerySettings, DaskSettings, Profile, Resources
from .registry import ProfileRegistry
from .units import format_memory, parse_memory

__all__ = [
    "BigQuerySettings",
    "DaskSettings",
    "Profile",
    "ProfileRegistry",
    "Resources",
    "format_memory",
    "parse_memory",
]
