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
from datetime import UTC, datetime
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
from app.engine.sync.position import VERSION_COLUMN
from app.engine.sync.recording import RunRecording, Unrecorded
from app.engine.sync.source import SourceShape, open_source
from app.engine.sync.spool import Spool
from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.model.events import Event, EventBus
from app.model.schema_changes import SchemaChange
from app.model.sync import (
    SchemaPolicy,
    SyncDefinition,
    SyncDefinitionError,
    SyncDestination,
    SyncMode,
)
from app.model.sync_events import (
    DestinationFinished,
    DestinationHeld,
    DestinationRetry,
    SchemaChangeDetected,
    SyncFailed,
    SyncFinished,
    SyncProgress,
    SyncStarted,
)
from app.model.types import TypeMismatch

__all__ = ["DestinationReport", "SyncReport", "SyncRunner"]

log = logging.getLogger(__name__)

OpenConnector = Callable[[str], Connector]


def _now() -> str:
    return datetime.now(UTC).isoformat()


class SyncRunner:
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

    def _emit(self, event: Event) -> None:
        self.bus.publish(event)

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

    def _row_version(self, source: Connector) -> exp.Expression | None:
        """The source's row versions, for incremental syncs of a table (:mod:`.position`)."""
        d = self.definition
        if d.mode is SyncMode.FULL or d.cursor is None or d.source.table is None:
            return None
        return source.row_version(d.source.table)

    def _native_attempt(
        self, fast: NativeSource | None, target: DestinationTarget, report: SyncReport
    ) -> tuple[int, CursorState]:
        assert fast is not None
        rows, read, state = fast.write(
            target,
            cancel=self.cancel,
            now=_now,
            moving=self.recording.begin,
            before_commit=self.recording.ready,
        )
        report.rows_read += read
        return rows, state

    def _arrow_attempt(
        self, target: DestinationTarget, spool: Spool, top: pa.Scalar | None, position: str | None
    ) -> tuple[int, CursorState]:
        self.recording.ready()  # the source is read: the record has had that long
        return target.write(
            spool,
            top,
            cancel=self.cancel,
            now=_now,
            position=position,
            tracking=self.version is not None,
        )

    def _read(
        self,
        source: Connector,
        shape: SourceShape,
        targets: list[DestinationTarget],
        spool: Spool,
        report: SyncReport,
    ) -> tuple[pa.Scalar | None, str | None]:
        """Spool the rows any of ``targets`` needs; returns their largest cursor value and
        the source's transaction position of the read (None without one)."""
        d = self.definition
        incremental = d.mode is not SyncMode.FULL and d.cursor is not None
        windows = [t.window(self.version is not None) for t in targets] if incremental else None
        cursor = d.dest_name(d.cursor) if incremental and d.cursor else None
        schema = shape.schema
        version = self.version if incremental else None
        if version is not None:
            schema = schema.append(pa.field(VERSION_COLUMN, pa.int64()))

        def attempt(_: int) -> tuple[pa.Scalar | None, str | None]:
            reader, transform, position = open_source(
                source, d, shape, shape.columns, windows, version=version
            )
            stats = spool.fill(
                reader,
                schema=schema,
                transform=transform,
                cursor=cursor,
                cancel=self.cancel,
                progress=self._progress,
            )
            report.rows_read = stats.rows
            return stats.max_cursor, position

        return with_retries(
            attempt,
            retries=self.retries,
            backoff=self.backoff,
            cancel=self.cancel,
            on_retry=lambda n, e, w: self._retry(d.source.connection, n, e, w),
        )

    def _read_keys(self, source: Connector, shape: SourceShape) -> tuple[Spool, pa.Schema]:
        """The key scan for hard deletes: every key of the source (the cost: one full scan)."""
        d = self.definition
        keys_spool = Spool(self.spool_dir)
        key_schema = pa.schema([shape.schema.field(k) for k in d.destination_keys()])
        key_only = d.model_copy(update={"mode": SyncMode.FULL})

        def attempt(_: int) -> None:
            reader, transform, _position = open_source(
                source, key_only, shape, list(d.primary_key), None
            )
            keys_spool.fill(reader, schema=key_schema, transform=transform, cancel=self.cancel)

        try:
            with_retries(
                attempt,
                retries=self.retries,
                backoff=self.backoff,
                cancel=self.cancel,
                on_retry=lambda n, e, w: self._retry(d.source.connection, n, e, w),
            )
        except BaseException:
            keys_spool.close()
            raise
        return keys_spool, key_schema

    def _write(
        self, target: DestinationTarget, attempt: Callable[[int], tuple[int, CursorState]]
    ) -> bool:
        """Run the write attempts of one destination; False (and reported) when it failed."""
        report, started = target.report, time.perf_counter()
        report.status = "running"

        def counted(n: int) -> tuple[int, CursorState]:
            if self.cancel is not None:
                self.cancel.check()
            report.attempts = n
            return attempt(n)

        try:
            rows, state = with_retries(
                counted,
                retries=self.retries,
                backoff=self.backoff,
                cancel=self.cancel,
                on_retry=lambda n, e, w: self._retry(target.dest.key, n, e, w),
            )
            report.rows, report.state = rows, state
        except NativeUnavailable:
            report.seconds += time.perf_counter() - started
            raise
        except (ConnectionError_, TypeMismatch, pa.ArrowException) as err:
            report.seconds += time.perf_counter() - started
            self._fail(target, err)
            return False
        report.seconds += time.perf_counter() - started
        return True

    def _delete(self, target: DestinationTarget, keys: tuple[Spool, pa.Schema]) -> None:
        report, started = target.report, time.perf_counter()
        try:
            report.deleted = with_retries(  # type: ignore[assignment]
                lambda _: target.delete_missing(*keys),
                retries=self.retries,
                backoff=self.backoff,
                cancel=self.cancel,
                on_retry=lambda n, e, w: self._retry(target.dest.key, n, e, w),
            )
        except (ConnectionError_, TypeMismatch, pa.ArrowException) as err:
            self._fail(target, err)
        report.seconds += time.perf_counter() - started

    def _finish(self, target: DestinationTarget) -> None:
        report = target.report
        if report.status == "failed":
            return
        report.status = "succeeded"
        self._emit(
            DestinationFinished(
                run_id=self.run_id,
                sync=self.definition.name,
                destination=target.dest.key,
                rows=report.rows,
                seconds=report.seconds,
                cursor=report.state.value if report.state else None,
                deleted=report.deleted,
                path=report.path,
            )
        )

    # -- events -------------------------------------------------------------------------------
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
