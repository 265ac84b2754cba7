"""Events a running scheduler publishes: a scheduled run started or finished, or a due time
that did not run (missed, coalesced into another run, or skipped), with the reason.

``run_id`` is the fire's id in the metadata DB (``schedule_fires.id``) as text, empty for a
due time that was already recorded elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.model.events import Event

__all__ = ["ScheduledRunFinished", "ScheduledRunNotRun", "ScheduledRunStarted"]


@dataclass(frozen=True)
class ScheduledRunStarted(Event):
    schedule: str
    #: ``pipeline orders`` or ``sync customers``
    target: str
    scheduled_for: str


@dataclass(frozen=True)
class ScheduledRunFinished(Event):
    schedule: str
    target: str
    scheduled_for: str
    #: succeeded, failed or cancelled
    outcome: str
    error: str | None = None


@dataclass(frozen=True)
class ScheduledRunNotRun(Event):
    schedule: str
    target: str
    scheduled_for: str
    #: missed, coalesced or skipped
    outcome: str
    reason: str
