"""Union, dedupe and window components."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from tests.nodes.fixtures import ORDERS, TABLES
from tests.nodes.support import (
    build,
    load_pg,
    normalised,
    render_everywhere,
    rows,
    run_duckdb,
    run_pg,
)

A = pa.table({"id": pa.array([1, 2], pa.int32()), "Name": ["a", "b"]})
B = pa.table(
    {
        "ID": pa.array([2, 3], pa.int64()),
        "price": pa.array([Decimal("1.5"), None], pa.decimal128(5, 1)),
    }
)
AB = {"a": A, "b": B}


def union(params: dict, tables: list[tuple[str, pa.Table]]) -> object:
    return build("union", params, {"in": tables})


def test_union_by_name_fills_and_widens() -> None:
    built = union({}, [("a", A), ("b", B)])
    assert normalised(built.schema()) == [
        ("id", pa.int64()),
        ("Name", pa.string()),
        ("price", pa.decimal128(5, 1)),
    ]
    render_everywhere(built)
    got = run_duckdb(built.sql(), AB)
    assert normalised(got.schema) == normalised(built.schema())
    assert rows(got) == rows([(1, "a", None), (2, "b", None), (2, None, 1.5), (3, None, None)])


def test_union_order_of_inputs_is_edge_order_and_distinct_dedupes() -> None:
    built = union({"distinct": True}, [("b", B), ("a", A), ("a2", A)])
    assert built.schema().names == ["ID", "price", "Name"]
    assert "UNION DISTINCT" in render_everywhere(built)["bigquery"]
    tables = {"a": A, "b": B, "a2": A}
    assert run_duckdb(built.sql(), tables).num_rows == 4


def test_union_incompatible_types_is_an_error() -> None:
    other = pa.table({"id": ["x"]})
    built = union({}, [("a", A), ("o", other)])
    assert "column 'id' is int32 in the earlier inputs but string in input 2 (o)" in built.error()


def dedupe(params: dict) -> object:
    return build("dedupe", params, {"in": [("orders", ORDERS)]})


@pytest.mark.parametrize(
    ("keep", "expected"), [("first", {10, 12, 13, 14, 15}), ("last", {11, 12, 13, 14, 15})]
)
def test_dedupe_keeps_first_or_last(keep: str, expected: set[int]) -> None:
    built = dedupe(
        {"keys": ["CustomerId"], "order_by": [{"column": "Day", "descending": True}], "keep": keep}
    )
    assert built.schema() == ORDERS.schema
    sqls = render_everywhere(built)
    assert "QUALIFY" not in sqls["duckdb"] and "__cauce_rn" in sqls["duckdb"]
    got = run_duckdb(built.sql(), TABLES)
    assert got.schema.names == ORDERS.schema.names
    assert set(got.column("OrderId").to_pylist()) == expected


def test_dedupe_without_order_is_deterministic(pg_db: dict) -> None:
    built = dedupe({"keys": ["status"]})
    load_pg(str(pg_db["dsn"]), TABLES)
    expected = rows(run_duckdb(built.sql(), TABLES))
    assert [r[0] for r in expected] == [10, 11, 13]
    assert rows(run_pg(str(pg_db["dsn"]), built.sql("postgres"))) == expected


def test_dedupe_bad_input() -> None:
    assert "unknown column 'k'" in dedupe({"keys": ["k"]}).error()
    assert "listed twice" in dedupe({"keys": ["Qty", "qty"]}).error()


WINDOW = {
    "partition_by": ["Status"],
    "order_by": [{"column": "Day"}],
    "functions": [
        {"function": "row_number", "name": "rn"},
        {"function": "rank", "name": "rk"},
        {"function": "dense_rank", "name": "drk"},
        {"function": "lag", "column": "Qty", "name": "prev_qty", "default": "0"},
        {"function": "lead", "column": "Amount", "name": "next_amount", "offset": 2},
        {"function": "running_sum", "column": "Qty", "name": "qty_so_far"},
        {"function": "running_sum", "column": "Amount", "name": "amount_so_far"},
    ],
}


def test_window_schema_matches_duckdb_and_values() -> None:
    built = build("window", WINDOW, {"in": [("orders", ORDERS)]})
    render_everywhere(built)
    got = run_duckdb(built.sql(), TABLES)
    assert normalised(got.schema) == normalised(built.schema())
    assert [f.type for f in built.schema()][-7:] == [
        pa.int64(),
        pa.int64(),
        pa.int64(),
        pa.int32(),
        pa.decimal128(10, 2),
        pa.int64(),
        pa.decimal128(38, 2),
    ]
    by_id = {r["OrderId"]: r for r in got.to_pylist()}
    assert [by_id[i]["rn"] for i in (11, 12, 15)] == [1, 2, 3]
    assert [by_id[i]["prev_qty"] for i in (11, 12, 15)] == [0, 3, 2]
    assert by_id[11]["next_amount"] is None and by_id[11]["qty_so_far"] == 3
    assert by_id[15]["qty_so_far"] == 7 and float(by_id[15]["amount_so_far"]) == 25.5


def test_window_postgres_agrees_with_duckdb(pg_db: dict) -> None:
    built = build("window", WINDOW, {"in": [("orders", ORDERS)]})
    load_pg(str(pg_db["dsn"]), TABLES)
    expected = rows(run_duckdb(built.sql(), TABLES))
    assert rows(run_pg(str(pg_db["dsn"]), built.sql("postgres"))) == expected


@pytest.mark.parametrize(
    ("change", "param", "needle"),
    [
        ({"order_by": []}, "order_by", "need an order"),
        ({"functions": [{"function": "lag", "name": "x"}]}, "functions.0.column", "needs a column"),
        (
            {"functions": [{"function": "rank", "name": "qty"}]},
            "functions.0.name",
            "already exists",
        ),
        (
            {"functions": [{"function": "running_sum", "column": "Status", "name": "s"}]},
            "functions.0.column",
            "needs a numeric column",
        ),
        (
            {"functions": [{"function": "lag", "column": "Qty", "name": "p", "default": "'x'"}]},
            "functions.0.default",
            "does not fit column Qty",
        ),
        (
            {"functions": [{"function": "lag", "column": "Qty", "name": "p", "default": "Price"}]},
            "functions.0.default",
            "must be a literal",
        ),
        ({"partition_by": ["nope"]}, "partition_by.0", "unknown column 'nope'"),
    ],
)
def test_window_bad_input(change: dict, param: str, needle: str) -> None:
    built = build("window", {**WINDOW, **change}, {"in": [("orders", ORDERS)]})
    assert needle in built.error(), built.error()
    assert built.param() == param


def test_union_gaps_filled_with_nulls_are_a_warning_naming_the_columns() -> None:
    built = union({}, [("a", A), ("b", B)])
    assert [w.message for w in built.compiled.warnings] == [
        "input 1 (a) has no price: filled with NULL",
        "input 2 (b) has no Name: filled with NULL",
    ]
    assert {w.node_id for w in built.compiled.warnings} == {built.node_id}
    assert not built.compiled.problems
    same = union({}, [("a", A), ("a2", A)])
    assert not same.compiled.warnings
