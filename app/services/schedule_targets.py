"""A schedule's target, a pipeline or a sync: what a fire runs (:func:`run_schedule_target`),
and the ``scheduled_run_missed`` alert of a target whose due time did not run, ended by its
next successful run (:func:`missed_alert`, :func:`end_missed_alert`).

The running scheduler (:mod:`app.services.scheduler`, which re-exports ``RunOutcome`` and
``run_schedule_target``) calls these; alerting never stops it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.model.cancel import CancelToken
from app.model.schedule import ScheduleDefinition
from app.services.workspace import Workspace
from app.storage.records import FireOutcome

if TYPE_CHECKING:
    from app.storage.project_format import Project

__all__ = ["RunOutcome", "Runner", "end_missed_alert", "missed_alert", "run_schedule_target"]

#: the scheduler's log: what goes wrong here is logged as before this module was split from it
log = logging.getLogger("app.services.scheduler")

#: what a runner returns: the outcome (succeeded, failed, cancelled) and an error text
RunOutcome = tuple[FireOutcome, str | None]
Runner = Callable[[Path, ScheduleDefinition, Workspace, CancelToken], RunOutcome]


def run_schedule_target(
    path: Path, schedule: ScheduleDefinition, workspace: Workspace, cancel: CancelToken
) -> RunOutcome:
    """Run what a schedule names, through the CLI's use cases, recorded as ``schedule``."""
    from app.services import errors

    kind, name = schedule.target
    try:
        if kind == "pipeline":
            from app.services.runs import run_project

            result = run_project(
                path, pipelines=[name], workspace=workspace, trigger="schedule", cancel=cancel
            )
            ok, error = result.ok, next((r.error for r in result.reports if r.error), None)
        else:
            from app.services.syncs import run_sync

            report = run_sync(path, name, workspace=workspace, trigger="schedule", cancel=cancel)
            ok, error = report.ok, report.error
    except errors.USER_ERRORS as err:
        return FireOutcome.FAILED, errors.describe(err)
    if cancel.cancelled:
        return FireOutcome.CANCELLED, error
    return (FireOutcome.SUCCEEDED, None) if ok else (FireOutcome.FAILED, error)


def missed_alert(
    project: Project | None,
    schedule: ScheduleDefinition,
    when: datetime,
    outcome: FireOutcome,
    reason: str,
    workspace: Workspace,
) -> None:
    """A due time that did not run is a ``scheduled_run_missed`` alert for the schedule's
    target: one per streak (the next successful run ends it, :func:`end_missed_alert`)."""
    from app.services.alerts import raise_alert

    if project is None:
        return
    kind, name = schedule.target
    message = _("{schedule}: the run due at {when} was {outcome}: {reason}").format(
        schedule=schedule.name, when=when.isoformat(), outcome=outcome.value, reason=reason
    )
    details = {"schedule": schedule.name, "scheduled_for": when.isoformat(), "reason": reason}
    try:
        raise_alert(
            project,
            "scheduled_run_missed",
            kind,
            name,
            message,
            details=details,
            workspace=workspace,
        )
    except Exception:  # noqa: BLE001 - alerting never stops the scheduler
        log.exception("the missed-run alert of %s could not be raised", schedule.name)


def end_missed_alert(
    project: Project | None, schedule: ScheduleDefinition, workspace: Workspace
) -> None:
    """End the target's ``scheduled_run_missed`` streak: a scheduled run of it succeeded."""
    from app.services.alerts import end_alert

    if project is None:
        return
    kind, name = schedule.target
    try:
        end_alert(project, "scheduled_run_missed", kind, name, workspace=workspace)
    except Exception:  # noqa: BLE001 - alerting never stops the scheduler
        log.exception("the missed-run alert of %s could not be ended", schedule.name)
