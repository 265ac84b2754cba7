"""What the DB-API warehouse connectors (Snowflake, Redshift) share: a traced cursor, typed
reads through ``fetchmany``, and one write skeleton whose data-changing statements run in a
single transaction.

A warehouse subclass supplies its connection (:meth:`WarehouseConnector._connect`), its type
mapping (:meth:`_ddl_type`, :meth:`_arrow_of`, :meth:`_described`), its catalog queries and
its bulk load into a staging table (:meth:`_load`). The write is:

1. DDL first, outside the transaction (Snowflake commits any open transaction at a DDL
   statement): the target when it is missing, the state table, a staging table;
2. the rows into the staging table through the warehouse's bulk path;
3. ``BEGIN``; append ``INSERT … SELECT``, replace ``DELETE`` + ``INSERT … SELECT``, merge
   (the warehouse's statements, :meth:`_merge`), the sync's state row; ``COMMIT`` — except a
   merge that is one ``MERGE`` statement (:attr:`merge_alone`), which runs, atomic and
   committed by itself, just before that transaction;
4. the staging table dropped; on failure the transaction is rolled back and a target created
   by this write is dropped again, so nothing is left half written.

``trace`` (a list, or None) receives every statement text issued and ``("load", rows)``
records of bulk loads: tests assert on them.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import (
    column,
    ident,
    insert_select,
    one_source,
    reader_from,
    sql_table,
)
from app.connectors._warehouse_write import ROW_COLUMN, latest_rows, write_query_rows, write_rows
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    STATE_TABLE,
    ConnectionError_,
    Connector,
    StateWrite,
    WriteMode,
    WriteResult,
)
from app.i18n import _

__all__ = ["ROW_COLUMN", "STATE_COLUMNS", "WarehouseConnector", "to_arrow"]

#: the state table's columns, in the order of :class:`StateWrite`'s fields
STATE_COLUMNS = ("sync_name", "table_name", "cursor_value", "cursor_type", "updated_at")


def to_arrow(rows: Sequence[Sequence[Any]], schema: pa.Schema) -> pa.RecordBatch:
    """Rows of Python values as one batch of ``schema``; a value that does not fit its
    column's type (an integer out of range, a decimal with too many places) raises."""
    arrays = []
    for i, field in enumerate(schema):
        values = [_python(row[i], field.type) for row in rows]
        arrays.append(pa.array(values, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _python(value: Any, dtype: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_integer(dtype) and not isinstance(value, int):
        if value != int(value):
            raise ValueError(f"{value!r} is not an integer")
        return int(value)
    if pa.types.is_timestamp(dtype) and isinstance(value, dt.datetime):
        if dtype.tz is None and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        if dtype.tz is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
    if pa.types.is_binary(dtype) and isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if pa.types.is_string(dtype) and not isinstance(value, str):
        return str(value)
    return value


class WarehouseConnector(Connector):
    """A DB-API connection to a SQL warehouse (see the module docstring)."""

    #: statements issued and bulk loads, when a caller (a test) wants to see them
    trace: list[Any] | None = None
    #: the column type a created table gets for each Arrow type (subclasses)
    dialect: str = ""
    #: :meth:`_merge` is one ``MERGE`` statement, atomic by itself: it runs (autocommit)
    #: before the transaction of the sync's state, which follows it; a crash in between
    #: leaves the state behind the data, and the next run merges the same keys again
    merge_alone: bool = False

    # -- what a warehouse supplies -------------------------------------------------------------
    @abc.abstractmethod
    def _connect(self) -> Any:
        """An open DB-API connection, in UTC, not in a transaction (autocommit)."""

    @abc.abstractmethod
    def _secret(self) -> str | None:
        """The secret to scrub from messages."""

    @abc.abstractmethod
    def _ddl_type(self, field: pa.Field) -> exp.DataType:
        """The column type a created table gets for ``field`` (raises when none fits)."""

    @abc.abstractmethod
    def _described(self, description: Sequence[Any]) -> pa.Schema:
        """The Arrow schema of a query result from the cursor's description."""

    def _description(self, cur: Any) -> Sequence[Any]:
        """The cursor's description of its result (a driver that leaves out what the server
        said, such as a numeric's precision, completes it here)."""
        return cur.description  # type: ignore[no-any-return]

    @abc.abstractmethod
    def _columns(self, cur: Any, table: exp.Table) -> list[tuple[str, pa.DataType]]:
        """The columns of ``table`` (empty when it does not exist)."""

    @abc.abstractmethod
    def _load(self, con: Any, cur: Any, stage: exp.Table, data: pa.RecordBatchReader) -> int:
        """Bulk-load ``data`` (plus :data:`ROW_COLUMN`) into the staging table ``stage``."""

    def _merge(
        self, target: exp.Table, stage: exp.Table, names: list[str], keys: list[str]
    ) -> list[exp.Expression]:
        """Upsert the last row per key of ``stage`` into ``target``: ``DELETE`` the target's
        rows whose key arrives, then ``INSERT`` the arriving rows (inside the transaction)."""
        matches = exp.and_(
            *[exp.EQ(this=column(k, "tgt"), expression=column(k, "src")) for k in keys]
        )
        arriving = (
            exp.select(exp.Literal.number(1))
            .from_(exp.alias_(stage.copy(), "src", table=True))
            .where(matches)
        )
        delete = exp.Delete(
            this=exp.alias_(target.copy(), "tgt", table=True),
            where=exp.Where(this=exp.Exists(this=arriving)),
        )
        return [delete, insert_select(target, latest_rows(stage, names, keys), names)]

    def _state(self, state: StateWrite) -> tuple[exp.Expression, list[exp.Expression]]:
        """``CREATE TABLE IF NOT EXISTS`` of the state table, and its upsert (``DELETE`` of
        the sync's row, ``INSERT`` of the new one)."""
        table = exp.Table(this=ident(STATE_TABLE))
        text = self._ddl_type(pa.field("t", pa.string()))
        create = exp.Create(
            this=exp.Schema(
                this=table.copy(),
                expressions=[exp.ColumnDef(this=ident(n), kind=text.copy()) for n in STATE_COLUMNS],
            ),
            kind="TABLE",
            exists=True,
        )
        values = [
            state.sync_name,
            state.table_name,
            state.cursor_value,
            state.cursor_type,
            state.updated_at,
        ]
        delete = exp.Delete(
            this=table.copy(),
            where=exp.Where(
                this=exp.and_(
                    *[
                        exp.EQ(this=column(n), expression=exp.Literal.string(v))
                        for n, v in zip(STATE_COLUMNS[:2], values, strict=False)
                    ]
                )
            ),
        )
        row = exp.Tuple(
            expressions=[exp.Null() if v is None else exp.Literal.string(v) for v in values]
        )
        insert = exp.insert(
            exp.values([row]), table.copy(), columns=[ident(n) for n in STATE_COLUMNS]
        )
        return create, [delete, insert]

    def _create_stage(self, stage: exp.Table, schema: pa.Schema) -> exp.Expression:
        """The staging table: the data's columns plus :data:`ROW_COLUMN`."""
        fields = [*schema, pa.field(ROW_COLUMN, pa.int64())]
        return self._create(stage, pa.schema(fields), temporary=True)

    # -- plumbing ------------------------------------------------------------------------------
    def _sql(self, statement: exp.Expression) -> str:
        return statement.sql(self.dialect, unsupported_level=_raise())

    def _run(self, cur: Any, statement: exp.Expression | str, params: Any = None) -> Any:
        text = statement if isinstance(statement, str) else self._sql(statement)
        if self.trace is not None:
            self.trace.append(text)
        if params is None:
            cur.execute(text)
        else:
            cur.execute(text, params)
        return cur

    def _fail(self, action: str, err: BaseException) -> ConnectionError_:
        from app.connectors._common import failure

        error = failure(self.name, action, err, self._secret())
        error.transient = self._transient(err)
        return error

    def _transient(self, err: BaseException) -> bool:
        return isinstance(err, (ConnectionResetError, BrokenPipeError, TimeoutError))

    def _create(
        self, table: exp.Table, schema: pa.Schema, *, temporary: bool = False
    ) -> exp.Create:
        columns = [exp.ColumnDef(this=ident(f.name), kind=self._ddl_type(f)) for f in schema]
        properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
        return exp.Create(
            this=exp.Schema(this=table.copy(), expressions=columns),
            kind="TABLE",
            properties=properties,
        )

    def table(self, name: str) -> exp.Table:
        return sql_table(name, self.dialect)

    # -- catalog ---------------------------------------------------------------------------------
    def table_schema(self, table: str) -> pa.Schema:
        with self._session(_("describing {table!r}").format(table=table)) as cur:
            columns = self._columns(cur, self.table(table))
        if not columns:
            raise ConnectionError_(
                _("{connection}: table {table!r} does not exist").format(
                    connection=self.name, table=table
                )
            )
        return pa.schema([pa.field(n, t) for n, t in columns])

    def query_schema(self, sql: str) -> pa.Schema:
        with self._session(_("describing the query")) as cur:
            self._run(cur, self._limited(sql))
            return self._described(self._description(cur))

    def _limited(self, sql: str) -> str:
        query = exp.select("*").from_(exp.maybe_parse(sql, dialect=self.dialect).subquery("q"))
        return self._sql(query.limit(0))

    def has_table(self, table: str) -> bool:
        with self._session(_("looking up {table!r}").format(table=table)) as cur:
            return bool(self._columns(cur, self.table(table)))

    def execute(self, sql: str) -> None:
        with self._session(_("running the statement")) as cur:
            self._run(cur, sql)

    # -- sessions --------------------------------------------------------------------------------
    class _Session:
        def __init__(self, owner: WarehouseConnector, action: str) -> None:
            self.owner, self.action = owner, action
            self.con: Any = None

        def __enter__(self) -> Any:
            self.con = self.owner._open(self.action)
            return self.con.cursor()

        def __exit__(self, kind: Any, err: BaseException | None, tb: Any) -> None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self.con.close()
            if (
                err is not None
                and not isinstance(err, ConnectionError_)
                and self.owner._driver_error(err)
            ):
                raise self.owner._fail(self.action, err) from None

    def _session(self, action: str) -> WarehouseConnector._Session:
        return WarehouseConnector._Session(self, action)

    def _open(self, action: str) -> Any:
        try:
            return self._connect()
        except ConnectionError_:
            raise
        except Exception as err:  # noqa: BLE001 - every driver's own error types
            reason = network_reason(err)
            if reason is not None:  # no server there: say so, not the driver's tuple
                host = getattr(self.config, "host", None) or getattr(self.config, "account", "")
                error = ConnectionError_(
                    _("{connection}: cannot reach {host}: {reason}").format(
                        connection=self.name, host=host or "?", reason=reason
                    )
                )
                error.transient = self._transient(err)
                raise error from None
            raise self._fail(_("connecting"), err) from None

    def _driver_error(self, err: BaseException) -> bool:
        """Whether ``err`` comes from the driver (its message is worth showing)."""
        return isinstance(err, Exception)

    def test(self) -> None:
        with self._session(_("running a test query")) as cur:
            self._run(cur, exp.select(exp.Literal.number(1)))
            cur.fetchall()

    # -- reading ---------------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        one_source(table, query)
        what = repr(table) if table is not None else _("the query")
        action = _("reading {what}").format(what=what)
        con = self._open(action)
        try:
            cur = con.cursor()
            if table is not None:
                columns = self._columns(cur, self.table(table))
                if not columns:
                    raise ConnectionError_(
                        _("{connection}: table {table!r} does not exist").format(
                            connection=self.name, table=table
                        )
                    )
                schema = pa.schema([pa.field(n, t) for n, t in columns])
                select = exp.select(*[column(n) for n in schema.names]).from_(self.table(table))
                self._run(cur, select)
            else:
                self._run(cur, str(query))
                schema = self._described(self._description(cur))
        except ConnectionError_:
            con.close()
            raise
        except Exception as err:  # noqa: BLE001 - the driver's errors
            con.close()
            raise self._fail(action, err) from None
        return reader_from(schema, self._batches(con, cur, schema, batch_rows, action))

    def _batches(
        self, con: Any, cur: Any, schema: pa.Schema, batch_rows: int, action: str
    ) -> Iterator[pa.RecordBatch]:
        try:
            while True:
                rows = cur.fetchmany(batch_rows)
                if not rows:
                    break
                yield to_arrow(rows, schema)
        except (ValueError, TypeError, OverflowError, pa.ArrowException) as err:
            raise self._fail(action, err) from None
        except ConnectionError_:
            raise
        except Exception as err:  # noqa: BLE001 - the driver's errors
            raise self._fail(action, err) from None
        finally:
            con.close()

    # -- schema evolution ------------------------------------------------------------------------
    def add_columns(self, table: str, fields: list[pa.Field]) -> None:
        target = self.table(table)
        with self._session(_("adding columns to {table!r}").format(table=table)) as cur:
            for f in fields:
                alter = exp.Alter(
                    this=target.copy(),
                    kind="TABLE",
                    actions=[exp.ColumnDef(this=ident(f.name), kind=self._ddl_type(f))],
                )
                self._run(cur, alter)

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        target = self.table(table)
        with self._session(_("changing column types of {table!r}").format(table=table)) as cur:
            for f in fields:
                self._run(cur, self._alter_type(target, f))

    def _alter_type(self, target: exp.Table, f: pa.Field) -> exp.Expression:
        return exp.Alter(
            this=target.copy(),
            kind="TABLE",
            actions=[exp.AlterColumn(this=ident(f.name), dtype=self._ddl_type(f))],
        )

    # -- writing (app.connectors._warehouse_write) ----------------------------------------------
    def write(
        self,
        table: str,
        data: pa.RecordBatchReader,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
    ) -> WriteResult:
        return write_rows(self, table, data, mode=mode, keys=keys, state=state)

    def write_query(
        self, table: str, query: exp.Query, *, mode: WriteMode, keys: list[str] | None = None
    ) -> WriteResult:
        """Pushdown: ``query`` runs inside the warehouse and its rows never leave it."""
        return write_query_rows(self, table, query, mode=mode, keys=keys)


def _raise() -> Any:
    from sqlglot import ErrorLevel

    return ErrorLevel.RAISE


def network_reason(err: BaseException) -> str | None:
    """The operating system's reason when ``err`` (a driver's error) comes from the network:
    a host name that does not resolve, a refused or timed-out connection; else ``None``.

    >>> import socket
    >>> network_reason(RuntimeError(("communication error", socket.gaierror(-2, "Name unknown"))))
    'Name unknown'
    >>> network_reason(ValueError("bad password")) is None
    True
    """
    seen: set[int] = set()
    todo: list[object] = [err]
    found: list[OSError] = []
    while todo:  # the errors it wraps, its cause and context (a socket error, deep down)
        item = todo.pop(0)
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, OSError) and not isinstance(item, FileNotFoundError):
            if item.strerror:
                return str(item.strerror)
            found.append(item)
        if isinstance(item, BaseException):
            todo.extend([*item.args, item.__cause__, item.__context__])
        elif isinstance(item, tuple | list):
            todo.extend(item)
    return str(found[0]) if found else None
