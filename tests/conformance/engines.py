"""The two engines the conformance suite runs every case on, and how results are compared.

DuckDB (in-process, the local engine) and the real PostgreSQL (one database for the whole
session, loaded once). A compiled query is rendered in each engine's dialect and run; the
result's schema is read back as the engine describes it (DuckDB: its Arrow schema;
PostgreSQL: each column's declared type, ``numeric(18,4)``, ``bigint``, …).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline
from app.model.sql_types import from_sql_type
from app.model.types import parse_type_name, type_name

#: deliberate differences between Cauce's schema and an engine's own description:
#: none today — every case must match both engines exactly
WIDENINGS: dict[tuple[str, str, str], str] = {}


@dataclass
class Result:
    schema: pa.Schema
    rows: list[tuple[Any, ...]]


class DuckEngine:
    dialect = "duckdb"

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        for name, table in tables.items():
            self.con.register(name, table)

    def run(self, sql: str) -> Result:
        table = self.con.sql(sql).to_arrow_table()
        schema = pa.schema(
            [pa.field(f.name, parse_type_name(type_name(f.type))) for f in table.schema]
        )
        return Result(schema, [tuple(r.values()) for r in table.to_pylist()])


class PostgresEngine:
    dialect = "postgres"

    def __init__(self, dsn: str, tables: dict[str, pa.Table]) -> None:
        import psycopg

        from tests.nodes.support import load_pg

        load_pg(dsn, tables)
        self.con = psycopg.connect(dsn, autocommit=True)
        self.con.execute("SET TimeZone = 'UTC'")

    def run(self, sql: str) -> Result:
        cur = self.con.execute(sql)
        fields = [
            pa.field(c.name, from_sql_type(c.type_display, "postgres"))
            for c in cur.description or ()
        ]
        return Result(pa.schema(fields), [tuple(r) for r in cur.fetchall()])

    def close(self) -> None:
        self.con.close()


def same(a: Any, b: Any) -> bool:
    """Equal values: decimals and integers exactly, doubles to 12 significant digits."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (dt.date, str)) or isinstance(b, (dt.date, str)):
            return False
        fa, fb = float(a), float(b)
        if math.isinf(fa) or math.isinf(fb):
            return fa == fb
        return math.isclose(fa, fb, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return False
    if isinstance(a, (int, decimal.Decimal)) and isinstance(b, (int, decimal.Decimal)):
        return decimal.Decimal(a) == decimal.Decimal(b)
    return bool(a == b)


def differences(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> Iterator[str]:
    """Human-readable row differences (empty when the rows are the same)."""
    if len(got) != len(expected):
        yield f"{len(got)} rows instead of {len(expected)}"
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        if len(g) != len(e) or not all(same(x, y) for x, y in zip(g, e, strict=True)):
            yield f"row {i}: {g!r} != {e!r}"


def compiled_chain(
    steps: list[tuple[str, dict[str, Any]]], tables: dict[str, pa.Table] | None = None
) -> tuple[str, str, pa.Schema]:
    """Compile ``source t -> step -> step ...``: the DuckDB and PostgreSQL SQL of the last
    step's output, and the schema Cauce infers for it."""
    sql, schema = compiled_in(steps, ("duckdb", "postgres"))
    return sql["duckdb"], sql["postgres"], schema


def compiled_in(
    steps: list[tuple[str, dict[str, Any]]], dialects: tuple[str, ...]
) -> tuple[dict[str, str], pa.Schema]:
    """The SQL of ``source t -> step -> step ...`` in each of ``dialects``, and the schema
    Cauce infers for the last step's output."""
    from tests.conformance.corpus import TABLE

    p = Pipeline(name="conformance")
    previous = p.add_node("source", name="t", params={"connection": "c", "table": "t"})
    for i, (kind, params) in enumerate(steps):
        node = p.add_node(kind, name=f"{kind}_{i}", params=params)
        p.connect(previous.id, "out", node.id, "in")
        previous = node
    compiled = compile_pipeline(p, binder=table_binder({"t": TABLE.schema}))
    compiled.raise_for_problems()
    schema = compiled.schema(previous.id)
    assert schema is not None
    return {d: compiled.sql(previous.id, dialect=d) for d in dialects}, schema


def check_schema(engine: str, inferred: pa.DataType, described: pa.DataType) -> None:
    """The inferred type is the described one, or a documented widening."""
    if inferred == described:
        return
    key = (engine, type_name(inferred), type_name(described))
    assert key in WIDENINGS, (
        f"{engine} describes {type_name(described)}, Cauce inferred {type_name(inferred)}"
    )
