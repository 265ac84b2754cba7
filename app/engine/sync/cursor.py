"""Cursor values: kept as text plus a canonical Arrow type, compared and filtered typed.

The text form is Arrow's own cast to string (``2026-01-02 03:04:05.000006Z`` for a UTC
timestamp, ``12.50`` for a decimal), which casts back losslessly and which PostgreSQL, DuckDB
and SQLite read in a ``CAST('…' AS type)``.

>>> s = CursorState.of(pa.scalar(42, pa.int64()))
>>> (s.value, s.type), s.scalar().as_py()
(('42', 'int64'), 42)
>>> literal(s, "postgres").sql("postgres")
'42'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import STATE_TABLE, ConnectionError_, Connector
from app.model.sql_types import to_sql_type
from app.model.types import parse_type_name, scalar_from_text, type_name

__all__ = ["POSITION_MARK", "CursorState", "larger", "larger_state", "literal", "read_state"]


#: separates the cursor's type from the source's transaction position in ``cursor_type``
POSITION_MARK = " @"


@dataclass(frozen=True)
class CursorState:
    """A committed sync position; ``value`` is None after a full sync (no cursor).

    ``position`` is the source's own transaction position when it has one (PostgreSQL: the
    snapshot the rows were read in, ``xmin:xmax:xip,…``), see :mod:`.position`. It is kept in
    the state table's ``cursor_type`` after the type (``timestamp[us, tz=UTC] @12:15:12,13``),
    so that it commits with the data in every destination without a new column.
    """

    value: str | None
    type: str | None
    updated_at: str | None = None
    position: str | None = None

    @classmethod
    def of(
        cls, scalar: pa.Scalar | None, updated_at: str | None = None, position: str | None = None
    ) -> CursorState:
        if scalar is None or not scalar.is_valid:
            return cls(None, None, updated_at, position)
        return cls(scalar.cast(pa.string()).as_py(), type_name(scalar.type), updated_at, position)

    @classmethod
    def stored(
        cls, value: str | None, stored_type: str | None, updated_at: str | None = None
    ) -> CursorState:
        """The state as a state table holds it (``cursor_type`` may carry the position).

        >>> CursorState.stored("5", "int64 @10:12:10").position
        '10:12:10'
        """
        dtype, position = stored_type, None
        if stored_type is not None and POSITION_MARK in stored_type:
            head, position = stored_type.split(POSITION_MARK, 1)
            dtype = head or None
        return cls(value, dtype, updated_at, position or None)

    @property
    def stored_type(self) -> str | None:
        """``cursor_type`` as written to the state table: the type, then the position."""
        if self.position is None:
            return self.type
        return f"{self.type or ''}{POSITION_MARK}{self.position}"

    def scalar(self) -> pa.Scalar | None:
        """The typed value (None when there is none)."""
        if self.value is None or self.type is None:
            return None
        return scalar_from_text(self.value, parse_type_name(self.type))


def larger(a: pa.Scalar | None, b: pa.Scalar | None) -> pa.Scalar | None:
    """The larger of two cursor values of one type (None counts as absent)."""
    if a is None or not a.is_valid:
        return b
    if b is None or not b.is_valid:
        return a
    import pyarrow.compute as pc  # 40 ms of start-up, for the Arrow path only

    if a.type != b.type:
        b = b.cast(a.type)
    return a if pc.greater_equal(a, b).as_py() else b


def larger_state(a: CursorState, b: CursorState) -> CursorState:
    """The larger of two states of one type, compared by Arrow without Python values
    (``pa.scalar`` and ``as_py`` would import pandas, a tenth of a CLI sync's start-up);
    ``b``'s time and position are kept.

    >>> larger_state(CursorState("9", "int64"), CursorState("10", "int64")).value
    '10'
    """
    if a.value is None or a.type is None:
        return b
    if b.value is None or b.type is None:
        return CursorState(a.value, a.type, b.updated_at, b.position)
    import struct

    import pyarrow.compute as pc

    data = [a.value.encode(), b.value.encode()]
    offsets = struct.pack("<iii", 0, len(data[0]), len(data[0]) + len(data[1]))
    values = pa.StringArray.from_buffers(2, pa.py_buffer(offsets), pa.py_buffer(b"".join(data)))
    top = pc.max(values.cast(parse_type_name(a.type))).cast(pa.string())
    return CursorState(top.as_py(), a.type, b.updated_at, b.position)


def literal(state: CursorState, dialect: str) -> exp.Expression:
    """The cursor value as a SQL literal of its type, for a ``WHERE cursor > …`` filter."""
    dtype = parse_type_name(state.type or "string")
    value = state.value or ""
    if pa.types.is_integer(dtype) or pa.types.is_floating(dtype):
        return exp.Literal.number(value)
    if pa.types.is_string(dtype):
        return exp.Literal.string(value)
    return exp.cast(exp.Literal.string(value), to_sql_type(dtype))


def read_state(connector: Connector, sync: str, table: str) -> CursorState | None:
    """The state a destination committed for ``(sync, table)``, or None when it has none."""
    if not connector.has_table(STATE_TABLE):
        return None
    dialect = connector.capabilities.dialect
    query = (
        exp.select(
            *[
                exp.column(exp.to_identifier(n, quoted=True))
                for n in ("cursor_value", "cursor_type", "updated_at")
            ]
        )
        .from_(exp.Table(this=exp.to_identifier(STATE_TABLE, quoted=True)))
        .where(
            exp.and_(
                exp.EQ(
                    this=exp.column(exp.to_identifier("sync_name", quoted=True)),
                    expression=exp.Literal.string(sync),
                ),
                exp.EQ(
                    this=exp.column(exp.to_identifier("table_name", quoted=True)),
                    expression=exp.Literal.string(table),
                ),
            )
        )
    )
    try:
        rows = connector.read(query=query.sql(dialect)).read_all().to_pylist()
    except ConnectionError_:
        raise
    if not rows:
        return None
    row = rows[0]
    return CursorState.stored(row["cursor_value"], row["cursor_type"], row["updated_at"])
