"""What a sync run publishes: a held destination, a failure, a retry, progress.

A base of :class:`~app.engine.sync.runner.SyncRunner`: every event carries the run's id and the
sync's name, and goes to the run's bus.
"""

from __future__ import annotations

from app.connectors.base import ConnectionError_
from app.engine.sync.destination import DestinationTarget
from app.engine.sync.planning import change_text
from app.i18n import _
from app.model.events import Event, EventBus
from app.model.schema_changes import SchemaChange
from app.model.sync import SyncDefinition
from app.model.sync_events import DestinationHeld, DestinationRetry, SyncFailed, SyncProgress

__all__ = ["RunEvents"]


class RunEvents:
    """The events of one run of :attr:`definition`, published on :attr:`bus`."""

    definition: SyncDefinition
    bus: EventBus
    run_id: str

    def _emit(self, event: Event) -> None:
        self.bus.publish(event)

    def _hold(self, target: DestinationTarget, held: list[SchemaChange]) -> None:
        waiting = tuple(change_text(c) for c in held)
        target.report.status = "held"
        target.report.error = _("held: {count} schema change(s) wait for review: {changes}").format(
            count=len(held), changes=", ".join(waiting)
        )
        self._emit(
            DestinationHeld(
                run_id=self.run_id,
                sync=self.definition.name,
                destination=target.dest.key,
                changes=waiting,
            )
        )

    def _fail(self, target: DestinationTarget, err: BaseException) -> None:
        target.report.status, target.report.error = "failed", str(err)
        self._emit(
            SyncFailed(
                run_id=self.run_id,
                sync=self.definition.name,
                error=str(err),
                destination=target.dest.key,
            )
        )

    def _retry(self, where: str, attempt: int, err: ConnectionError_, delay: float) -> None:
        self._emit(
            DestinationRetry(
                run_id=self.run_id,
                sync=self.definition.name,
                destination=where,
                attempt=attempt,
                error=str(err),
                delay=delay,
            )
        )

    def _progress(self, rows: int, seconds: float) -> None:
        if rows % (self.definition.batch_rows * 8) < self.definition.batch_rows:
            self._emit(
                SyncProgress(
                    run_id=self.run_id, sync=self.definition.name, rows=rows, seconds=seconds
                )
            )
