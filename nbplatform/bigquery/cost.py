"""The cost guard: whether a query's estimated bytes fit the profile's limit.

Pure policy with no I/O. The back ends supply the estimate (a dry run) and
also set the same limit on the job itself, so a wrong estimate is still
capped by BigQuery's ``maximumBytesBilled``.
"""

from __future__ import annotations

from ..errors import DataError

#: Limit used when no profile sets ``bigquery.maximum_bytes_billed``: 10 GB.
#: NOTE: a platform default, not a BigQuery one; BigQuery itself has no limit.
DEFAULT_MAXIMUM_BYTES_BILLED = 10 * 1000**3


class QueryTooExpensiveError(DataError):
    """A query's dry-run estimate exceeds the bytes the profile allows."""

    reason = "query-too-expensive"

    def __init__(self, message: str, *, estimated_bytes: int, limit_bytes: int) -> None:
        super().__init__(message)
        self.estimated_bytes = estimated_bytes
        self.limit_bytes = limit_bytes


def effective_limit(profile_limit: int | None, requested_limit: int | None = None) -> int:
    """Return the byte limit for one query: the caller's if lower, never above the profile's.

    Raises DataError if ``requested_limit`` exceeds the profile's limit,
    because a user may tighten the guard but not loosen it.
    """
    ceiling = profile_limit if profile_limit is not None else DEFAULT_MAXIMUM_BYTES_BILLED
    if requested_limit is None:
        return ceiling
    if isinstance(requested_limit, bool) or not isinstance(requested_limit, int):
        raise DataError(
            f"maximum_bytes_billed={requested_limit!r} is invalid: pass a whole number of bytes, "
            "such as 10**9 for 1 GB.",
            reason="invalid-limit",
        )
    if requested_limit <= 0:
        raise DataError(
            f"maximum_bytes_billed={requested_limit} is invalid: use a positive number of bytes.",
            reason="invalid-limit",
        )
    if requested_limit > ceiling:
        raise DataError(
            f"maximum_bytes_billed={requested_limit} exceeds your profile's limit of "
            f"{format_bytes(ceiling)} ({ceiling} bytes). Pass a lower value, or ask an admin "
            "to raise bigquery.maximum_bytes_billed in your profile.",
            reason="limit-above-profile",
        )
    return requested_limit


def limit_source(profile_slug: str | None, requested_limit: int | None) -> str:
    """Describe where a limit came from, for error messages."""
    if requested_limit is not None:
        return "the maximum_bytes_billed argument"
    if profile_slug:
        return f"profile {profile_slug!r}"
    return "the platform default (no profile is set)"


def check_estimate(estimated_bytes: int, limit_bytes: int, *, source: str) -> None:
    """Raise QueryTooExpensiveError if ``estimated_bytes`` exceeds ``limit_bytes``.

    ``source`` names where the limit came from (see :func:`limit_source`).
    """
    if estimated_bytes <= limit_bytes:
        return
    raise QueryTooExpensiveError(
        f"Query rejected before it ran: the dry run estimates {format_bytes(estimated_bytes)} "
        f"({estimated_bytes} bytes) processed, above the limit of {format_bytes(limit_bytes)} "
        f"({limit_bytes} bytes) from {source}. Select fewer columns or filter on partitioned "
        "columns to read less; to raise the limit, ask an admin to increase "
        "bigquery.maximum_bytes_billed in the profile or pick a profile with a higher limit.",
        estimated_bytes=estimated_bytes,
        limit_bytes=limit_bytes,
    )


def format_bytes(num_bytes: int) -> str:
    """Render a byte count in decimal units, as BigQuery's console does (``1.5 GB``)."""
    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
