"""Recording sync runs in the metadata DB: before the run, or alongside it.

:class:`SyncRecorder` writes the record: the definition (versioned by content), the run with
rows per destination, each detected schema change, the events, and a copy of each destination's
committed state. Under the ``review`` policy it also keeps the schema inbox: it reads the
verdicts on held changes before the run plans (:meth:`SyncRecorder.verdicts`), holds each new
change there (a change already waiting is seen again, not added twice) and withdraws the
waiting changes a run no longer finds. The destination's own ``_cauce_sync_state`` table stays
the truth; the copy is what the runner uses for destinations that cannot commit state with
their data.

:class:`RecordingAlongside` opens that record on its own thread once the runner says rows are
moving (:class:`~app.engine.sync.recording.RunRecording`) — or half a second after the run
started, if rows are slow to come (a source query that sorts before its first row): the run
then shows in the metadata DB and its events reach listeners while it waits. Opening the
metadata DB —
importing SQLAlchemy, checking the schema, five small transactions: about 0.2 s of a CLI sync —
overlaps the transfer instead of delaying it. Nothing is committed to a destination before the
record exists: the runner waits for it first, and a record that cannot be written (metadata DB
unreachable, say) fails the run with that error, the destination's transaction rolled back.

Events reach the listener and the record stamped with the run's id, in order: those published
before the record exists are held, then handed on from the recording thread; the rest, from the
runner's. (Listeners must therefore accept events from another thread, as Qt signals and
printing to a terminal do.)

This module imports the storage layer lazily: a CLI sync reaches its first row without loading
SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from app.engine.sync import SyncReport
from app.engine.sync.cursor import CursorState
from app.model.alerts import NotificationSettings
from app.model.connection import Connection
from app.model.events import Event, EventBus
from app.model.schema_changes import ChangeKey, ChangeKind, Decision, SchemaChange, Verdicts
from app.model.sync import SchemaPolicy, SyncDefinition
from app.model.sync_events import SchemaChangeDetected, SyncFailed, SyncFinished, SyncStarted

if TYPE_CHECKING:
    from app.services.workspace import Workspace
    from app.storage.repository import Repository
    from app.storage.schema_reviews import SchemaReviewStore
    from app.storage.syncs import SyncStore

__all__ = [
    "RECORDED_EVENTS",
    "RecordingAlongside",
    "RunRecorder",
    "SyncRecorder",
    "EndStore",
    "change_note",
    "event_payload",
    "final_status",
    "record_end",
    "schema_change",
]

#: the events a sync run's record keeps (``events``, the run's id in the payload)
RECORDED_EVENTS = (SyncStarted, SyncFinished, SyncFailed, SchemaChangeDetected)


def schema_change(event: SchemaChangeDetected) -> SchemaChange:
    """The change ``event`` tells of, as the record keeps it."""
    return SchemaChange(
        event.column,
        ChangeKind(event.change),
        event.old_type,
        event.new_type,
        Decision(event.decision),
        event.renamed_from,
    )


def change_note(event: SchemaChangeDetected) -> dict[str, object]:
    """What the ``schema_changed`` alert says of a new change."""
    return {k: v for k, v in event.to_dict().items() if k not in ("run_id", "kind", "at")}


def event_payload(event: Event, run_id: int | None) -> dict[str, object]:
    """The stored payload of one of :data:`RECORDED_EVENTS`: the run's id as a number."""
    payload = {k: v for k, v in event.to_dict().items() if k not in ("run_id", "kind")}
    payload["sync_run_id"] = run_id
    return payload


def final_status(report: SyncReport) -> str:
    """The run's recorded status (a run that ended otherwise is ``failed``)."""
    return report.status if report.status in ("succeeded", "failed", "cancelled") else "failed"


class EndStore(Protocol):
    """Where :func:`record_end` writes (``SyncStore``, ``LeanSyncStore``)."""

    def save_destination_state(
        self,
        sync_id: int,
        destination: str,
        *,
        cursor_value: str | None,
        cursor_type: str | None,
        run_id: int | None,
        rows: int | None,
    ) -> None: ...

    def finish_sync_run(
        self,
        run_id: int,
        status: str,
        *,
        rows_read: int | None,
        destinations: dict[str, Any],
        error: str | None = None,
    ) -> object: ...


def record_end(store: EndStore, sync_id: int, run_id: int, report: SyncReport) -> None:
    """The end of a run in its record, whichever recorder writes it: the copy of the state of
    each destination that committed one, then the run's status, rows and destinations."""
    for d in report.destinations:
        if d.status == "succeeded" and d.state is not None:
            store.save_destination_state(
                sync_id,
                d.destination,
                cursor_value=d.state.value,
                cursor_type=d.state.type,
                run_id=run_id,
                rows=d.rows,
            )
    store.finish_sync_run(
        run_id,
        final_status(report),
        rows_read=report.rows_read,
        destinations={d.destination: d.to_dict() for d in report.destinations},
        error=report.error,
    )


class RunRecorder(Protocol):
    """What records one sync run (:class:`SyncRecorder`, the lean recorder)."""

    def verdicts(self, destination: str) -> Verdicts: ...

    def start(
        self, definition: SyncDefinition, started_at: datetime | None = None
    ) -> tuple[str, dict[str, CursorState]]: ...

    def on_event(self, event: Event) -> None: ...

    def finish(self, report: SyncReport) -> None: ...

    def close(self) -> None: ...


class SyncRecorder:
    """Records the sync runs of one project in the metadata DB."""

    def __init__(
        self,
        workspace: Workspace,
        project: str,
        connections: dict[str, Connection],
        *,
        trigger: str,
        notifications: NotificationSettings | None = None,
    ) -> None:
        from app.storage.syncs import SyncStore

        self.workspace, self.project = workspace, project
        #: the project's channels and rules: alerts are evaluated when a run is recorded
        self.notifications = notifications or NotificationSettings()
        self._changes: list[dict[str, object]] = []
        self.repo: Repository = workspace.repository()
        self.store: SyncStore = workspace.open_store(SyncStore)
        self.trigger = trigger
        # once per workspace and content, as RunRecorder does (a scheduler records many runs)
        self.project_id = workspace.once(
            ("project", workspace.organization, project), lambda: self.repo.ensure_project(project)
        )
        workspace.save_connections_once(self.repo, self.project_id, connections.values())
        self._sync_id: int | None = None
        self._run_id: int | None = None
        self._reviews: SchemaReviewStore | None = None
        self._verdicts: dict[str, dict[ChangeKey, SchemaPolicy]] = {}

    def verdicts(self, destination: str) -> Verdicts:
        """What was decided about the held changes of ``destination`` (``review`` syncs)."""
        return self._verdicts.get(destination, {})

    def start(
        self, definition: SyncDefinition, started_at: datetime | None = None
    ) -> tuple[str, dict[str, CursorState]]:
        """Save the definition, open a run (that started at ``started_at``, default now);
        returns the run id and the stored states."""
        record = self.store.save_sync(self.project_id, definition)
        run = self.store.start_sync_run(
            record.id, trigger=self.trigger, host=socket.gethostname(), started_at=started_at
        )
        self._sync_id, self._run_id = record.id, run.id
        if definition.schema_policy is SchemaPolicy.REVIEW:
            from app.storage.schema_reviews import SchemaReviewStore

            if self._reviews is None:
                self._reviews = self.workspace.open_store(SchemaReviewStore)
            self._verdicts = self._reviews.verdicts(record.id)
        states = {
            s.destination: CursorState(s.cursor_value, s.cursor_type)
            for s in self.store.destination_states(record.id)
        }
        return str(run.id), states

    def on_event(self, event: Event) -> None:
        if self._sync_id is None:
            return
        if isinstance(event, SchemaChangeDetected):
            change = schema_change(event)
            if change.decision is Decision.HELD and self._reviews is not None:
                _record, new = self._reviews.hold(
                    self._sync_id, self._run_id, event.destination, change
                )
            else:
                self.store.record_schema_change(
                    self._sync_id, self._run_id, event.destination, change
                )
                new = True
            if new:  # a change still waiting was told about when it first arrived
                self._changes.append(change_note(event))
        if isinstance(event, RECORDED_EVENTS):
            self.repo.record_event(event.kind, event_payload(event, self._run_id))

    def finish(self, report: SyncReport) -> None:
        if self._sync_id is None or self._run_id is None:
            return
        if self._reviews is not None:
            for d in report.destinations:
                if d.planned:  # what it compared: the waiting changes it did not find are gone
                    present = {c.key for c in d.changes if c.decision is Decision.HELD}
                    self._reviews.withdraw(
                        self._sync_id,
                        d.destination,
                        present,
                        f"run {self._run_id}: the source and the destination agree again",
                    )
        record_end(self.store, self._sync_id, self._run_id, report)
        from app.services.alerts import after_sync_run

        changes, self._changes = self._changes, []
        after_sync_run(
            self.workspace, self.project, self.notifications, report, self._run_id, changes
        )
        self._sync_id = self._run_id = None

    def close(self) -> None:
        self.repo.close()
        self.store.close()
        if self._reviews is not None:
            self._reviews.close()


class RecordingAlongside:
    """The record of one run, opened on its own thread from :meth:`begin` on.

    ``open_recorder`` builds the :class:`RunRecorder` (on the recording thread: a
    :class:`SyncRecorder` or a :class:`~.sync_lean_recording.LeanSyncRecorder`);
    ``on_event`` (optional) is the caller's listener; ``latest``: seconds after which the
    record is opened even if :meth:`begin` has not been called. Use :meth:`publish` as the
    runner's event subscriber, :meth:`finish` with the runner's report, and always
    :meth:`close`.
    """

    def __init__(
        self,
        open_recorder: Callable[[], RunRecorder],
        definition: SyncDefinition,
        on_event: Callable[[Event], None] | None = None,
        *,
        latest: float = 0.5,
    ) -> None:
        self._open = open_recorder
        self._definition = definition
        self._started_at = datetime.now(UTC)  # the run's, not the record's
        self._out = EventBus()  # a failing listener is logged, never breaks the run
        if on_event is not None:
            self._out.subscribe(on_event)
        self._lock = threading.Lock()
        self._held: list[Event] = []
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._recorder: RunRecorder | None = None
        self._error: BaseException | None = None
        self._states: dict[str, CursorState] = {}
        self.run_id: str | None = None
        self._timer = threading.Timer(latest, self.begin)
        self._timer.daemon = True
        self._timer.start()

    # -- RunRecording -------------------------------------------------------------------------
    def begin(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._record, daemon=True, name="cauce-sync-record"
                )
                self._thread.start()

    def ready(self) -> None:
        self.begin()
        self._done.wait()
        if self._error is not None:
            raise self._error

    def stored_state(self, destination: str) -> CursorState | None:
        self.ready()
        return self._states.get(destination)

    def schema_verdicts(self, destination: str) -> Verdicts:
        self.ready()
        assert self._recorder is not None
        return self._recorder.verdicts(destination)

    # -- events and the end -------------------------------------------------------------------
    def publish(self, event: Event) -> None:
        """The runner's subscriber: hand ``event`` on with the run's id, or hold it."""
        with self._lock:
            if self.run_id is None:
                self._held.append(event)
            else:
                self._out.publish(dataclasses.replace(event, run_id=self.run_id))

    def finish(self, report: SyncReport) -> None:
        """Record the end of the run (opening the record now if rows never moved); raises the
        recording's error. The report gets the run's id."""
        self.ready()
        assert self._recorder is not None and self.run_id is not None
        report.run_id = self.run_id
        self._recorder.finish(report)

    def close(self) -> None:
        self._timer.cancel()
        if self._thread is not None:
            self._thread.join()
        if self._recorder is not None:
            self._recorder.close()

    # -- on the recording thread --------------------------------------------------------------
    def _record(self) -> None:
        try:
            recorder = self._open()
            try:
                run_id, states = recorder.start(self._definition, self._started_at)
            except BaseException:
                recorder.close()
                raise
        except BaseException as err:  # noqa: BLE001 - raised to the runner by ready()
            self._error = err
            self._done.set()
            return
        self._recorder, self._states = recorder, states
        self._out.subscribe(recorder.on_event)
        with self._lock:
            self.run_id = run_id
            held, self._held = self._held, []
            for event in held:
                self._out.publish(dataclasses.replace(event, run_id=run_id))
        self._done.set()
