"""Memory and CPU quantities as KubeSpawner and Kubernetes accept them.

The two disagree on suffixes. KubeSpawner's ``mem_limit``/``mem_guarantee``
(jupyterhub.traitlets.ByteSpecification, JupyterHub 5-6) take a byte count or
a number followed by exactly one of K, M, G, T, each a power of 1024. Kubernetes
reads ``G`` as 10**9 and ``Gi`` as 2**30. Profile files use the KubeSpawner
form, and :func:`kubernetes_memory` renders bytes for Kubernetes with binary
suffixes, so ``2G`` in a profile becomes ``2Gi`` in a pod.
"""

from __future__ import annotations

import re

_KUBESPAWNER_MEMORY_RE = re.compile(r"^(\d+(?:\.\d+)?)([KMGT])$")
# Accepted by parse_memory for settings outside kubespawner_override (Dask
# worker memory), where the Kubernetes binary suffixes are common too.
_MEMORY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(K|M|G|T|Ki|Mi|Gi|Ti)?\s*$")
_FACTORS = {
    None: 1,
    "K": 1024,
    "M": 1024**2,
    "G": 1024**3,
    "T": 1024**4,
    "Ki": 1024,
    "Mi": 1024**2,
    "Gi": 1024**3,
    "Ti": 1024**4,
}
_CPU_RE = re.compile(r"^(\d+(?:\.\d+)?)(m)?$")


def parse_memory(value: object) -> int:
    """Convert ``2G``, ``512M``, ``8Gi`` or a byte count to bytes; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a memory size")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{value!r} is negative")
        return int(value)
    match = _MEMORY_RE.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a memory size")
    number, suffix = match.groups()
    return int(float(number) * _FACTORS[suffix])


def parse_kubespawner_memory(value: object) -> int:
    """Convert a KubeSpawner memory value (``2G`` or a byte count) to bytes.

    Raise ValueError for anything KubeSpawner's ByteSpecification rejects,
    such as ``16GB`` or ``8Gi``, and for negative sizes.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a memory size")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{value!r} is negative")
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a memory size")
    match = _KUBESPAWNER_MEMORY_RE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a memory size")
    number, suffix = match.groups()
    return int(float(number) * _FACTORS[suffix])


def parse_cpu(value: object) -> float:
    """Convert a CPU count (``2``, ``0.5`` or the Kubernetes form ``500m``) to cores."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a CPU count")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{value!r} is negative")
        return float(value)
    match = _CPU_RE.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not a CPU count")
    number, milli = match.groups()
    return float(number) / 1000 if milli else float(number)


def format_memory(num_bytes: int) -> str:
    """Render bytes with the largest KubeSpawner suffix that divides them (``2147483648`` -> ``2G``)."""
    for suffix in ("T", "G", "M", "K"):
        factor = _FACTORS[suffix]
        if num_bytes >= factor and num_bytes % factor == 0:
            return f"{num_bytes // factor}{suffix}"
    return str(num_bytes)


def kubernetes_memory(num_bytes: int) -> str:
    """Render bytes as a Kubernetes quantity with a binary suffix (``2147483648`` -> ``2Gi``)."""
    for suffix in ("Ti", "Gi", "Mi", "Ki"):
        factor = _FACTORS[suffix]
        if num_bytes >= factor and num_bytes % factor == 0:
            return f"{num_bytes // factor}{suffix}"
    return str(int(num_bytes))


def kubernetes_cpu(cores: float) -> str:
    """Render cores as a Kubernetes quantity (``4.0`` -> ``4``, ``0.5`` -> ``500m``)."""
    if float(cores).is_integer():
        return str(int(cores))
    return f"{round(cores * 1000)}m"
