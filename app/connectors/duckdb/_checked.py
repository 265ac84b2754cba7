"""The schema inbox's checked changes in a DuckDB file (:mod:`app.connectors._undo`): the
check and the change in one transaction, so a concurrent writer conflicts instead of slipping
a row in between."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyarrow as pa

from app.connectors._common import failure, sql_table
from app.connectors._undo import (
    changed_query,
    drop_statements,
    refuse_changed,
    refuse_values,
    rename_statement,
    retype_statement,
    values_query,
)
from app.connectors.duckdb._sql import DIALECT
from app.i18n import _
from app.model.sql_types import to_sql_type

if TYPE_CHECKING:
    import duckdb

__all__ = ["CheckedChanges"]


class CheckedChanges:
    """Mixed into :class:`~app.connectors.duckdb.DuckDBConnector`."""

    if TYPE_CHECKING:
        name: str

        def _open(self, *, create: bool = False) -> duckdb.DuckDBPyConnection: ...

        def table_schema(self, table: str) -> pa.Schema: ...

    def drop_columns(self, table: str, columns: list[str]) -> None:
        target = sql_table(table, DIALECT)

        def drop(con: duckdb.DuckDBPyConnection) -> None:
            row = con.execute(values_query(target, columns).sql(DIALECT)).fetchone()
            refuse_values(self.name, table, columns, list(row or ()))
            for statement in drop_statements(target, columns):
                con.execute(statement.sql(DIALECT))

        self._checked(drop, _("dropping columns of {table!r}").format(table=table))

    def retype_columns(self, table: str, fields: list[pa.Field]) -> None:
        import duckdb

        target = sql_table(table, DIALECT)
        current = self.table_schema(table)

        def retype(con: duckdb.DuckDBPyConnection) -> None:
            for f in fields:
                want, now = to_sql_type(f.type), to_sql_type(current.field(f.name).type)
                try:
                    row = con.execute(
                        changed_query(target, f.name, want, now).sql(DIALECT)
                    ).fetchone()
                except duckdb.ConversionException as err:
                    refuse_changed(
                        self.name, table, f.name, want.sql(DIALECT), None, str(err).strip()
                    )
                changed = int(row[0]) if row else 0
                refuse_changed(self.name, table, f.name, want.sql(DIALECT), changed)
                con.execute(retype_statement(target, f.name, want, using=True).sql(DIALECT))

        self._checked(retype, _("changing column types of {table!r}").format(table=table))

    def rename_column(self, table: str, old: str, new: str) -> None:
        statement = rename_statement(sql_table(table, DIALECT), old, new)
        self._checked(
            lambda con: con.execute(statement.sql(DIALECT)) and None,
            _("renaming column {column!r} of {table!r}").format(column=old, table=table),
        )

    def _checked(self, work: Callable[[duckdb.DuckDBPyConnection], None], action: str) -> None:
        import duckdb

        con = self._open(create=True)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                work(con)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except duckdb.Error as err:
            raise failure(self.name, action, err) from None
        finally:
            con.close()
