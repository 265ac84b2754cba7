"""Custom SQL component."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.nodes.fixtures import CUSTOMERS, ORDERS, TABLES
from tests.nodes.support import build, normalised, render_everywhere, rows, run_duckdb

INPUTS = {"in": [("orders", ORDERS), ("customers", CUSTOMERS)]}
QUERY = (
    "with a as (select customerid as c, sum(amount) s from ORDERS o group by 1) "
    "select a.*, c + 1 as d, input2.name, regexp_replace(input2.country, 'E', 'x') rx "
    "from a join input2 on a.c = input2.id"
)


def custom(sql: str) -> object:
    return build("custom_sql", {"sql": sql}, INPUTS)


def test_names_positions_ctes_and_stars_resolve() -> None:
    built = custom(QUERY)
    assert normalised(built.schema()) == [
        ("c", pa.int64()),
        ("s", pa.decimal128(38, 2)),
        ("d", pa.int64()),
        ("Name", pa.string()),
        ("rx", pa.string()),
    ]
    render_everywhere(built)
    got = run_duckdb(built.sql(), TABLES)
    assert normalised(got.schema) == normalised(built.schema())
    assert rows(got) == rows(
        [(1, 29.99, 2, "Ana", "xS"), (2, 5.5, 3, "Bo", "US"), (3, None, 4, "Cy", "xS")]
    )


def test_star_over_an_input_is_expanded() -> None:
    built = custom("select * from input1 where qty > 2")
    assert built.schema() == ORDERS.schema
    assert run_duckdb(built.sql(), TABLES).num_rows == 2


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        (
            "select * from nowhere",
            "unknown table 'nowhere' (available inputs: customers, input1, input2, orders)",
        ),
        ("delete from orders", "only a SELECT query is allowed, not DELETE"),
        ("select 1; select 2", "exactly one SELECT statement, not 2"),
        ("select ghost from orders", "cannot resolve the query"),
        ("select qty, sum(amount) from orders", "invalid query"),
        ("select qty, qty from orders", "two output columns are named 'Qty'"),
        ("select from where", "cannot parse the query"),
    ],
)
def test_bad_input(sql: str, needle: str) -> None:
    built = custom(sql)
    assert needle in built.error(), built.error()
    assert built.param() == "sql"
