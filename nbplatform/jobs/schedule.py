"""Schedule policy: the due slots of a cron expression in a time zone, as pure functions.

Cron fields are read as wall-clock times in the job's time zone, then mapped
to instants:

* a wall time skipped by a daylight-saving gap (02:30 when clocks jump from
  02:00 to 03:00) runs one gap length later (03:30), once;
* a wall time that occurs twice when clocks go back runs at its first
  occurrence only.

A slot is identified by its instant in UTC, so the same slot has the same key
for every scheduler.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from croniter import croniter

UTC = dt.timezone.utc
#: Wall-clock margin around a range; larger than any daylight-saving shift in the tz database (2 hours).
DST_MARGIN = dt.timedelta(hours=3)
#: Upper bound on slots returned by one call, so a bad cursor cannot loop for years of minutes.
MAX_SLOTS = 100_000


def wall_time_to_instant(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Map a naive wall-clock time in ``zone`` to a UTC instant (first occurrence; gaps shift forward)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _wall_margin(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Return the wall-clock margin needed around ``[start, end]``: none unless the UTC offset changes near it."""
    if (start - DST_MARGIN).astimezone(zone).utcoffset() == (end + DST_MARGIN).astimezone(zone).utcoffset():
        return dt.timedelta(0)
    return DST_MARGIN


def slots_between(
    schedule: str, zone: ZoneInfo, after: dt.datetime, until: dt.datetime, limit: int = MAX_SLOTS,
) -> list[dt.datetime]:
    """Return the slot instants in ``(after, until]`` as sorted, distinct UTC datetimes."""
    if until <= after:
        return []
    # Start early in wall time near an offset change, so slots shifted forward out of a gap are not missed.
    margin = _wall_margin(zone, after, until)
    start_wall = after.astimezone(zone).replace(tzinfo=None) - margin
    iterator = croniter(schedule, start_wall)
    slots: list[dt.datetime] = []
    seen: set[dt.datetime] = set()
    end_wall = until.astimezone(zone).replace(tzinfo=None) + margin
    while len(slots) < limit:
        wall = iterator.get_next(dt.datetime)
        if wall > end_wall:
            break
        instant = wall_time_to_instant(wall, zone)
        if after < instant <= until and instant not in seen:
            seen.add(instant)
            slots.append(instant)
    slots.sort()
    return slots


def next_slot(schedule: str, zone: ZoneInfo, after: dt.datetime) -> dt.datetime:
    """Return the first slot instant strictly after ``after``."""
    wall = after.astimezone(zone).replace(tzinfo=None) - _wall_margin(zone, after, after)
    iterator = croniter(schedule, wall)
    while True:
        instant = wall_time_to_instant(iterator.get_next(dt.datetime), zone)
        if instant > after:
            return instant


CatchUpPolicy = Literal["none", "latest", "all"]


@dataclass(frozen=True)
class DuePlan:
    """Slots to run now and slots passed over, both oldest first."""

    run: list[dt.datetime]
    skipped: list[dt.datetime]


def plan_due_slots(
    slots: list[dt.datetime],
    now: dt.datetime,
    *,
    policy: CatchUpPolicy,
    max_runs: int,
    grace: dt.timedelta,
    window: dt.timedelta | None = None,
) -> DuePlan:
    """Decide which of the elapsed ``slots`` to run.

    A slot at most ``grace`` old is on time and always runs. Older slots were
    missed (no scheduler was running) and follow the catch-up policy: ``none``
    runs none of them, ``latest`` runs the newest one unless an on-time slot
    runs anyway, ``all`` runs the newest ``max_runs`` of them. Slots older
    than ``window`` are never run.
    """
    on_time = [s for s in slots if now - s <= grace]
    missed = [s for s in slots if now - s > grace and (window is None or now - s <= window)]
    too_old = [s for s in slots if now - s > grace and window is not None and now - s > window]
    if policy == "none":
        chosen: list[dt.datetime] = []
    elif policy == "latest":
        chosen = missed[-1:] if missed and not on_time else []
    else:
        chosen = missed[-max_runs:]
    run = chosen + on_time
    chosen_set = set(run)
    return DuePlan(run=run, skipped=too_old + [s for s in missed if s not in chosen_set])


def backfill_slots(schedule: str, zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Return the slots in ``[start, end]`` oldest first, for ``nbplatform jobs backfill``."""
    return slots_between(schedule, zone, start - dt.timedelta(microseconds=1), end)


def slot_key(slot: dt.datetime) -> str:
    """Return the slot's stable key: its UTC instant as ``YYYYMMDDTHHMMSSZ``."""
    return slot.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
