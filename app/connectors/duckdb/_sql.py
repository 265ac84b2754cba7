"""SQL the DuckDB connector runs: attach, qualified scans and the three write modes.

Everything is built as sqlglot expressions and rendered in the DuckDB dialect. The write
functions take an open DuckDB connection, so the same code serves the engine's connection
(after ``ATTACH``) and the connector's own connection (standalone writes and pushdown).

>>> qualify(exp.select("*").from_("t"), "src").sql("duckdb")
'SELECT * FROM "src"."main".t'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from app.connectors import native_write as _native
from app.connectors._common import column, ident, merge_from
from app.connectors.base import ConnectionError_, WriteMode, WriteResult
from app.connectors.native_write import NativeWrite, run_write
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "attach_sql",
    "catalog_table",
    "delete_returning",
    "native_write",
    "qualify",
    "write_into",
]

DIALECT = "duckdb"


def attach_sql(path: str, alias: str, *, read_only: bool, encrypted: bool = False) -> str:
    """``ATTACH 'path' AS "alias" [(ENCRYPTION_KEY ?, READ_ONLY)]``: the key is bound as a
    parameter, never written into the statement."""
    options = [exp.AttachOption(this=exp.var("ENCRYPTION_KEY"), expression=exp.Placeholder())]
    options = options if encrypted else []
    if read_only:
        options.append(exp.AttachOption(this=exp.var("READ_ONLY")))
    return exp.Attach(
        this=exp.alias_(exp.Literal.string(path), ident(alias)), expressions=options or None
    ).sql(DIALECT)


def delete_returning(
    target: exp.Table, where: exp.Expression, limit: int, order_by: list[str]
) -> exp.Delete:
    """``DELETE FROM t WHERE rowid IN (SELECT rowid … LIMIT n) AND where RETURNING *``."""
    chosen = exp.select(exp.column("rowid")).from_(target.copy()).where(where.copy())
    if order_by:
        chosen = chosen.order_by(*[column(k) for k in order_by])
    statement = exp.delete(
        target.copy(),
        where=exp.and_(exp.column("rowid").isin(query=chosen.limit(limit)), where.copy()),
    )
    statement.set("returning", exp.Returning(expressions=[exp.Star()]))
    return statement


def catalog_table(table: exp.Table, catalog: str) -> exp.Table:
    """``table`` fully qualified: ``"catalog"."schema"."name"`` (schema ``main`` by default)."""
    return exp.Table(
        this=ident(table.name),
        db=ident(table.db or "main"),
        catalog=ident(table.catalog or catalog),
    )


def qualify(query: exp.Query, alias: str) -> exp.Query:
    """Point the plain table references of ``query`` at catalog ``alias`` (CTE names excepted)."""
    query = query.copy()
    ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    for table in list(query.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier) or table.catalog:
            continue
        if not table.db and table.name in ctes:
            continue
        table.set("catalog", ident(alias))
        if not table.db:
            table.set("db", ident("main"))
    return query


def table_exists(con: duckdb.DuckDBPyConnection, table: exp.Table) -> bool:
    """Whether a fully qualified table exists (tables only, not views)."""
    return _native.table_exists(con, table.catalog, table.db, table.name)


def native_write(
    con: duckdb.DuckDBPyConnection,
    target: exp.Table,
    source: exp.Query,
    *,
    mode: WriteMode,
    keys: list[str] | None,
    connection: str,
    source_sql: str | None = None,
) -> NativeWrite:
    """The statements of one write of ``source`` into the fully qualified ``target``
    (:class:`~app.connectors.native_write.NativeWrite`); an append's or a merge's columns
    are read from ``con`` (an invalid query, or merge keys that are not its columns, raise
    here; a replace's query is bound once, when it runs);
    ``source_sql``: ``source`` already rendered for DuckDB."""
    import duckdb

    if source_sql is None:  # rendered once: a long query costs ms to render
        source_sql = source.sql(DIALECT)
    names: list[str] = []
    if mode is not WriteMode.REPLACE:  # the columns an insert or a merge names
        try:
            names = list(con.sql(source_sql).columns)
        except duckdb.Error as err:
            raise ConnectionError_(
                _("{connection}: the query for {table!r} is invalid: {error}").format(
                    connection=connection, table=target.name, error=err
                )
            ) from None
    if mode is WriteMode.MERGE:
        missing = [k for k in keys or [] if k not in names]
        if missing or not keys:
            raise ConnectionError_(
                _("{connection}: merge keys {keys} are not columns of the query").format(
                    connection=connection, keys=missing or keys
                )
            )
    return NativeWrite(
        connection=connection,
        catalog=target.catalog,
        schema=target.db,
        table=target.name,
        target=target.sql(DIALECT),
        source=source_sql,
        mode=str(mode),
        create_schema=exp.Create(
            this=exp.Table(this=ident(target.db), db=ident(target.catalog)),
            kind="SCHEMA",
            exists=True,
        ).sql(DIALECT),
        insert=exp.insert(
            exp.select(*[column(n) for n in names]).from_(source.subquery("src")),
            target.copy(),
            columns=[ident(n) for n in names],
        ).sql(DIALECT)
        if mode is WriteMode.APPEND
        else None,
        merge=merge_from(target, source.subquery(), names, keys or []).sql(DIALECT)
        if mode is WriteMode.MERGE
        else None,
    )


def write_into(
    con: duckdb.DuckDBPyConnection,
    target: exp.Table,
    source: exp.Query,
    *,
    mode: WriteMode,
    keys: list[str] | None,
    connection: str,
    then: list[str] | None = None,
    source_sql: str | None = None,
) -> WriteResult:
    """Run one write of ``source`` into the fully qualified ``target``, in one transaction
    (:func:`native_write`, run by :func:`~app.connectors.native_write.run_write`).
    ``then`` are statements run in the same transaction after the write (a sync's state);
    ``source_sql``: ``source`` already rendered for DuckDB.
    """
    write = native_write(
        con, target, source, mode=mode, keys=keys, connection=connection, source_sql=source_sql
    )
    return WriteResult(rows=run_write(con, write, then), native=write)
