"""Rewrites for the warehouses' NULL and type rules (found by the conformance corpus on the
stand-ins, tests/conformance/test_warehouses.py). Each rewrite is also run on DuckDB, which
has the semantics the compiler follows, to check that it keeps them."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from app.engine.compiler.dialect_fixes import apply_fixes


def rendered(sql: str, dialect: str) -> str:
    return apply_fixes(sqlglot.parse_one(sql, read="duckdb"), dialect).sql(dialect)


def duck(sql: str) -> object:
    return duckdb.sql(sql).fetchall()


def test_bigquery_greatest_and_least_skip_nulls_as_the_local_engine() -> None:
    sql = rendered("SELECT GREATEST(a, b, c) FROM t", "bigquery")
    assert sql == (
        "SELECT GREATEST(COALESCE(a, b, c), COALESCE(b, a, c), COALESCE(c, a, b)) FROM t"
    )
    least = rendered("SELECT LEAST(a, b) FROM t", "bigquery")
    assert least == "SELECT LEAST(COALESCE(a, b), COALESCE(b, a)) FROM t"
    # the rewritten form, where GREATEST is NULL-propagating (as in BigQuery), agrees
    for a, b, c in [(1, None, 3), (None, None, None), (None, 2, None), (5, 4, 6)]:
        values = ", ".join("NULL" if v is None else str(v) for v in (a, b, c))
        local = duck(f"SELECT GREATEST({values})")
        strict = duck(
            f"SELECT CASE WHEN x IS NULL OR y IS NULL OR z IS NULL THEN NULL "
            f"ELSE GREATEST(x, y, z) END FROM (SELECT COALESCE(a, b, c) x, COALESCE(b, a, c) y, "
            f"COALESCE(c, a, b) z FROM (SELECT {values}) AS v(a, b, c))"
        )
        assert strict == local


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery"])
def test_concat_ws_skips_null_arguments_and_their_separators(dialect: str) -> None:
    sql = rendered("SELECT CONCAT_WS(', ', a, 'x', b) FROM t", dialect)
    assert "CONCAT_WS" not in sql.upper()
    assert "COALESCE(', ' || CAST(a AS" in sql
    # the same shape, on DuckDB, gives CONCAT_WS's answers
    shape = (
        "SUBSTRING(COALESCE(', ' || CAST(a AS VARCHAR), '') || COALESCE(', ' || 'x', '') || "
        "COALESCE(', ' || CAST(b AS VARCHAR), ''), LENGTH(', ') + 1)"
    )
    for a, b in [("p", "q"), (None, "q"), ("p", None), (None, None)]:
        values = ", ".join("NULL" if v is None else f"'{v}'" for v in (a, b))
        frm = f"FROM (SELECT {values}) AS v(a, b)"
        assert duck(f"SELECT {shape} {frm}") == duck(f"SELECT CONCAT_WS(', ', a, 'x', b) {frm}")


def test_bigquery_formats_timestamps_with_format_timestamp() -> None:
    sql = rendered("SELECT STRFTIME(ts, '%H:%M') FROM t", "bigquery")
    assert sql == "SELECT FORMAT_TIMESTAMP('%H:%M', CAST(ts AS TIMESTAMP)) FROM t"


def test_postgres_keeps_its_own_null_skipping_functions() -> None:
    assert rendered("SELECT GREATEST(a, b), CONCAT_WS('-', a, b) FROM t", "postgres") == (
        "SELECT GREATEST(a, b), CONCAT_WS('-', a, b) FROM t"
    )
