"""SQL flavours: everything the ODBC layer says that depends on the server, as data.

The connector's ODBC code (connect, stream with ``fetchmany``, bulk insert with
``fast_executemany``, transactions) is the same whatever the server; what differs is in a
:class:`Flavour`: the sqlglot dialect, catalog queries, type mappings, temporary tables, the
table swap. :data:`TSQL` is what Cauce uses against SQL Server and Azure SQL;
:data:`POSTGRES_ODBC` runs the very same code against PostgreSQL through psqlODBC, which is how
the ODBC path is tested on a machine without SQL Server.

>>> from app.connectors._common import sql_table
>>> TSQL.render(TSQL.rename(sql_table("dbo.t__new", "tsql"), "t"))
"EXECUTE sp_rename N'[dbo].[t__new]', N't'"
>>> POSTGRES_ODBC.render(POSTGRES_ODBC.rename(sql_table("public.t__new", "postgres"), "t"))
'ALTER TABLE "public"."t__new" RENAME TO "t"'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres
from sqlglot.dialects.tsql import TSQL as TSQLDialect
from sqlglot.errors import ErrorLevel

from app.connectors._common import ident, rename_table
from app.connectors.mssql._types import (
    ColumnSpec,
    datetimeoffset,
    pg_ddl,
    pg_spec,
    tsql_ddl,
    tsql_spec,
)

__all__ = ["FLAVOURS", "Flavour", "POSTGRES_ODBC", "TSQL"]

#: pyodbc's SQL type code for SQL Server's datetimeoffset (SQL_SS_TIMESTAMPOFFSET)
SQL_SS_TIMESTAMPOFFSET = -155


class PostgresOdbc(Postgres):
    """PostgreSQL as spoken through ODBC: parameters are ``?`` (not psycopg's ``%s``)."""

    class Generator(Postgres.Generator):
        TRANSFORMS = {**Postgres.Generator.TRANSFORMS, exp.Placeholder: lambda self, e: "?"}


def _tsql_rename(staged: exp.Table, new_name: str) -> exp.Expression:
    # sp_rename takes the current (qualified, bracketed) name and the bare new name
    current = staged.sql("tsql")
    return exp.Execute(
        this=exp.Table(this=exp.to_identifier("sp_rename")),
        expressions=[exp.National(this=current), exp.National(this=new_name)],
    )


def _tsql_temp(name: str) -> exp.Table:
    return exp.Table(this=exp.Identifier(this=name, temporary=True))


def _pg_temp(name: str) -> exp.Table:
    return exp.Table(this=ident(name))


@dataclass(frozen=True)
class Flavour:
    """One server's SQL, as seen through ODBC."""

    name: str
    #: sqlglot dialect the statements are rendered in
    dialect: Any
    #: short name of the dialect (capabilities, table-name parsing)
    dialect_name: str
    default_schema: str
    #: (column, data type, precision, scale) of a table, by schema and name
    columns_sql: str
    #: (schema, name, kind 'U'/'V', row estimate)
    tables_sql: str
    #: used when ``tables_sql`` is refused (e.g. no VIEW DATABASE STATE permission)
    tables_fallback_sql: str
    #: key column names in key order, by qualified (rendered) table name
    primary_keys_sql: str
    #: one row whose first value is true when the (rendered) table name exists
    exists_sql: str
    #: (name, type name, precision, scale) of a query's result; None: use cursor.description
    describe_sql: str | None
    spec: Callable[[str, str, int | None, int | None], ColumnSpec]
    ddl: Callable[[Any], str]
    rename: Callable[[exp.Table, str], exp.Expression]
    temp_table: Callable[[str], exp.Table]
    #: CREATE properties that make a table temporary (T-SQL: the # in its name does)
    temp_properties: tuple[exp.Expression, ...] = ()
    session_setup: tuple[str, ...] = ()
    output_converters: dict[int, Callable[[bytes], Any]] = field(default_factory=dict)
    #: MERGE must end with ';' in T-SQL
    merge_terminator: str = ""
    #: widest text (characters) and binary (bytes) parameter bound inline; wider ones are
    #: declared with size 0, i.e. (max). None: declare the actual width.
    inline_limits: tuple[int, int] | None = None
    #: a bounded text type (``{}`` is the length): the indexable keys of the sync-state table
    sized_text: str = "VARCHAR({})"
    #: table hints of the sync-state upsert's target (T-SQL: HOLDLOCK, so that two first
    #: writers of one key serialise instead of both inserting)
    state_hints: tuple[str, ...] = ()
    #: statements run before the sync-state upsert, ``{table}`` being the state table (the
    #: lock a server without table hints needs for the same guarantee)
    state_prelude: tuple[str, ...] = ()

    def render(self, expression: exp.Expression) -> str:
        """The statement's text in this flavour; unsupported constructs raise."""
        return expression.sql(self.dialect, unsupported_level=ErrorLevel.RAISE)


_TSQL_COLUMNS = """
SELECT c.COLUMN_NAME, c.DATA_TYPE, c.NUMERIC_PRECISION, c.NUMERIC_SCALE
FROM INFORMATION_SCHEMA.COLUMNS AS c
WHERE c.TABLE_SCHEMA = COALESCE(?, SCHEMA_NAME()) AND c.TABLE_NAME = ?
ORDER BY c.ORDINAL_POSITION
"""
_TSQL_TABLES = """
SELECT s.name, o.name, o.type,
       (SELECT SUM(p.row_count) FROM sys.dm_db_partition_stats AS p
        WHERE p.object_id = o.object_id AND p.index_id IN (0, 1))
FROM sys.objects AS o JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0
ORDER BY s.name, o.name
"""
_TSQL_TABLES_FALLBACK = """
SELECT s.name, o.name, o.type,
       (SELECT SUM(p.rows) FROM sys.partitions AS p
        WHERE p.object_id = o.object_id AND p.index_id IN (0, 1))
FROM sys.objects AS o JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0
ORDER BY s.name, o.name
"""
_TSQL_PRIMARY_KEYS = """
SELECT c.name
FROM sys.indexes AS i
JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE i.is_primary_key = 1 AND i.object_id = OBJECT_ID(?)
ORDER BY ic.key_ordinal
"""
_TSQL_DESCRIBE = """
SELECT name, system_type_name, precision, scale
FROM sys.dm_exec_describe_first_result_set(?, NULL, 0)
WHERE is_hidden = 0
ORDER BY column_ordinal
"""

TSQL = Flavour(
    name="tsql",
    dialect=TSQLDialect,
    dialect_name="tsql",
    default_schema="dbo",
    columns_sql=_TSQL_COLUMNS,
    tables_sql=_TSQL_TABLES,
    tables_fallback_sql=_TSQL_TABLES_FALLBACK,
    primary_keys_sql=_TSQL_PRIMARY_KEYS,
    exists_sql="SELECT CASE WHEN OBJECT_ID(?, 'U') IS NULL THEN 0 ELSE 1 END",
    describe_sql=_TSQL_DESCRIBE,
    spec=tsql_spec,
    ddl=tsql_ddl,
    rename=_tsql_rename,
    temp_table=_tsql_temp,
    # a failed statement rolls the whole transaction back, never half of it
    session_setup=("SET XACT_ABORT ON",),
    output_converters={SQL_SS_TIMESTAMPOFFSET: datetimeoffset},
    merge_terminator=";",
    inline_limits=(4000, 8000),
    sized_text="NVARCHAR({})",
    state_hints=("HOLDLOCK",),
)

_PG_COLUMNS = """
SELECT c.column_name, c.data_type, c.numeric_precision, c.numeric_scale
FROM information_schema.columns AS c
WHERE c.table_schema = COALESCE(?, current_schema()) AND c.table_name = ?
ORDER BY c.ordinal_position
"""
_PG_TABLES = """
SELECT n.nspname, c.relname, CASE WHEN c.relkind IN ('v', 'm') THEN 'V' ELSE 'U' END,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END
FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY 1, 2
"""
_PG_PRIMARY_KEYS = """
SELECT a.attname
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indisprimary AND i.indrelid = to_regclass(?)
ORDER BY array_position(i.indkey::int2[], a.attnum)
"""

POSTGRES_ODBC = Flavour(
    name="postgres-odbc",
    dialect=PostgresOdbc,
    dialect_name="postgres",
    default_schema="public",
    columns_sql=_PG_COLUMNS,
    tables_sql=_PG_TABLES,
    tables_fallback_sql=_PG_TABLES,
    primary_keys_sql=_PG_PRIMARY_KEYS,
    exists_sql="SELECT to_regclass(?) IS NOT NULL",
    describe_sql=None,
    spec=pg_spec,
    ddl=pg_ddl,
    rename=lambda staged, new_name: rename_table(staged, new_name),
    temp_table=_pg_temp,
    temp_properties=(exp.TemporaryProperty(),),
    session_setup=("SET TIME ZONE 'UTC'",),
    # SHARE ROW EXCLUSIVE conflicts with itself: one state upsert at a time, like HOLDLOCK
    state_prelude=("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE",),
)

FLAVOURS: dict[str, Flavour] = {f.name: f for f in (TSQL, POSTGRES_ODBC)}
