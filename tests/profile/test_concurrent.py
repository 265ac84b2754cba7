"""A profile's independent queries (the statistics scan and the top values of every column) may
run at once, each on its own session, where the connector allows it (PostgreSQL): the profile
is the same as one query at a time, progress is reported from the calling thread only and ends
at the total, and a failing query stops the profile with its error."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.engine.profile.runner import profile_relation


@pytest.fixture
def orders(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "p.duckdb"))
    con.execute(
        "CREATE TABLE orders AS SELECT i AS id, i % 7 AS shop, 'c' || (i % 13) AS city, "
        "CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.5 END AS amount, "
        "DATE '2024-01-01' + CAST(i % 40 AS INTEGER) AS day FROM range(5000) r(i)"
    )
    return con


def _profile(con: duckdb.DuckDBPyConnection, workers: int, run_sql=None, progress=None):  # type: ignore[no-untyped-def]
    schema = con.sql("SELECT * FROM orders LIMIT 0").to_arrow_table().schema
    run = run_sql or (lambda sql: con.cursor().sql(sql).to_arrow_table())  # a session per call
    return profile_relation(run, "orders", schema, "duckdb", workers=workers, on_progress=progress)


def _figures(profile):  # type: ignore[no-untyped-def]
    return dataclasses.replace(profile, seconds=0.0, queries=0)


def test_concurrent_queries_give_the_same_profile(orders: duckdb.DuckDBPyConnection) -> None:
    calls: list[tuple[int, int, int]] = []
    threads = set()
    labels: list[str] = []

    def progress(done: int, total: int, what: str) -> None:
        threads.add(threading.get_ident())
        calls.append((done, total, threading.get_ident()))
        labels.append(what)

    one_calls: list[int] = []
    one = _profile(orders, 1, progress=lambda done, total, what: one_calls.append(total))
    several = _profile(orders, 3, progress=progress)
    assert _figures(several) == _figures(one)
    assert threads == {threading.get_ident()}  # the caller's thread only
    dones = [d for d, _t, _i in calls]
    assert dones == sorted(dones) and dones[-1] < calls[-1][1]
    # the progress's total is the number of queries: more of them side by side (histograms
    # and dependencies split in shares), each smaller
    assert several.queries == calls[-1][1] and one.queries == one_calls[-1]
    assert several.queries > one.queries
    histograms = sum(label.startswith("histograms of") for label in labels)
    assert histograms == 3  # of the 4 numeric and temporal columns, 3 queries at once
    tops = [f"top values of {c}" for c in ("id", "shop", "city", "amount", "day")]
    assert labels[: len(tops) + 1] == ["statistics of 5 columns", *tops]  # each as it starts


def test_a_failing_query_stops_the_profile_with_its_error(
    orders: duckdb.DuckDBPyConnection,
) -> None:
    started: list[str] = []

    def run_sql(sql: str) -> pa.Table:
        started.append(sql)
        if '"city"' in sql and "GROUP BY" in sql:
            raise RuntimeError("the server went away")
        return orders.cursor().sql(sql).to_arrow_table()

    with pytest.raises(RuntimeError, match="the server went away"):
        _profile(orders, 2, run_sql=run_sql)
    assert not any("histogram" in s.lower() for s in started)  # nothing after the failure
