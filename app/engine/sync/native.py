"""The same-system fast path: rows streamed from the source to a destination of the same kind
in their native wire format (PostgreSQL -> PostgreSQL: binary ``COPY``), without Arrow and
without the spool.

A destination takes it when its connector and the source's share a
``capabilities.native_copy`` format and every column it receives passes through *exactly*
(:meth:`~app.connectors.base.Connector.native_types`): the source column's type equals the
type the destination has — or creates, when the sync creates (or, in full mode, recreates) the
table. Otherwise the destination is written through the Arrow path; both give identical tables.
So is one whose source connection the fast reader cannot open
(:class:`~app.connectors.base.NativeUnavailable`, e.g. an authentication method its driver
lacks): nothing has been written by then.

Exactness is the Arrow path's: the destination's state is read first (the truth); the source
query selects the rows above it (``>=`` for merge, ``>`` for append) and, in the *same
snapshot*, their largest cursor value; the rows, the merge or swap and the new state commit in
one destination transaction. A retry re-reads the state and the source (there is no spool to
replay). With several native destinations, each streams its own read of the source, above its
own cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_, Connector, NativeRows, StateWrite, WriteMode
from app.engine.sync.cursor import CursorState, larger_state
from app.engine.sync.destination import DestinationTarget
from app.engine.sync.position import window_for
from app.engine.sync.source import SourceShape, source_sql
from app.model.cancel import CancelToken
from app.model.sync import SyncDefinition, SyncMode
from app.model.types import scalar_from_python

__all__ = ["PATH_ARROW", "PATH_NATIVE", "NativeSource"]

PATH_NATIVE = "native"
PATH_ARROW = "arrow"
_MODES = {
    SyncMode.FULL: WriteMode.REPLACE,
    SyncMode.APPEND: WriteMode.APPEND,
    SyncMode.MERGE: WriteMode.MERGE,
}


class _Checked(NativeRows):
    """``rows`` with the cancel token checked before each chunk and before the commit,
    ``moving`` called with the first chunk and ``before_commit`` by the destination just
    before it commits (what it raises rolls the write back)."""

    def __init__(
        self,
        rows: NativeRows,
        cancel: CancelToken | None,
        moving: Callable[[], None],
        before_commit: Callable[[], None],
    ) -> None:
        self._rows, self._cancel, self._before_commit = rows, cancel, before_commit
        self._moving: Callable[[], None] | None = moving
        self.format, self.top, self.position = rows.format, rows.top, rows.position

    def chunks(self) -> Iterator[bytes]:
        for chunk in self._rows.chunks():
            if self._cancel is not None:
                self._cancel.check()
            if self._moving is not None:
                self._moving()
                self._moving = None
            yield chunk
        self.rows = self._rows.rows

    def before_commit(self) -> None:
        self._before_commit()
        if self._cancel is not None:
            self._cancel.check()

    def close(self) -> None:
        self._rows.close()


class NativeSource:
    """The source side of the fast path for one run: its exact column types and key."""

    def __init__(
        self,
        connector: Connector,
        definition: SyncDefinition,
        shape: SourceShape,
        version: exp.Expression | None = None,
    ) -> None:
        self.connector, self.definition, self.shape = connector, definition, shape
        self.version = version
        self.format = connector.capabilities.native_copy
        src = definition.source
        self.types: dict[str, pa.DataType | None] = {}
        self.unique = False
        if self.format:
            self.types = dict(connector.native_types(table=src.table, query=src.query))
            if src.table is not None and definition.primary_key:
                # a table's primary key cannot repeat: the merge need not de-duplicate
                self.unique = set(connector.primary_keys(src.table)) == set(definition.primary_key)
        self.by_dest = {definition.dest_name(c): c for c in shape.columns}

    def eligible(self, target: DestinationTarget) -> bool:
        """Whether ``target`` can take the fast path (same format, every type exact)."""
        c, plan = target.connector, target.plan
        if not self.format or c.capabilities.native_copy != self.format or plan is None:
            return False
        if target.row_filter is not None:  # rows are filtered in Arrow
            return False
        for f in plan.write_schema:
            column = self.by_dest.get(f.name)
            exact = self.types.get(column) if column is not None else None
            if exact is None or exact != f.type:
                return False
        if self.definition.mode is SyncMode.FULL or not plan.exists:
            return True  # the table is (re)created with the source's types
        try:
            existing = dict(c.native_types(table=target.dest.table))
        except ConnectionError_:
            return False  # the Arrow path will report what is wrong
        return all(
            (t := existing.get(f.name)) is not None and t == f.type for f in plan.write_schema
        )

    def write(
        self,
        target: DestinationTarget,
        *,
        cancel: CancelToken | None,
        now: Callable[[], str],
        moving: Callable[[], None] = lambda: None,
        before_commit: Callable[[], None] = lambda: None,
    ) -> tuple[int, int, CursorState]:
        """One attempt: stream the rows above ``target``'s state, commit data + state
        (``moving`` is called when the first rows arrive, ``before_commit`` by the destination
        once everything is written, just before it commits; what it raises rolls the attempt
        back).

        Returns (rows written, rows read, new state).
        """
        assert target.plan is not None
        d, schema = self.definition, target.plan.write_schema
        incremental = d.cursor is not None and d.mode is not SyncMode.FULL
        cursor = d.dest_name(d.cursor) if incremental and d.cursor else None
        state = target.committed_state() if cursor else None
        window = window_for(
            state,
            merge=d.mode is SyncMode.MERGE,
            tracking=self.version is not None,
            lookback=d.lookback,
        )
        src = d.source
        sql = source_sql(
            src.table,
            src.query,
            [self.by_dest[n] for n in schema.names],
            d.cursor if cursor else None,
            None,
            self.connector.capabilities.dialect,
            names=schema.names,
            windows=[window],
            version=self.version,
        )
        rows = _Checked(
            self.connector.open_native(sql, top_of=cursor), cancel, moving, before_commit
        )
        try:
            bound = state.scalar() if state else None
            top = None
            if cursor is not None and rows.top is not None:
                top = scalar_from_python(rows.top, schema.field(cursor).type)
            # the source sent only rows at or above ``bound`` and read their maximum itself, in
            # the same snapshot and with its own ordering (collations included): that maximum
            # is the new position; no rows leave it at ``bound``
            new = CursorState.of(
                (top if top is not None else bound) if cursor else None,
                now(),
                rows.position if cursor and self.version is not None else None,
            )
            if cursor and top is not None and state is not None and self.version is not None:
                new = larger_state(state, new)  # rows re-read below the state keep it there
            kwargs: dict[str, StateWrite] = {}  # only given when transactional: others refuse it
            if target.transactional:
                kwargs["state"] = StateWrite(
                    d.name, target.dest.table, new.value, new.stored_type, new.updated_at or ""
                )
            merge = d.mode is SyncMode.MERGE
            result = target.connector.write_native(
                target.dest.table,
                rows,
                schema=schema,
                mode=_MODES[d.mode],
                keys=d.destination_keys() if merge else None,
                unique=merge and self.unique,
                **kwargs,
            )
        finally:
            rows.close()
        return result.rows, rows.rows, new
