"""Resource profiles: model, validation, loader, pod shape and the registry a running hub serves."""

from .model import BigQuerySettings, DaskSettings, Profile, Resources
from .podshape import PodShape, pod_shape
from .registry import ProfileRegistry
from .units import format_memory, parse_memory

__all__ = [
    "BigQuerySettings",
    "DaskSettings",
    "PodShape",
    "Profile",
    "ProfileRegistry",
    "Resources",
    "format_memory",
    "parse_memory",
    "pod_shape",
]
