"""Snowflake connector (snowflake-connector-python): catalog, typed reads, bulk writes.

Settings and key-pair authentication are :mod:`._config`'s, the type mapping :mod:`._types`'s;
the write skeleton is :mod:`app.connectors._warehouse`'s: DDL first (Snowflake commits an
open transaction at any DDL statement), the rows bulk-loaded into a temporary staging table
with ``write_pandas`` (Parquet files ``PUT`` to a temporary stage, then ``COPY INTO``), then
DML only: ``INSERT … SELECT`` or ``DELETE`` + ``INSERT`` (replace) in one transaction with the
sync's state row (``DELETE`` + ``INSERT``); a merge is one ``MERGE INTO target USING (the last
staged row per key) ON the keys WHEN MATCHED THEN UPDATE … WHEN NOT MATCHED THEN INSERT …``,
atomic by itself, committed just before the state's transaction (``merge_alone``): a crash
between the two leaves the state behind, and the next run merges the same keys again.

Identifiers are always quoted and keep the case they are given in (``orders`` is the table
``"orders"``, not ``ORDERS``): what Cauce writes it reads back by the same name. Tables made
by other tools with unquoted names are upper case: name them so (``ANALYTICS.ORDERS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import ident, merge_from, rebatch
from app.connectors._warehouse import ROW_COLUMN, WarehouseConnector
from app.connectors._warehouse_write import latest_rows
from app.connectors.base import (
    Capabilities,
    TableInfo,
    UrlForm,
    UrlSyntax,
)
from app.connectors.snowflake._config import SnowflakeConfig, connect_args
from app.connectors.snowflake._types import arrow_type, ddl_type, described_type
from app.connectors.tls import TransportSecurity
from app.i18n import _

__all__ = ["SnowflakeConfig", "SnowflakeConnector"]

DIALECT = "snowflake"
#: rows per ``write_pandas`` call (one Parquet upload and ``COPY INTO`` each)
LOAD_ROWS = 200_000


class SnowflakeConnector(WarehouseConnector):
    """Read from and write to a Snowflake database."""

    type_name = "snowflake"
    label = "Snowflake"
    Config = SnowflakeConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        transactions=True,
        merge=True,
        elt=True,
        bulk_load="stage",
        transactional_state=True,
    )
    url = UrlSyntax(
        ("snowflake",), UrlForm.SERVER, host_field="account", schema_field="schema_name"
    )
    dialect = DIALECT
    merge_alone = True
    config: SnowflakeConfig

    def _connect(self) -> Any:
        import snowflake.connector

        return snowflake.connector.connect(**connect_args(self.config, self.root))

    def _secret(self) -> str | None:
        return self.config.password or self.config.private_key_passphrase

    def tls_policy(self) -> str:
        return "verify-full"  # the connector speaks HTTPS only, certificates checked

    def transport(self) -> TransportSecurity:
        self.test()
        return TransportSecurity(
            encrypted=True, verified=True, hostname=True, measured=False, policy="verify-full"
        )

    def _transient(self, err: BaseException) -> bool:
        try:
            from snowflake.connector import errors
        except ImportError:  # pragma: no cover - the extra is installed with the connector
            return False
        return isinstance(
            err, (errors.OperationalError, errors.InterfaceError)
        ) or super()._transient(err)

    # -- types -----------------------------------------------------------------------------------
    def _ddl_type(self, field: pa.Field) -> exp.DataType:
        return ddl_type(field)

    def _described(self, description: Sequence[Any]) -> pa.Schema:
        return pa.schema([pa.field(d[0], described_type(d[1], d[4], d[5])) for d in description])

    # -- catalog ---------------------------------------------------------------------------------
    def _schema_of(self, table: exp.Table) -> exp.Expression:
        return exp.Literal.string(table.db) if table.db else exp.func("CURRENT_SCHEMA")

    def _info(self, table: exp.Table, view: str) -> exp.Table:
        catalog = ident(table.catalog) if table.catalog else None
        return exp.Table(
            this=exp.to_identifier(view),
            db=exp.to_identifier("information_schema"),
            catalog=catalog,
        )

    def _columns(self, cur: Any, table: exp.Table) -> list[tuple[str, pa.DataType]]:
        query = (
            exp.select("column_name", "data_type", "numeric_precision", "numeric_scale")
            .from_(self._info(table, "columns"))
            .where(
                exp.and_(
                    exp.EQ(this=exp.column("table_schema"), expression=self._schema_of(table)),
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
            exp.select("table_schema", "table_name", "table_type", "row_count")
            .from_(
                exp.Table(
                    this=exp.to_identifier("tables"), db=exp.to_identifier("information_schema")
                )
            )
            .where(
                exp.NEQ(
                    this=exp.func("UPPER", exp.column("table_schema")),
                    expression=exp.Literal.string("INFORMATION_SCHEMA"),
                )
            )
            .order_by("table_schema", "table_name")
        )
        with self._session(_("listing tables")) as cur:
            rows = self._run(cur, query).fetchall()
        return [
            TableInfo(
                schema=r[0],
                name=r[1],
                kind="view" if "VIEW" in str(r[2]).upper() else "table",
                row_estimate=int(r[3]) if r[3] is not None else None,
            )
            for r in rows
        ]

    def has_table(self, table: str) -> bool:
        return super().has_table(table)

    # -- writing ---------------------------------------------------------------------------------
    def _merge(
        self, target: exp.Table, stage: exp.Table, names: list[str], keys: list[str]
    ) -> list[exp.Expression]:
        """One ``MERGE INTO target USING (last row per key of stage) ON keys``: matched rows
        updated, new keys inserted (one source row per key: Snowflake refuses a merge whose
        target row matches several)."""
        latest = latest_rows(stage, names, keys).subquery()
        return [merge_from(target, latest, names, keys)]

    def _load(self, con: Any, cur: Any, stage: exp.Table, data: pa.RecordBatchReader) -> int:
        from snowflake.connector import pandas_tools

        done = 0
        for batch in rebatch(data, LOAD_ROWS):
            # Arrow-backed columns: decimals keep their precision, timestamps their zone
            frame = batch.to_pandas(types_mapper=_arrow_dtype)
            frame[ROW_COLUMN] = range(done, done + batch.num_rows)
            ok, _chunks, rows, _output = pandas_tools.write_pandas(
                con,
                frame,
                stage.name,
                quote_identifiers=True,
                use_logical_type=True,
                auto_create_table=False,
            )
            if not ok or rows != batch.num_rows:
                raise RuntimeError(
                    _("the bulk load into {table!r} loaded {rows} of {total} rows").format(
                        table=stage.name, rows=rows, total=batch.num_rows
                    )
                )
            if self.trace is not None:
                self.trace.append(("load", batch.num_rows))
            done += batch.num_rows
        return done


def _arrow_dtype(dtype: pa.DataType) -> object:
    import pandas as pd

    return pd.ArrowDtype(dtype)
