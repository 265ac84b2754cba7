"""SQL Server and Azure SQL Database connector (pyodbc + Microsoft's ODBC Driver 18).

Owns the typed settings and the pasted connection strings (:mod:`._config`), error
classification and retries on Azure's transient errors (:mod:`._errors`), the Azure firewall
helper (:mod:`._firewall`), the T-SQL type mapping (:mod:`._types`), the statements
(:mod:`._sql`) and the server-agnostic ODBC layer (:mod:`._odbc`). Everything that depends on
the server is a :class:`~._flavour.Flavour` (T-SQL here; PostgreSQL through psqlODBC in the
tests, which is how the ODBC code runs for real without a SQL Server).

Every operation opens its own connection. Every write is one transaction (``XACT_ABORT ON``):

- append: ``fast_executemany`` into a ``#staging`` table, then ``INSERT … SELECT``;
- replace: ``fast_executemany`` into a new sibling table, ``DROP`` the old, ``sp_rename``;
- merge: ``fast_executemany`` into ``#staging`` (with the arrival order), then ``MERGE … ;``
  from the last row per key;
- with a sync's ``state``: then, in the same transaction, ``_cauce_sync_state`` is created
  when missing and its row upserted by a ``MERGE … WITH (HOLDLOCK) … ;`` (:mod:`._state`).

To extend to another ODBC server, add a :class:`~._flavour.Flavour`; the data paths stay.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa

from app.connectors._common import (
    check_write,
    drop_table,
    failure,
    one_source,
    reader_from,
    sql_table,
    staging_name,
)
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    Capabilities,
    ConnectionError_,
    Connector,
    StateWrite,
    TableInfo,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.mssql._config import SqlServerConfig, odbc_connection_string
from app.connectors.mssql._errors import ErrorKind, RetryPolicy, classify
from app.connectors.mssql._firewall import FirewallFix, add_firewall_rule, firewall_fix
from app.connectors.mssql._flavour import TSQL, Flavour
from app.connectors.mssql._odbc import OdbcSession, explain, import_pyodbc
from app.connectors.mssql._sql import (
    ROW_COLUMN,
    create_table,
    insert_select,
    latest_per_key,
    merge_from,
    probe,
    read_select,
    render_merge,
)
from app.connectors.mssql._state import (
    check_state,
    create_state_table,
    state_lookup,
    state_prelude,
    state_table,
    state_upsert,
)
from app.connectors.mssql._types import ColumnSpec
from app.connectors.tls import TransportSecurity, check_transport
from app.i18n import _
from app.model.types import TypeMismatch

if TYPE_CHECKING:
    import pyodbc
    from sqlglot import exp

__all__ = ["FirewallBlocked", "SqlServerConfig", "SqlServerConnector"]

_KINDS = {"U": "table", "V": "view"}


class FirewallBlocked(ConnectionError_):
    """Azure SQL's firewall refused this client; ``fix`` says which rule would let it in."""

    def __init__(self, message: str, fix: FirewallFix | None):
        super().__init__(message)
        self.fix = fix


class SqlServerConnector(Connector):
    """Read from and write to SQL Server or Azure SQL Database through ODBC."""

    type_name = "mssql"
    label = "SQL Server / Azure SQL"
    Config = SqlServerConfig
    capabilities = Capabilities(
        dialect="tsql",
        transactions=True,
        merge=True,
        bulk_load="fast_executemany",
        pushdown=False,
        transactional_state=True,
    )
    flavour: ClassVar[Flavour] = TSQL
    url = UrlSyntax(
        ("mssql+pyodbc", "mssql"), UrlForm.SERVER, default_port=1433, host_field="server"
    )
    config: SqlServerConfig

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass with another flavour speaks that flavour's dialect everywhere (the
        sync runner renders its own queries, e.g. reading the state back, in it)."""
        super().__init_subclass__(**kwargs)
        if cls.flavour.dialect_name != cls.capabilities.dialect:
            cls.capabilities = replace(cls.capabilities, dialect=cls.flavour.dialect_name)

    def __init__(self, config: SqlServerConfig, **kwargs: Any):
        super().__init__(config, **kwargs)
        policy = RetryPolicy(attempts=config.retry_attempts, base_delay=config.retry_backoff)
        self._session = OdbcSession(
            self.connection_string,
            self.flavour,
            login_timeout=config.login_timeout,
            query_timeout=config.query_timeout,
            retry=policy,
        )

    def connection_string(self) -> str:
        """The ODBC connection string (holds the secret: never log or show it)."""
        return odbc_connection_string(self.config, self.config.password)

    # -- errors ----------------------------------------------------------------------------
    def _fail(self, action: str, err: BaseException) -> ConnectionError_:
        diagnosis = classify(err)
        text = explain(
            diagnosis, self.config.server, self.config.driver, self.config.azure_resource_group
        )
        wrapped = failure(self.name, action, RuntimeError(text), secret=self.config.password)
        if diagnosis.kind is ErrorKind.FIREWALL:
            return FirewallBlocked(
                str(wrapped), firewall_fix(diagnosis.client_ip, self.config.server)
            )
        return wrapped

    def _guard(self, action: str, work: Any) -> Any:
        pyodbc = import_pyodbc()
        try:
            return work()
        except pyodbc.Error as err:
            raise self._fail(action, err) from None

    def add_firewall_rule(self, fix: FirewallFix, *, client: Any = None) -> Any:
        """Add the rule of a :class:`FirewallBlocked` error through the Azure management API."""
        return add_firewall_rule(
            fix,
            subscription_id=self.config.azure_subscription_id,
            resource_group=self.config.azure_resource_group,
            client=client,
        )

    # -- catalog ---------------------------------------------------------------------------
    def test(self) -> None:
        where = _("connecting to {server}/{database}").format(
            server=self.config.server, database=self.config.database
        )
        self._guard(
            where,
            lambda: self._session.run(lambda con: con.cursor().execute("SELECT 1").fetchall()),
        )

    def tls_policy(self) -> str:
        """``Encrypt=no`` lets the server decide; ``yes``/``strict`` encrypt or refuse, and
        check the certificate (host name included) unless it is trusted blindly."""
        if self.config.encrypt == "no":
            return "prefer"
        return "require" if self.config.trust_server_certificate else "verify-full"

    def transport(self) -> TransportSecurity:
        """The session's encryption as the server reports it (``sys.dm_exec_connections``)."""
        sql = "SELECT encrypt_option FROM sys.dm_exec_connections WHERE session_id = @@SPID"
        rows = self._guard(
            _("reading the connection's encryption"),
            lambda: self._session.run(lambda con: con.cursor().execute(sql).fetchall()),
        )
        encrypted = bool(rows) and str(rows[0][0]).upper() == "TRUE"
        mode = self.tls_policy()
        checked = encrypted and mode == "verify-full"
        return check_transport(
            self.name,
            TransportSecurity(encrypted, verified=checked, hostname=checked, policy=mode),
        )

    def list_tables(self) -> list[TableInfo]:
        pyodbc = import_pyodbc()

        def fetch(con: pyodbc.Connection) -> list[Any]:
            try:
                return con.cursor().execute(self.flavour.tables_sql).fetchall()
            except pyodbc.Error as err:
                if classify(err).retryable:
                    raise
                return con.cursor().execute(self.flavour.tables_fallback_sql).fetchall()

        rows = self._guard(_("listing tables"), lambda: self._session.run(fetch))
        return [
            TableInfo(
                schema=s,
                name=n,
                kind=_KINDS.get(str(k).strip(), "table"),
                row_estimate=int(e) if e is not None else None,
            )
            for s, n, k, e in rows
        ]

    def _table_specs(self, cur: pyodbc.Cursor, table: str) -> list[ColumnSpec]:
        parsed = sql_table(table, self.flavour.dialect_name)
        rows = cur.execute(self.flavour.columns_sql, parsed.db or None, parsed.name).fetchall()
        if not rows:
            raise ConnectionError_(
                _("{connection}: table {table!r} does not exist").format(
                    connection=self.name, table=table
                )
            )
        try:
            return [self.flavour.spec(n, t, p, s) for n, t, p, s in rows]
        except TypeMismatch as err:
            raise ConnectionError_(f"{self.name}: {table!r}: {err}") from None

    def _query_specs(self, cur: pyodbc.Cursor, query: str) -> list[ColumnSpec]:
        try:
            if self.flavour.describe_sql is not None:
                rows = cur.execute(self.flavour.describe_sql, query).fetchall()
                return [
                    self.flavour.spec(n or f"column{i}", t, p, s)
                    for i, (n, t, p, s) in enumerate(rows, start=1)
                ]
            cur.execute(self.flavour.render(probe(self.flavour, query)))
            return [_description_spec(d) for d in cur.description]
        except (TypeMismatch, ValueError) as err:
            raise ConnectionError_(
                _("{connection}: describing the query: {error}").format(
                    connection=self.name, error=err
                )
            ) from None

    def table_schema(self, table: str) -> pa.Schema:
        specs = self._guard(
            _("describing {table!r}").format(table=table),
            lambda: self._session.run(lambda con: self._table_specs(con.cursor(), table)),
        )
        return pa.schema([s.field for s in specs])

    def query_schema(self, sql: str) -> pa.Schema:
        specs = self._guard(
            _("describing the query"),
            lambda: self._session.run(lambda con: self._query_specs(con.cursor(), sql)),
        )
        return pa.schema([s.field for s in specs])

    def has_table(self, table: str) -> bool:
        """Whether ``table`` exists, resolved by the server as writes resolve it (an
        unqualified name is in the login's default schema, ``dbo`` or another)."""
        target = self.flavour.render(sql_table(table, self.flavour.dialect_name))
        found = self._guard(
            _("looking for {table!r}").format(table=table),
            lambda: self._session.run(
                lambda con: con.cursor().execute(self.flavour.exists_sql, target).fetchone()[0]
            ),
        )
        return bool(found) or super().has_table(table)

    def primary_keys(self, table: str) -> list[str]:
        """The primary key columns of ``table``, in key order (empty when it has none)."""
        target = sql_table(table, self.flavour.dialect_name)
        rows = self._guard(
            _("reading the primary key of {table!r}").format(table=table),
            lambda: self._session.run(
                lambda con: (
                    con.cursor()
                    .execute(self.flavour.primary_keys_sql, self.flavour.render(target))
                    .fetchall()
                )
            ),
        )
        return [r[0] for r in rows]

    # -- reading ---------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        one_source(table, query)
        what = repr(table) if table is not None else _("the query")
        con = self._guard(
            _("connecting to {server}").format(server=self.config.server),
            lambda: self._session.connect(autocommit=True),
        )
        try:
            cur = con.cursor()
            if table is not None:
                specs = self._guard(
                    _("describing {what}").format(what=what), lambda: self._table_specs(cur, table)
                )
                target = sql_table(table, self.flavour.dialect_name)
                statement = self.flavour.render(read_select(self.flavour, specs, target))
            else:
                specs = self._guard(
                    _("describing {what}").format(what=what), lambda: self._query_specs(cur, query)
                )
                statement = str(query)
            self._guard(_("reading {what}").format(what=what), lambda: cur.execute(statement))
        except BaseException:
            con.close()
            raise
        schema = pa.schema([s.field for s in specs])
        return reader_from(schema, self._stream(con, cur, specs, batch_rows, what))

    def _stream(
        self,
        con: pyodbc.Connection,
        cur: pyodbc.Cursor,
        specs: list[ColumnSpec],
        batch_rows: int,
        what: str,
    ) -> Iterator[pa.RecordBatch]:
        pyodbc = import_pyodbc()
        try:
            yield from self._session.fetch_batches(cur, specs, batch_rows)
        except pyodbc.Error as err:
            raise self._fail(_("reading {what}").format(what=what), err) from None
        except ConnectionError_ as err:
            raise ConnectionError_(
                _("{connection}: reading {what}: {error}").format(
                    connection=self.name, what=what, error=err
                )
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
        pyodbc = import_pyodbc()
        mode = check_write(self.name, table, mode, keys, data.schema.names)
        if state is not None:
            check_state(state)
        target = sql_table(table, self.flavour.dialect_name)
        con = self._guard(
            _("connecting to {server}").format(server=self.config.server),
            lambda: self._session.connect(autocommit=False),
        )
        try:
            cur = con.cursor()
            rows = self._write(cur, target, data, mode, keys or [])
            if state is not None:
                # a new cursor: the data's setinputsizes must not type the state's parameters
                self._write_state(con.cursor(), state)
            con.commit()
        except pyodbc.Error as err:
            con.rollback()
            raise self._fail(_("writing {table!r}").format(table=table), err) from err
        except (TypeMismatch, pa.ArrowException, ValueError) as err:  # ValueError: refused
            con.rollback()
            raise failure(
                self.name,
                _("writing {table!r}").format(table=table),
                err,
                secret=self.config.password,
            ) from err
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()
        return WriteResult(rows=rows)

    def _write(
        self,
        cur: pyodbc.Cursor,
        target: exp.Table,
        data: pa.RecordBatchReader,
        mode: WriteMode,
        keys: list[str],
    ) -> int:
        flavour, session = self.flavour, self._session
        names = list(data.schema.names)
        exists = bool(cur.execute(flavour.exists_sql, flavour.render(target)).fetchone()[0])
        if not exists:
            cur.execute(flavour.render(create_table(flavour, target, data.schema)))
        if mode is WriteMode.REPLACE and exists:
            staged = staging_name(target, "new")
            cur.execute(flavour.render(create_table(flavour, staged, data.schema)))
            rows = session.bulk_insert(cur, staged, data, keys=keys)
            cur.execute(flavour.render(drop_table(target)))
            cur.execute(flavour.render(flavour.rename(staged, target.name)))
            return rows
        merging = mode is WriteMode.MERGE
        stage = flavour.temp_table(f"cauce_stage_{uuid.uuid4().hex[:12]}")
        cur.execute(
            flavour.render(
                create_table(flavour, stage, data.schema, temporary=True, row_column=merging)
            )
        )
        rows = session.bulk_insert(
            cur, stage, data, row_column=ROW_COLUMN if merging else None, keys=keys
        )
        if merging:
            source = latest_per_key(stage, names, keys)
            cur.execute(render_merge(flavour, merge_from(target, source, names, keys)))
        else:
            cur.execute(flavour.render(insert_select(target, stage, names)))
        cur.execute(flavour.render(drop_table(stage)))
        return rows

    def _write_state(self, cur: pyodbc.Cursor, state: StateWrite) -> None:
        """Create the state table when missing and upsert ``state``: in the caller's
        transaction, so the data and its cursor commit (or roll back) together."""
        flavour = self.flavour
        if not cur.execute(flavour.exists_sql, flavour.render(state_table())).fetchone()[0]:
            cur.execute(flavour.render(create_state_table(flavour)))
        for statement in state_prelude(flavour):
            cur.execute(statement)
        text, params = state_upsert(flavour, state)
        cur.execute(text, *params)
        if cur.execute(state_lookup(flavour, state)).fetchone() is None:
            raise ConnectionError_(
                _(
                    "{connection}: the sync state of {sync!r} / {table!r} could not be read back: "
                    "a character of these names is outside the database collation's code page; "
                    "use names without it (nothing was written)"
                ).format(connection=self.name, sync=state.sync_name, table=state.table_name)
            )

    def execute(self, sql: str) -> None:
        self._guard(
            _("running the statement"),
            lambda: self._session.run(lambda con: con.cursor().execute(sql)),
        )


def _description_spec(description: tuple[Any, ...]) -> ColumnSpec:
    """A column of ``cursor.description`` (name, Python type, …, precision, scale)."""
    import datetime as dt
    import decimal

    name, py_type, _code, _size, precision, scale, _nullable = description
    if py_type is decimal.Decimal and precision and precision <= 38:
        return ColumnSpec(name, pa.decimal128(precision, scale or 0))
    by_type: dict[Any, pa.DataType] = {
        bool: pa.bool_(),
        int: pa.int64(),
        float: pa.float64(),
        str: pa.string(),
        bytes: pa.binary(),
        bytearray: pa.binary(),
        dt.date: pa.date32(),
        dt.datetime: pa.timestamp("us"),
        dt.time: pa.time64("us"),
        decimal.Decimal: pa.decimal128(38, 9),
    }
    return ColumnSpec(name, by_type.get(py_type, pa.string()))
