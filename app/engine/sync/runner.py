"""Running a sync: plan every destination, read the source once, write each destination.

1. Plan: the source's columns (selected, renamed) against each destination's table; every
   schema change is published (:class:`SchemaChangeDetected`) and decided by the policy; a
   refused change fails that destination, naming the columns; a held one (policy
   ``review``) holds it (:class:`DestinationHeld`): nothing is written to it, its state stays
   where it was, so its rows wait in the source until the change is decided.
2. Destinations of the source's own kind whose columns pass through exactly take the fast
   path (:mod:`.native`): each streams the source, above its own cursor, straight into its
   write transaction (PostgreSQL -> PostgreSQL: binary ``COPY``), no Arrow, no spool.
3. For the others, read once: the rows any of those destinations still needs (the union of
   their read windows, :mod:`.position`: cursor, lookback, rows of transactions their last
   snapshot did not see; all rows in full mode, or when one has no state yet) are spooled to
   a temporary Arrow file; each is written from the spool, through its *own* window.
   Either way, data and state commit in one transaction and transient failures are retried.
4. For merge with hard deletes, after every data read: one key scan of the source, then each
   written destination deletes the rows whose key the source no longer has.

A failed destination does not stop the others; the run fails if any destination failed.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_, Connector, NativeUnavailable
from app.engine.sync.cursor import CursorState
from app.engine.sync.destination import (
    DestinationReport,
    DestinationTarget,
    RowFilter,
    SyncReport,
    with_retries,
)
from app.engine.sync.native import PATH_ARROW, PATH_NATIVE, NativeSource
from app.engine.sync.planning import change_text, open_sync_source, plan_target, source_shape
from app.engine.sync.recording import RunRecording, Unrecorded
from app.engine.sync.source import SourceShape
from app.engine.sync.spool import Spool
from app.engine.sync.transfer import RunTransfer
from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.model.events import EventBus
from app.model.sync import (
    SchemaPolicy,
    SyncDefinition,
    SyncDefinitionError,
    SyncDestination,
    SyncMode,
)
from app.model.sync_events import SchemaChangeDetected, SyncFailed, SyncFinished, SyncStarted
from app.model.types import TypeMismatch

__all__ = ["DestinationReport", "SyncReport", "SyncRunner"]

log = logging.getLogger(__name__)

OpenConnector = Callable[[str], Connector]


class SyncRunner(RunTransfer):
    """Runs one sync definition once.

    Args:
        definition: The sync.
        open_connector: Opens a connector by connection name (the caller closes them).
        bus: Where events go.
        cancel: Checked between batches; a cancelled run rolls back the write in progress.
        run_id: Carried by every event ("" when the run is recorded alongside: whoever
            records it stamps its events).
        retries: How many times a transient failure (dropped connection) is retried.
        backoff: Seconds before the first retry; doubled each time.
        recording: Who records the run (:mod:`.recording`): told when rows start moving,
            waited for before any destination commits, and asked for the metadata DB's copy
            of the state of destinations that cannot commit their state with the data.
            Without one, nothing is waited for and no copy exists.
        spool_dir: Where the temporary Arrow file goes (by default `<data dir>/spool`, see
            :mod:`.spool`).
        native: Let destinations of the source's own kind take the same-system fast path
            (:mod:`.native`); False forces the Arrow path everywhere.
        row_filters: Each destination's filter of the rows it writes (the suppression list,
            :mod:`app.engine.privacy.suppress`), or None; a filtered destination takes the
            Arrow path.
        observer: Shown every batch a destination writes on the Arrow path, before its
            filter (the redaction of tagged values remembers them), or None.
    """

    def __init__(
        self,
        definition: SyncDefinition,
        open_connector: OpenConnector,
        *,
        bus: EventBus | None = None,
        cancel: CancelToken | None = None,
        run_id: str = "",
        retries: int = 3,
        backoff: float = 1.0,
        recording: RunRecording | None = None,
        spool_dir: Path | None = None,
        native: bool = True,
        row_filters: Callable[[SyncDestination], RowFilter | None] | None = None,
        observer: Callable[[pa.RecordBatch], None] | None = None,
    ) -> None:
        self.definition = definition
        self.open = open_connector
        self.bus = bus or EventBus()
        self.cancel = cancel
        self.run_id = run_id
        self.retries, self.backoff = retries, backoff
        self.recording: RunRecording = recording or Unrecorded()
        self.spool_dir = spool_dir
        self.native = native
        self.row_filters = row_filters
        self.observer = observer
        self.version: exp.Expression | None = None

    def run(self) -> SyncReport:
        d = self.definition
        report = SyncReport(d.name, self.run_id, d.mode.value)
        started = time.perf_counter()
        self._emit(
            SyncStarted(
                run_id=self.run_id,
                sync=d.name,
                mode=d.mode.value,
                destinations=tuple(x.key for x in d.destinations),
            )
        )
        try:
            self._run(report)
            failed = [r for r in report.destinations if r.status not in ("succeeded", "held")]
            report.status = "failed" if failed else "succeeded"
            if failed and report.error is None:
                report.error = "; ".join(f"{r.destination}: {r.error}" for r in failed)
        except RunCancelled:
            report.status, report.error = "cancelled", "cancelled"
            self._emit(
                SyncFailed(run_id=self.run_id, sync=d.name, error="cancelled", status="cancelled")
            )
        except (ConnectionError_, SyncDefinitionError, TypeMismatch, pa.ArrowException) as err:
            report.status, report.error = "failed", str(err)
            self._emit(SyncFailed(run_id=self.run_id, sync=d.name, error=str(err)))
        report.seconds = time.perf_counter() - started
        for r in report.destinations:
            if r.status in ("pending", "running"):
                r.status = report.status if report.status != "succeeded" else "failed"
        self._emit(
            SyncFinished(
                run_id=self.run_id,
                sync=d.name,
                status=report.status,
                seconds=report.seconds,
                rows_read=report.rows_read,
                error=report.error,
            )
        )
        return report

    # -- the steps ----------------------------------------------------------------------------
    def _plan(self, target: DestinationTarget, shape: SourceShape) -> bool:
        """Plan one destination and apply its schema changes; False when it is held."""
        d, c = self.definition, target.connector
        if d.mode is SyncMode.APPEND and not target.transactional:
            raise ConnectionError_(
                _(
                    "{connection}: append needs a destination that commits the cursor with the "
                    "data; use merge (idempotent on the key) for this one"
                ).format(connection=target.dest.connection)
            )
        verdicts = (
            self.recording.schema_verdicts(target.dest.key)
            if d.schema_policy is SchemaPolicy.REVIEW
            else None
        )
        plan = plan_target(target, shape, verdicts=verdicts, before_commit=self.recording.ready)
        for change in plan.changes:
            self._emit(
                SchemaChangeDetected(
                    run_id=self.run_id,
                    sync=d.name,
                    destination=target.dest.key,
                    column=change.column,
                    change=change.kind.value,
                    old_type=change.old_type,
                    new_type=change.new_type,
                    decision=change.decision.value,
                    renamed_from=change.renamed_from,
                )
            )
        if plan.held:
            self._hold(target, plan.held)
            return False
        if plan.refused:
            raise ConnectionError_(
                _(
                    "schema of {table!r} differs from the source and the {policy!r} policy "
                    "refuses it: {detail}"
                ).format(
                    table=target.dest.table,
                    policy=d.schema_policy.value,
                    detail=", ".join(change_text(x) for x in plan.refused),
                )
            )
        if plan.add or plan.widen:
            self.recording.ready()  # a schema change is a commit too
        if plan.add:
            c.add_columns(target.dest.table, plan.add)
        if plan.widen:
            c.widen_columns(target.dest.table, plan.widen)
        return True

    def _run(self, report: SyncReport) -> None:
        d = self.definition
        source = open_sync_source(d, self.open(d.source.connection))
        shape = source_shape(d, source)
        targets: list[DestinationTarget] = []
        for dest in d.destinations:
            target = DestinationTarget(
                d,
                dest,
                self.open(dest.connection),
                functools.partial(self.recording.stored_state, dest.key),
            )
            report.destinations.append(target.report)
            target.row_filter = self.row_filters(dest) if self.row_filters else None
            target.observer = self.observer

            def plan(_: int, t: DestinationTarget = target) -> bool:
                return self._plan(t, shape)

            try:
                if with_retries(
                    plan,
                    retries=self.retries,
                    backoff=self.backoff,
                    cancel=self.cancel,
                    on_retry=functools.partial(self._retry, dest.key),
                ):
                    targets.append(target)
            except ConnectionError_ as err:
                self._fail(target, err)
        if not targets:
            return
        self.version = self._row_version(source)
        fast = NativeSource(source, d, shape, self.version) if self.native else None
        native = [t for t in targets if fast is not None and fast.eligible(t)]
        written: list[DestinationTarget] = []
        others = [t for t in targets if t not in native]
        for target in native:
            target.report.path = PATH_NATIVE

            def native_attempt(_: int, t: DestinationTarget = target) -> tuple[int, CursorState]:
                return self._native_attempt(fast, t, report)

            try:
                if self._write(target, native_attempt):
                    written.append(target)
            except NativeUnavailable as err:  # nothing was written: take the Arrow path
                log.warning("%s: %s; writing through the Arrow path", target.dest.key, err)
                target.report.path, target.report.status = PATH_ARROW, "pending"
                others.append(target)
        if others:
            self.recording.begin()  # rows move from here on
            with Spool(self.spool_dir) as spool:
                top, position = self._read(source, shape, others, spool, report)
                for target in others:

                    def arrow_attempt(
                        _: int, t: DestinationTarget = target
                    ) -> tuple[int, CursorState]:
                        return self._arrow_attempt(t, spool, top, position)

                    if self._write(target, arrow_attempt):
                        written.append(target)
        if d.hard_deletes and written:  # after every data read: a key scan newer than them
            keys = self._read_keys(source, shape)
            try:
                for target in written:
                    self._delete(target, keys)
            finally:
                keys[0].close()
        for target in written:
            self._finish(target)
