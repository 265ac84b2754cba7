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
from app.engine.sync.cursor import CursorState, literal
from app.engine.sync.position import VERSION_COLUMN, Window
from app.i18n import _
from app.model.sync import SyncDefinition
from app.model.types import TypeMismatch

__all__ = [
    "SourceShape",
    "conform",
    "open_source",
    "quoted_table",
    "source_sql",
    "union_mask",
    "union_sql",
]


def quoted_table(name: str, dialect: str) -> exp.Table:
    """``name`` or ``schema.name`` as a table whose parts are quoted exactly as given."""
    table = exp.to_table(name, dialect=dialect)
    for part in table.find_all(exp.Identifier):
        part.set("quoted", True)
    return table


def _col(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def source_sql(
    table: str | None,
    query: str | None,
    columns: list[str],
    cursor: str | None,
    bound: CursorState | None,
    dialect: str,
    *,
    inclusive: bool = False,
    names: list[str] | None = None,
    windows: list[Window] | None = None,
    version: exp.Expression | None = None,
    with_version: bool = False,
) -> str:
    """``SELECT columns [AS names] FROM source [WHERE cursor > bound]`` in the source's
    dialect (``names``: the destination's names, where they differ).

    With ``windows`` (:mod:`.position`), the condition is the union of theirs instead of
    ``bound`` (``version``: the source's row-version expression); ``with_version`` also
    selects that expression as :data:`~.position.VERSION_COLUMN`."""
    if table is not None:
        source: exp.Expression = quoted_table(table, dialect)
    else:
        check_source_query(str(query), dialect)  # tables and functions by allow-list
        parsed = sqlglot.parse_one(str(query), dialect=dialect)
        source = exp.Subquery(
            this=parsed, alias=exp.TableAlias(this=exp.to_identifier("q", quoted=True))
        )
    items: list[exp.Expr] = [_col(c) for c in columns]
    if names is not None:
        items = [
            col if n == c else exp.alias_(col, exp.to_identifier(n, quoted=True))
            for col, c, n in zip(items, columns, names, strict=True)
        ]
    if with_version and version is not None:
        items.append(exp.alias_(version.copy(), exp.to_identifier(VERSION_COLUMN, quoted=True)))
    select = exp.select(*items).from_(source)
    if cursor is not None and windows is not None:
        condition = union_sql(windows, _col(cursor), version, dialect)
        if condition is not None:
            select = select.where(condition)
    elif cursor is not None and bound is not None and bound.value is not None:
        op = exp.GTE if inclusive else exp.GT
        select = select.where(op(this=_col(cursor), expression=literal(bound, dialect)))
    return select.sql(dialect)


def union_sql(
    windows: list[Window], cursor: exp.Expression, version: exp.Expression | None, dialect: str
) -> exp.Expr | None:
    """The rows any of ``windows`` needs (None: every row)."""
    parts: list[exp.Expr] = []
    for window in windows:
        condition = window.sql(cursor, version, dialect)
        if condition is None:
            return None
        if all(condition != p for p in parts):
            parts.append(condition)
    if not parts:
        return None
    return exp.or_(*[exp.paren(p) for p in parts]) if len(parts) > 1 else parts[0]


def union_mask(windows: list[Window], batch: pa.RecordBatch, cursor: str) -> pa.Array | None:
    """Which rows of ``batch`` any of ``windows`` needs (None: all)."""
    import pyarrow.compute as pc

    keep = None
    for window in windows:
        mask = window.mask(batch, cursor)
        if mask is None:
            return None
        keep = mask if keep is None else pc.or_(keep, mask)
    return keep


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


def conform(
    batch: pa.RecordBatch, schema: pa.Schema, *, keys: list[str] | None = None
) -> pa.RecordBatch:
    """``batch`` shaped as ``schema``: columns by name, cast where types differ, missing ones
    NULL, extra ones dropped. A value the cast would change is refused (:class:`TypeMismatch`
    naming the column, the row's ``keys`` and the value), never rounded."""
    if batch.schema.equals(schema):
        return batch
    names = set(batch.schema.names)
    arrays = []
    for f in schema:
        if f.name in names:
            col = batch.column(f.name)
            arrays.append(col if col.type == f.type else _cast(batch, f, keys or []))
        else:
            arrays.append(pa.nulls(batch.num_rows, type=f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _cast(batch: pa.RecordBatch, f: pa.Field, keys: list[str]) -> pa.Array:
    col = batch.column(f.name)
    try:
        return col.cast(f.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        for i in range(batch.num_rows):  # the error path only: find the value, name it
            try:
                col.slice(i, 1).cast(f.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                known = [k for k in keys if k in batch.schema.names]
                row = (
                    ", ".join(f"{k}={batch.column(k)[i]}" for k in known)
                    if known
                    else _("row {number}").format(number=i + 1)
                )
                raise TypeMismatch(
                    _(
                        "column {column!r}, {row}: the value {value} does not fit "
                        "{type} exactly ({error}); a PostgreSQL destination keeps "
                        "it as it is"
                    ).format(column=f.name, row=row, value=col[i], type=f.type, error=err)
                ) from None
        raise


def open_source(
    connector: Connector,
    definition: SyncDefinition,
    shape: SourceShape,
    columns: list[str],
    windows: list[Window] | None,
    *,
    version: exp.Expression | None = None,
) -> tuple[pa.RecordBatchReader, Callable[[pa.RecordBatch], pa.RecordBatch], str | None]:
    """Start reading ``columns`` (source names) of the rows any of ``windows`` needs (None:
    every row).

    Returns the reader, the transform that renames, types and (when the filter could not be
    pushed down) filters each batch, and the source's transaction position when ``version``
    (the source's row-version expression) is given: the rows then carry
    :data:`~.position.VERSION_COLUMN` for each destination's own filter.
    """
    src = definition.source
    cursor = definition.cursor if definition.mode.value != "full" else None
    names = [definition.dest_name(c) for c in columns]
    schema = pa.schema([shape.schema.field(n) for n in names])
    pushdown = connector.capabilities.pushdown or src.query is not None
    position: str | None = None
    local: list[Window] | None = None
    if version is not None and src.table is not None:
        sql = source_sql(
            src.table,
            None,
            columns,
            cursor,
            None,
            connector.capabilities.dialect,
            windows=windows or [],
            version=version,
            with_version=True,
        )
        reader, position = connector.read_snapshot(sql, batch_rows=definition.batch_rows)
        schema = schema.append(pa.field(VERSION_COLUMN, pa.int64()))
        columns = [*columns, VERSION_COLUMN]
        names = [*names, VERSION_COLUMN]
    elif pushdown:
        sql = source_sql(
            src.table,
            src.query,
            columns,
            cursor,
            None,
            connector.capabilities.dialect,
            windows=windows or [],
        )
        reader = connector.read(query=sql, batch_rows=definition.batch_rows)
    else:
        reader = connector.read(table=src.table, batch_rows=definition.batch_rows)
        local = windows if cursor else None
    dest_cursor = definition.dest_name(cursor) if cursor else None

    def transform(batch: pa.RecordBatch) -> pa.RecordBatch:
        picked = pa.RecordBatch.from_arrays([batch.column(c) for c in columns], names=names)
        picked = conform(picked, schema)
        if local and dest_cursor in names:
            mask = union_mask(local, picked, str(dest_cursor))
            if mask is not None:
                picked = picked.filter(mask)
        return picked

    return reader, transform, position
