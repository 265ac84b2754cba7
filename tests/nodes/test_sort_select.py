"""Sort and select components."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.nodes.fixtures import ORDERS, TABLES
from tests.nodes.support import build, normalised, render_everywhere, rows, run_duckdb


def sort(params: dict) -> object:
    return build("sort", params, {"in": [("orders", ORDERS)]})


def test_sort_orders_rows_with_nulls_last_by_default() -> None:
    built = sort({"keys": [{"column": "status", "descending": True}, {"column": "Price"}]})
    assert built.schema() == ORDERS.schema
    render_everywhere(built)
    got = run_duckdb(built.sql(), TABLES)
    assert got.column("OrderId").to_pylist() == [11, 15, 12, 14, 10, 13]


def test_sort_nulls_first_and_limit() -> None:
    built = sort({"keys": [{"column": "Price", "nulls_first": True}], "limit": 2})
    got = run_duckdb(built.sql(), TABLES)
    assert got.column("OrderId").to_pylist() == [12, 14]
    sqls = render_everywhere(built)
    assert "TOP 2" in sqls["tsql"]
    assert "NULLS FIRST" in sqls["postgres"]


def test_sort_unknown_column_names_node_and_column() -> None:
    built = sort({"keys": [{"column": "nope"}]})
    assert "node 'node'" in built.error() and "'nope'" in built.error()
    assert built.param() == "keys.0.column"


def select(params: dict) -> object:
    return build("select", params, {"in": [("orders", ORDERS)]})


def test_select_keeps_renames_casts_and_reorders() -> None:
    built = select(
        {
            "columns": [
                {"column": "qty", "rename": "Quantity", "cast": "int64"},
                {"column": "OrderId"},
                {"column": "Amount", "cast": "float64"},
            ]
        }
    )
    assert normalised(built.schema()) == [
        ("Quantity", pa.int64()),
        ("OrderId", pa.int32()),
        ("Amount", pa.float64()),
    ]
    render_everywhere(built)
    got = run_duckdb(built.sql(), TABLES)
    assert normalised(got.schema) == normalised(built.schema())
    assert rows(got)[0] == (1, 10, 9.99)


def test_select_listed_then_rest_minus_dropped() -> None:
    built = select({"columns": [{"column": "Status"}], "keep_rest": True, "drop": ["price", "day"]})
    assert built.schema().names == ["Status", "OrderId", "CustomerId", "Amount", "Qty"]
    got = run_duckdb(built.sql(), TABLES)
    assert got.schema.names == built.schema().names
    assert got.num_rows == ORDERS.num_rows


@pytest.mark.parametrize(
    ("params", "param", "needle"),
    [
        ({"columns": [{"column": "ghost"}]}, "columns.0.column", "unknown column 'ghost'"),
        (
            {"columns": [{"column": "Qty"}, {"column": "Price", "rename": "qty"}]},
            "columns.1.rename",
            "two output columns are named",
        ),
        (
            {"columns": [{"column": "Qty"}, {"column": "Qty"}]},
            "columns.1.rename",
            "two output columns are named 'Qty'",
        ),
        (
            {"columns": [{"column": "Qty"}], "drop": ["Qty"], "keep_rest": True},
            "drop",
            "both listed and dropped",
        ),
        (
            {"columns": [{"column": "Qty"}], "drop": ["Price"]},
            "drop",
            "only applies with keep_rest",
        ),
        ({"columns": [], "keep_rest": False}, "columns", "no column is left"),
        (
            {"columns": [{"column": "Qty", "cast": "varchar(3)"}]},
            "columns.0.cast",
            "unknown column type",
        ),
    ],
)
def test_select_bad_input(params: dict, param: str, needle: str) -> None:
    built = select(params)
    assert needle in built.error()
    assert built.param() == param
