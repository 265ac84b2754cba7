"""Cron expressions' weekday numbers mean what they mean in crontab (0 and 7 Sunday, 1 Monday
… 6 Saturday). APScheduler 3, whose parser Cauce uses, counts 0 as Monday: "0 2 * * 2" ran
on Wednesdays. The expected days here come from Python's calendar, not from APScheduler."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services.schedule_times import next_times
from app.services.schedules import make_definition

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # a Monday
#: Python's isoweekday: Monday 1 … Sunday 7
SUN, MON, TUE, WED, THU, FRI, SAT = 7, 1, 2, 3, 4, 5, 6


@pytest.mark.parametrize(
    ("weekday", "days"),
    [
        ("0", {SUN}),
        ("7", {SUN}),
        ("2", {TUE}),
        ("6", {SAT}),
        ("1-5", {MON, TUE, WED, THU, FRI}),
        ("5-7", {FRI, SAT, SUN}),
        ("0,3", {SUN, WED}),
        ("*/2", {SUN, TUE, THU, SAT}),
        ("tue", {TUE}),
        ("mon-fri", {MON, TUE, WED, THU, FRI}),
        ("sat,1", {SAT, MON}),
    ],
)
def test_weekday_numbers_follow_crontab(weekday: str, days: set[int]) -> None:
    schedule = make_definition(
        name="w", pipeline="revenue", cron=f"0 2 * * {weekday}", timezone="Europe/Madrid"
    )
    runs = next_times(schedule, NOW, count=14)
    assert len(runs) == 14
    assert {t.isoweekday() for t in runs} == days
    assert all((t.hour, t.minute) == (2, 0) for t in runs)
