"""The catalog of a DuckDB database, and its schema changes.

The tables and views, a table's or a query's columns (as Cauce's canonical types,
:mod:`._types`), the primary keys, a table name resolved in the open database, and the columns
added or widened in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import failure, ident, sql_table
from app.connectors.base import TableInfo
from app.connectors.duckdb._sql import DIALECT, catalog_table, table_exists
from app.connectors.duckdb._types import canonical_schema, tag_text_types
from app.i18n import _
from app.model.sql_types import to_sql_type

if TYPE_CHECKING:
    import duckdb

__all__ = ["Catalog"]


class Catalog:
    """The catalog half of :class:`~app.connectors.duckdb.DuckDBConnector`."""

    if TYPE_CHECKING:  # provided by the connector
        name: str

        def _open(self, *, create: bool = False) -> duckdb.DuckDBPyConnection: ...

    def list_tables(self) -> list[TableInfo]:
        con = self._open()
        try:
            rows = con.execute(
                "SELECT schema_name, table_name, 'table', estimated_size FROM duckdb_tables() "
                "WHERE database_name = current_database() UNION ALL "
                "SELECT schema_name, view_name, 'view', NULL FROM duckdb_views() "
                "WHERE database_name = current_database() AND NOT internal "
                "ORDER BY 1, 2"
            ).fetchall()
        finally:
            con.close()
        return [TableInfo(schema=s, name=n, kind=k, row_estimate=e) for s, n, k, e in rows]

    def _table_sql(self, table: str) -> str:
        return exp.select("*").from_(sql_table(table, DIALECT)).sql(DIALECT)

    def _schema_of(self, sql: str, what: str) -> pa.Schema:
        """The columns of ``sql``'s result; ``what`` names it in errors (translated)."""
        import duckdb

        con = self._open()
        try:
            relation = con.sql(sql).limit(0)
            schema = canonical_schema(relation.to_arrow_table().schema)
            return tag_text_types(schema, [str(t) for t in relation.types])
        except duckdb.Error as err:
            raise failure(self.name, _("describing {what}").format(what=what), err) from None
        finally:
            con.close()

    def table_schema(self, table: str) -> pa.Schema:
        return self._schema_of(self._table_sql(table), repr(table))

    def query_schema(self, sql: str) -> pa.Schema:
        return self._schema_of(sql, _("the query"))

    def has_table(self, table: str) -> bool:
        con = self._open()
        try:
            return table_exists(con, self._own(con, table))
        finally:
            con.close()

    def primary_keys(self, table: str) -> list[str]:
        import duckdb

        con = self._open()
        try:
            target = self._own(con, table)
            rows = con.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() "
                "WHERE database_name = ? AND schema_name = ? AND table_name = ? "
                "AND constraint_type = 'PRIMARY KEY'",
                [target.catalog, target.db, target.name],
            ).fetchall()
        except duckdb.Error as err:
            raise failure(
                self.name, _("reading the primary key of {table!r}").format(table=table), err
            ) from None
        finally:
            con.close()
        return list(rows[0][0]) if rows else []

    def add_columns(self, table: str, fields: list[pa.Field]) -> None:
        self._alter(
            table,
            [
                exp.Alter(
                    this=sql_table(table, DIALECT),
                    kind="TABLE",
                    actions=[exp.ColumnDef(this=ident(f.name), kind=to_sql_type(f.type))],
                )
                for f in fields
            ],
            _("adding columns to {table!r}").format(table=table),
        )

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        self._alter(
            table,
            [
                exp.Alter(
                    this=sql_table(table, DIALECT),
                    kind="TABLE",
                    actions=[exp.AlterColumn(this=ident(f.name), dtype=to_sql_type(f.type))],
                )
                for f in fields
            ],
            _("changing column types of {table!r}").format(table=table),
        )

    def _alter(self, table: str, statements: list[exp.Alter], action: str) -> None:
        import duckdb

        con = self._open(create=True)
        try:
            con.execute("BEGIN TRANSACTION")
            for statement in statements:
                con.execute(statement.sql(DIALECT))
            con.execute("COMMIT")
        except duckdb.Error as err:
            con.execute("ROLLBACK")
            raise failure(self.name, action, err) from None
        finally:
            con.close()

    def _own(self, con: duckdb.DuckDBPyConnection, table: str) -> exp.Table:
        catalog = con.execute("SELECT current_database()").fetchall()[0][0]
        return catalog_table(sql_table(table, DIALECT), catalog)
