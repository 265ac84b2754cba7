"""Amazon Redshift connector (redshift-connector): catalog, typed reads, bulk writes.

Settings are :mod:`._config`'s, the type mapping :mod:`._types`'s; the write skeleton is
:mod:`app.connectors._warehouse`'s: the rows go into a temporary staging table — by ``COPY``
of Parquet files uploaded to S3 when a bucket and an IAM role are configured (:mod:`._s3`),
by multi-row ``INSERT`` statements of at most ``insert_rows`` rows (values bound as
parameters) otherwise — then one transaction applies them: ``INSERT … SELECT``,
``DELETE`` + ``INSERT`` (replace; never ``TRUNCATE``, which commits in Redshift), or, for
merge, ``DELETE … USING`` the staged keys and ``INSERT`` of the last row per key; the sync's
state row in the same transaction. Tables Cauce creates take the configured ``DISTSTYLE``,
``DISTKEY`` and ``SORTKEY``.

Identifiers are always quoted as given; Redshift folds them to lower case unless
``enable_case_sensitive_identifier`` is on, so use lower-case names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import column, ident, insert_select, rebatch
from app.connectors._warehouse import ROW_COLUMN, WarehouseConnector
from app.connectors._warehouse_write import latest_rows
from app.connectors.base import Capabilities, TableInfo, UrlForm, UrlSyntax
from app.connectors.redshift._config import RedshiftConfig
from app.connectors.redshift._types import arrow_type, ddl_type
from app.connectors.tls import TransportSecurity, check_transport
from app.i18n import _

__all__ = ["RedshiftConfig", "RedshiftConnector", "insert_statement"]

DIALECT = "redshift"
#: the type OID of NUMERIC / DECIMAL
NUMERIC_OID = 1700
#: the most parameters one statement may bind
MAX_PARAMETERS = 32_000


def insert_statement(table: exp.Table, names: list[str], rows: int) -> exp.Insert:
    """``INSERT INTO table (names) VALUES (%s, …), …`` for ``rows`` rows of bound values."""
    row = exp.Tuple(expressions=[exp.Placeholder() for _ in names])
    return exp.insert(
        exp.values([row.copy() for _ in range(rows)]),
        table.copy(),
        columns=[ident(n) for n in names],
    )


class RedshiftConnector(WarehouseConnector):
    """Read from and write to an Amazon Redshift database."""

    type_name = "redshift"
    label = "Amazon Redshift"
    Config = RedshiftConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        transactions=True,
        merge=True,
        elt=True,
        bulk_load="copy",
        transactional_state=True,
    )
    url = UrlSyntax(("redshift", "redshift+redshift_connector"), UrlForm.SERVER, default_port=5439)
    dialect = DIALECT
    config: RedshiftConfig

    def _connect(self) -> Any:
        import redshift_connector

        c = self.config
        con = redshift_connector.connect(
            host=c.host,
            port=c.port,
            database=c.database,
            user=c.user,
            password=c.password or "",
            ssl=c.ssl,
            sslmode=c.sslmode,
            timeout=c.timeout,
        )
        con.autocommit = True
        con.cursor().execute("SET timezone TO 'UTC'")
        return con

    def _secret(self) -> str | None:
        return self.config.password

    def tls_policy(self) -> str:
        return self.config.sslmode if self.config.ssl else "disable"

    def transport(self) -> TransportSecurity:
        """The TLS session of a new connection (redshift-connector's socket)."""
        import ssl

        con = self._connect()
        try:
            sock = getattr(con, "_usock", None)
            tls = sock if isinstance(sock, ssl.SSLSocket) else None
            cipher = tls.cipher() if tls is not None else None
            mode = self.tls_policy()
            security = TransportSecurity(
                encrypted=tls is not None,
                verified=tls is not None,  # the driver verifies in both of its modes
                hostname=tls is not None and mode == "verify-full",
                protocol=(tls.version() or "") if tls is not None else "",
                cipher=cipher[0] if cipher else "",
                policy=mode,
            )
        finally:
            con.close()
        return check_transport(self.name, security)

    def _transient(self, err: BaseException) -> bool:
        try:
            import redshift_connector
        except ImportError:  # pragma: no cover
            return super()._transient(err)
        return isinstance(
            err, (redshift_connector.OperationalError, redshift_connector.InterfaceError)
        ) or super()._transient(err)

    # -- types -----------------------------------------------------------------------------------
    def _ddl_type(self, field: pa.Field) -> exp.DataType:
        return ddl_type(field)

    def _described(self, description: Sequence[Any]) -> pa.Schema:
        return pa.schema([pa.field(d[0], _oid_type(d[1], d)) for d in description])

    def _description(self, cur: Any) -> Sequence[Any]:
        """redshift-connector describes every column with ``None`` for precision and scale,
        though the server sent them (the type modifier of its row description): a
        ``NUMERIC(38,2)`` would read as ``decimal(38,9)``, too few integer digits for its
        values. Take them from the row description, as PostgreSQL's drivers do."""
        description = cur.description
        prepared = getattr(cur, "ps", None)
        fields = prepared.get("row_desc") if isinstance(prepared, dict) else None
        if not fields or len(fields) != len(description):
            return description  # type: ignore[no-any-return]
        completed = []
        for d, field in zip(description, fields, strict=True):
            modifier = field.get("type_modifier", -1)
            if d[1] == NUMERIC_OID and isinstance(modifier, int) and modifier >= 4:
                precision, scale = ((modifier - 4) >> 16) & 0xFFFF, (modifier - 4) & 0xFFFF
                d = (d[0], d[1], d[2], d[3], precision, scale, d[6])
            completed.append(d)
        return completed

    def _create(
        self, table: exp.Table, schema: pa.Schema, *, temporary: bool = False
    ) -> exp.Create:
        create = super()._create(table, schema, temporary=temporary)
        c = self.config
        if temporary or not (c.diststyle or c.distkey or c.sortkey):
            return create
        props: list[exp.Expression] = []
        if c.diststyle:
            props.append(exp.DistStyleProperty(this=exp.var(c.diststyle.upper())))
        if c.distkey:
            props.append(exp.DistKeyProperty(this=ident(c.distkey)))
        if c.sortkey:
            props.append(exp.SortKeyProperty(this=[ident(k) for k in c.sortkey], compound=True))
        create.set("properties", exp.Properties(expressions=props))
        return create

    # -- catalog ---------------------------------------------------------------------------------
    def _columns(self, cur: Any, table: exp.Table) -> list[tuple[str, pa.DataType]]:
        schema = exp.Literal.string(table.db) if table.db else exp.func("CURRENT_SCHEMA")
        query = (
            exp.select("column_name", "data_type", "numeric_precision", "numeric_scale")
            .from_("information_schema.columns")
            .where(
                exp.and_(
                    exp.EQ(this=exp.column("table_schema"), expression=schema),
                    exp.EQ(
                        this=exp.column("table_name"), expression=exp.Literal.string(table.name)
                    ),
                )
            )
            .order_by("ordinal_position")
        )
        rows = self._run(cur, query).fetchall()
        return [(r[0], arrow_type(r[1], r[2], r[3])) for r in rows]

    def list_tables(self) -> list[TableInfo]:
        query = (
            exp.select("table_schema", "table_name", "table_type")
            .from_("information_schema.tables")
            .where(
                exp.and_(
                    exp.not_(
                        exp.column("table_schema").isin(
                            exp.Literal.string("pg_catalog"),
                            exp.Literal.string("information_schema"),
                        )
                    ),
                    exp.not_(exp.column("table_schema").like(exp.Literal.string("pg\\_%"))),
                )
            )
            .order_by("table_schema", "table_name")
        )
        with self._session(_("listing tables")) as cur:
            rows = self._run(cur, query).fetchall()
        return [
            TableInfo(r[0], r[1], "view" if "VIEW" in str(r[2]).upper() else "table") for r in rows
        ]

    # -- writing ---------------------------------------------------------------------------------
    def _load(self, con: Any, cur: Any, stage: exp.Table, data: pa.RecordBatchReader) -> int:
        if self.config.s3_bucket and self.config.iam_role:
            from app.connectors.redshift._s3 import copy_from_s3

            return copy_from_s3(self, cur, stage, data)
        names = [*data.schema.names, ROW_COLUMN]
        per_statement = max(1, min(self.config.insert_rows, MAX_PARAMETERS // len(names)))
        done = 0
        full = insert_statement(stage, names, per_statement)
        text = self._sql(full)
        for batch in rebatch(data, per_statement):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            columns.append(list(range(done, done + batch.num_rows)))
            params = [v for row in zip(*columns, strict=True) for v in row]
            statement = (
                text
                if batch.num_rows == per_statement
                else self._sql(insert_statement(stage, names, batch.num_rows))
            )
            self._run(cur, statement, params)
            if self.trace is not None:
                self.trace.append(("load", batch.num_rows))
            done += batch.num_rows
        return done

    def _merge(
        self, target: exp.Table, stage: exp.Table, names: list[str], keys: list[str]
    ) -> list[exp.Expression]:
        """``DELETE FROM target USING stage WHERE keys match``, then the last row per key."""
        matches = exp.and_(
            *[exp.EQ(this=column(k, target.name), expression=column(k, stage.name)) for k in keys]
        )
        delete = exp.Delete(this=target.copy(), using=[stage.copy()], where=exp.Where(this=matches))
        return [delete, insert_select(target, latest_rows(stage, names, keys), names)]

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        """Redshift changes a column's type only for ``VARCHAR``: each column is rebuilt (a
        wider new column filled with ``UPDATE``, the old one dropped, the new one renamed), in
        one transaction. The column moves to the end of the table."""
        target = self.table(table)
        with self._session(_("changing column types of {table!r}").format(table=table)) as cur:
            self._run(cur, "BEGIN")
            for f in fields:
                temp = f"{f.name}__cauce_wide"
                add = exp.Alter(
                    this=target.copy(),
                    kind="TABLE",
                    actions=[exp.ColumnDef(this=ident(temp), kind=self._ddl_type(f))],
                )
                fill = exp.Update(
                    this=target.copy(),
                    expressions=[
                        exp.EQ(
                            this=column(temp),
                            expression=exp.cast(column(f.name), self._ddl_type(f)),
                        )
                    ],
                )
                drop = exp.Alter(
                    this=target.copy(),
                    kind="TABLE",
                    actions=[exp.Drop(tables=[exp.column(ident(f.name))], kind="COLUMN")],
                )
                rename = exp.Alter(
                    this=target.copy(),
                    kind="TABLE",
                    actions=[exp.RenameColumn(this=ident(temp), to=ident(f.name))],
                )
                for statement in (add, fill, drop, rename):
                    self._run(cur, statement)
            self._run(cur, "COMMIT")


#: PostgreSQL type OIDs (Redshift reports the same) -> Arrow
_OIDS = {
    16: pa.bool_(),
    17: pa.binary(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    700: pa.float32(),
    701: pa.float64(),
    1082: pa.date32(),
    1083: pa.time64("us"),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
}


def _oid_type(oid: Any, d: Sequence[Any]) -> pa.DataType:
    """A result column's Arrow type from its type OID (numeric: from its precision/scale)."""
    if oid == NUMERIC_OID:
        precision, scale = d[4], d[5]
        return (
            pa.decimal128(precision, scale)
            if precision and precision <= 38
            else pa.decimal128(38, 9)
        )
    return _OIDS.get(oid, pa.string())
