"""Lookup component: policies, deduplicated lookup side, failing runs on DuckDB and PostgreSQL."""

from __future__ import annotations

import duckdb
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

KEYS = [{"input": "CustomerId", "lookup": "Id"}]
DUPLICATED = pa.table(
    {
        "Id": pa.array([1, 1, 2, 3], pa.int64()),
        "Name": ["Zed", "Ana", "Bo", "Cy"],
        "Country": ["ES", "ES", "US", "ES"],
    }
)


def lookup(params: dict, table: pa.Table = CUSTOMERS) -> object:
    return build(
        "lookup",
        {"keys": KEYS, **params},
        {"in": [("orders", ORDERS)], "lookup": [("customers", table)]},
    )


def names(got: pa.Table, column: str = "Who") -> dict[int, object]:
    return {r["OrderId"]: r[column] for r in got.to_pylist()}


def test_keep_null_brings_renamed_columns_and_duplicates_do_not_multiply() -> None:
    built = lookup({"columns": [{"column": "name", "rename": "Who"}]}, DUPLICATED)
    assert normalised(built.schema()) == normalised(ORDERS.schema) + [("Who", pa.string())]
    render_everywhere(built)
    got = run_duckdb(built.sql(), {**TABLES, "customers": DUPLICATED})
    assert normalised(got.schema) == normalised(built.schema())
    assert names(got) == {10: "Ana", 11: "Ana", 12: "Bo", 13: None, 14: None, 15: "Cy"}


def test_default_fills_only_unmatched_rows() -> None:
    built = lookup(
        {
            "no_match": "default",
            "columns": [
                {"column": "Name", "rename": "Who", "default": "'?'"},
                {"column": "Country"},
            ],
        }
    )
    got = run_duckdb(built.sql(), TABLES)
    assert names(got) == {10: "Ana", 11: "Ana", 12: "Bo", 13: "?", 14: "?", 15: "Cy"}
    assert names(got, "Country")[13] is None


def test_reject_splits_matched_and_unmatched_rows() -> None:
    built = lookup({"no_match": "reject", "columns": [{"column": "Name", "rename": "Who"}]})
    assert built.schema("reject") == ORDERS.schema
    render_everywhere(built, "reject")
    out = run_duckdb(built.sql(), TABLES)
    reject = run_duckdb(built.sql(port="reject"), TABLES)
    assert sorted(names(out)) == [10, 11, 12, 15]
    assert sorted(reject.column("OrderId").to_pylist()) == [13, 14]


def test_fail_raises_at_run_time_on_duckdb_only_when_a_row_has_no_match() -> None:
    built = lookup({"no_match": "fail", "columns": [{"column": "Name", "rename": "Who"}]})
    render_everywhere(built)
    with pytest.raises(duckdb.Error, match="no match for CustomerId=(5|NULL)"):
        run_duckdb(built.sql(), TABLES)
    matched = ORDERS.filter(pa.compute.is_in(ORDERS["CustomerId"], pa.array([1, 2, 3])))
    got = run_duckdb(built.sql(), {**TABLES, "orders": matched})
    assert sorted(names(got)) == [10, 11, 12, 15]


def test_fail_raises_at_run_time_on_postgres(pg_db: dict) -> None:
    import psycopg

    built = lookup({"no_match": "fail", "columns": [{"column": "Name", "rename": "Who"}]})
    dsn = str(pg_db["dsn"])
    load_pg(dsn, TABLES)
    with pytest.raises(psycopg.Error, match="no match for CustomerId="):
        run_pg(dsn, built.sql("postgres"))
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute('DELETE FROM "orders" WHERE "CustomerId" IS NULL OR "CustomerId" = 5')
    assert sorted(r[0] for r in run_pg(dsn, built.sql("postgres"))) == [10, 11, 12, 15]


def test_postgres_agrees_with_duckdb_on_duplicated_lookup(pg_db: dict) -> None:
    built = lookup(
        {"no_match": "default", "columns": [{"column": "Name", "rename": "Who", "default": "'?'"}]},
        DUPLICATED,
    )
    tables = {**TABLES, "customers": DUPLICATED}
    load_pg(str(pg_db["dsn"]), tables)
    assert rows(run_pg(str(pg_db["dsn"]), built.sql("postgres"))) == rows(
        run_duckdb(built.sql(), tables)
    )


@pytest.mark.parametrize(
    ("params", "param", "needle"),
    [
        ({"columns": [{"column": "ghost"}]}, "columns.0.column", "unknown column 'ghost'"),
        ({"columns": [{"column": "Name", "rename": "qty"}]}, "columns.0.rename", "exists"),
        (
            {"columns": [{"column": "Name"}], "keys": [{"input": "Status", "lookup": "Id"}]},
            "keys.0",
            "join keys Status (string) and Id (int64) have incompatible types",
        ),
        (
            {"columns": [{"column": "Name"}], "keys": [{"input": "x", "lookup": "Id"}]},
            "keys.0.input",
            "unknown column 'x'",
        ),
        (
            {"no_match": "default", "columns": [{"column": "Name", "default": "42"}]},
            "columns.0.default",
            "does not fit column Name",
        ),
        (
            {"no_match": "default", "columns": [{"column": "Name", "default": "Country"}]},
            "columns.0.default",
            "must be a literal",
        ),
    ],
)
def test_bad_input(params: dict, param: str, needle: str) -> None:
    built = lookup(params)
    assert needle in built.error(), built.error()
    assert built.param() == param
