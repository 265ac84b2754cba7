"""MySQL and MariaDB connector (PyMySQL, pure Python): a source only.

Owns the MySQL type mapping (:mod:`._types`). Catalog from ``information_schema`` (row
estimates from ``TABLES.TABLE_ROWS``, exact for MyISAM and approximate for InnoDB). Reads run
on an unbuffered server-side cursor (``SSCursor``) and ``fetchmany`` into Arrow batches, so
memory stays bounded whatever the table size; a stream closed early drops its connection rather
than reading the rest. Sessions run with ``time_zone = '+00:00'``. Writing is refused: Cauce
does not write to MySQL (``capabilities.destination`` is false).

To extend (e.g. to write), keep the type mapping in :mod:`._types` and the SQL as sqlglot trees
rendered in the ``mysql`` dialect.
"""

from __future__ import annotations

import copy
import ssl
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
from pydantic import Field
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from app.connectors._common import column, failure, one_source, reader_from, sql_table
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
    secret_field,
)
from app.connectors.mysql._tls import POLICIES, SSL_STATUS_SQL, session_security
from app.connectors.mysql._types import (
    ColumnSpec,
    arrow_batch,
    column_spec,
    description_spec,
)
from app.connectors.tls import TransportSecurity, check_transport
from app.i18n import _

if TYPE_CHECKING:
    import pymysql

__all__ = ["MySQLConfig", "MySQLConnector"]

DIALECT = "mysql"

_COLUMNS_SQL = """
SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(%s, DATABASE()) AND TABLE_NAME = %s
ORDER BY ORDINAL_POSITION
"""
_TABLES_SQL = """
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME
"""
_KEYS_SQL = """
SELECT COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA = COALESCE(%s, DATABASE())
  AND TABLE_NAME = %s
ORDER BY ORDINAL_POSITION
"""


class MySQLConfig(ConnectorConfig):
    """Settings of a MySQL or MariaDB connection (the password is a secret)."""

    host: str = Field(default="localhost", description="Server host name or address.")
    port: int = Field(default=3306, ge=1, le=65535)
    database: str = Field(description="Database (schema) name.")
    user: str = Field(description="User name.")
    password: str | None = secret_field("Password (kept in the secret store).")
    ssl_mode: Literal["disabled", "required", "verify_ca", "verify_identity"] = Field(
        default="required",
        description="disabled, required (encrypted, certificate not "
        "checked), verify_ca, verify_identity.",
    )
    ssl_ca: str | None = Field(default=None, description="CA certificate file (PEM).")
    ssl_cert: str | None = Field(default=None, description="Client certificate file (PEM).")
    ssl_key: str | None = Field(default=None, description="Client private key file (PEM).")
    connect_timeout: int = Field(default=10, ge=1, description="Seconds to wait for a connection.")
    read_timeout: int | None = Field(
        default=None, ge=1, description="Seconds to wait for each read (none: no limit)."
    )
    booleans: list[str] = Field(
        default_factory=list,
        description="Integer columns (`column` or `table.column`, e.g. tinyint(1) flags) to read "
        "as booleans; a value other than 0 or 1 in them is refused. Other integer "
        "columns stay integers. The default for every sync and pipeline reading this "
        "connection; a sync adds its own columns (source.read.booleans).",
    )


#: PyMySQL's error number when TLS is required and the server does not offer it
_NO_TLS = 2026


def _ssl_context(cfg: MySQLConfig) -> ssl.SSLContext | None:
    if cfg.ssl_mode == "disabled":
        return None
    ctx = ssl.create_default_context(cafile=cfg.ssl_ca)
    if cfg.ssl_mode == "required":
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        ctx.check_hostname = cfg.ssl_mode == "verify_identity"
        ctx.verify_mode = ssl.CERT_REQUIRED
    if cfg.ssl_cert:
        ctx.load_cert_chain(cfg.ssl_cert, cfg.ssl_key)
    return ctx


def _render(expression: exp.Expression) -> str:
    return expression.sql(DIALECT, unsupported_level=ErrorLevel.RAISE)


def _wrapped(query: str, specs: list[ColumnSpec]) -> str:
    """``query`` as is, or wrapped in a ``SELECT`` that casts the columns that need it (FLOAT
    to DOUBLE: the text protocol rounds a FLOAT to 6 significant digits)."""
    names = [s.name for s in specs]
    if not any(s.cast for s in specs):
        return query
    if len(set(names)) != len(names):
        raise ConnectionError_(
            _(
                "the query has two columns named alike and a FLOAT column; "
                "give every column its own name so the FLOAT can be read "
                "exactly"
            )
        )
    items: list[str] = []
    for spec in specs:
        col = _render(exp.column(spec.name, table="q", quoted=True))
        if spec.cast:
            cast = _render(exp.DataType.build(spec.cast))
            col = f"CAST({col} AS {cast}) AS {_render(exp.to_identifier(spec.name, quoted=True))}"
        items.append(col)
    return f"SELECT {', '.join(items)} FROM ({query}) AS q"  # the user's query, as written


def _items(specs: list[ColumnSpec]) -> list[exp.Expression]:
    """The columns of a table as a read selects them (converted where the spec says)."""
    items: list[exp.Expression] = []
    for spec in specs:
        col: exp.Expression = column(spec.name)
        if spec.function:
            col = exp.alias_(exp.func(spec.function, col), spec.name, quoted=True)
        elif spec.cast:
            col = exp.alias_(
                exp.Cast(this=col, to=exp.DataType.build(spec.cast)), spec.name, quoted=True
            )
        items.append(col)
    return items


class MySQLConnector(Connector):
    """Read tables and queries from a MySQL or MariaDB database."""

    type_name = "mysql"
    label = "MySQL / MariaDB"
    Config = MySQLConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        destination=False,
        transactions=False,
        merge=False,
        bulk_load="none",
        pushdown=False,
    )
    url = UrlSyntax(
        ("mysql", "mariadb", "mysql+pymysql", "mysql+mysqldb"), UrlForm.SERVER, default_port=3306
    )
    read_options = frozenset({"booleans"})
    config: MySQLConfig

    def for_sync(self, options: ReadOptions | None = None) -> MySQLConnector:
        """This connection, with the sync's ``booleans`` columns added to the connection's."""
        if options is None or not options.booleans:
            return self
        twin = copy.copy(self)
        twin.config = self.config.model_copy(
            update={"booleans": [*self.config.booleans, *options.booleans]}
        )
        return twin

    def _fail(self, action: str, err: BaseException) -> ConnectionError_:
        return failure(self.name, action, err, secret=self.config.password)

    def _connect(self) -> pymysql.Connection:
        try:
            import pymysql
        except ImportError:
            raise ConnectionError_(
                _("MySQL connections need PyMySQL: pip install 'cauce[mysql]'")
            ) from None
        cfg = self.config
        try:
            return pymysql.connect(
                host=cfg.host,
                port=cfg.port,
                user=cfg.user,
                password=cfg.password or "",
                database=cfg.database,
                charset="utf8mb4",
                connect_timeout=cfg.connect_timeout,
                read_timeout=cfg.read_timeout,
                ssl=_ssl_context(cfg),
                ssl_disabled=cfg.ssl_mode == "disabled",
                autocommit=True,
                init_command="SET time_zone = '+00:00'",
            )
        except (pymysql.Error, OSError, ssl.SSLError) as err:
            error = self._fail(
                _("connecting to {host}:{port}/{database}").format(
                    host=cfg.host, port=cfg.port, database=cfg.database
                ),
                err,
            )
            if isinstance(err, pymysql.err.OperationalError) and err.args[:1] == (_NO_TLS,):
                error = ConnectionError_(
                    _(
                        "{error}. The server offers no TLS; to connect unencrypted anyway, set "
                        "ssl_mode to disabled (in a URL: ?ssl_mode=disabled)"
                    ).format(error=error)
                )
            raise error from None

    def _run(self, action: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import pymysql

        con = self._connect()
        try:
            with con.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        except pymysql.Error as err:
            raise self._fail(action, err) from None
        finally:
            con.close()

    def test(self) -> None:
        self._run(_("running a test query"), "SELECT 1")

    def tls_policy(self) -> str:
        return POLICIES[self.config.ssl_mode]

    def transport(self) -> TransportSecurity:
        """The session's TLS as the server reports it (``Ssl_version``, ``Ssl_cipher``)."""
        status = self._run(_("reading the connection's encryption"), SSL_STATUS_SQL)
        return check_transport(self.name, session_security(status, self.tls_policy()))

    # -- catalog ---------------------------------------------------------------------------
    def list_tables(self) -> list[TableInfo]:
        rows = self._run(_("listing tables"), _TABLES_SQL)
        return [
            TableInfo(
                schema=s,
                name=n,
                kind="view" if "VIEW" in str(k) else "table",
                row_estimate=int(e) if e is not None else None,
            )
            for s, n, k, e in rows
        ]

    def _table_specs(self, table: str) -> list[ColumnSpec]:
        parsed = sql_table(table, DIALECT)
        rows = self._run(
            _("describing {table!r}").format(table=table),
            _COLUMNS_SQL,
            (parsed.db or None, parsed.name),
        )
        if not rows:
            raise ConnectionError_(
                _("{connection}: table {table!r} does not exist").format(
                    connection=self.name, table=table
                )
            )
        return self._booleans(table, [column_spec(n, t, ct, p, s) for n, t, ct, p, s in rows])

    def _booleans(self, table: str | None, specs: list[ColumnSpec]) -> list[ColumnSpec]:
        """``specs`` with the integer columns the user maps to booleans (``booleans``)."""
        wanted = {c.casefold() for c in self.config.booleans}
        if not wanted:
            return specs
        out = []
        for spec in specs:
            names = {spec.name.casefold()} | (
                {f"{table}.{spec.name}".casefold()} if table else set()
            )
            if names & wanted and pa.types.is_integer(spec.arrow):
                spec = ColumnSpec(spec.name, pa.bool_())
            out.append(spec)
        return out

    def _query_specs(self, cur: Any, query: str) -> list[ColumnSpec]:
        cur.execute(f"SELECT * FROM ({query}) AS q LIMIT 0")
        fields = cur._result.fields  # PyMySQL keeps the full field metadata here
        cur.fetchall()
        return self._booleans(
            None,
            [
                description_spec(f.name, f.type_code, f.length, f.scale, f.flags, f.charsetnr)
                for f in fields
            ],
        )

    def table_schema(self, table: str) -> pa.Schema:
        return pa.schema([s.field for s in self._table_specs(table)])

    def query_schema(self, sql: str) -> pa.Schema:
        import pymysql

        con = self._connect()
        try:
            with con.cursor() as cur:
                return pa.schema([s.field for s in self._query_specs(cur, sql)])
        except pymysql.Error as err:
            raise self._fail(_("describing the query"), err) from None
        finally:
            con.close()

    def primary_keys(self, table: str) -> list[str]:
        """The primary key columns of ``table``, in key order (empty when it has none)."""
        parsed = sql_table(table, DIALECT)
        rows = self._run(
            _("reading the primary key of {table!r}").format(table=table),
            _KEYS_SQL,
            (parsed.db or None, parsed.name),
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
        import pymysql
        from pymysql.cursors import SSCursor

        one_source(table, query)
        what = repr(table) if table is not None else _("the query")
        if table is not None:
            specs = self._table_specs(table)
            statement = _render(exp.select(*_items(specs)).from_(sql_table(table, DIALECT)))
        con = self._connect()
        try:
            if query is not None:
                with con.cursor() as probe:
                    specs = self._query_specs(probe, query)
                statement = _wrapped(query, specs)
            cur = con.cursor(SSCursor)
            cur.execute(statement)
        except pymysql.Error as err:
            con.close()
            raise self._fail(_("reading {what}").format(what=what), err) from None
        except BaseException:
            con.close()
            raise
        schema = pa.schema([s.field for s in specs])
        keys = [k for k in self.primary_keys(table) if k in schema.names] if table else []
        return reader_from(schema, self._stream(con, cur, specs, batch_rows, what, keys))

    def _stream(
        self,
        con: pymysql.Connection,
        cur: Any,
        specs: list[ColumnSpec],
        batch_rows: int,
        what: str,
        keys: list[str] | None = None,
    ) -> Iterator[pa.RecordBatch]:
        import pymysql

        try:
            while True:
                rows = cur.fetchmany(batch_rows)
                if not rows:
                    break
                yield arrow_batch(rows, specs, connection=self.name, what=what, keys=keys)
        except pymysql.Error as err:
            raise self._fail(_("reading {what}").format(what=what), err) from None
        finally:
            # closing the socket, not the cursor: an unbuffered cursor would read every
            # remaining row before closing; the abandoned result must not try to either
            con.close()
            result = getattr(cur, "_result", None)
            if result is not None:
                result.unbuffered_active = False

    def _arrow(
        self, rows: list[tuple[Any, ...]], specs: list[ColumnSpec], what: str, keys: list[str]
    ) -> pa.Table:
        schema = pa.schema([s.field for s in specs])
        if not rows:
            return schema.empty_table()
        batch = arrow_batch(rows, specs, connection=self.name, what=what, keys=keys)
        return pa.Table.from_batches([batch], schema=schema)

    def delete_batch(
        self,
        table: str,
        where: exp.Expression,
        *,
        limit: int,
        order_by: list[str] | None = None,
        before_commit: Callable[[pa.Table], None],
    ) -> pa.Table:
        """One ``READ COMMITTED`` transaction: the batch read ``FOR UPDATE`` (by primary key
        order), deleted by its keys, checked, committed (:mod:`._delete`). Tables without a
        primary key are refused."""
        import pymysql

        from app.connectors.mysql._delete import deleted_rows

        keys = self.primary_keys(table)
        if not keys:
            raise ConnectionError_(
                _(
                    "{connection}: table {table!r} has no primary key; rows of MySQL/MariaDB "
                    "tables are deleted by their key"
                ).format(connection=self.name, table=table)
            )
        specs = self._table_specs(table)
        con = self._connect()
        try:
            rows = deleted_rows(
                con,
                table,
                _items(specs),
                keys,
                where,
                limit=limit,
                order_by=order_by or keys,
                render=_render,
            )
            table_rows = self._arrow(rows, specs, repr(table), keys)
            before_commit(table_rows)
            con.commit()
            return table_rows
        except pymysql.Error as err:
            raise self._fail(_("deleting rows of {table!r}").format(table=table), err) from None
        finally:
            con.close()  # without a commit, the server rolls the batch back

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
        raise ConnectionError_(
            _(
                "{connection}: MySQL/MariaDB is a source only in Cauce; "
                "writing {table!r} is not supported (choose another "
                "destination)"
            ).format(connection=self.name, table=table)
        )
