"""Helpers for component tests: compile one node over named tables, render, run.

``build`` wires a source per table (the source is named after its table, so that
``table_binder`` finds the schema) into the ports of one node of the type under test.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot

from app.engine.compiler import DIALECTS, CompiledPipeline, compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline
from app.model.sql_types import to_sql_type
from app.model.types import parse_type_name, type_name

Tables = Mapping[str, Iterable[tuple[str, pa.Table | pa.Schema]]]


@dataclass
class Built:
    compiled: CompiledPipeline
    node_id: str

    def schema(self, port: str = "out") -> pa.Schema:
        self.compiled.raise_for_problems()
        schema = self.compiled.schema(self.node_id, port)
        assert schema is not None
        return schema

    def sql(self, dialect: str = "duckdb", port: str = "out") -> str:
        self.compiled.raise_for_problems()
        return self.compiled.sql(self.node_id, port, dialect)

    def error(self) -> str:
        assert self.compiled.problems, "expected a compile problem"
        return str(self.compiled.problems[0])

    def param(self) -> str | None:
        return self.compiled.problems[0].param


def build(node_type: str, params: dict[str, Any], tables: Tables, *, name: str = "node") -> Built:
    pipeline = Pipeline(name="test")
    node = pipeline.add_node(node_type, name=name, params=params)
    schemas: dict[str, pa.Schema] = {}
    for port, items in tables.items():
        for table, data in items:
            schemas[table] = data.schema if isinstance(data, pa.Table) else data
            src = pipeline.add_node(
                "source", name=table, params={"connection": "c", "table": table}
            )
            pipeline.connect(src.id, "out", node.id, port)
    return Built(compile_pipeline(pipeline, binder=table_binder(schemas)), node.id)


def render_everywhere(built: Built, port: str = "out") -> dict[str, str]:
    """Render in every dialect and check that sqlglot parses each rendering back."""
    result = {}
    for dialect in DIALECTS:
        sql = built.sql(dialect, port)
        sqlglot.parse_one(sql, read=dialect)
        result[dialect] = sql
    return result


def run_duckdb(sql: str, tables: Mapping[str, pa.Table]) -> pa.Table:
    with duckdb.connect() as con:
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(sql).to_arrow_table()


def normalised(schema: pa.Schema) -> list[tuple[str, pa.DataType]]:
    return [(f.name, parse_type_name(type_name(f.type))) for f in schema]


def load_pg(dsn: str, tables: Mapping[str, pa.Table]) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as con:
        for name, table in tables.items():
            cols = ", ".join(
                f'"{f.name}" {to_sql_type(f.type).sql("postgres")}' for f in table.schema
            )
            con.execute(f'CREATE TABLE "{name}" ({cols})')
            marks = ", ".join(["%s"] * table.num_columns)
            with con.cursor() as cur:
                cur.executemany(
                    f'INSERT INTO "{name}" VALUES ({marks})',
                    [tuple(r.values()) for r in table.to_pylist()],
                )


def run_pg(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(dsn) as con:
        return [tuple(r) for r in con.execute(sql).fetchall()]


def _norm(value: Any) -> Any:
    if isinstance(value, float) and not math.isnan(value):
        return round(value, 9)
    if isinstance(value, decimal.Decimal):
        return round(float(value), 9)
    return value


def rows(data: pa.Table | list[tuple[Any, ...]], *, ordered: bool = False) -> list[tuple[Any, ...]]:
    """Comparable rows: numbers rounded, sorted unless ``ordered`` (NULLs sort first)."""
    raw = [tuple(r.values()) for r in data.to_pylist()] if isinstance(data, pa.Table) else data
    result = [tuple(_norm(v) for v in r) for r in raw]
    if ordered:
        return result
    return sorted(result, key=_sort_key)


def _sort_key(row: tuple[Any, ...]) -> list[tuple[bool, str, Any]]:
    return [(v is not None, str(type(v)), 0 if v is None else v) for v in row]
