"""Statements the PostgreSQL connector runs, built as sqlglot trees or psycopg compositions.

No identifier is ever formatted into SQL text by hand: sqlglot renders quoted identifiers,
psycopg's :mod:`psycopg.sql` composes the COPY statements.

>>> t = sql_table("public.Invoice", "postgres")
>>> render(create_table(t, pa.schema([("Id", pa.int64()), ("Total", pa.decimal128(10, 2))])))
'CREATE TABLE "public"."Invoice" ("Id" BIGINT, "Total" DECIMAL(10, 2))'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from app.connectors._common import ColumnSpec, column, ident, insert_select, merge_from, sql_table
from app.connectors.postgres._types import ddl_field

if TYPE_CHECKING:
    from psycopg import sql as pgsql

__all__ = [
    "LAST_64_BIT_TIMESTAMP",
    "TOO_LATE_MARK",
    "refuse_too_late",
    "ROW_VERSION_KINDS_SQL",
    "RUNNING_SQL",
    "running_position",
    "SNAPSHOT_SQL",
    "row_version",
    "copy_from_stdin",
    "copy_to_stdout",
    "create_schema",
    "create_table",
    "create_table_as",
    "probe",
    "query_source",
    "read_select",
    "table_source",
    "insert_select",
    "max_of",
    "merge_from",
    "add_primary_key",
    "upsert_from",
    "render",
    "sql_table",
]

DIALECT = "postgres"

#: the transaction's snapshot, as text (``xmin:xmax:xip,…``; 64-bit transaction ids)
SNAPSHOT_SQL = "SELECT pg_current_snapshot()::text"
#: before the snapshot: the next transaction id, and the ids of the transactions then running
#: in this database that have written something (``backend_xid``; prepared ones too), when
#: this role may see every session (superuser or ``pg_read_all_stats``; NULL otherwise)
RUNNING_SQL = """
SELECT pg_snapshot_xmax(pg_current_snapshot())::text,
       CASE WHEN (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
                 OR pg_has_role('pg_read_all_stats', 'MEMBER')
            THEN (SELECT coalesce(string_agg(x::text, ','), '') FROM (
                    SELECT backend_xid AS x FROM pg_catalog.pg_stat_activity
                    WHERE datname = current_database() AND backend_xid IS NOT NULL
                    UNION ALL
                    SELECT transaction FROM pg_catalog.pg_prepared_xacts
                    WHERE database = current_database()) AS r)
       END
"""


def running_position(top: str, running: str | None) -> str:
    """``RUNNING_SQL``'s answer as the oldest 64-bit id a later merge must re-read from: the
    oldest running transaction of this database (the 32-bit ids placed in the epoch of
    ``next``, within 2^31 of it), or ``next`` when none runs; "" when the role cannot see
    every session (the snapshot's own ``xmin`` is used then).

    >>> running_position(str((1 << 32) + 10), "4294967290,12")
    '4294967290'
    >>> running_position("500", ""), running_position("500", None)
    ('500', '')
    """
    if running is None:
        return ""
    base = int(top)
    oldest = base
    for text in filter(None, running.split(",")):
        distance = (int(text) - base) % (1 << 32)
        if distance >= 1 << 31:
            distance -= 1 << 32
        oldest = min(oldest, base + distance)
    return str(oldest)


#: the kinds of relation whose rows carry ``xmin`` (tables, partitioned tables)
ROW_VERSION_KINDS_SQL = "SELECT relkind FROM pg_catalog.pg_class WHERE oid = to_regclass(%s)"


def _bigint(value: exp.Expression) -> exp.Expression:
    return exp.cast(exp.cast(value, "TEXT"), "BIGINT")


def row_version() -> exp.Expression:
    """The 64-bit id of the transaction that wrote each row, comparable with the ids of
    ``pg_current_snapshot()``: ``base - age(xmin)``, where ``age`` counts back from the
    transaction's stable base (its next id, 32-bit) and ``base`` is that same point in 64 bits,
    found once per statement from the snapshot's ``xmax`` (``x + age(x mod 2^32)``). Every
    row the snapshot sees was written within 2^31 ids of it (PostgreSQL freezes older ones,
    long before: the same assumption as placing ``xmin`` in ``xmax``'s epoch).

    ``age`` is a C function on the 32-bit id: a scan testing it is about twice as fast as one
    that widens ``xmin`` through text per row (the condition of every incremental read of a
    table, which cannot use an index: ``docs/syncs.md``, "What each mode guarantees").

    >>> render(row_version())[-16:]
    ') - AGE("xmin"))'
    """
    # a scalar subquery: evaluated once per statement, not once per row
    x = exp.column("x")
    xmax = _bigint(exp.func("pg_snapshot_xmax", exp.func("pg_current_snapshot")))
    low = exp.cast(
        exp.cast(exp.Mod(this=x.copy(), expression=exp.Literal.number(1 << 32)), "TEXT"),
        exp.DataType(this=exp.DataType.Type.USERDEFINED, kind="xid"),
    )
    base = exp.paren(
        exp.select(exp.Add(this=x.copy(), expression=exp.func("age", low)))
        .from_(exp.select(exp.alias_(xmax, "x")).subquery("s"))
        .subquery()
    )
    return exp.paren(
        exp.Sub(
            this=base,
            expression=exp.func("age", exp.column(exp.to_identifier("xmin", quoted=True))),
        )
    )


def render(expression: exp.Expression | exp.Query) -> str:
    """PostgreSQL text of an expression; unsupported constructs raise instead of degrading."""
    return expression.sql(DIALECT, unsupported_level=ErrorLevel.RAISE)


def _pg_identifier(table: exp.Table) -> pgsql.Identifier:
    from psycopg import sql as pgsql

    return pgsql.Identifier(*[p.name for p in table.parts])


def copy_from_stdin(table: exp.Table, names: list[str], *, binary: bool = False) -> pgsql.Composed:
    """``COPY table (cols) FROM STDIN (FORMAT csv|binary)``."""
    from psycopg import sql as pgsql

    fmt = pgsql.SQL("binary" if binary else "csv")
    return pgsql.SQL("COPY {} ({}) FROM STDIN (FORMAT {})").format(
        _pg_identifier(table), pgsql.SQL(", ").join(pgsql.Identifier(n) for n in names), fmt
    )


def copy_to_stdout(select: pgsql.Composable, *, binary: bool = False) -> pgsql.Composed:
    """``COPY (select) TO STDOUT (FORMAT csv|binary)``."""
    from psycopg import sql as pgsql

    fmt = pgsql.SQL("binary" if binary else "csv")
    return pgsql.SQL("COPY ({}) TO STDOUT (FORMAT {})").format(select, fmt)


def max_of(query: str, name: str) -> pgsql.Composed:
    """``SELECT max(q.name) FROM (query) AS q``."""
    from psycopg import sql as pgsql

    return pgsql.SQL("SELECT max(q.{}) FROM {} AS q").format(
        pgsql.Identifier(name), query_source(query)
    )


#: the last timestamp 64-bit microseconds hold (Arrow's ``timestamp[us]``, DuckDB's ``TIMESTAMP``);
#: PostgreSQL's go on to 294276-12-31
LAST_64_BIT_TIMESTAMP = "294247-01-10 04:00:54.775806"
#: what starts the text of the error :func:`refuse_too_late` makes PostgreSQL raise
TOO_LATE_MARK = "cauce: past 64-bit microseconds: "


def refuse_too_late(query: str, timestamps: dict[str, str]) -> pgsql.Composed:
    """``query``, raising an error for a row whose timestamp is later than 64-bit microseconds
    (column name -> ``timestamp`` or ``timestamptz``), ``infinity`` excepted.

    The fast path copies such values where the Arrow path cannot hold them: with this guard it
    stops instead, and the Arrow path reports the row (one behaviour per value, whatever the
    path). The error is an invalid cast of the value's own text, prefixed with
    :data:`TOO_LATE_MARK` (SQLSTATE 22007): built from the row, it cannot be folded into a
    constant and raised when the query is planned, as ``CASE … THEN 1/0`` would be. One
    comparison per timestamp and row: about 14% more server time for the ``COPY … TO``
    of 3 million rows with two timestamps (the destination's ``COPY … FROM`` takes longer).
    """
    from psycopg import sql as pgsql

    if not timestamps:
        return pgsql.SQL("{}").format(pgsql.SQL(query))
    whens = []
    for name, kind in timestamps.items():
        suffix = "+00" if kind == "timestamptz" else ""
        col = pgsql.SQL("q.{}").format(pgsql.Identifier(name))
        whens.append(
            pgsql.SQL(
                "WHEN {col} > {last}::{kind} "
                "THEN {col} = 'infinity' OR CAST({mark} || {col}::text AS timestamp) IS NOT NULL"
            ).format(
                col=col,
                last=pgsql.Literal(LAST_64_BIT_TIMESTAMP + suffix),
                kind=pgsql.SQL(kind),
                mark=pgsql.Literal(f"{TOO_LATE_MARK}{name}="),
            )
        )
    return pgsql.SQL("SELECT q.* FROM {} AS q WHERE CASE {} ELSE true END").format(
        query_source(query), pgsql.SQL(" ").join(whens)
    )


def table_source(table: exp.Table) -> pgsql.Identifier:
    """A table to read from, as a (qualified) psycopg identifier."""
    return _pg_identifier(table)


def query_source(query: str) -> pgsql.Composed:
    """A user's query text to read from, parenthesised as a derived table."""
    from psycopg import sql as pgsql

    return pgsql.SQL("({})").format(pgsql.SQL(query))


def probe(query: str) -> pgsql.Composed:
    """``SELECT * FROM (query) AS q LIMIT 0``: the result's columns without its rows."""
    from psycopg import sql as pgsql

    return pgsql.SQL("SELECT * FROM {} AS q LIMIT 0").format(query_source(query))


def read_select(specs: list[ColumnSpec], source: pgsql.Composable) -> pgsql.Composed:
    """``SELECT cols FROM source AS q``, each column cast on the server where its spec says."""
    from psycopg import sql as pgsql

    items: list[pgsql.Composable] = []
    for i, spec in enumerate(specs, start=1):
        # positional references (q.c1, ...) keep duplicate result names apart
        col = pgsql.SQL("q.{}").format(pgsql.Identifier(f"c{i}"))
        if spec.cast:
            cast = exp.DataType.build(spec.cast, dialect=DIALECT).sql(DIALECT)
            col = pgsql.SQL("CAST({} AS {})").format(col, pgsql.SQL(cast))
        items.append(col)
    aliases = pgsql.SQL(", ").join(pgsql.Identifier(f"c{i}") for i in range(1, len(specs) + 1))
    return pgsql.SQL("SELECT {} FROM {} AS q ({})").format(
        pgsql.SQL(", ").join(items), source, aliases
    )


def create_schema(table: exp.Table) -> exp.Create | None:
    """``CREATE SCHEMA IF NOT EXISTS`` for the table's schema, if it names one."""
    if not table.db:
        return None
    return exp.Create(this=exp.Table(this=ident(table.db)), kind="SCHEMA", exists=True)


def create_table(table: exp.Table, schema: pa.Schema) -> exp.Create:
    """``CREATE TABLE`` with a column per Arrow field."""
    columns = [exp.ColumnDef(this=ident(f.name), kind=ddl_field(f)) for f in schema]
    return exp.Create(this=exp.Schema(this=table.copy(), expressions=columns), kind="TABLE")


def create_table_as(table: exp.Table, query: exp.Query, *, temporary: bool = False) -> exp.Create:
    """``CREATE [TEMPORARY] TABLE table AS query``."""
    props = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(this=table.copy(), kind="TABLE", expression=query, properties=props)


def upsert_from(
    target: exp.Table, source: exp.Expression, names: list[str], keys: list[str]
) -> exp.Insert:
    """``INSERT INTO target (cols) SELECT cols FROM source ON CONFLICT (keys) DO UPDATE``
    (``DO NOTHING`` when every column is a key): needs a unique index on exactly ``keys``."""
    select = exp.select(*[column(n, "src") for n in names]).from_(
        exp.alias_(source, "src", table=True)
    )
    insert = exp.insert(select, target.copy(), columns=[ident(n) for n in names])
    updates = [
        exp.EQ(this=column(n), expression=column(n, "excluded")) for n in names if n not in keys
    ]
    insert.set(
        "conflict",
        exp.OnConflict(
            conflict_keys=[ident(k) for k in keys],
            action=exp.var("DO UPDATE" if updates else "DO NOTHING"),
            expressions=updates,
        ),
    )
    return insert


def add_primary_key(table: exp.Table, keys: list[str]) -> exp.Alter:
    """``ALTER TABLE table ADD PRIMARY KEY (keys)``."""
    return exp.Alter(
        this=table.copy(),
        kind="TABLE",
        actions=[
            exp.AddConstraint(expressions=[exp.PrimaryKey(expressions=[ident(k) for k in keys])])
        ],
    )


def latest_per_key(staging: exp.Table, keys: list[str]) -> exp.Subquery:
    """``(SELECT DISTINCT ON (keys) * FROM staging ORDER BY keys, ctid DESC)``: last row wins."""
    query = (
        exp.select("*").from_(staging.copy()).distinct(*[column(k) for k in keys], distinct=True)
    )
    distinct = exp.Distinct(on=exp.Tuple(expressions=[column(k) for k in keys]))
    query.set("distinct", distinct)
    order = [exp.Ordered(this=column(k)) for k in keys]
    order.append(exp.Ordered(this=exp.column("ctid"), desc=True))
    return query.order_by(*order).subquery()
