"""The schema inbox's checked changes in a SQLite file (:mod:`app.connectors._undo`), each in
one ``BEGIN IMMEDIATE`` transaction (the write lock is held from the check to the change).

SQLite cannot change a column's declared type: a type change that keeps the declared type is
accepted (it changes nothing), the others are refused, saying so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

import pyarrow as pa

from app.connectors._common import failure, sql_table
from app.connectors._undo import drop_statements, refuse_values, rename_statement, values_query
from app.connectors.base import ConnectionError_
from app.connectors.sqlite._types import declared_type
from app.i18n import _

__all__ = ["CheckedChanges"]

DIALECT = "sqlite"


class CheckedChanges:
    """Mixed into :class:`~app.connectors.sqlite.SQLiteConnector`."""

    if TYPE_CHECKING:
        name: str

        def _connect(self, *, create: bool = False) -> sqlite3.Connection: ...

        def _columns(self, con: sqlite3.Connection, table: str) -> list[tuple[str, str]]: ...

    def drop_columns(self, table: str, columns: list[str]) -> None:
        target = sql_table(table, DIALECT)

        def drop(con: sqlite3.Connection) -> None:
            row = con.execute(values_query(target, columns).sql(DIALECT)).fetchone()
            refuse_values(self.name, table, columns, list(row or ()))
            for statement in drop_statements(target, columns):
                con.execute(statement.sql(DIALECT))

        self._checked(drop, _("dropping columns of {table!r}").format(table=table))

    def retype_columns(self, table: str, fields: list[pa.Field]) -> None:
        def retype(con: sqlite3.Connection) -> None:
            declared = dict(self._columns(con, table))
            refused = [
                f.name
                for f in fields
                if declared.get(f.name, "").upper() != declared_type(f.type).upper()
            ]
            if refused:
                raise ConnectionError_(
                    _(
                        "{connection}: SQLite cannot change the declared type of {columns} "
                        "in {table!r}"
                    ).format(connection=self.name, columns=refused, table=table)
                )

        self._checked(retype, _("changing column types of {table!r}").format(table=table))

    def rename_column(self, table: str, old: str, new: str) -> None:
        statement = rename_statement(sql_table(table, DIALECT), old, new).sql(DIALECT)
        self._checked(
            lambda con: con.execute(statement) and None,
            _("renaming column {column!r} of {table!r}").format(column=old, table=table),
        )

    def _checked(self, work: Callable[[sqlite3.Connection], None], action: str) -> None:
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                work(con)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise failure(self.name, action, err) from None
        finally:
            con.close()
