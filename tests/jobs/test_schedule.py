"""Schedule policy: cron in the job's time zone across DST changes, catch-up policies, backfill order."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from nbplatform.jobs.schedule import backfill_slots, next_slot, plan_due_slots, slot_key, slots_between

UTC = dt.timezone.utc
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def local(slots, zone=NEW_YORK):
    return [s.astimezone(zone).isoformat() for s in slots]


def test_daily_slot_in_tokyo():
    slots = slots_between("0 7 * * *", TOKYO, dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2024, 1, 3, tzinfo=UTC))
    assert local(slots, TOKYO) == ["2024-01-02T07:00:00+09:00", "2024-01-03T07:00:00+09:00"]
    assert slots[0] == dt.datetime(2024, 1, 1, 22, tzinfo=UTC)


def test_spring_gap_runs_once_shifted():
    # Clocks in New York jump from 02:00 to 03:00 on 10 March 2024; 02:30 does not exist that day.
    slots = slots_between("30 2 * * *", NEW_YORK, dt.datetime(2024, 3, 9, 12, tzinfo=UTC), dt.datetime(2024, 3, 11, 12, tzinfo=UTC))
    assert local(slots) == ["2024-03-10T03:30:00-04:00", "2024-03-11T02:30:00-04:00"]


def test_spring_gap_no_duplicate_slots():
    slots = slots_between("*/30 * * * *", NEW_YORK, dt.datetime(2024, 3, 10, 6, 29, tzinfo=UTC), dt.datetime(2024, 3, 10, 7, 31, tzinfo=UTC))
    assert local(slots) == ["2024-03-10T01:30:00-05:00", "2024-03-10T03:00:00-04:00", "2024-03-10T03:30:00-04:00"]
    assert len(set(slots)) == len(slots)


def test_fall_overlap_runs_first_occurrence():
    # 01:30 happens twice on 3 November 2024 in New York; the job runs at the first one only.
    slots = slots_between("30 1 * * *", NEW_YORK, dt.datetime(2024, 11, 2, 12, tzinfo=UTC), dt.datetime(2024, 11, 4, 12, tzinfo=UTC))
    assert local(slots) == ["2024-11-03T01:30:00-04:00", "2024-11-04T01:30:00-05:00"]


def test_fall_overlap_hourly_interval():
    slots = slots_between("0 * * * *", NEW_YORK, dt.datetime(2024, 11, 3, 4, 30, tzinfo=UTC), dt.datetime(2024, 11, 3, 7, 30, tzinfo=UTC))
    assert local(slots) == ["2024-11-03T01:00:00-04:00", "2024-11-03T02:00:00-05:00"]


def test_next_slot_after_fall_back():
    after = dt.datetime(2024, 11, 3, 5, 31, tzinfo=UTC)  # 01:31 EDT, before the clocks go back
    assert next_slot("30 1 * * *", NEW_YORK, after).astimezone(NEW_YORK).isoformat() == "2024-11-04T01:30:00-05:00"


def hourly(start, count):
    return [start + dt.timedelta(hours=i) for i in range(count)]


NOW = dt.datetime(2024, 6, 1, 12, 0, 30, tzinfo=UTC)
GRACE = dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    ("policy", "expected_run"),
    [("none", [NOW.replace(second=0)]), ("latest", [NOW.replace(second=0)]), ("all", hourly(NOW.replace(hour=9, second=0), 4))],
)
def test_catchup_with_on_time_slot(policy, expected_run):
    slots = hourly(NOW.replace(hour=9, second=0), 4)  # 09:00 .. 12:00, 12:00 is on time
    plan = plan_due_slots(slots, NOW, policy=policy, max_runs=10, grace=GRACE)
    assert plan.run == expected_run
    assert sorted(plan.run + plan.skipped) == slots


@pytest.mark.parametrize(
    ("policy", "expected_hours"),
    [("none", []), ("latest", [11]), ("all", [9, 10, 11])],
)
def test_catchup_after_downtime(policy, expected_hours):
    slots = hourly(NOW.replace(hour=8, second=0), 4)  # 08:00 .. 11:00, all missed
    plan = plan_due_slots(slots, NOW, policy=policy, max_runs=3, grace=GRACE)
    assert [s.hour for s in plan.run] == expected_hours


def test_catchup_window_drops_old_slots():
    slots = hourly(NOW.replace(hour=8, second=0), 4)
    plan = plan_due_slots(slots, NOW, policy="all", max_runs=10, grace=GRACE, window=dt.timedelta(hours=2, minutes=30))
    assert [s.hour for s in plan.run] == [10, 11]
    assert [s.hour for s in plan.skipped] == [8, 9]


def test_backfill_inclusive_and_ordered():
    start = dt.datetime(2024, 1, 1, 7, tzinfo=TOKYO)
    end = dt.datetime(2024, 1, 4, 7, tzinfo=TOKYO)
    slots = backfill_slots("0 7 * * *", TOKYO, start, end)
    assert local(slots, TOKYO) == [f"2024-01-0{d}T07:00:00+09:00" for d in (1, 2, 3, 4)]
    assert slots == sorted(slots)


def test_slot_key_is_utc():
    assert slot_key(dt.datetime(2024, 1, 1, 7, tzinfo=TOKYO)) == "20231231T220000Z"
