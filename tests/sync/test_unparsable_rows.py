"""A value PostgreSQL sends that the Arrow path cannot parse stops the sync with an error naming
the column, the row's key (or its number) and the value (issue #21), against the real server.

pyarrow's CSV reader converts blocks of rows at once and does not say which row failed; the
connector finds it by reading the column again (``app/connectors/postgres/_unparsable.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.connectors.duckdb import DuckDBConnector
from app.connectors.postgres import PostgresConnector
from app.connectors.postgres._copy import first_unparsable
from app.connectors.postgres._types import column_spec
from tests.sync.conftest import Harness, pg_exec

ROWS = 30_000
BAD = 23_456


def _sync(mode: str = "merge", keys: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name": "odd",
        "source": {"connection": "pg", "table": "public.odd"},
        "destinations": [{"connection": "duck", "table": "odd"}],
        "mode": mode,
        "primary_key": ["id"] if keys is None else keys,
        **extra,
    }


def _fill(db: dict[str, Any], column: str, good: str, bad: str) -> None:
    pg_exec(
        db,
        f"CREATE TABLE odd (id int PRIMARY KEY, region text NOT NULL, {column}, note text)",
        f"INSERT INTO odd SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, "
        f"CASE WHEN g = {BAD} THEN {bad} ELSE {good} END, 'n' || g "
        f"FROM generate_series(1, {ROWS}) AS g ORDER BY g",
    )


def test_a_numeric_nan_names_the_rows_key(
    pg_db: dict[str, Any],
    pg: PostgresConnector,
    duck: DuckDBConnector,
    harness: Callable[..., Harness],
) -> None:
    # numeric(5,2) holds NaN in PostgreSQL; Arrow's decimal128(5, 2) has no NaN
    _fill(pg_db, "v numeric(5,2)", "1.25", "'NaN'")
    report = harness(pg=pg, duck=duck).run(_sync())
    assert not report.ok
    message = str(report.error)
    assert f"the row with id={BAD}: column 'v' (decimal128(5, 2)) holds 'NaN'" in message, message
    assert "not a valid decimal128" in message  # pyarrow's reason stays
    assert not duck.has_table("odd")  # nothing written


def test_a_timestamp_past_64_bit_microseconds_names_the_composite_key(
    pg_db: dict[str, Any],
    pg: PostgresConnector,
    duck: DuckDBConnector,
    harness: Callable[..., Harness],
) -> None:
    # PostgreSQL's timestamps go to 294276; Arrow's microseconds end in 294247
    _fill(pg_db, "ts timestamp", "timestamp '2024-02-29 12:00'", "timestamp '294270-01-01 00:00'")
    report = harness(pg=pg, duck=duck).run(_sync(keys=["region", "id"]))
    assert not report.ok
    message = str(report.error)
    assert (
        f"the row with region='eu', id={BAD}: column 'ts' (timestamp[us]) "
        "holds '294270-01-01 00:00:00'"
    ) in message, message
    assert not duck.has_table("odd")


def test_without_a_key_the_row_number_is_named(
    pg_db: dict[str, Any],
    pg: PostgresConnector,
    duck: DuckDBConnector,
    harness: Callable[..., Harness],
) -> None:
    _fill(pg_db, "v numeric(5,2)", "1.25", "'NaN'")
    report = harness(pg=pg, duck=duck).run(_sync(mode="full", keys=[]))
    assert not report.ok
    message = str(report.error)
    # rows inserted in id order, read by one sequential scan: the bad one is row BAD
    assert f"row {BAD}: column 'v' (decimal128(5, 2)) holds 'NaN'" in message, message


def test_a_key_the_read_does_not_carry_falls_back_to_the_row_number(
    pg_db: dict[str, Any],
    pg: PostgresConnector,
    duck: DuckDBConnector,
    harness: Callable[..., Harness],
) -> None:
    # a query source without the key column: no key to name, so the row's number
    _fill(pg_db, "v numeric(5,2)", "1.25", "'NaN'")
    sync = _sync(mode="full", keys=[])
    sync["source"] = {"connection": "pg", "query": "SELECT v, note FROM odd ORDER BY id"}
    report = harness(pg=pg, duck=duck).run(sync)
    assert not report.ok
    assert f"row {BAD}: column 'v' (decimal128(5, 2)) holds 'NaN'" in str(report.error)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["1.25", None, "2", "NaN", "NaN"], 3),
        (["1.25", None, "2"], None),
        (["1.5", "1.255"], 1),  # more decimals than numeric(5,2): Arrow would round
        ([], None),
    ],
)
def test_first_unparsable_finds_the_first_failing_value(
    texts: list[str | None], expected: int | None
) -> None:
    spec = column_spec("v", "numeric", 5, 2)
    assert first_unparsable(texts, spec) == expected


def test_first_unparsable_reads_timestamps_as_the_read_does() -> None:
    spec = column_spec("ts", "timestamp", None, None)
    texts = ["infinity", "0044-03-15 00:00:00 BC", "294270-01-01 00:00:00", "12345-06-07 00:00:00"]
    assert first_unparsable(texts, spec) == 2  # infinities, BC and year 12345 are read
