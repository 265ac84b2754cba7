"""SQLite connector: one database file as a source and a destination.

Owns the SQLite type mapping (:mod:`._types`) and the write paths. Reads stream rows with
``fetchmany`` and convert them to the declared column types (decimals stored as REAL or text,
datetimes stored as ISO text). Writes run in one transaction: append inserts, replace fills a
staging table then drops the old table and renames the new one, merge deletes the rows whose
keys arrive and inserts the new ones (last row per key wins).

The standard library ``sqlite3`` module is the client; DuckDB cannot attach SQLite files here
(no ``sqlite_scanner`` extension offline), so SQLite data reaches the engine as Arrow batches.
"""

from __future__ import annotations

import contextlib
import copy
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pydantic import Field
from sqlglot import exp

from app.connectors._common import (
    check_write,
    drop_table,
    failure,
    ident,
    one_source,
    reader_from,
    rename_table,
    sql_table,
    staging_name,
)
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    Capabilities,
    ConnectionError_,
    Connector,
    ConnectorConfig,
    ReadOptions,
    StateWrite,
    TableInfo,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.sqlite._checked import CheckedChanges
from app.connectors.sqlite._types import (
    Misfit,
    Unstorable,
    arrow_type,
    declared_type,
    from_arrow,
    to_arrow,
)
from app.i18n import _

if TYPE_CHECKING:
    from app.connectors.transactions import CursorTransaction

__all__ = ["SQLiteConfig", "SQLiteConnector"]

DIALECT = "sqlite"
_SAMPLE_ROWS = 1000


class SQLiteConfig(ConnectorConfig):
    """Settings of a SQLite connection."""

    path: str = Field(
        description=(
            "Database file: relative to the working directory; ${PROJECT_DIR}/… for one in the "
            "project."
        )
    )
    coerce: list[str] = Field(
        default_factory=list,
        description="Columns (`column` or `table.column`) whose values are converted to the "
        "declared type even when they do not fit it exactly (a REAL in an INTEGER "
        "column is truncated, a non-UTF-8 BLOB in a TEXT column decoded with "
        "replacement characters…); other columns refuse such values. The default for "
        "every sync and pipeline reading this connection; a sync adds its own columns "
        "(source.read.coerce).",
    )


class SQLiteConnector(CheckedChanges, Connector):
    """Read and write one SQLite database file."""

    type_name = "sqlite"
    label = "SQLite"
    Config = SQLiteConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        transactions=True,
        merge=True,
        bulk_load="insert",
        pushdown=False,
        duckdb_native=False,
        transactional_state=True,
    )
    url = UrlSyntax(("sqlite",), UrlForm.FILE)
    read_options = frozenset({"coerce"})
    config: SQLiteConfig

    def for_sync(self, options: ReadOptions | None = None) -> SQLiteConnector:
        """This connection, with the sync's ``coerce`` columns added to the connection's."""
        if options is None or not options.coerce:
            return self
        twin = copy.copy(self)
        twin.config = self.config.model_copy(
            update={"coerce": [*self.config.coerce, *options.coerce]}
        )
        return twin

    @property
    def path(self) -> Path:
        path = Path(self.config.path).expanduser()
        return path if path.is_absolute() else self.root / path

    def _connect(self, *, create: bool = False) -> sqlite3.Connection:
        if not create and not self.path.exists():
            raise ConnectionError_(
                _("{connection}: SQLite file {path!r} does not exist").format(
                    connection=self.name, path=str(self.path)
                )
            )
        try:
            con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as err:
            raise failure(self.name, _("opening the database"), err) from None
        con.execute("PRAGMA busy_timeout = 5000")
        return con

    # -- lifecycle and catalog -------------------------------------------------------------
    def test(self) -> None:
        """Read the catalog; a file that does not exist yet needs a writable directory."""
        if not self.path.exists():
            if not os.access(self.path.parent, os.W_OK):
                raise ConnectionError_(
                    _(
                        "{connection}: cannot create {path!r} "
                        "(the directory is missing or not writable)"
                    ).format(connection=self.name, path=str(self.path))
                )
            return
        con = self._connect()
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlite3.Error as err:
            raise failure(self.name, _("reading the catalog"), err) from None
        finally:
            con.close()

    def list_tables(self) -> list[TableInfo]:
        con = self._connect()
        try:
            rows = con.execute(
                "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).fetchall()
        except sqlite3.Error as err:
            raise failure(self.name, _("listing tables"), err) from None
        finally:
            con.close()
        return [TableInfo(schema=None, name=name, kind=kind) for name, kind in rows]

    def _columns(self, con: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
        parsed = sql_table(table, DIALECT)
        rows = con.execute(
            "SELECT name, type FROM pragma_table_info(?, ?) ORDER BY cid",
            (parsed.name, parsed.db or "main"),
        ).fetchall()
        return [(name, decl) for name, decl in rows]

    def table_schema(self, table: str) -> pa.Schema:
        con = self._connect()
        try:
            columns = self._columns(con, table)
        except sqlite3.Error as err:
            raise failure(self.name, _("describing {table!r}").format(table=table), err) from None
        finally:
            con.close()
        if not columns:
            raise ConnectionError_(
                _("{connection}: table {table!r} does not exist").format(
                    connection=self.name, table=table
                )
            )
        return pa.schema([pa.field(name, arrow_type(decl)) for name, decl in columns])

    def has_table(self, table: str) -> bool:
        if not self.path.exists():
            return False
        con = self._connect()
        try:
            return bool(self._columns(con, table))
        except sqlite3.Error as err:
            raise failure(self.name, _("looking up {table!r}").format(table=table), err) from None
        finally:
            con.close()

    def primary_keys(self, table: str) -> list[str]:
        parsed = sql_table(table, DIALECT)
        con = self._connect()
        try:
            rows = con.execute(
                "SELECT name, pk FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk",
                (parsed.name, parsed.db or "main"),
            ).fetchall()
        except sqlite3.Error as err:
            raise failure(
                self.name, _("reading the primary key of {table!r}").format(table=table), err
            ) from None
        finally:
            con.close()
        return [name for name, _position in rows]

    def add_columns(self, table: str, fields: list[pa.Field]) -> None:
        statements = [
            exp.Alter(
                this=sql_table(table, DIALECT),
                kind="TABLE",
                actions=[
                    exp.ColumnDef(
                        this=ident(f.name),
                        kind=exp.DataType(
                            this=exp.DataType.Type.USERDEFINED, kind=declared_type(f.type)
                        ),
                    )
                ],
            ).sql(DIALECT)
            for f in fields
        ]
        self._run(statements, _("adding columns to {table!r}").format(table=table))

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        """SQLite cannot change a declared type: only changes that keep it are accepted."""
        con = self._connect()
        try:
            declared = dict(self._columns(con, table))
        finally:
            con.close()
        refused = [
            f.name
            for f in fields
            if declared.get(f.name, "").upper() != declared_type(f.type).upper()
        ]
        if refused:
            raise ConnectionError_(
                _(
                    "{connection}: SQLite cannot change the declared type of {columns} in "
                    "{table!r}; run a full sync (it recreates the table) or freeze the schema"
                ).format(connection=self.name, columns=refused, table=table)
            )

    def execute(self, sql: str) -> None:
        self._run([sql], _("running the statement"))

    @contextlib.contextmanager
    def atomic(self) -> Iterator[CursorTransaction]:
        from app.connectors.transactions import CursorTransaction

        con = self._connect(create=True)
        try:
            con.execute("BEGIN IMMEDIATE")
            yield CursorTransaction(
                con, lambda err: failure(self.name, _("running the statements"), err), sqlite3.Error
            )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def _run(self, statements: list[str], what: str) -> None:
        con = self._connect(create=True)
        try:
            con.execute("BEGIN IMMEDIATE")
            for statement in statements:
                con.execute(statement)
            con.execute("COMMIT")
        except sqlite3.Error as err:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise failure(self.name, what, err) from None
        finally:
            con.close()

    def query_schema(self, sql: str) -> pa.Schema:
        """Columns of a query's result, typed from a sample of its first rows.

        SQLite does not type expressions, so a column is int64, float64, string or binary
        after the values of the first 1000 rows (string when they are all NULL).
        """
        con = self._connect()
        try:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description or ()]
            sample = cur.fetchmany(_SAMPLE_ROWS)
        except sqlite3.Error as err:
            raise failure(self.name, _("describing the query"), err) from None
        finally:
            con.close()
        return pa.schema(
            [pa.field(n, _sampled_type([r[i] for r in sample])) for i, n in enumerate(names)]
        )

    # -- reading ---------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        one_source(table, query)
        if table is not None:
            schema = self.table_schema(table)
            select = exp.select(*[exp.column(ident(f.name)) for f in schema]).from_(
                sql_table(table, DIALECT)
            )
            sql = select.sql(DIALECT)
        else:
            assert query is not None
            schema, sql = self.query_schema(query), query
        con = self._connect()
        try:
            cur = con.execute(sql)
        except sqlite3.Error as err:
            con.close()
            raise failure(
                self.name, _("reading {table!r}").format(table=table or _("the query")), err
            ) from None
        keys = [k for k in self.primary_keys(table) if k in schema.names] if table else []
        return reader_from(schema, self._batches(con, cur, schema, batch_rows, table, keys))

    def _coerced(self, table: str | None, column: str) -> bool:
        wanted = {column.casefold()} | ({f"{table}.{column}".casefold()} if table else set())
        return any(c.casefold() in wanted for c in self.config.coerce)

    def _batches(
        self,
        con: sqlite3.Connection,
        cur: sqlite3.Cursor,
        schema: pa.Schema,
        batch_rows: int,
        table: str | None,
        keys: list[str],
    ) -> Iterator[pa.RecordBatch]:
        coerce = [self._coerced(table, f.name) for f in schema]
        read = 0
        try:
            while rows := cur.fetchmany(batch_rows):
                columns = list(zip(*rows, strict=True))
                arrays = []
                for field, values, loose in zip(schema, columns, coerce, strict=True):
                    try:
                        arrays.append(to_arrow(values, field.type, coerce=loose))
                    except Misfit as err:
                        where = _row_words(schema.names, rows[err.index], keys, read + err.index)
                        raise ConnectionError_(
                            _(
                                "{connection}: {table!r}, {row}: column {column!r} holds "
                                "{value!r}, which does not fit its declared type ({type}): "
                                "{reason}. Fix the value at the source, or list the column in "
                                "the sync's \"source.read.coerce\" (or the connection's "
                                '"coerce") to convert such values anyway'
                            ).format(
                                connection=self.name,
                                column=field.name,
                                table=table or _("the query"),
                                type=field.type,
                                row=where,
                                value=err.value,
                                reason=err.reason,
                            )
                        ) from None
                read += len(rows)
                yield pa.RecordBatch.from_arrays(arrays, schema=schema)
        except sqlite3.Error as err:
            raise failure(
                self.name, _("reading {table!r}").format(table=table or _("the query")), err
            ) from None
        finally:
            con.close()

    # -- writing ---------------------------------------------------------------------------
    def write(
        self,
        table: str,
        data: pa.RecordBatchReader,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
    ) -> WriteResult:
        mode = check_write(self.name, table, mode, keys, data.schema.names)
        target = sql_table(table, DIALECT)
        con = self._connect(create=True)
        try:
            con.execute("BEGIN IMMEDIATE")
            exists = bool(self._columns(con, table))
            if mode is WriteMode.APPEND or not exists:
                if not exists:
                    con.execute(_create_sql(target, data.schema))
                rows = _insert_all(con, target, data, keys)
            elif mode is WriteMode.REPLACE:
                rows = _replace(con, target, data)
            else:
                rows = _merge(con, target, data, keys or [])
            for statement in state.statements(DIALECT) if state else []:
                con.execute(statement)
            con.execute("COMMIT")
            return WriteResult(rows=rows)
        except BaseException as err:
            if con.in_transaction:
                con.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error | pa.ArrowException | ValueError | TypeError):
                raise failure(self.name, _("writing {table!r}").format(table=table), err) from err
            raise
        finally:
            con.close()


def _row_words(names: list[str], row: tuple[Any, ...], keys: list[str], number: int) -> str:
    """How an error names a row: by its key when the table has one, else by position."""
    if keys:
        values = ", ".join(f"{k}={row[names.index(k)]!r}" for k in keys)
        return _("the row with {key}").format(key=values)
    return _("row {number}").format(number=number + 1)


def _bindable(batch: pa.RecordBatch, keys: list[str] | None, done: int) -> list[list[Any]]:
    """The batch's columns as values ``sqlite3`` binds; a value SQLite would change is an
    error naming the column, the row (its key when known) and the value."""
    columns = []
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        try:
            columns.append(from_arrow(col))
        except Unstorable as err:
            known = [k for k in keys or [] if k in batch.schema.names]
            if known:
                key = ", ".join(f"{k}={batch.column(k)[err.index].as_py()!r}" for k in known)
                where = _("the row with {key}").format(key=key)
            else:
                where = _("row {number}").format(number=done + err.index + 1)
            raise ValueError(
                _(
                    "{row}: column {column!r} holds {reason}; store it as "
                    "text, or in another destination"
                ).format(row=where, column=name, reason=err.reason)
            ) from None
    return columns


def _sampled_type(values: list[object]) -> pa.DataType:
    kinds = {type(v) for v in values if v is not None}
    if not kinds or str in kinds:
        return pa.string()
    if kinds == {int}:
        return pa.int64()
    if kinds <= {int, float}:
        return pa.float64()
    if kinds == {bytes}:
        return pa.binary()
    return pa.string()


def _create_sql(table: exp.Table, schema: pa.Schema, *, temporary: bool = False) -> str:
    columns = [
        exp.ColumnDef(
            this=ident(f.name),
            kind=exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=declared_type(f.type)),
        )
        for f in schema
    ]
    props = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(
        this=exp.Schema(this=table, expressions=columns), kind="TABLE", properties=props
    ).sql(DIALECT)


def _insert_all(
    con: sqlite3.Connection,
    table: exp.Table,
    data: pa.RecordBatchReader,
    keys: list[str] | None = None,
) -> int:
    names = data.schema.names
    insert = exp.insert(
        exp.values([tuple(exp.Placeholder() for _ in names)]),
        table,
        columns=[ident(n) for n in names],
    )
    sql = insert.sql(DIALECT)
    rows = 0
    for batch in data:
        columns = _bindable(batch, keys, rows)
        con.executemany(sql, zip(*columns, strict=True))
        rows += batch.num_rows
    return rows


def _replace(con: sqlite3.Connection, target: exp.Table, data: pa.RecordBatchReader) -> int:
    staged = staging_name(target, "new")
    con.execute(_create_sql(staged, data.schema))
    rows = _insert_all(con, staged, data)
    con.execute(drop_table(target).sql(DIALECT))
    con.execute(rename_table(staged, target.name).sql(DIALECT))
    return rows


def _merge(
    con: sqlite3.Connection, target: exp.Table, data: pa.RecordBatchReader, keys: list[str]
) -> int:
    staged = exp.Table(this=staging_name(target).this, db=ident("temp"))
    con.execute(_create_sql(staged, data.schema))
    rows = _insert_all(con, staged, data, keys)
    key_cols = [exp.column(ident(k)) for k in keys]
    latest = (
        exp.select(exp.func("max", exp.column("rowid")))
        .from_(staged.copy())
        .group_by(*[k.copy() for k in key_cols])
    )
    delete = exp.delete(
        target.copy(),
        where=exp.In(
            this=exp.Tuple(expressions=[k.copy() for k in key_cols]),
            query=exp.select(*[k.copy() for k in key_cols]).from_(staged.copy()).subquery(),
        ),
    )
    names = [ident(n) for n in data.schema.names]
    insert = exp.insert(
        exp.select(*[exp.column(n.copy()) for n in names])
        .from_(staged.copy())
        .where(exp.In(this=exp.column("rowid"), query=latest.subquery())),
        target.copy(),
        columns=[n.copy() for n in names],
    )
    con.execute(delete.sql(DIALECT))
    con.execute(insert.sql(DIALECT))
    con.execute(drop_table(staged).sql(DIALECT))
    return rows
