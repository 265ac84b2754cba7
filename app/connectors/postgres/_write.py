"""The PostgreSQL write transaction, shared by the Arrow (CSV COPY) and native (binary COPY)
paths, so both leave identical tables.

One transaction, whatever the mode; ``fill(cursor, table, names)`` COPYs the rows into
``table`` and returns how many it wrote:

- append: straight into the table (created from the Arrow schema when missing);
- replace: into a new sibling table, then ``DROP`` the old one and ``RENAME`` the new;
- merge into an existing table: into a temporary staging table, de-duplicated on the keys (the
  last row per key wins; skipped when the rows are known unique), then
  ``INSERT … ON CONFLICT (keys) DO UPDATE`` when the table has a unique index on exactly the
  keys (an index probe per staged row), ``MERGE`` otherwise;
- merge into a new table: created with its ``PRIMARY KEY`` on the keys, so later merges probe
  an index instead of scanning the table (the key is added after the load — faster than
  maintaining it row by row; rows repeating a key are de-duplicated the same way first). Key
  columns holding NULL cannot be a primary key: the table is then left without one.

Then the sync's state row (``state``), in the same transaction, and last ``before_commit``
(the native path waits there for the run's record).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import drop_table, ident, rename_table, staging_name
from app.connectors.base import StateWrite, WriteMode
from app.connectors.postgres._sql import (
    DIALECT,
    add_primary_key,
    create_schema,
    create_table,
    create_table_as,
    insert_select,
    latest_per_key,
    merge_from,
    render,
    upsert_from,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["Fill", "exists", "write_table"]

#: COPYs rows into ``table`` (columns ``names``) and returns how many it wrote
Fill = Callable[["psycopg.Cursor[Any]", exp.Table, list[str]], int]

_UNIQUE_SQL = """
SELECT array_agg(a.attname::text)
FROM pg_catalog.pg_index i
CROSS JOIN LATERAL unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) AS k(attnum)
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = to_regclass(%s) AND i.indisunique AND i.indimmediate AND i.indisvalid
  AND i.indpred IS NULL AND i.indexprs IS NULL
GROUP BY i.indexrelid
"""


def exists(cur: psycopg.Cursor[Any], table: exp.Table) -> bool:
    row = cur.execute("SELECT to_regclass(%s) IS NOT NULL", [render(table)]).fetchone()
    return bool(row and row[0])


def _create(cur: psycopg.Cursor[Any], table: exp.Table, schema: pa.Schema) -> None:
    create = create_schema(table)
    if create is not None:
        cur.execute(render(create))
    cur.execute(render(create_table(table, schema)))


def _unique_on(cur: psycopg.Cursor[Any], table: exp.Table, keys: list[str]) -> bool:
    """Whether ``table`` has a plain unique index (or primary key) on exactly ``keys``."""
    rows = cur.execute(_UNIQUE_SQL, [render(table)]).fetchall()
    return any(set(r[0]) == set(keys) for r in rows)


def _stage(
    cur: psycopg.Cursor[Any], target: exp.Table, names: list[str], fill: Fill
) -> tuple[exp.Table, int]:
    """A temporary table shaped like ``target``'s ``names`` columns, filled."""
    stage = exp.Table(this=ident(f"cauce_stage_{uuid.uuid4().hex[:12]}"))
    shape = exp.select(*[exp.column(ident(n)) for n in names]).from_(target.copy()).limit(0)
    cur.execute(render(create_table_as(stage, shape, temporary=True)))
    return stage, fill(cur, stage, names)


def _primary_key(cur: psycopg.Cursor[Any], table: exp.Table, keys: list[str]) -> None:
    """Add the primary key; skipped (savepoint rolled back) when a key column holds NULL."""
    import psycopg

    try:
        with cur.connection.transaction():
            cur.execute(render(add_primary_key(table, keys)))
    except psycopg.errors.NotNullViolation:
        pass


def _merge_new(
    cur: psycopg.Cursor[Any],
    target: exp.Table,
    schema: pa.Schema,
    keys: list[str],
    fill: Fill,
    unique: bool,
) -> int:
    names = schema.names
    if unique:
        rows = fill(cur, target, names)
    else:
        stage, rows = _stage(cur, target, names, fill)
        cur.execute(render(insert_select(target, latest_per_key(stage, keys).this, names)))
        cur.execute(render(drop_table(stage)))
    _primary_key(cur, target, keys)
    return rows


def _merge(
    cur: psycopg.Cursor[Any],
    target: exp.Table,
    names: list[str],
    keys: list[str],
    fill: Fill,
    unique: bool,
) -> int:
    stage, rows = _stage(cur, target, names, fill)
    source: exp.Expression = stage.copy() if unique else latest_per_key(stage, keys)
    if _unique_on(cur, target, keys):
        cur.execute(render(upsert_from(target, source, names, keys)))
    else:
        cur.execute(render(merge_from(target, source, names, keys)))
    cur.execute(render(drop_table(stage)))
    return rows


def write_table(
    con: psycopg.Connection[Any],
    target: exp.Table,
    schema: pa.Schema,
    fill: Fill,
    *,
    mode: WriteMode,
    keys: list[str] | None,
    state: StateWrite | None,
    unique: bool = False,
    before_commit: Callable[[], None] | None = None,
) -> int:
    """Write ``schema``-shaped rows into ``target`` in one transaction; returns the row count.

    ``before_commit`` runs last in the transaction: what it raises rolls everything back.
    """
    names = schema.names
    with con.transaction(), con.cursor() as cur:
        present = exists(cur, target)
        if mode is WriteMode.MERGE:
            if present:
                rows = _merge(cur, target, names, keys or [], fill, unique)
            else:
                _create(cur, target, schema)
                rows = _merge_new(cur, target, schema, keys or [], fill, unique)
        elif mode is WriteMode.APPEND or not present:
            if not present:
                _create(cur, target, schema)
            rows = fill(cur, target, names)
        else:
            staged = staging_name(target, "new")
            cur.execute(render(create_table(staged, schema)))
            rows = fill(cur, staged, names)
            cur.execute(render(drop_table(target)))
            cur.execute(render(rename_table(staged, target.name)))
        if state is not None:
            for statement in state.statements(DIALECT):
                cur.execute(statement.encode())
        if before_commit is not None:
            before_commit()
    return rows
