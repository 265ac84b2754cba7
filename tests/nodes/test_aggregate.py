"""Aggregate component: every function's type matches DuckDB's result; PostgreSQL agrees."""

from __future__ import annotations

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

ORDER = [{"column": "Day"}]
MEASURES = [
    {"function": "count", "name": "n"},
    {"function": "count", "column": "Price", "name": "n_price"},
    {"function": "count_distinct", "column": "Qty", "name": "qtys"},
    {"function": "sum", "column": "Qty", "name": "sum_qty"},
    {"function": "sum", "column": "Amount", "name": "sum_amount"},
    {"function": "sum", "column": "Price", "name": "sum_price"},
    {"function": "avg", "column": "Amount", "name": "avg_amount"},
    {"function": "min", "column": "Day", "name": "first_day"},
    {"function": "max", "column": "Amount", "name": "max_amount"},
    {"function": "median", "column": "Qty", "name": "median_qty"},
    {"function": "stddev", "column": "Price", "name": "sd_price"},
    {
        "function": "string_agg",
        "column": "OrderId",
        "name": "ids",
        "separator": "|",
        "order_by": [{"column": "Day", "descending": True}],
    },
    {"function": "string_agg", "column": "Status", "name": "statuses"},
    {"function": "first", "column": "OrderId", "name": "first_id", "order_by": ORDER},
    {"function": "last", "column": "Amount", "name": "last_amount", "order_by": ORDER},
]


def aggregate(params: dict) -> object:
    return build("aggregate", params, {"in": [("orders", ORDERS)]})


@pytest.mark.parametrize("group_by", [["Status"], []])
def test_every_function_schema_equals_duckdb_result(group_by: list[str]) -> None:
    built = aggregate({"group_by": group_by, "measures": MEASURES})
    render_everywhere(built)
    got = run_duckdb(built.sql(), TABLES)
    assert normalised(got.schema) == normalised(built.schema())
    assert got.num_rows == (3 if group_by else 1)


def test_values_by_hand() -> None:
    built = aggregate({"group_by": ["status"], "measures": MEASURES})
    got = {r["Status"]: r for r in run_duckdb(built.sql(), TABLES).to_pylist()}
    paid = got["paid"]
    assert (paid["n"], paid["n_price"], paid["qtys"], paid["sum_qty"]) == (3, 2, 2, 7)
    assert float(paid["sum_amount"]) == 25.5 and paid["sum_price"] == 5.0
    assert paid["median_qty"] == 2.0 and got["new"]["median_qty"] == 2.5
    assert paid["ids"] == "15|12|11" and got["new"]["statuses"] == "new,new"
    assert paid["first_id"] == 11 and paid["last_amount"] is None
    assert got[None]["sd_price"] is None and got[None]["median_qty"] == 1.0


def test_median_of_an_empty_group_is_null() -> None:
    built = build(
        "aggregate",
        {"measures": [{"function": "median", "column": "v", "name": "m"}]},
        {"in": [("t", pa.table({"v": pa.array([None, None], pa.int32())}))]},
    )
    assert run_duckdb(
        built.sql(), {"t": pa.table({"v": pa.array([None], pa.int32())})}
    ).to_pylist() == [{"m": None}]


def test_postgres_agrees_with_duckdb(pg_db: dict) -> None:
    built = aggregate({"group_by": ["Status"], "measures": MEASURES})
    load_pg(str(pg_db["dsn"]), TABLES)
    expected = rows(run_duckdb(built.sql(), TABLES))
    assert rows(run_pg(str(pg_db["dsn"]), built.sql("postgres"))) == expected


def test_group_by_only_is_distinct_groups() -> None:
    built = aggregate({"group_by": ["Status"]})
    assert built.schema().names == ["Status"]
    assert run_duckdb(built.sql(), TABLES).num_rows == 3


@pytest.mark.parametrize(
    ("params", "param", "needle"),
    [
        ({"group_by": [], "measures": []}, "measures", "nothing to compute"),
        ({"group_by": ["ghost"], "measures": []}, "group_by.0", "unknown column 'ghost'"),
        (
            {"measures": [{"function": "sum", "column": "Status", "name": "s"}]},
            "measures.0.column",
            "sum needs a numeric column; Status is string",
        ),
        ({"measures": [{"function": "avg", "name": "s"}]}, "measures.0.column", "needs a column"),
        (
            {"measures": [{"function": "first", "column": "Qty", "name": "f"}]},
            "measures.0.order_by",
            "needs an order",
        ),
        (
            {"group_by": ["Qty"], "measures": [{"function": "count", "name": "qty"}]},
            "measures.0.name",
            "already exists",
        ),
        (
            {
                "measures": [
                    {
                        "function": "max",
                        "column": "Qty",
                        "name": "m",
                        "order_by": [{"column": "nope"}],
                    },
                    {
                        "function": "last",
                        "column": "Qty",
                        "name": "l",
                        "order_by": [{"column": "nope"}],
                    },
                ]
            },
            "measures.1.order_by.0.column",
            "unknown column 'nope'",
        ),
    ],
)
def test_bad_input(params: dict, param: str, needle: str) -> None:
    built = aggregate(params)
    assert needle in built.error(), built.error()
    assert built.param() == param
