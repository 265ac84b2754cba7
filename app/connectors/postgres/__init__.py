"""PostgreSQL connector (psycopg 3): catalog, COPY streaming in and out, pushdown writes.

Owns the PG type mapping (:mod:`._types`), the catalog and DDL (:mod:`._catalog`), the COPY
data paths (:mod:`._copy`) and the statements it runs (:mod:`._sql`); its settings are
:mod:`._config`'s, and how it connects
(passwords on demand, which refusals are retried) is :mod:`._connect`'s. Every operation opens
its own connection (a read stream
keeps one busy until it ends), in UTC with ISO dates. Every write is one transaction
(:mod:`._write`: append, replace by swap, merge through a staging table with
``INSERT … ON CONFLICT`` or ``MERGE``; tables created by a merge get their primary key).

Between two PostgreSQL databases, rows can also travel as binary ``COPY`` without being
decoded (:mod:`._native`, ``capabilities.native_copy``): :meth:`PostgresConnector.open_native`
on the source, :meth:`PostgresConnector.write_native` on the destination.

A failure anywhere (a bad value, a source that raises, a dropped connection) rolls the whole
transaction back and raises :class:`ConnectionError_` naming the connection and the table.
The password is never put in a message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import (
    check_write,
    drop_table,
    one_source,
    reader_from,
    rebatch,
    rename_table,
    sql_table,
    staging_name,
)
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    Capabilities,
    ConnectionError_,
    Connector,
    NativeRows,
    ReadOptions,
    StateWrite,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.postgres._catalog import Catalog
from app.connectors.postgres._config import PostgresConfig
from app.connectors.postgres._copy import CsvValueError, csv_batches, encode_batches
from app.connectors.postgres._native import FORMAT, BinaryCopy, exact_types, utf8
from app.connectors.postgres._sql import (
    DIALECT,
    ROW_VERSION_KINDS_SQL,
    RUNNING_SQL,
    SNAPSHOT_SQL,
    copy_from_stdin,
    copy_to_stdout,
    create_schema,
    create_table_as,
    insert_select,
    merge_from,
    query_source,
    read_select,
    render,
    row_version,
    running_position,
    table_source,
)
from app.connectors.postgres._types import ColumnSpec
from app.connectors.postgres._write import exists as _exists
from app.connectors.postgres._write import write_table
from app.i18n import _
from app.model.types import TypeMismatch

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql as pgsql

    from app.connectors.transactions import Transaction

__all__ = ["PostgresConfig", "PostgresConnector"]


class PostgresConnector(Catalog, Connector):
    """Read, write and push SQL down into a PostgreSQL database."""

    type_name = "postgres"
    label = "PostgreSQL"
    Config = PostgresConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        transactions=True,
        merge=True,
        bulk_load="copy",
        pushdown=True,
        elt=True,
        duckdb_native=False,
        transactional_state=True,
        native_copy=FORMAT,
        enum_types=True,
        concurrent_reads=2,
    )
    secrets_on_demand = frozenset({"password"})
    url = UrlSyntax(
        ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"),
        UrlForm.SERVER,
        default_port=5432,
    )
    config: PostgresConfig
    #: unconstrained ``numeric`` as its exact text (syncs: :meth:`for_sync`) rather than
    #: ``decimal(38,9)`` (pipelines, which compute on it)
    exact_text = False
    #: the sync's key columns: a value the CSV path cannot parse is reported with its row's
    #: key (:mod:`._unparsable`); without one, with the row's number
    row_keys: tuple[str, ...] = ()
    #: server settings of every new connection besides the time zone and date style
    #: (:meth:`for_analysis`: ``-c jit=off``)
    session_options = ""

    def for_sync(self, options: ReadOptions | None = None) -> PostgresConnector:
        import copy

        twin = copy.copy(self)
        twin.exact_text = True
        twin.row_keys = options.keys if options else ()
        return twin

    def for_analysis(self) -> PostgresConnector:
        import copy

        twin = copy.copy(self)
        twin.session_options = "-c jit=off"
        return twin

    def test(self) -> None:
        import psycopg

        with self._connect() as con:
            try:
                con.execute("SELECT 1").fetchall()
            except psycopg.Error as err:
                raise self._fail(_("running a test query"), err) from None

    # -- reading ---------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        one_source(table, query)
        con = self._connect()
        self.__dict__.setdefault("_reading", set()).add(con)  # for interrupt()
        try:
            if table is not None:
                specs = self._table_specs(con, table)
                select = read_select(specs, table_source(sql_table(table, DIALECT)))
            else:
                specs = self._query_specs(con, str(query))
                select = read_select(specs, query_source(str(query)))
        except BaseException:
            self.__dict__["_reading"].discard(con)
            con.close()
            raise
        # Translators: in place of a quoted table name, as in "reading {what}"
        what = repr(table) if table is not None else _("the query")
        schema = pa.schema([s.field for s in specs])
        return reader_from(schema, self._stream(con, select, specs, batch_rows, what))

    def _stream(
        self,
        con: psycopg.Connection[Any],
        select: pgsql.Composed,
        specs: list[ColumnSpec],
        batch_rows: int,
        what: str,
    ) -> Iterator[pa.RecordBatch]:
        import psycopg

        try:
            with con.cursor() as cur, cur.copy(copy_to_stdout(select)) as copy:
                yield from rebatch(csv_batches(copy, specs), batch_rows)
        except psycopg.Error as err:
            raise self._fail(_("reading {what}").format(what=what), err) from None
        except CsvValueError as err:
            con.close()
            raise self._fail(
                _("parsing the rows of {what}").format(what=what),
                self._with_row(select, specs, err),
            ) from None
        except pa.ArrowInvalid as err:
            raise self._fail(_("parsing the rows of {what}").format(what=what), err) from None
        finally:
            self.__dict__.get("_reading", set()).discard(con)
            con.close()

    def interrupt(self) -> None:
        """Ask PostgreSQL to cancel the queries of the reads in progress."""
        for con in list(self.__dict__.get("_reading", ())):
            con.cancel_safe()

    def _with_row(
        self, select: pgsql.Composed, specs: list[ColumnSpec], error: CsvValueError
    ) -> CsvValueError:
        """``error`` naming its row, found by reading the column again (:mod:`._unparsable`);
        as it is when that fails too."""
        import psycopg

        from app.connectors.postgres._unparsable import unparsable_row

        try:
            with self._connect() as con:
                return unparsable_row(con, select, specs, error, list(self.row_keys))
        except (psycopg.Error, ConnectionError_):
            return error

    def incoming(self, field: pa.Field) -> pa.Field:
        return field  # PostgreSQL recreates every kept type as it is (numeric included)

    # -- transaction positions (incremental syncs, app.engine.sync.position) ------------
    def row_version(self, table: str) -> exp.Expression | None:
        import psycopg

        with self._connect() as con:
            try:
                row = con.execute(
                    ROW_VERSION_KINDS_SQL, [render(sql_table(table, DIALECT))]
                ).fetchone()
            except psycopg.Error as err:
                raise self._fail(_("looking up {table!r}").format(table=table), err) from None
        return row_version() if row is not None and row[0] in ("r", "p") else None

    def read_snapshot(
        self, query: str, *, batch_rows: int = DEFAULT_BATCH_ROWS
    ) -> tuple[pa.RecordBatchReader, str]:
        import psycopg

        con = self._connect()
        try:
            specs = self._query_specs(con, query)
            before = con.execute(RUNNING_SQL).fetchone()
            con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            row = con.execute(SNAPSHOT_SQL).fetchone()
        except psycopg.Error as err:
            con.close()
            raise self._fail(_("reading the source's position"), err) from None
        except BaseException:
            con.close()
            raise
        assert row is not None and before is not None
        select = read_select(specs, query_source(query))
        schema = pa.schema([s.field for s in specs])
        position = f"{row[0]}/{running_position(before[0], before[1])}"
        return reader_from(
            schema, self._stream(con, select, specs, batch_rows, _("the query"))
        ), position

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
        import psycopg

        mode = check_write(self.name, table, mode, keys, data.schema.names)

        def fill(cur: psycopg.Cursor[Any], into: exp.Table, names: list[str]) -> int:
            counter = [0]
            with cur.copy(copy_from_stdin(into, names)) as copy:
                for chunk in encode_batches(data, counter):
                    copy.write(chunk)
            return counter[0]

        con = self._connect()
        try:
            rows = write_table(
                con, sql_table(table, DIALECT), data.schema, fill, mode=mode, keys=keys, state=state
            )
        except psycopg.Error as err:
            raise self._fail(_("writing {table!r}").format(table=table), err) from err
        except (TypeMismatch, pa.ArrowException) as err:
            raise self._fail(_("writing {table!r}").format(table=table), err) from err
        finally:
            con.close()
        return WriteResult(rows=rows)

    # -- native (binary COPY, PostgreSQL -> PostgreSQL) --------------------------------------
    def native_types(
        self, *, table: str | None = None, query: str | None = None
    ) -> list[tuple[str, pa.DataType | None]]:
        import psycopg

        one_source(table, query)
        sql = (
            render(exp.select("*").from_(sql_table(table, DIALECT)))
            if table is not None
            else str(query)
        )
        with self._connect() as con:
            try:
                return exact_types(con, sql)
            except psycopg.Error as err:
                raise self._fail(
                    _("describing {table!r}").format(table=table or _("the query")), err
                ) from None

    def open_native(self, query: str, *, top_of: str | None = None) -> NativeRows:
        return BinaryCopy(self._connect_async, query, top_of, self._fail).start()

    def write_native(
        self,
        table: str,
        rows: NativeRows,
        *,
        schema: pa.Schema,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
        unique: bool = False,
    ) -> WriteResult:
        import psycopg

        if rows.format != FORMAT:
            raise ConnectionError_(
                _("{connection}: cannot write rows in format {format!r}").format(
                    connection=self.name, format=rows.format
                )
            )
        mode = check_write(self.name, table, mode, keys, schema.names)

        def fill(cur: psycopg.Cursor[Any], into: exp.Table, names: list[str]) -> int:
            with cur.copy(copy_from_stdin(into, names, binary=True)) as copy:
                for chunk in rows.chunks():
                    copy.write(chunk)
            return max(cur.rowcount, 0)

        con = self._connect()
        try:
            utf8(con)
            count = write_table(
                con,
                sql_table(table, DIALECT),
                schema,
                fill,
                mode=mode,
                keys=keys,
                state=state,
                unique=unique,
                before_commit=rows.before_commit,
            )
        except psycopg.Error as err:
            raise self._fail(_("writing {table!r}").format(table=table), err) from err
        finally:
            con.close()
            rows.close()
        return WriteResult(rows=count)

    def delete_batch(
        self,
        table: str,
        where: exp.Expression,
        *,
        limit: int,
        order_by: list[str] | None = None,
        before_commit: Callable[[pa.Table], None],
    ) -> pa.Table:
        """One transaction: ``DELETE … RETURNING`` the batch, streamed back by ``COPY``
        (:mod:`._delete`)."""
        import psycopg

        from app.connectors.postgres._delete import deleted_rows

        con = self._connect()
        try:
            specs = self._table_specs(con, table)
            return deleted_rows(
                con,
                specs,
                table,
                where,
                limit=limit,
                order_by=order_by or [],
                before_commit=before_commit,
            )
        except psycopg.Error as err:
            raise self._fail(_("deleting rows of {table!r}").format(table=table), err) from None
        except CsvValueError as err:
            raise self._fail(_("parsing the rows of {table!r}").format(table=table), err) from None
        finally:
            con.close()

    def execute(self, sql: str) -> None:
        import psycopg

        with self._connect() as con:
            try:
                con.execute(sql.encode())
            except psycopg.Error as err:
                raise self._fail(_("running the statement"), err) from None

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Transaction]:
        import psycopg

        from app.connectors.transactions import CursorTransaction

        con = self._connect()
        try:
            with con.transaction():
                yield CursorTransaction(
                    con, lambda err: self._fail(_("running the statements"), err), psycopg.Error
                )
        except psycopg.Error as err:
            raise self._fail(_("committing the statements"), err) from None
        finally:
            con.close()

    def explain(self, sql: str) -> Any:
        """``EXPLAIN (FORMAT JSON)`` of ``sql``, in a read-only transaction: the planner's
        estimates (costs, rows), the query itself is not run."""
        import psycopg

        with self._connect() as con:
            try:
                with con.transaction():
                    con.execute(b"SET TRANSACTION READ ONLY")
                    row = con.execute(b"EXPLAIN (FORMAT JSON) " + sql.encode()).fetchone()
            except psycopg.Error as err:
                raise self._fail(_("planning the query"), err) from None
        return None if row is None else row[0]

    def write_query(
        self, table: str, query: exp.Query, *, mode: WriteMode, keys: list[str] | None = None
    ) -> WriteResult:
        import psycopg

        mode = check_write(self.name, table, mode, keys, keys or [])
        target = sql_table(table, DIALECT)
        con = self._connect()
        try:
            names = [s.name for s in self._query_specs(con, render(query))]
            if mode is WriteMode.MERGE:
                check_write(self.name, table, mode, keys, names)
            with con.transaction(), con.cursor() as cur:
                exists = _exists(cur, target)
                if not exists:
                    _create(cur, target, create_table_as(target, query))
                elif mode is WriteMode.APPEND:
                    cur.execute(render(insert_select(target, query, names)))
                elif mode is WriteMode.REPLACE:
                    staged = staging_name(target, "new")
                    cur.execute(render(create_table_as(staged, query)))
                    rows = cur.rowcount
                    cur.execute(render(drop_table(target)))
                    cur.execute(render(rename_table(staged, target.name)))
                    return WriteResult(rows=rows)
                else:
                    cur.execute(render(merge_from(target, query.subquery(), names, keys or [])))
                return WriteResult(rows=max(cur.rowcount, 0))
        except psycopg.Error as err:
            raise self._fail(_("writing {table!r}").format(table=table), err) from err
        finally:
            con.close()


def _create(cur: psycopg.Cursor[Any], table: exp.Table, statement: exp.Create) -> None:
    schema = create_schema(table)
    if schema is not None:
        cur.execute(render(schema))
    cur.execute(render(statement))
