"""When a run may take a final status: the rules the run log (:mod:`app.storage.runs`) and
the lean run recorder (:mod:`app.storage.lean_runs`) share, and those the sync store
(:mod:`app.storage.syncs`) and the lean sync recorder (:mod:`app.storage.lean_syncs`) share,
so each pair refuses the same moves with the same
:class:`~app.storage.errors.InvalidTransition` and message. No SQLAlchemy here.

>>> final_status("failed")
<RunStatus.FAILED: 'failed'>
>>> check_finish(7, RunStatus.PENDING, RunStatus.FAILED)
Traceback (most recent call last):
...
app.storage.errors.InvalidTransition: run 7 never started; it can only be cancelled
"""

from __future__ import annotations

from app.i18n import _
from app.storage.errors import InvalidTransition
from app.storage.records import RunStatus

__all__ = ["check_finish", "check_sync_finish", "final_status"]


def final_status(status: RunStatus | str) -> RunStatus:
    """``status`` as a :class:`RunStatus`, refused unless it ends a run.

    Raises:
        ValueError: Not a status at all.
        InvalidTransition: Not a final status (``pending``, ``running``).
    """
    found = RunStatus(status)
    if not found.terminal:
        raise InvalidTransition(_("{status} is not a final status").format(status=found))
    return found


def check_finish(run_id: int, current: RunStatus | str, status: RunStatus) -> None:
    """Refuse to finish run ``run_id``, now ``current``, as ``status``: it already finished,
    or it never started and ``status`` is not ``cancelled``.

    Raises:
        InvalidTransition: One of those.
    """
    current = RunStatus(current)
    if current.terminal:
        raise InvalidTransition(
            _("run {id} already finished ({status})").format(id=run_id, status=current)
        )
    if current == RunStatus.PENDING and status != RunStatus.CANCELLED:
        raise InvalidTransition(
            _("run {id} never started; it can only be cancelled").format(id=run_id)
        )


def check_sync_finish(run_id: int, current: RunStatus | str) -> None:
    """Refuse to finish sync run ``run_id``, now ``current``, when it already finished. (A sync
    run is never ``pending``: it starts ``running``.)

    Raises:
        InvalidTransition: It already finished.
    """
    current = RunStatus(current)
    if current.terminal:
        raise InvalidTransition(
            _("sync run {id} already finished ({status})").format(id=run_id, status=current)
        )
