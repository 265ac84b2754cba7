"""SQLite connector: one database file as a source and a destination.

Owns the SQLite type mapping (:mod:`._types`) and the write paths (:mod:`._sql`). Reads stream
rows with ``fetchmany`` and convert them to the declared column types (decimals stored as REAL
or text, datetimes stored as ISO text). Writes run in one transaction: append inserts, replace
fills a staging table then drops the old table and renames the new one, merge deletes the rows
whose keys arrive and inserts the new ones (last row per key wins). The catalog and the schema
changes are :mod:`._catalog`'s, the settings :mod:`._config`'s.

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
from sqlglot import exp

from app.connectors._common import check_write, failure, ident, one_source, reader_from, sql_table
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    Capabilities,
    ConnectionError_,
    Connector,
    ReadOptions,
    StateWrite,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.sqlite._catalog import Catalog
from app.connectors.sqlite._checked import CheckedChanges
from app.connectors.sqlite._config import SQLiteConfig
from app.connectors.sqlite._sql import DIALECT, create_sql, insert_all, merge, replace
from app.connectors.sqlite._types import Misfit, to_arrow
from app.i18n import _

if TYPE_CHECKING:
    from app.connectors.transactions import CursorTransaction

__all__ = ["SQLiteConfig", "SQLiteConnector"]


class SQLiteConnector(CheckedChanges, Catalog, Connector):
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

    # -- lifecycle and statements ----------------------------------------------------------
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
                    con.execute(create_sql(target, data.schema))
                rows = insert_all(con, target, data, keys)
            elif mode is WriteMode.REPLACE:
                rows = replace(con, target, data)
            else:
                rows = merge(con, target, data, keys or [])
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
