"""The catalog of a SQLite file, and the schema changes SQLite can make.

The tables and views, their columns typed from their declared types (:mod:`._types`), the
primary keys, a query's columns typed from a sample of its rows, and the columns added or
(within one declared type) widened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import failure, ident, sql_table
from app.connectors.base import ConnectionError_, TableInfo
from app.connectors.sqlite._sql import DIALECT
from app.connectors.sqlite._types import arrow_type, declared_type
from app.i18n import _

__all__ = ["Catalog"]

_SAMPLE_ROWS = 1000


class Catalog:
    """The catalog half of :class:`~app.connectors.sqlite.SQLiteConnector`."""

    if TYPE_CHECKING:  # provided by the connector
        name: str

        @property
        def path(self) -> Path: ...

        def _connect(self, *, create: bool = False) -> sqlite3.Connection: ...

        def _run(self, statements: list[str], what: str) -> None: ...

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
