"""Reading a sync's source: the columns it selects, the cursor filter, the renamed stream.

Connectors that can run queries with typed results (``capabilities.pushdown``: PostgreSQL,
DuckDB, ...) get the selection and the cursor filter pushed into one ``SELECT``; the others
(SQLite, files) stream the table and are selected and filtered here, in Arrow.

>>> sql = source_sql("public.orders", None, ["id", "ts"], "ts", None, "postgres")
>>> sql
'SELECT "id", "ts" FROM "public"."orders"'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import sqlglot
from sqlglot import exp

from app.connectors.base import Connector
from app.engine.sql_policy import check_source_query
from app.engine.sync.cursor import CursorState, keep_after, literal
from app.engine.sync.definition import SyncDefinition

__all__ = ["SourceShape", "conform", "open_source", "quoted_table", "source_sql"]


def quoted_table(name: str, dialect: str) -> exp.Table:
    """``name`` or ``schema.name`` as a table whose parts are quoted exactly as given."""
    table = exp.to_table(name, dialect=dialect)
    for part in table.find_all(exp.Identifier):
        part.set("quoted", True)
    return table


def _col(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def source_sql(table: str | None, query: str | None, columns: list[str], cursor: str | None,
               bound: CursorState | None, dialect: str, *, inclusive: bool = False,
               names: list[str] | None = None) -> str:
    """``SELECT columns [AS names] FROM source [WHERE cursor > bound]`` in the source's
    dialect (``names``: the destination's names, where they differ)."""
    if table is not None:
        source: exp.Expression = quoted_table(table, dialect)
    else:
        check_source_query(str(query), dialect)  # tables and functions by allow-list
        parsed = sqlglot.parse_one(str(query), dialect=dialect)
        source = exp.Subquery(this=parsed, alias=exp.TableAlias(
            this=exp.to_identifier("q", quoted=True)))
    items: list[exp.Expression] = [_col(c) for c in columns]
    if names is not None:
        items = [col if n == c else exp.alias_(col, exp.to_identifier(n, quoted=True))
                 for col, c, n in zip(items, columns, names, strict=True)]
    select = exp.select(*items).from_(source)
    if cursor is not None and bound is not None and bound.value is not None:
        op = exp.GTE if inclusive else exp.GT
        select = select.where(op(this=_col(cursor), expression=literal(bound, dialect)))
    return select.sql(dialect)


@dataclass(frozen=True)
class SourceShape:
    """The source columns a sync reads and the schema it delivers (destination names)."""

    columns: list[str]
    schema: pa.Schema

    @classmethod
    def of(cls, definition: SyncDefinition, source_schema: pa.Schema) -> SourceShape:
        chosen = definition.select_columns(source_schema.names)
        fields = [source_schema.field(c).with_name(definition.dest_name(c)) for c in chosen]
        return cls(chosen, pa.schema(fields))


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` shaped as ``schema``: columns by name, cast where types differ, missing ones
    NULL, extra ones dropped."""
    if batch.schema.equals(schema):
        return batch
    names = set(batch.schema.names)
    arrays = []
    for f in schema:
        if f.name in names:
            col = batch.column(f.name)
            arrays.append(col if col.type == f.type else col.cast(f.type))
        else:
            arrays.append(pa.nulls(batch.num_rows, type=f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def open_source(connector: Connector, definition: SyncDefinition, shape: SourceShape,
                columns: list[str], bound: CursorState | None, *, inclusive: bool
                ) -> tuple[pa.RecordBatchReader, Callable[[pa.RecordBatch], pa.RecordBatch]]:
    """Start reading ``columns`` (source names) of the source above ``bound``.

    Returns the reader and the transform that renames, types and (when the filter could not be
    pushed down) filters each batch.
    """
    src = definition.source
    cursor = definition.cursor if definition.mode.value != "full" else None
    names = [definition.dest_name(c) for c in columns]
    schema = pa.schema([shape.schema.field(n) for n in names])
    pushdown = connector.capabilities.pushdown or src.query is not None
    if pushdown:
        sql = source_sql(src.table, src.query, columns, cursor, bound,
                         connector.capabilities.dialect, inclusive=inclusive)
        reader = connector.read(query=sql, batch_rows=definition.batch_rows)
        local_bound = None
    else:
        reader = connector.read(table=src.table, batch_rows=definition.batch_rows)
        local_bound = bound.scalar() if (cursor and bound) else None
    dest_cursor = definition.dest_name(cursor) if cursor else None

    def transform(batch: pa.RecordBatch) -> pa.RecordBatch:
        picked = pa.RecordBatch.from_arrays([batch.column(c) for c in columns], names=names)
        picked = conform(picked, schema)
        if local_bound is not None and dest_cursor in names:
            picked = keep_after(picked, str(dest_cursor), local_bound, inclusive=inclusive)
        return picked

    return reader, transform
