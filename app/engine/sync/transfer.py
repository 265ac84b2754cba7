"""Moving a sync's rows: read the source (once, into a spool, or streamed on the native
path), write each destination with retries, delete the keys the source no longer has, and
report each destination that finished.

A base of :class:`~app.engine.sync.runner.SyncRunner`, which plans the destinations and calls
these steps in order (see :mod:`app.engine.sync.runner`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_, Connector, NativeUnavailable
from app.engine.sync.cursor import CursorState
from app.engine.sync.destination import DestinationTarget, SyncReport, with_retries
from app.engine.sync.native import NativeSource
from app.engine.sync.position import VERSION_COLUMN
from app.engine.sync.recording import RunRecording
from app.engine.sync.run_events import RunEvents
from app.engine.sync.source import SourceShape, open_source
from app.engine.sync.spool import Spool
from app.model.cancel import CancelToken
from app.model.sync import SyncMode
from app.model.sync_events import DestinationFinished
from app.model.types import TypeMismatch

__all__ = ["RunTransfer"]


def _now() -> str:
    return datetime.now(UTC).isoformat()


class RunTransfer(RunEvents):
    """The steps of a run that read and write rows, each retried on transient failures."""

    cancel: CancelToken | None
    retries: int
    backoff: float
    recording: RunRecording
    spool_dir: Path | None
    version: exp.Expression | None

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
