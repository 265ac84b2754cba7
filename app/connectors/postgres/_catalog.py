"""The catalog half of :class:`~app.connectors.postgres.PostgresConnector`: what tables and
columns there are, and the DDL that changes them (add or widen columns, enum types)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import ident, sql_table
from app.connectors._undo import (
    changed_query,
    drop_statements,
    refuse_changed,
    refuse_values,
    retype_statement,
    values_query,
)
from app.connectors.base import ConnectionError_, TableInfo
from app.connectors.postgres._connect import Connecting
from app.connectors.postgres._enums import ensure_enum, query_enums, table_enums, with_enums
from app.connectors.postgres._sql import DIALECT, probe, render
from app.connectors.postgres._types import ColumnSpec, column_spec, ddl_field, numeric_typmod
from app.connectors.postgres._write import exists as _exists
from app.i18n import _

if TYPE_CHECKING:
    import psycopg


__all__ = ["Catalog"]

_KINDS = {"r": "table", "p": "table", "f": "table", "v": "view", "m": "view"}

#: a domain's base type stands for the domain; an array of enums is read as ``text[]`` (its
#: labels as text, like an enum's: see ._enums)
_TYPE_NAME = """CASE WHEN t.typtype = 'd' THEN bt.typname
            WHEN el.typtype = 'e' AND t.typcategory = 'A' THEN '_text'
            ELSE t.typname END"""
_COLUMNS_SQL = f"""
SELECT a.attname,
       {_TYPE_NAME},
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_type el ON el.oid = t.typelem
WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
"""

_TYPES_SQL = f"""
SELECT t.oid, {_TYPE_NAME}
FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_type el ON el.oid = t.typelem
WHERE t.oid = ANY(%s)
"""

_TABLES_SQL = """
SELECT n.nspname, c.relname, c.relkind, c.reltuples
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
  AND n.nspname NOT LIKE 'pg_temp%%'
ORDER BY 1, 2
"""

_PRIMARY_KEY_SQL = """
SELECT a.attname
FROM pg_catalog.pg_constraint c
CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position)
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
WHERE c.conrelid = to_regclass(%s) AND c.contype = 'p'
ORDER BY k.position
"""


class Catalog(Connecting):
    """Tables, columns and their types; schema changes. Mixed into the connector."""

    # -- catalog ---------------------------------------------------------------------------
    def list_tables(self) -> list[TableInfo]:
        import psycopg

        with self._connect() as con:
            try:
                rows = con.execute(_TABLES_SQL).fetchall()
            except psycopg.Error as err:
                raise self._fail(_("listing tables"), err) from None
        return [
            TableInfo(
                schema=s,
                name=n,
                kind=_KINDS[k],
                row_estimate=int(e) if e is not None and e >= 0 else None,
            )
            for s, n, k, e in rows
        ]

    def _table_specs(self, con: psycopg.Connection[Any], table: str) -> list[ColumnSpec]:
        import psycopg

        try:
            rows = con.execute(_COLUMNS_SQL, [render(sql_table(table, DIALECT))]).fetchall()
        except psycopg.Error as err:
            raise self._fail(_("describing {table!r}").format(table=table), err) from None
        if not rows:
            raise ConnectionError_(
                _("{connection}: table {table!r} does not exist").format(
                    connection=self.name, table=table
                )
            )
        return [
            column_spec(name, typname, *numeric_typmod(typmod), exact_text=self.exact_text)
            for name, typname, typmod in rows
        ]

    def _query_specs(self, con: psycopg.Connection[Any], sql: str) -> list[ColumnSpec]:
        import psycopg

        try:
            with con.cursor() as cur:
                cur.execute(probe(sql))
                columns = list(cur.description or ())
                oids = [c.type_code for c in columns]
                names = dict(con.execute(_TYPES_SQL, [oids]).fetchall())
        except psycopg.Error as err:
            raise self._fail(_("describing the query"), err) from None
        return [
            column_spec(
                c.name,
                names.get(c.type_code, "text"),
                c.precision,
                c.scale,
                exact_text=self.exact_text,
            )
            for c in columns
        ]

    def table_schema(self, table: str) -> pa.Schema:
        with self._connect() as con:
            schema = pa.schema([s.field for s in self._table_specs(con, table)])
            return self._marked(con, schema, table=table)

    def _marked(
        self,
        con: psycopg.Connection[Any],
        schema: pa.Schema,
        *,
        table: str | None = None,
        query: str | None = None,
    ) -> pa.Schema:
        """A sync source's ``schema`` with its enum columns' labels (:mod:`._enums`)."""
        import psycopg

        if not self.exact_text:
            return schema  # pipelines: enums are plain text
        try:
            if table is not None:
                found = table_enums(con, render(sql_table(table, DIALECT)))
            else:
                found = query_enums(con, str(query))
        except psycopg.Error as err:
            raise self._fail(_("reading enum labels"), err) from None
        return with_enums(schema, found)

    def create_enum(self, table: str, name: str, labels: list[str]) -> str | None:
        import psycopg

        con = self._connect()
        try:
            return ensure_enum(con, self.name, sql_table(table, DIALECT), name, labels)
        except psycopg.Error as err:
            raise self._fail(_("creating enum type {name!r}").format(name=name), err) from None
        finally:
            con.close()

    def has_table(self, table: str) -> bool:
        import psycopg

        with self._connect() as con, con.cursor() as cur:
            try:
                return _exists(cur, sql_table(table, DIALECT))
            except psycopg.Error as err:
                raise self._fail(_("looking up {table!r}").format(table=table), err) from None

    def primary_keys(self, table: str) -> list[str]:
        import psycopg

        with self._connect() as con:
            try:
                rows = con.execute(_PRIMARY_KEY_SQL, [render(sql_table(table, DIALECT))]).fetchall()
            except psycopg.Error as err:
                raise self._fail(
                    _("reading the primary key of {table!r}").format(table=table), err
                ) from None
        return [r[0] for r in rows]

    def add_columns(self, table: str, fields: list[pa.Field]) -> None:
        self._alter(
            table,
            [exp.ColumnDef(this=ident(f.name), kind=_ddl(f)) for f in fields],
            _("adding columns to {table!r}").format(table=table),
        )

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        self._alter(
            table,
            [exp.AlterColumn(this=ident(f.name), dtype=_ddl(f)) for f in fields],
            _("changing column types of {table!r}").format(table=table),
        )

    def drop_columns(self, table: str, columns: list[str]) -> None:
        target = sql_table(table, DIALECT)

        def drop(con: psycopg.Connection[Any]) -> None:
            row = con.execute(render(values_query(target, columns)).encode()).fetchone()
            refuse_values(self.name, table, columns, list(row or ()))
            for statement in drop_statements(target, columns):
                con.execute(render(statement).encode())

        self._locked(target, drop, _("dropping columns of {table!r}").format(table=table))

    def retype_columns(self, table: str, fields: list[pa.Field]) -> None:
        import psycopg

        target = sql_table(table, DIALECT)

        def retype(con: psycopg.Connection[Any]) -> None:
            current = {s.field.name: s.field for s in self._table_specs(con, table)}
            for f in fields:
                want, now = _ddl(f), _ddl(current[f.name])
                check = render(changed_query(target, f.name, want, now)).encode()
                try:
                    with con.transaction():  # a savepoint: a value that does not fit
                        row = con.execute(check).fetchone()
                except psycopg.DataError as err:
                    refuse_changed(self.name, table, f.name, render(want), None, str(err).strip())
                refuse_changed(self.name, table, f.name, render(want), int(row[0] if row else 0))
                con.execute(render(retype_statement(target, f.name, want, using=True)).encode())

        self._locked(target, retype, _("changing column types of {table!r}").format(table=table))

    def rename_column(self, table: str, old: str, new: str) -> None:
        self._alter(
            table,
            [exp.RenameColumn(this=ident(old), to=ident(new))],
            _("renaming column {column!r} of {table!r}").format(column=old, table=table),
        )

    def _locked(
        self, target: exp.Table, work: Callable[[psycopg.Connection[Any]], None], action: str
    ) -> None:
        """``work`` in one transaction that first locks ``target`` against every other
        reader and writer (the check and the change see the same rows)."""
        import psycopg
        from psycopg import sql as pgsql

        lock = pgsql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            pgsql.Identifier(*[p.name for p in target.parts])
        )
        con = self._connect()
        try:
            with con.transaction():
                con.execute(lock)
                work(con)
        except psycopg.Error as err:
            raise self._fail(action, err) from err
        finally:
            con.close()

    def _alter(self, table: str, actions: list[exp.Expression], action: str) -> None:
        import psycopg

        if not actions:
            return
        statement = exp.Alter(this=sql_table(table, DIALECT), kind="TABLE", actions=actions)
        con = self._connect()
        try:
            with con.transaction():
                con.execute(render(statement).encode())
        except psycopg.Error as err:
            raise self._fail(action, err) from err
        finally:
            con.close()

    def query_schema(self, sql: str) -> pa.Schema:
        with self._connect() as con:
            schema = pa.schema([s.field for s in self._query_specs(con, sql)])
            return self._marked(con, schema, query=sql)


def _ddl(field: pa.Field) -> exp.DataType:
    return ddl_field(field)
