"""Issue #10: the schema Cauce infers is the schema the engine produces (regressions).

The exhaustive check, on DuckDB and PostgreSQL with Python references, is
``tests/conformance``; these are the issue's own examples, fast and DuckDB-only.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow as pa
import pytest

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline

LINEITEM = pa.table(
    {
        "flag": pa.array(["A", "A", "B"]),
        "price": pa.array(
            [Decimal("1000.07"), Decimal("2000.13"), Decimal("33.33")], pa.decimal128(15, 2)
        ),
        "discount": pa.array(
            [Decimal("0.05"), Decimal("0.07"), Decimal("0.10")], pa.decimal128(15, 2)
        ),
        "total": pa.array(
            [Decimal("1.99"), Decimal("5.95"), Decimal("0.99")], pa.decimal128(10, 2)
        ),
    }
)


def chain(*steps: tuple[str, dict]) -> tuple[Pipeline, str]:
    p = Pipeline(name="types")
    previous = p.add_node(
        "source", name="lineitem", params={"connection": "c", "table": "lineitem"}
    )
    for i, (kind, params) in enumerate(steps):
        node = p.add_node(kind, name=f"{kind}{i}", params=params)
        p.connect(previous.id, "out", node.id, "in")
        previous = node
    return p, previous.id


def compiled(*steps: tuple[str, dict]):  # noqa: ANN201 - (compiled pipeline, last node id)
    p, last = chain(*steps)
    return compile_pipeline(
        p, binder=table_binder({"lineitem": LINEITEM.schema})
    ).raise_for_problems(), last


def run(sql: str) -> pa.Table:
    with duckdb.connect() as con:
        con.register("lineitem", LINEITEM)
        return con.sql(sql).to_arrow_table()


def test_a_decimal_product_is_typed_as_duckdb_types_it_and_its_sum_stays_exact() -> None:
    result, last = compiled(
        ("derive", {"columns": [{"name": "rev", "expression": "price * discount"}]}),
        (
            "aggregate",
            {
                "group_by": ["flag"],
                "measures": [{"function": "sum", "column": "rev", "name": "revenue"}],
            },
        ),
    )
    schema = result.schema(last)
    assert schema.field("revenue").type == pa.decimal128(38, 4)
    derive_schema = result.schema(result.pipeline.node_by_name("derive0").id)
    assert derive_schema.field("rev").type == pa.decimal128(18, 4)
    table = run(result.sql(last))
    got = dict(zip(table["flag"].to_pylist(), table["revenue"].to_pylist(), strict=True))
    # 1000.07 * 0.05 + 2000.13 * 0.07 = 50.0035 + 140.0091 (not rounded to cents)
    assert got == {"A": Decimal("190.0126"), "B": Decimal("3.3330")}
    assert table.schema.field("revenue").type == schema.field("revenue").type


def test_round_of_a_decimal_keeps_the_decimal_and_runs_in_postgres_sql() -> None:
    result, last = compiled(
        ("derive", {"columns": [{"name": "r", "expression": "round(total, 2)"}]}),
        (
            "window",
            {
                "functions": [{"function": "running_sum", "column": "r", "name": "run"}],
                "order_by": [{"column": "total"}],
            },
        ),
    )
    schema = result.schema(last)
    assert schema.field("r").type == pa.decimal128(10, 2)
    assert schema.field("run").type == pa.decimal128(38, 2)
    assert "ROUND(CAST(" in result.sql(last, dialect="postgres")  # round(numeric, int) exists


def test_a_ratio_of_decimal_sums_is_double_as_in_duckdb() -> None:
    result, last = compiled(
        (
            "derive",
            {
                "columns": [
                    {"name": "promo", "expression": "CASE WHEN flag = 'A' THEN price ELSE 0 END"}
                ]
            },
        ),
        (
            "aggregate",
            {
                "measures": [
                    {"function": "sum", "column": "promo", "name": "a"},
                    {"function": "sum", "column": "price", "name": "b"},
                ]
            },
        ),
        ("derive", {"columns": [{"name": "ratio", "expression": "100 * a / b"}]}),
    )
    assert result.schema(last).field("ratio").type == pa.float64()
    table = run(result.sql(last))
    assert table.schema.field("ratio").type == pa.float64()
    assert table["ratio"].to_pylist() == [pytest.approx(100 * 3000.20 / 3033.53, rel=1e-12)]


def test_postgres_sql_casts_each_result_to_the_inferred_type() -> None:
    result, last = compiled(
        (
            "derive",
            {
                "columns": [
                    {"name": "rev", "expression": "price * discount"},
                    {"name": "y", "expression": "length(flag) // 2"},
                ]
            },
        )
    )
    sql = result.sql(last, dialect="postgres")
    assert 'CAST("price" * "discount" AS DECIMAL(18, 4)) AS "rev"' in sql
    assert 'CAST(DIV(LENGTH("flag"), 2) AS BIGINT) AS "y"' in sql
    assert "CAST(" not in result.sql(last, dialect="duckdb")  # DuckDB's own type already


def test_a_declared_type_narrower_than_the_value_is_a_warning() -> None:
    narrowed, _ = compiled(
        (
            "derive",
            {
                "columns": [
                    {"name": "rev", "expression": "price * discount", "type": "decimal(15,2)"}
                ]
            },
        )
    )
    [warning] = narrowed.warnings
    assert warning.severity == "warning" and warning.node_name == "derive0"
    assert "declared decimal(15,2), narrower than its value (decimal(18,4))" in warning.message
    exact, _ = compiled(
        (
            "derive",
            {
                "columns": [
                    {"name": "rev", "expression": "price * discount", "type": "decimal(38,4)"}
                ]
            },
        )
    )
    assert not exact.warnings


def test_duckdb_type_names_map_to_the_arrow_types_duckdb_exports() -> None:
    from app.engine.compiler.context import _DUCKDB_ARROW, _duckdb_arrow

    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        for name in [*_DUCKDB_ARROW, "DECIMAL(18,4)", "DECIMAL(38,0)"]:
            cast = "TIMESTAMPTZ" if name == "TIMESTAMP WITH TIME ZONE" else name
            relation = con.sql(f"SELECT CAST(NULL AS {cast}) AS v LIMIT 0")
            assert str(relation.types[0]) == name
            assert _duckdb_arrow(name) == relation.to_arrow_table().schema.field(0).type


def test_one_probe_types_every_derived_column_and_a_bad_one_is_named() -> None:
    p, last = chain(
        (
            "derive",
            {
                "columns": [
                    {"name": "a", "expression": "price * 2"},
                    {"name": "b", "expression": "nosuch_function(price)"},
                    {"name": "c", "expression": "upper(flag)"},
                ]
            },
        )
    )
    result = compile_pipeline(p, binder=table_binder({"lineitem": LINEITEM.schema}))
    [problem] = result.problems
    assert problem.param == "columns.1.expression" and "nosuch_function" in problem.message


def test_a_select_cast_narrower_than_the_column_is_a_warning() -> None:
    narrowed, _ = compiled(
        (
            "select",
            {
                "columns": [
                    {"column": "price", "cast": "decimal(10,1)"},
                    {"column": "total", "cast": "float64"},
                ]
            },
        )
    )
    [warning] = narrowed.warnings
    assert "'price' is cast to decimal(10,1), narrower than its type (decimal(15,2))" in (
        warning.message
    )
