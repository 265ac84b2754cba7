"""Every corpus expression, compiled as a derived column, run on DuckDB and PostgreSQL.

For each case: (a) the schema Cauce infers is the schema each engine describes, (b) both
engines return the same rows, (c) the rows equal the reference computed in Python.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from tests.conformance.corpus import TABLE, Case, expression_cases, rows
from tests.conformance.engines import (
    DuckEngine,
    PostgresEngine,
    check_schema,
    compiled_chain,
    differences,
)

CASES = expression_cases()


def derive_steps(expression: str) -> list[tuple[str, dict[str, Any]]]:
    """``SELECT id, <expression> AS v FROM t ORDER BY id`` as components."""
    return [
        ("derive", {"columns": [{"name": "v", "expression": expression}]}),
        ("select", {"columns": [{"column": "id"}, {"column": "v"}]}),
        ("sort", {"keys": [{"column": "id"}]}),
    ]


def compiled_derive(expression: str) -> tuple[str, str, pa.DataType]:
    """The DuckDB and PostgreSQL SQL of :func:`derive_steps`, and the type Cauce infers for
    ``v``."""
    duck_sql, pg_sql, schema = compiled_chain(derive_steps(expression))
    return duck_sql, pg_sql, schema.field("v").type


def reference(case: Case) -> list[tuple[Any, ...]]:
    return [(row["id"], case.reference(row)) for row in rows()]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_expression(case: Case, duck: DuckEngine, postgres: PostgresEngine) -> None:
    duck_sql, pg_sql, inferred = compiled_derive(case.expression)
    local = duck.run(duck_sql)
    pushed = postgres.run(pg_sql)
    check_schema("duckdb", inferred, local.schema.field("v").type)
    check_schema("postgres", inferred, pushed.schema.field("v").type)
    assert not list(differences(pushed.rows, local.rows)), (
        "PostgreSQL and DuckDB differ:\n"
        + "\n".join(differences(pushed.rows, local.rows))
        + f"\n{pg_sql}"
    )
    expected = reference(case)
    assert not list(differences(local.rows, expected)), (
        "DuckDB differs from the reference:\n" + "\n".join(differences(local.rows, expected))
    )


def test_the_corpus_is_large_and_covers_every_column() -> None:
    assert len(CASES) >= 300
    used = {
        name
        for case in CASES
        for name in TABLE.column_names
        if name in case.expression.replace("(", " ").replace(",", " ").split()
    }
    assert used >= set(TABLE.column_names) - {"id"}
