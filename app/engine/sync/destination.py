"""One destination of a sync: its plan, its state, and its exact, retried write.

The write replays the spool, keeps only the rows above this destination's own cursor, shapes
them to the planned schema and hands them to the connector together with the new state
(``write(state=...)``), so data and cursor commit in one transaction. A transient failure (a
dropped connection) rolls that transaction back; the state is read again from the destination
and the write is retried after a backoff.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_, Connector, StateWrite, WriteMode
from app.engine.sync.cursor import CursorState, larger, read_state
from app.engine.sync.position import Window, window_for
from app.engine.sync.source import conform, quoted_table
from app.engine.sync.spool import Spool
from app.model.cancel import CancelToken
from app.model.schema_changes import DestinationPlan, SchemaChange
from app.model.sync import SyncDefinition, SyncDestination, SyncMode
from app.model.types import PG_TYPE_KEY, pg_enum, pg_enum_array

__all__ = ["DestinationReport", "DestinationTarget", "RowFilter", "SyncReport", "with_retries"]

R = TypeVar("R")
#: what a destination lets through of each batch it writes (the suppression list)
RowFilter = Callable[[pa.RecordBatch], pa.RecordBatch]

_MODES = {
    SyncMode.FULL: WriteMode.REPLACE,
    SyncMode.APPEND: WriteMode.APPEND,
    SyncMode.MERGE: WriteMode.MERGE,
}


@dataclass
class DestinationReport:
    destination: str
    connection: str
    table: str
    status: str = "pending"
    rows: int = 0
    seconds: float = 0.0
    attempts: int = 0
    deleted: int | None = None
    #: "native" (same-system fast path, :mod:`.native`) or "arrow" (spool + connector write)
    path: str = "arrow"
    state: CursorState | None = None
    changes: list[SchemaChange] = field(default_factory=list)
    error: str | None = None
    #: its schema was compared with the source's (``changes`` is what was found)
    planned: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "destination": self.destination,
            "connection": self.connection,
            "table": self.table,
            "status": self.status,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "attempts": self.attempts,
            "deleted": self.deleted,
            "path": self.path,
            "cursor": self.state.value if self.state else None,
            "schema_changes": [
                {
                    "column": c.column,
                    "change": c.kind.value,
                    "old_type": c.old_type,
                    "new_type": c.new_type,
                    "decision": c.decision.value,
                    **({"renamed_from": c.renamed_from} if c.renamed_from else {}),
                }
                for c in self.changes
            ],
            "error": self.error,
        }


def with_retries(
    action: Callable[[int], R],
    *,
    retries: int,
    backoff: float,
    cancel: CancelToken | None,
    on_retry: Callable[[int, ConnectionError_, float], None],
) -> R:
    """Run ``action(attempt)``; retry transient :class:`ConnectionError_` up to ``retries``
    times, waiting ``backoff * 2**(attempt-1)`` seconds (cancellable)."""
    attempt = 1
    while True:
        try:
            return action(attempt)
        except ConnectionError_ as err:
            if not err.transient or attempt > retries:
                raise
            delay = backoff * 2 ** (attempt - 1)
            on_retry(attempt, err, delay)
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline:
                if cancel is not None:
                    cancel.check()
                time.sleep(min(0.05, max(deadline - time.monotonic(), 0)))
            attempt += 1


class DestinationTarget:
    """A destination being synced: connector, plan, committed state, report."""

    def __init__(
        self,
        definition: SyncDefinition,
        dest: SyncDestination,
        connector: Connector,
        stored_state: Callable[[], CursorState | None],
    ) -> None:
        self.definition = definition
        self.dest = dest
        if dest.bigquery is not None:  # partitioning and clustering of the table it creates
            connector = connector.with_table_options(dest.bigquery)
        self.connector = connector
        self.transactional = connector.capabilities.transactional_state
        self._stored_state = stored_state
        self.plan: DestinationPlan | None = None
        self.row_filter: RowFilter | None = None
        #: shown each batch before it is filtered (the run's redaction of tagged values in
        #: errors and logs remembers them); unlike a row filter, it keeps the native path
        self.observer: Callable[[pa.RecordBatch], None] | None = None
        self.report = DestinationReport(dest.key, dest.connection, dest.table)

    def typed(self, field: pa.Field) -> pa.Field:
        """``field`` with the destination's own type for a source enum (its ``enums``
        setting): the enum type it creates, or ``field`` as it is (text)."""
        found = pg_enum(field) if self.dest.enums == "create" else None
        if found is None:
            return field
        created = self.connector.create_enum(self.dest.table, *found)
        if created is None:
            return field
        if pg_enum_array(field):
            created += "[]"
        return field.with_metadata({**(field.metadata or {}), PG_TYPE_KEY: created.encode()})

    def committed_state(self) -> CursorState | None:
        """The destination's own state (the truth), or the metadata DB's copy without one."""
        if self.transactional:
            return read_state(self.connector, self.definition.name, self.dest.table)
        return self._stored_state()

    def window(self, tracking: bool) -> Window:
        """The rows this destination still needs (:mod:`.position`), from its state."""
        d = self.definition
        return window_for(
            self.committed_state(),
            merge=d.mode is SyncMode.MERGE,
            tracking=tracking,
            lookback=d.lookback,
        )

    def write(
        self,
        spool: Spool,
        top: pa.Scalar | None,
        *,
        cancel: CancelToken | None,
        now: Callable[[], str],
        position: str | None = None,
        tracking: bool = False,
    ) -> tuple[int, CursorState]:
        """One attempt: replay the spool above this destination's state, commit data + state
        (``position``: the source's transaction position of the spooled read)."""
        assert self.plan is not None
        d = self.definition
        cursor = d.dest_name(d.cursor) if d.cursor and d.mode is not SyncMode.FULL else None
        state = self.committed_state() if cursor else None
        window = (
            window_for(
                state, merge=d.mode is SyncMode.MERGE, tracking=tracking, lookback=d.lookback
            )
            if cursor
            else None
        )
        bound = state.scalar() if state else None
        schema = self.plan.write_schema

        def shape(batch: pa.RecordBatch) -> pa.RecordBatch:
            if cancel is not None:
                cancel.check()
            if cursor is not None and window is not None:
                mask = window.mask(batch, cursor)
                if mask is not None:
                    batch = batch.filter(mask)
            if self.observer is not None:
                self.observer(batch)
            if self.row_filter is not None:
                batch = self.row_filter(batch)
            return conform(batch, schema, keys=d.destination_keys())

        new = CursorState.of(
            larger(bound, top) if cursor else None, now(), position if cursor else None
        )
        kwargs: dict[str, StateWrite] = {}  # only given when transactional: others refuse it
        if self.transactional:
            kwargs["state"] = StateWrite(
                d.name, self.dest.table, new.value, new.stored_type, new.updated_at or ""
            )
        keys = d.destination_keys() if d.mode is SyncMode.MERGE else None
        result = self.connector.write(
            self.dest.table, spool.reader(schema, shape), mode=_MODES[d.mode], keys=keys, **kwargs
        )
        return result.rows, new

    # -- hard deletes -------------------------------------------------------------------------
    def delete_missing(self, keys_spool: Spool, key_schema: pa.Schema) -> int:
        """Delete the destination rows whose key is not in the source's key scan.

        The keys go to a scratch table next to the target, one ``DELETE … WHERE NOT EXISTS``
        runs, and the scratch table is dropped. Idempotent: a crash in between is repaired by
        the next run.
        """
        dialect = self.connector.capabilities.dialect
        target = quoted_table(self.dest.table, dialect)
        db = target.args.get("db")
        scratch = exp.Table(
            this=exp.to_identifier(f"_cauce_keys_{uuid.uuid4().hex[:10]}", quoted=True),
            db=db.copy() if db else None,
        )
        scratch_name = ".".join(p.name for p in scratch.parts)
        self.connector.write(
            scratch_name, keys_spool.reader(key_schema, lambda b: b), mode=WriteMode.REPLACE
        )
        try:
            before = self._count(target)
            self.connector.execute(_delete_missing(target, scratch, key_schema.names).sql(dialect))
            return before - self._count(target)
        finally:
            self.connector.execute(
                exp.Drop(tables=[scratch.copy()], kind="TABLE", exists=True).sql(dialect)
            )

    def _count(self, table: exp.Table) -> int:
        dialect = self.connector.capabilities.dialect
        query = exp.select(exp.func("count", exp.Star()).as_("n")).from_(table.copy())
        return int(self.connector.read(query=query.sql(dialect)).read_all().column("n")[0].as_py())


def _delete_missing(target: exp.Table, scratch: exp.Table, keys: list[str]) -> exp.Delete:
    """``DELETE FROM target WHERE NOT EXISTS (SELECT 1 FROM scratch AS k WHERE k.key = …)``."""

    def col(name: str, table: str) -> exp.Column:
        return exp.column(
            exp.to_identifier(name, quoted=True), table=exp.to_identifier(table, quoted=True)
        )

    cond = exp.and_(*[exp.EQ(this=col(k, "k"), expression=col(k, target.name)) for k in keys])
    exists = exp.Exists(
        this=exp.select(exp.Literal.number(1))
        .from_(exp.alias_(scratch.copy(), exp.to_identifier("k", quoted=True), table=True))
        .where(cond)
    )
    return exp.delete(target.copy(), where=exp.Not(this=exists))


@dataclass
class SyncReport:
    sync: str
    run_id: str
    mode: str
    status: str = "running"
    seconds: float = 0.0
    rows_read: int = 0
    error: str | None = None
    destinations: list[DestinationReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @property
    def held(self) -> list[DestinationReport]:
        """The destinations held by schema changes waiting for review (not written)."""
        return [d for d in self.destinations if d.status == "held"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sync": self.sync,
            "run_id": self.run_id,
            "mode": self.mode,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "rows_read": self.rows_read,
            "error": self.error,
            "destinations": [d.to_dict() for d in self.destinations],
        }
