"""The running scheduler's alarm clock: APScheduler's ``BackgroundScheduler``, its jobs built in
memory from the schedules' triggers at every start (nothing pickled is ever read back): one
tick job per schedule and the housekeeping job
(:class:`~app.services.scheduler.Scheduler`'s ``_start_timer``).

APScheduler (the ``scheduler`` extra) is imported only when a timer starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

from app.model.schedule import ScheduleDefinition

__all__ = ["HOUSEKEEPING_JOB", "JOB_PREFIX", "start_timer"]

#: the housekeeping job's id
HOUSEKEEPING_JOB = "housekeeping"
#: the prefix of each schedule's job id (the schedule's name follows)
JOB_PREFIX = "schedule:"


def start_timer(
    triggers: Mapping[str, Any],
    schedules: Mapping[str, ScheduleDefinition],
    tick: Callable[[str], object],
    housekeeping: Callable[[], None],
    housekeeping_seconds: float,
    on_late: Callable[[Any], None],
) -> Any:
    """Start the alarms: ``tick(name)`` at each trigger's times, ``housekeeping()`` every
    ``housekeeping_seconds``, ``on_late(event)`` for a job APScheduler reports missed or
    skipped; returns the started ``BackgroundScheduler``."""
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
    from apscheduler.executors.pool import ThreadPoolExecutor as TickPool
    from apscheduler.schedulers.background import BackgroundScheduler

    aps = BackgroundScheduler(timezone=UTC, executors={"default": TickPool(4)})
    for name, trigger in triggers.items():
        schedule = schedules[name]
        aps.add_job(
            tick,
            trigger,
            args=[name],
            id=JOB_PREFIX + name,
            name=name,
            # explicit, never APScheduler's 1 s default; a tick later than this is reported
            # missed and run at once by on_late, which applies the catch-up policy
            misfire_grace_time=schedule.grace_seconds,
            coalesce=True,  # one tick covers every due time since the last recorded one
            max_instances=1,  # a tick is short; overlap of runs is the lanes' business
            replace_existing=True,
        )
    aps.add_job(
        housekeeping,
        "interval",
        seconds=housekeeping_seconds,
        id=HOUSEKEEPING_JOB,  # schedules' jobs are all prefixed: no name can clash
        misfire_grace_time=max(1, int(housekeeping_seconds)),
        coalesce=True,
        max_instances=1,
    )
    aps.add_listener(on_late, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    aps.start()
    return aps
