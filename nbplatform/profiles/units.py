"""Memory and CPU quantities as KubeSpawner and Kubernetes accept them."""

from __future__ import annotations

import re

# KubeSpawner's ByteSpecification takes K, M, G, T as powers of 1024; the
# binary Kubernetes suffixes Ki, Mi, Gi, Ti mean the same.
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


def format_memory(num_bytes: int) -> str:
    """Render bytes with the largest binary suffix that divides them (``2147483648`` -> ``2G``)."""
    for suffix in ("T", "G", "M", "K"):
        factor = _FACTORS[suffix]
        if num_bytes >= factor and num_bytes % factor == 0:
            return f"{num_bytes // factor}{suffix}"
    return str(num_bytes)
