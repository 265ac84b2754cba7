"""The type-mapping tables of ``docs/type-mapping.md``, generated from the connectors' code.

For every source type of every source system: the canonical Arrow type a sync reads it as
(with the PostgreSQL type it keeps, if any), then the column type each destination creates
for it — each computed by the very functions the connectors use (PostgreSQL's ``ddl_field``,
SQLite's ``declared_type``, SQL Server's ``tsql_ddl``, Snowflake's and Redshift's
``ddl_type``, BigQuery's ``bq_type``; DuckDB's by creating the table from an empty
Arrow stream in an in-memory DuckDB, as its ``write`` does). A test regenerates the file
and fails when it differs:
``python -m app.connectors.typemap --write docs/type-mapping.md``.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from app.connectors.base import ConnectionError_, Connector
from app.connectors.pgtime import DATE_INFINITY, TIMESTAMP_INFINITY
from app.model.types import TypeMismatch, pg_type

__all__ = ["destination_types", "render", "source_types"]

REGENERATE = "uv run python -m app.connectors.typemap --write docs/type-mapping.md"

#: PostgreSQL source types: (label, typname, precision, scale)
_POSTGRES: list[tuple[str, str, int | None, int | None]] = [
    ("smallint", "int2", None, None),
    ("integer", "int4", None, None),
    ("bigint", "int8", None, None),
    ("numeric(12,2)", "numeric", 12, 2),
    ("numeric (no precision)", "numeric", None, None),
    ("numeric(50,5)", "numeric", 50, 5),
    ("real", "float4", None, None),
    ("double precision", "float8", None, None),
    ("boolean", "bool", None, None),
    ("text", "text", None, None),
    ("varchar(n)", "varchar", None, None),
    ("char(n)", "bpchar", None, None),
    ("citext", "citext", None, None),
    ("bytea", "bytea", None, None),
    ("date", "date", None, None),
    ("time", "time", None, None),
    ("timetz", "timetz", None, None),
    ("timestamp", "timestamp", None, None),
    ("timestamptz", "timestamptz", None, None),
    ("interval", "interval", None, None),
    ("uuid", "uuid", None, None),
    ("json", "json", None, None),
    ("jsonb", "jsonb", None, None),
    ("xml", "xml", None, None),
    ("inet", "inet", None, None),
    ("cidr", "cidr", None, None),
    ("macaddr", "macaddr", None, None),
    ("money", "money", None, None),
    ("oid", "oid", None, None),
    ("integer[]", "_int4", None, None),
    ("text[]", "_text", None, None),
    ("timestamptz[]", "_timestamptz", None, None),
    ("uuid[]", "_uuid", None, None),
    ("jsonb[]", "_jsonb", None, None),
    ("interval[]", "_interval", None, None),
    ("bytea[]", "_bytea", None, None),
    ("time[]", "_time", None, None),
    ("int4range", "int4range", None, None),
    ("tsvector", "tsvector", None, None),
    ("point", "point", None, None),
    ("an enum or other user-defined type", "mood", None, None),
]
#: MariaDB / MySQL source types: (DATA_TYPE, COLUMN_TYPE, precision, scale)
_MYSQL: list[tuple[str, str, int | None, int | None]] = [
    ("tinyint", "tinyint(4)", 3, 0),
    ("tinyint", "tinyint(1)", 3, 0),
    ("smallint", "smallint(6)", 5, 0),
    ("int", "int(11)", 10, 0),
    ("int", "int(10) unsigned", 10, 0),
    ("bigint", "bigint(20)", 19, 0),
    ("bigint", "bigint(20) unsigned", 20, 0),
    ("decimal", "decimal(12,3)", 12, 3),
    ("decimal", "decimal(65,2)", 65, 2),
    ("float", "float", 12, None),
    ("double", "double", 22, None),
    ("char", "char(3)", None, None),
    ("varchar", "varchar(10)", None, None),
    ("text", "text", None, None),
    ("enum", "enum('a','b')", None, None),
    ("json", "longtext", None, None),
    ("date", "date", None, None),
    ("time", "time(6)", None, None),
    ("datetime", "datetime(6)", None, None),
    ("timestamp", "timestamp(6)", None, None),
    ("year", "year(4)", None, None),
    ("bit", "bit(1)", 1, None),
    ("bit", "bit(8)", 8, None),
    ("bit", "bit(64)", 64, None),
    ("varbinary", "varbinary(8)", None, None),
    ("blob", "blob", None, None),
    ("geometry", "geometry", None, None),
    ("point", "point", None, None),
]
_SQLITE = [
    "INTEGER",
    "BIGINT",
    "NUMERIC(10,2)",
    "DECIMAL_TEXT(38,9)",
    "NUMERIC",
    "REAL",
    "DOUBLE",
    "TEXT",
    "VARCHAR(20)",
    "BLOB",
    "BOOLEAN",
    "DATE",
    "TIME",
    "DATETIME",
    "TIMESTAMPTZ",
    "",
]
_DUCKDB = [
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "UBIGINT",
    "DECIMAL(18,3)",
    "DECIMAL(38,10)",
    "FLOAT",
    "DOUBLE",
    "VARCHAR",
    "BLOB",
    "DATE",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "INTERVAL",
    "UUID",
    "JSON",
    "INTEGER[]",
    "STRUCT(a INTEGER, b VARCHAR)",
    "MAP(VARCHAR, INTEGER)",
]


def _postgres_sources() -> list[tuple[str, pa.Field]]:
    from app.connectors.postgres._types import column_spec

    return [
        (label, column_spec("c", typname, precision, scale, exact_text=True).field)
        for label, typname, precision, scale in _POSTGRES
    ]


def _mysql_sources() -> list[tuple[str, pa.Field]]:
    from app.connectors.mysql._types import column_spec

    return [
        (column_type, column_spec("c", kind, column_type, precision, scale).field)
        for kind, column_type, precision, scale in _MYSQL
    ]


def _sqlite_sources() -> list[tuple[str, pa.Field]]:
    from app.connectors.sqlite._types import arrow_type

    return [
        (declared or "(no declared type)", pa.field("c", arrow_type(declared)))
        for declared in _SQLITE
    ]


def _duckdb_sources() -> list[tuple[str, pa.Field]]:
    import duckdb

    from app.connectors.duckdb._types import canonical_schema, tag_text_types

    out = []
    with duckdb.connect() as con:
        for name in _DUCKDB:
            relation = con.sql(f"SELECT CAST(NULL AS {name}) AS c").limit(0)
            schema = canonical_schema(relation.to_arrow_table().schema)
            tagged = tag_text_types(schema, [str(t) for t in relation.types])
            out.append((name, tagged.field(0)))
    return out


def source_types() -> dict[str, list[tuple[str, pa.Field]]]:
    """Every listed source type of every source system, with the field a sync reads."""
    return {
        "PostgreSQL": _postgres_sources(),
        "MariaDB / MySQL": _mysql_sources(),
        "SQLite": _sqlite_sources(),
        "DuckDB": _duckdb_sources(),
    }


def _postgres_ddl(field: pa.Field) -> str:
    from app.connectors.postgres import PostgresConnector
    from app.connectors.postgres._types import ddl_field

    return ddl_field(PostgresConnector.incoming(_bare(PostgresConnector), field)).sql("postgres")


def _duckdb_ddl(field: pa.Field) -> str:
    from sqlglot import exp

    from app.connectors.duckdb import DuckDBConnector
    from app.connectors.duckdb._types import native_schema, typed_columns

    stored = DuckDBConnector.incoming(_bare(DuckDBConnector), field)
    empty = pa.Table.from_batches([], native_schema(pa.schema([stored])))
    con = _duckdb()
    con.register("incoming", empty)
    select = exp.select(*typed_columns(empty.schema)).from_("incoming").sql("duckdb")
    con.execute(f"CREATE OR REPLACE TABLE t AS {select}")  # as the connector's write does
    return str(
        con.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 't'"
        ).fetchall()[0][0]
    )


@functools.cache
def _duckdb() -> Any:
    """One in-memory DuckDB for the whole document (a connection per row costs seconds)."""
    import duckdb

    return duckdb.connect()


def _sqlite_ddl(field: pa.Field) -> str:
    from app.connectors.sqlite import SQLiteConnector
    from app.connectors.sqlite._types import declared_type

    return declared_type(SQLiteConnector.incoming(_bare(SQLiteConnector), field).type)


def _mssql_ddl(field: pa.Field) -> str:
    from app.connectors.mssql import SqlServerConnector
    from app.connectors.mssql._types import tsql_ddl

    return tsql_ddl(SqlServerConnector.incoming(_bare(SqlServerConnector), field).type)


def _snowflake_ddl(field: pa.Field) -> str:
    from app.connectors.snowflake import SnowflakeConnector
    from app.connectors.snowflake._types import ddl_type

    return ddl_type(SnowflakeConnector.incoming(_bare(SnowflakeConnector), field)).sql("snowflake")


def _redshift_ddl(field: pa.Field) -> str:
    from app.connectors.redshift import RedshiftConnector
    from app.connectors.redshift._types import ddl_type

    return ddl_type(RedshiftConnector.incoming(_bare(RedshiftConnector), field)).sql("redshift")


def _bigquery_ddl(field: pa.Field) -> str:
    from app.connectors.bigquery import BigQueryConnector
    from app.connectors.bigquery._types import bq_type

    return bq_type(BigQueryConnector.incoming(_bare(BigQueryConnector), field).type)


def _bare(cls: type[Connector]) -> Connector:
    """An instance for calling type methods that need no connection."""
    return cls.__new__(cls)


def destination_types() -> dict[str, Callable[[pa.Field], str]]:
    return {
        "PostgreSQL": _postgres_ddl,
        "DuckDB": _duckdb_ddl,
        "SQLite": _sqlite_ddl,
        "SQL Server": _mssql_ddl,
        "Snowflake": _snowflake_ddl,
        "Redshift": _redshift_ddl,
        "BigQuery": _bigquery_ddl,
    }


def _cell(make: Callable[[pa.Field], str], field: pa.Field) -> str:
    try:
        return f"`{make(field)}`"
    except (TypeMismatch, ConnectionError_, ValueError) as err:
        return f"refused ({err})".replace("|", "\\|")


def _arrow(field: pa.Field) -> str:
    kept = pg_type(field)
    return f"`{field.type}`" + (f" (keeps `{kept}`)" if kept else "")


def render() -> str:
    """The whole Markdown document."""
    dests = destination_types()
    lines = [
        "# Type mapping (generated)",
        "",
        "Generated from the connectors' code by `app/connectors/typemap.py`; do not edit by "
        f"hand: `{REGENERATE}` (a test fails when this file is stale).",
        "",
        "Each row: a source column type, the canonical Arrow type a sync reads it as (and "
        "the PostgreSQL type it keeps, for text-form PostgreSQL types), and the column type "
        "each destination creates for it. A value a destination type cannot hold exactly "
        "stops the sync with an error naming the column, the row and the value (see "
        '`docs/syncs.md`, "Values").',
        "",
        "`±infinity`, dates before year 1 and after year 9999 (PostgreSQL `date`, `timestamp`, "
        "`timestamptz` and their arrays' elements; DuckDB `DATE`, `TIMESTAMP`, `TIMESTAMPTZ`) "
        "travel in Arrow as DuckDB exports them: "
        f"`infinity` is `date32` {DATE_INFINITY} days or `timestamp[us]` {TIMESTAMP_INFINITY} "
        "µs, `-infinity` their negation, a BC date an ordinary negative value (PostgreSQL's "
        "`0044-03-15 BC` is year −43), a date after 9999 an ordinary value. PostgreSQL and "
        "DuckDB destinations store them exactly, on every path; SQLite and SQL Server have "
        "none of them and refuse them by column, row and value (`app/connectors/pgtime.py`). "
        "PostgreSQL timestamps after 294247-01-10 04:00:54.775806 do not fit 64-bit "
        "microseconds: refused by column, row and value on every path (the PostgreSQL → "
        "PostgreSQL fast path stops at such a value and hands the run to the Arrow path, "
        "which names it).",
        "",
        "Files: Parquet refuses `±infinity` the same way (its `DATE` and `TIMESTAMP` have no "
        "infinity, and the stand-in above is a real date, year 5881580, to every other "
        "reader); its BC and after-9999 values are ordinary Parquet values. CSV keeps every "
        "value as the text DuckDB writes (`infinity`, `-infinity`, `0044-03-15 (BC)`, "
        "`12345-06-07`), which PostgreSQL and DuckDB read back exactly: a faithful "
        "representation, and a reader that knows no such words fails rather than misreads.",
        "",
        "PostgreSQL enums are text, as below, unless a sync's destination says "
        '`"enums": "create"`: a PostgreSQL destination then creates the same enum type (the '
        "same labels in the same order, read from the source's `pg_enum`) in the destination "
        "table's schema, reuses it when it exists with those labels and refuses it, by name, "
        "when it has others; other destinations store text all the same. Arrays of enums "
        "are arrays of text (`text[]`; lists of strings in DuckDB), or arrays of the created "
        'enum type with `"enums": "create"` (`app/connectors/postgres/_enums.py`).',
        "",
        "BigQuery has one integer type (`INT64`), one float (`FLOAT64`) and two decimals: "
        "`NUMERIC` (38 digits, scale 9) and `BIGNUMERIC` (76 digits, scale 38). A decimal "
        "whose integer digits and scale fit `NUMERIC` is stored as `NUMERIC` and reads back "
        "as `decimal128(38, 9)` with every value the same; one that fits only `BIGNUMERIC` "
        "is stored there (`decimal256(76, 38)`); any other is refused, never narrowed. Its "
        "`DATE`, `DATETIME` and `TIMESTAMP` hold years 1 to 9999: other values (`±infinity` "
        "included) are refused by column and value before anything is loaded; nested types "
        "are refused (`app/connectors/bigquery/_types.py`).",
    ]
    for system, rows in source_types().items():
        lines += [
            "",
            f"## From {system}",
            "",
            "| source type | Arrow | " + " | ".join(dests) + " |",
            "|---|---|" + "---|" * len(dests),
        ]
        for label, field in rows:
            cells = [_cell(make, field) for make in dests.values()]
            lines.append(f"| `{label}` | {_arrow(field)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="write the document here")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
