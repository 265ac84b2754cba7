"""Cron expressions' weekday numbers mean what they mean in crontab (0 and 7 Sunday, 1 Monday
… 6 Saturday). APScheduler 3, whose parser Cauce uses, counts 0 as Monday: "0 2 * * 2" ran
on Wednesdays. And a day of the month with a weekday means either, as in crontab, where
APScheduler wants both ("0 2 1 * 1" ran only on Mondays that were the 1st). The expected
days here come from Python's calendar, not from APScheduler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


@pytest.mark.parametrize(
    ("cron", "expected"),
    [
        # a day of the month and a weekday both given: either one (crontab), not both at once
        ("0 2 1 * 1", lambda t: t.day == 1 or t.isoweekday() == MON),
        ("0 2 13 * 5", lambda t: t.day == 13 or t.isoweekday() == FRI),
        # a field starting with * restricts nothing: both must match
        ("0 2 */2 * 1", lambda t: t.day % 2 == 1 and t.isoweekday() == MON),
        ("0 2 1 * *", lambda t: t.day == 1),
    ],
)
def test_a_day_and_a_weekday_mean_either(cron: str, expected) -> None:  # type: ignore[no-untyped-def]
    schedule = make_definition(name="d", pipeline="revenue", cron=cron, timezone="UTC")
    runs = next_times(schedule, NOW, count=20)
    assert len(runs) == 20 and all(expected(t) for t in runs), runs
    # and every day that matches is there: nothing is skipped between the first and the last
    day, last, count = runs[0], runs[-1], 0
    while day <= last:
        count += expected(day)
        day += timedelta(days=1)
    assert count == len(runs)
