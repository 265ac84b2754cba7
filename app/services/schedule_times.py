"""When schedules fire: APScheduler triggers built from definitions, due times, catch-up plans.

Imported only where a schedule's times are needed (a preview, a running scheduler): it loads
APScheduler, an optional extra (``pip install cauce[scheduler]``).

Cron expressions are read in the schedule's time zone, by *wall time*: each local time the
expression matches runs exactly once. A local time skipped by a daylight-saving change (02:30 on
the night clocks go forward) runs at the same instant shifted forward (03:30 new time), merged
with a run already due then; a local time that happens twice (the night clocks go back) runs
at its first occurrence only. Intervals (``every``) are real durations, anchored at
2000-01-01T00:00 UTC, so their grid is the same after every restart.

>>> from datetime import UTC, datetime
>>> from app.model.schedule import ScheduleDefinition
>>> s = ScheduleDefinition(name="n", pipeline="p", cron="30 2 * * *", timezone="Europe/Madrid")
>>> [t.isoformat() for t in next_times(s, datetime(2026, 3, 28, 12, tzinfo=UTC), 2)]
['2026-03-29T03:30:00+02:00', '2026-03-30T02:30:00+02:00']
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.i18n import _
from app.model.schedule import CatchUp, ScheduleDefinition
from app.storage.project_format import ProjectError, schedule_path
from app.storage.records import FireOutcome

__all__ = [
    "CatchUpPlan",
    "WallClockCron",
    "build_trigger",
    "cron_trigger",
    "due_times",
    "next_times",
    "plan_catch_up",
]

#: the grid of every interval schedule
INTERVAL_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)
#: due times recorded one by one per catch-up; older ones are counted in one event
MAX_RECORDED = 1000
#: due times looked at per catch-up at most (a 1 s interval stopped for 11 days)
MAX_SCAN = 1_000_000
_TICK = timedelta(microseconds=1)


#: cron's weekday numbers (0 and 7: Sunday); APScheduler 3 counts 0 as Monday
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _cron_weekdays(field: str) -> str:
    """The weekday field of a crontab line as APScheduler 3 reads it the cron way.

    ``CronTrigger.from_crontab`` passes numbers through, and APScheduler 3 counts them from
    Monday: ``0 2 * * 2`` would run on Wednesdays, not Tuesdays (agronholm/apscheduler#286,
    fixed only in 4.x). Numbers, number ranges and steps become day names, which both read
    alike; names (``mon-fri``) and anything else are left as written.

    >>> _cron_weekdays("2"), _cron_weekdays("0,7"), _cron_weekdays("1-5")
    ('tue', 'sun', 'mon,tue,wed,thu,fri')
    >>> _cron_weekdays("*/2"), _cron_weekdays("*"), _cron_weekdays("mon-fri,3")
    ('sun,tue,thu,sat', '*', 'mon-fri,wed')
    """
    return ",".join(dict.fromkeys(_cron_item(item) for item in field.split(",")))


def _cron_item(item: str) -> str:
    span, _slash, step_text = item.partition("/")
    low_text, _dash, high_text = span.partition("-")
    if span == "*" and step_text:
        low, high = 0, 6
    elif low_text.isdigit() and (not high_text or high_text.isdigit()):
        low, high = int(low_text), int(high_text or low_text)
        if step_text and not high_text:
            high = 6  # "1/2": from Monday on, every other day
    else:
        return item  # "*", names, or what the parser refuses with its own message
    bad_step = bool(step_text) and (not step_text.isdigit() or int(step_text) == 0)
    if bad_step or high > 7 or low > high:
        return item
    days = range(low, high + 1, int(step_text or 1))
    return ",".join(dict.fromkeys(_CRON_DAYS[d] for d in days))


def cron_trigger(expression: str) -> BaseTrigger:
    """The trigger of a standard five-field crontab ``expression`` (in UTC), read as crontab
    reads it: weekdays numbered from Sunday (:func:`_cron_weekdays`), and a day of the month
    and a weekday both restricted meaning either (``0 0 1 * mon``: the 1st, and every
    Monday), where APScheduler's ``CronTrigger`` would want both at once. As in cron, a field
    starting with ``*`` (``*/2`` too) is not a restriction."""
    fields = expression.split()
    if len(fields) != 5:
        return CronTrigger.from_crontab(expression, timezone=UTC)  # its own error
    minute, hour, day, month, written = fields
    weekday = _cron_weekdays(written)
    if day.startswith("*") or written.startswith("*"):
        return CronTrigger.from_crontab(f"{minute} {hour} {day} {month} {weekday}", timezone=UTC)
    return OrTrigger(
        [
            CronTrigger.from_crontab(f"{minute} {hour} {day} {month} *", timezone=UTC),
            CronTrigger.from_crontab(f"{minute} {hour} * {month} {weekday}", timezone=UTC),
        ]
    )


class WallClockCron(BaseTrigger):  # type: ignore[misc]
    """A cron expression matched against local wall time in ``zone`` (see the module)."""

    def __init__(self, expression: str, zone: tzinfo) -> None:
        self.expression = expression
        self.zone = zone
        self.inner = cron_trigger(expression)

    def _wall(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone).replace(tzinfo=UTC, fold=0)

    def _instant(self, wall: datetime) -> datetime:
        local = wall.replace(tzinfo=self.zone, fold=0)  # a skipped time: the offset before
        return datetime.fromtimestamp(local.timestamp(), self.zone)

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        floor = previous_fire_time if previous_fire_time is not None else now - _TICK
        cursor = self._wall(floor)
        for _i in range(10_000):
            wall = self.inner.get_next_fire_time(cursor, cursor)
            if wall is None:
                return None
            instant = self._instant(wall)
            if instant > floor:
                return instant
            cursor = wall
        return None

    def __str__(self) -> str:
        return f"cron[{self.expression}]"


def build_trigger(schedule: ScheduleDefinition) -> BaseTrigger | None:
    """The trigger of a timed schedule (``None`` for one that runs ``after`` another).

    Raises:
        ProjectError: naming ``schedules/<name>.json`` and what APScheduler refused.
    """
    zone = ZoneInfo(schedule.timezone)
    try:
        if schedule.cron is not None:
            return WallClockCron(schedule.cron, zone)
        if schedule.every_seconds is not None:
            return IntervalTrigger(
                seconds=schedule.every_seconds, start_date=INTERVAL_ANCHOR, timezone=UTC
            )
        if schedule.at is not None:
            at = schedule.at if schedule.at.tzinfo else schedule.at.replace(tzinfo=zone)
            return DateTrigger(run_date=at, timezone=zone)
    except ValueError as err:
        raise ProjectError(
            schedule_path(schedule.name),
            _("invalid cron expression {expr!r}: {error}").format(expr=schedule.cron, error=err),
        ) from None
    return None


def next_times(schedule: ScheduleDefinition, now: datetime, count: int = 5) -> list[datetime]:
    """The next ``count`` times a timed schedule fires after ``now``, in its time zone."""
    trigger = build_trigger(schedule)
    out: list[datetime] = []
    if trigger is None:
        return out
    zone = ZoneInfo(schedule.timezone)
    t = trigger.get_next_fire_time(None, now)
    while t is not None and len(out) < count:
        if t > now:  # a one-off time in the past has no next run
            out.append(t.astimezone(zone))
        t = trigger.get_next_fire_time(t, t + _TICK)
    return out


def due_times(trigger: BaseTrigger, floor: datetime, now: datetime) -> tuple[list[datetime], int]:
    """The times ``trigger`` fired in ``(floor, now]``: the latest :data:`MAX_RECORDED` of them,
    oldest first, and how many there were in all."""
    kept: collections.deque[datetime] = collections.deque(maxlen=MAX_RECORDED)
    count = 0
    t = trigger.get_next_fire_time(None, floor + _TICK)
    while t is not None and t <= now and count < MAX_SCAN:
        if t > floor:
            kept.append(t.astimezone(UTC))
            count += 1
        following = trigger.get_next_fire_time(t, t + _TICK)
        if following is not None and following <= t:
            break  # a trigger that does not move forward
        t = following
    return list(kept), count


@dataclass
class CatchUpPlan:
    """What to do with the due times of one schedule: run some, record the others."""

    run: list[datetime] = field(default_factory=list)
    #: (due time, outcome, reason) of each due time that does not run
    not_run: list[tuple[datetime, FireOutcome, str]] = field(default_factory=list)


def plan_catch_up(
    due: list[datetime], now: datetime, *, catch_up: CatchUp, grace: int, cap: int
) -> CatchUpPlan:
    """Decide, for due times oldest first, which run and which are recorded as not run.

    A due time no more than ``grace`` seconds before ``now`` is on time; an older one was missed.

    - ``skip``: the latest due time runs if it is on time; older on-time ones are coalesced
      into it; missed ones are recorded ``missed``.
    - ``one``: the latest due time runs, however late; the others are ``coalesced`` into it.
    - ``all``: the latest ``cap`` due times run, oldest first; older ones are ``missed``.

    >>> t = [datetime(2026, 1, 1, h, tzinfo=UTC) for h in (1, 2, 3)]
    >>> p = plan_catch_up(t, t[-1] + timedelta(hours=1), catch_up=CatchUp.ONE, grace=60, cap=5)
    >>> [x.hour for x in p.run], [(x.hour, str(o)) for x, o, _r in p.not_run]
    ([3], [(1, 'coalesced'), (2, 'coalesced')])
    """
    plan = CatchUpPlan()
    if not due:
        return plan
    latest = due[-1]
    if catch_up is CatchUp.ALL:
        plan.run = due[-cap:]
        reason = _("over the catch-up cap of {cap} runs").format(cap=cap)
        plan.not_run = [(t, FireOutcome.MISSED, reason) for t in due[:-cap]]
        return plan
    coalesced = _("coalesced into the run due at {due}").format(due=latest.isoformat())
    if catch_up is CatchUp.ONE:
        plan.run = [latest]
        plan.not_run = [(t, FireOutcome.COALESCED, coalesced) for t in due[:-1]]
        return plan
    late = _("more than {grace} s late (the grace time); catch-up is skip").format(grace=grace)
    on_time = [t for t in due if (now - t).total_seconds() <= grace]
    plan.run = on_time[-1:]
    for t in due:
        if t not in on_time:
            plan.not_run.append((t, FireOutcome.MISSED, late))
        elif t != latest:
            plan.not_run.append((t, FireOutcome.COALESCED, coalesced))
    return plan
