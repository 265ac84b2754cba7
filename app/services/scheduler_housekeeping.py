"""What a running scheduler does besides firing schedules, every ``housekeeping_seconds`` while
its timer runs (:meth:`app.services.scheduler.Scheduler.housekeeping`): check data freshness
and resources, deliver the notifications whose retry is due, start the retention policies due
and make the automatic backups. A failure is logged; it never stops the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.services.backups import BackupPolicy

__all__ = ["run_housekeeping"]

#: the scheduler's log: what goes wrong here is logged as before this module was split from it
log = logging.getLogger("app.services.scheduler")


def run_housekeeping(
    path: Path,
    workspace: Workspace,
    clock: Callable[[], datetime],
    submit: Callable[[Callable[[], None]], None],
    backups: BackupPolicy | None,
) -> None:
    """Check data freshness and resources (new alerts are notified), deliver the
    notifications whose retry is due (:func:`app.services.notify.drain`), start the retention
    policies due (:func:`app.services.retention_runs.run_due_retention`, each run handed to
    ``submit``), then make and prune the automatic backups when ``backups`` is set."""
    from app.services.alert_checks import check_project
    from app.services.notify import drain

    try:
        check_project(path, workspace=workspace)
    except Exception:  # noqa: BLE001 - housekeeping never stops the scheduler
        log.exception("checking freshness and resources failed")
    try:
        drain(workspace)
    except Exception:  # noqa: BLE001
        log.exception("delivering notifications failed")
    from app.services.retention_runs import run_due_retention  # logs its own failures

    run_due_retention(path, clock(), workspace=workspace, submit=submit)
    if backups is not None:
        from app.services.backups import run_due_backup

        try:
            run_due_backup(backups, clock(), workspace=workspace)
        except Exception:  # noqa: BLE001
            log.exception("the automatic backup failed")
