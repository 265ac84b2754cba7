"""Recording a sync run with :mod:`sqlite3` only: :class:`LeanSyncRecorder`.

Why: :class:`~app.services.sync_recording.SyncRecorder` writes through SQLAlchemy's ORM, and
loading SQLAlchemy and the metadata DB's models takes about 0.35 s: on this project's 2-core
machine a ``cauce sync run`` of a 10-row PostgreSQL table took 0.88 s as a process, 0.54 s
without a recorder. The record is written alongside the rows (:mod:`.sync_recording`), but a
short sync waits for it before it commits; a scheduler or a cron job pays it on every run.

When :func:`open_sync_recorder` chooses it: the run's record needs nothing but the sync's own
rows, that is

- the metadata DB is a plain SQLite file at the current schema revision that holds the
  workspace's organization (:meth:`LeanSyncStore.open <app.storage.lean_syncs.LeanSyncStore>`);
- the project is recorded and its connections are stored exactly as they are now (the ORM
  path would write nothing for either);
- the sync's schema policy is not ``review`` (its inbox is kept through the ORM).

Otherwise :class:`SyncRecorder` records the run, and creates, upgrades or writes what is
missing: a first run takes that path, the next ones this one.

What it writes is what :class:`SyncRecorder` writes, row for row: the store's contract tests
(``tests/storage/test_lean_syncs.py``) compare the rows with the ORM's, and
``tests/services/test_sync_lean_recording.py`` compares whole recorded runs. Alerts: that a
run leaves them as they are is decided here (:func:`~.run_judging.success_moves_alerts`);
anything else (a failure, schema changes, a streak to end, an unusual run) is handed to
:func:`~app.services.alerts.after_sync_run`, which loads the ORM.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.engine.sync import SyncReport
from app.engine.sync.cursor import CursorState
from app.model.alerts import NotificationSettings
from app.model.connection import Connection
from app.model.events import Event
from app.model.schema_changes import Verdicts
from app.model.sync import SchemaPolicy, SyncDefinition
from app.model.sync_events import SchemaChangeDetected
from app.services.run_judging import success_moves_alerts
from app.services.sync_recording import (
    RECORDED_EVENTS,
    SyncRecorder,
    change_note,
    event_payload,
    record_end,
    schema_change,
)

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from app.storage.lean_syncs import LeanSyncStore

__all__ = ["LeanSyncRecorder", "open_sync_recorder"]


def open_sync_recorder(
    workspace: Workspace,
    project: str,
    connections: Mapping[str, Connection],
    definition: SyncDefinition,
    *,
    trigger: str,
    notifications: NotificationSettings | None = None,
) -> LeanSyncRecorder | SyncRecorder:
    """The recorder of one run of ``definition``: the lean one when it can keep the whole
    record (see the module), else the ORM's."""
    lean = LeanSyncRecorder.open(
        workspace, project, connections, definition, trigger=trigger, notifications=notifications
    )
    if lean is not None:
        return lean
    return SyncRecorder(
        workspace, project, dict(connections), trigger=trigger, notifications=notifications
    )


class LeanSyncRecorder:
    """Records the runs of one sync through a :class:`~app.storage.lean_syncs.LeanSyncStore`;
    the same methods as :class:`SyncRecorder`. Open it with :meth:`open`."""

    def __init__(
        self,
        workspace: Workspace,
        project: str,
        store: LeanSyncStore,
        project_id: int,
        *,
        trigger: str,
        notifications: NotificationSettings | None = None,
    ) -> None:
        self.workspace, self.project = workspace, project
        self.store, self.project_id = store, project_id
        self.trigger = trigger
        self.notifications = notifications or NotificationSettings()
        self._changes: list[dict[str, object]] = []
        self._sync_id: int | None = None
        self._run_id: int | None = None

    @classmethod
    def open(
        cls,
        workspace: Workspace,
        project: str,
        connections: Mapping[str, Connection],
        definition: SyncDefinition,
        *,
        trigger: str,
        notifications: NotificationSettings | None = None,
    ) -> LeanSyncRecorder | None:
        """The lean recorder, or ``None`` when the run needs the ORM's (see the module)."""
        if definition.schema_policy is SchemaPolicy.REVIEW:
            return None
        store = workspace.lean_store()
        if store is None:
            return None
        try:
            project_id = store.project_id(project)
            wanted = [(c.name, c.type, dict(c.params), c.description) for c in connections.values()]
            if project_id is None or not store.connections_stored(project_id, wanted):
                store.close()
                return None
        except BaseException:
            store.close()
            raise
        return cls(
            workspace, project, store, project_id, trigger=trigger, notifications=notifications
        )

    def verdicts(self, destination: str) -> Verdicts:
        """Nothing decided: a ``review`` sync is recorded by :class:`SyncRecorder`."""
        return {}

    def start(
        self, definition: SyncDefinition, started_at: datetime | None = None
    ) -> tuple[str, dict[str, CursorState]]:
        """:meth:`SyncRecorder.start`: save the definition, open the run; returns the run id
        and the stored states."""
        self._sync_id, _version = self.store.save_sync(
            self.project_id,
            definition.name,
            definition.model_dump(mode="json"),
            definition.content_hash(),
        )
        self._run_id = self.store.start_sync_run(
            self._sync_id, trigger=self.trigger, host=socket.gethostname(), started_at=started_at
        )
        states = {
            destination: CursorState(value, kind)
            for destination, value, kind in self.store.destination_states(self._sync_id)
        }
        return str(self._run_id), states

    def on_event(self, event: Event) -> None:
        if self._sync_id is None:
            return
        if isinstance(event, SchemaChangeDetected):
            self.store.record_schema_change(
                self._sync_id, self._run_id, event.destination, schema_change(event)
            )
            self._changes.append(change_note(event))
        if isinstance(event, RECORDED_EVENTS):
            self.store.record_event(event.kind, event_payload(event, self._run_id))

    def finish(self, report: SyncReport) -> None:
        """:meth:`SyncRecorder.finish`: the destinations' states, the run's end, its alerts."""
        if self._sync_id is None or self._run_id is None:
            return
        record_end(self.store, self._sync_id, self._run_id, report)
        changes, self._changes = self._changes, []
        self._alerts(report, self._run_id, changes)
        self._sync_id = self._run_id = None

    def close(self) -> None:
        self.store.close()

    def _alerts(self, report: SyncReport, run_id: int, changes: list[dict[str, Any]]) -> None:
        """The run's alerts: nothing to do is decided here, anything else is done by
        ``after_sync_run``. Never raises: alerts are best effort on the run path."""
        rule = self.notifications.alerts.rule("sync", report.sync)
        try:
            if not rule.enabled or not self._alerts_act(report, run_id, changes, rule):
                return
        except Exception:  # noqa: BLE001 - as after_sync_run: logged, never the run's
            logging.getLogger("app.services.alerts").exception(
                "alerts after %s could not be evaluated", "a sync run"
            )
            return
        from app.services.alerts import after_sync_run  # guarded itself

        after_sync_run(self.workspace, self.project, self.notifications, report, run_id, changes)

    def _alerts_act(
        self, report: SyncReport, run_id: int, changes: list[dict[str, Any]], rule: Any
    ) -> bool:
        """Whether ``after_sync_run`` would raise or end an alert for this run."""
        if changes or report.status == "failed":
            return True
        if report.status != "succeeded":
            return False  # a cancelled run raises nothing
        return success_moves_alerts(
            rule,
            open_alerts=self.store.open_alerts(self.project, "sync", report.sync),
            seconds=report.seconds,
            rows=report.rows_read,
            history=lambda: self.store.sync_rows_history(
                self.project, report.sync, before=run_id, limit=rule.anomaly_window
            ),
        )
