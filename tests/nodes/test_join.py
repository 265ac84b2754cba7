"""Join component: schemas, SQL in every dialect, rows on DuckDB and PostgreSQL."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.nodes.fixtures import CUSTOMERS, ORDERS, TABLES
from tests.nodes.support import (
    build,
    load_pg,
    normalised,
    render_everywhere,
    rows,
    run_duckdb,
    run_pg,
)

RIGHT_WITH_ID = pa.table({"Id": pa.array([1, 3, 9], pa.int32()), "Name": pa.array(["x", "y", "z"])})


def join(params: dict, right: tuple[str, pa.Table] = ("customers", CUSTOMERS)) -> object:
    return build("join", params, {"left": [("orders", ORDERS)], "right": [right]})


KEYS = [{"left": "CustomerId", "right": "Id"}]


def test_inner_join_schema_and_rows() -> None:
    built = join({"keys": KEYS})
    assert built.schema().names == ORDERS.schema.names + ["Id", "Name", "Country"]
    sqls = render_everywhere(built)
    assert 'AS "l"' in sqls["duckdb"] and 'AS "r"' in sqls["duckdb"]
    got = run_duckdb(built.sql(), TABLES)
    assert normalised(got.schema) == normalised(built.schema())
    assert sorted(got.column("OrderId").to_pylist()) == [10, 11, 12, 15]


def test_equal_named_keys_appear_once_and_clashes_get_suffix() -> None:
    built = build(
        "join",
        {"kind": "full", "keys": [{"left": "id", "right": "ID"}], "right_suffix": "_2"},
        {"left": [("customers", CUSTOMERS)], "right": [("other", RIGHT_WITH_ID)]},
    )
    assert normalised(built.schema()) == [
        ("Id", pa.int64()),
        ("Name", pa.string()),
        ("Country", pa.string()),
        ("Name_2", pa.string()),
    ]
    got = run_duckdb(built.sql(), {"customers": CUSTOMERS, "other": RIGHT_WITH_ID})
    assert normalised(got.schema) == normalised(built.schema())
    assert rows(got) == rows(
        [
            (1, "Ana", "ES", "x"),
            (2, "Bo", "US", None),
            (3, "Cy", "ES", "y"),
            (4, None, "FR", None),
            (9, None, None, "z"),
        ]
    )


def test_condition_over_qualified_columns() -> None:
    built = join(
        {"kind": "left", "keys": KEYS, "condition": "left.qty > 1 and right.country = 'ES'"}
    )
    got = run_duckdb(built.sql(), TABLES)
    matched = {r["OrderId"]: r["Name"] for r in got.to_pylist()}
    assert matched == {10: None, 11: "Ana", 12: None, 13: None, 14: None, 15: "Cy"}


@pytest.mark.parametrize(("kind", "expected"), [("semi", [10, 11, 12, 15]), ("anti", [13, 14])])
def test_semi_and_anti_output_left_columns(kind: str, expected: list[int]) -> None:
    built = join({"kind": kind, "keys": KEYS})
    assert built.schema() == ORDERS.schema
    render_everywhere(built)
    got = run_duckdb(built.sql(), TABLES)
    assert sorted(got.column("OrderId").to_pylist()) == expected


@pytest.mark.parametrize("kind", ["full", "semi", "anti", "right"])
def test_postgres_agrees_with_duckdb(pg_db: dict, kind: str) -> None:
    built = join({"kind": kind, "keys": KEYS, "condition": "right.Country <> 'FR'"})
    load_pg(str(pg_db["dsn"]), TABLES)
    expected = rows(run_duckdb(built.sql(), TABLES))
    assert rows(run_pg(str(pg_db["dsn"]), built.sql("postgres"))) == expected
    assert expected


@pytest.mark.parametrize(
    ("params", "param", "needle"),
    [
        (
            {"keys": [{"left": "Status", "right": "Id"}]},
            "keys.0",
            "join keys Status (string) and Id (int64) have incompatible types",
        ),
        ({"keys": [{"left": "ghost", "right": "Id"}]}, "keys.0.left", "unknown column 'ghost'"),
        (
            {"keys": [{"left": "OrderId", "right": "ghost"}]},
            "keys.0.right",
            "unknown column 'ghost'",
        ),
        ({"keys": []}, "keys", "at least one key pair or a condition"),
        ({"keys": KEYS, "condition": "left.Qty + 1"}, "condition", "must be true or false"),
        ({"keys": KEYS, "condition": "Id = 1 and middle.x = 2"}, "condition", "unknown qualifier"),
    ],
)
def test_bad_input(params: dict, param: str, needle: str) -> None:
    built = join(params)
    assert needle in built.error(), built.error()
    assert "node 'node'" in built.error()
    assert built.param() == param


def test_suffix_that_still_clashes_is_an_error() -> None:
    left = pa.table({"Name": ["a"], "Name_right": ["b"], "k": [1]})
    right = pa.table({"Name": ["c"], "k": [1]})
    built = build(
        "join",
        {"keys": [{"left": "k", "right": "k"}]},
        {"left": [("a", left)], "right": [("b", right)]},
    )
    assert "choose another suffix" in built.error()
    assert built.param() == "right_suffix"
