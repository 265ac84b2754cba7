"""Syncs into BigQuery (the bqemulator stand-in): full, append and merge, schema evolution,
failures that leave the destination as it was, and the state committed with the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from app.connectors.base import STATE_TABLE
from app.connectors.bigquery import BigQueryConnector
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector

SOURCE = """
CREATE TABLE orders AS
SELECT i::BIGINT AS id, 'c' || (i % 97) AS customer, (i * 1.25)::DECIMAL(12,2) AS amount,
       TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL 1 SECOND AS updated_at,
       (DATE '2020-01-01' + i::INTEGER) AS day
FROM range(1, 3001) t(i)
"""


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "src.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(SOURCE)
    return path


def _sql(path: Path, *statements: str) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("SET TimeZone = 'UTC'")
        for s in statements:
            con.execute(s)


@pytest.fixture
def h(src: Path, bq_config: dict[str, Any], harness: Any) -> Any:
    source = DuckDBConnector(DuckDBConfig(path=str(src)), name="src")
    return harness(
        src=source, wh=BigQueryConnector(BigQueryConnector.Config(**bq_config), name="wh")
    )


NEW_ROWS = (
    "INSERT INTO orders SELECT id + 3000, customer, amount, updated_at, day FROM orders "
    "WHERE id <= 5"
)


def _definition(mode: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "orders",
        "source": {"connection": "src", "table": "orders"},
        "destinations": [{"connection": "wh", "table": "orders"}],
        "mode": mode,
        **extra,
    }


def _same(h: Any) -> None:
    """The destination holds the source's rows, compared as values (DuckDB's own read)."""
    want = h.connectors["src"].read(table="orders").read_all()
    got = h.connectors["wh"].read(table="orders").read_all()
    assert got.num_rows == want.num_rows
    key = [("id", "ascending")]
    want, got = want.sort_by(key), got.select(want.column_names).sort_by(key)
    for name in want.column_names:
        assert got[name].to_pylist() == want[name].to_pylist(), name


def _state(h: Any) -> list[dict[str, Any]]:
    rows = h.connectors["wh"].read(query=f"SELECT * FROM `{STATE_TABLE}`").read_all()
    return [(r["sync_name"], r["table_name"], r["cursor_value"]) for r in rows.to_pylist()]


def test_full_sync_replaces_and_commits_state(h: Any, src: Path) -> None:
    report = h.run(_definition("full"))
    assert report.ok, report.error
    assert report.destinations[0].rows == 3000
    _same(h)
    _sql(
        src, "DELETE FROM orders WHERE id <= 100", "UPDATE orders SET customer = 'x' WHERE id = 200"
    )
    assert h.run(_definition("full")).ok
    _same(h)
    assert _state(h) == [("orders", "orders", None)]


def test_append_moves_only_new_rows_and_the_cursor_with_them(h: Any, src: Path) -> None:
    definition = _definition("append", cursor="id")
    assert h.run(definition).ok
    _sql(
        src,
        NEW_ROWS,
    )
    report = h.run(definition)
    assert report.ok, report.error
    assert report.destinations[0].rows == 5
    _same(h)
    assert _state(h) == [("orders", "orders", "3005")]
    assert h.run(definition).destinations[0].rows == 0  # a re-run adds nothing


def test_merge_updates_and_inserts(h: Any, src: Path) -> None:
    definition = _definition("merge", primary_key=["id"], cursor="updated_at")
    assert h.run(definition).ok
    _sql(
        src,
        "UPDATE orders SET customer = 'changed', updated_at = updated_at + INTERVAL 1 DAY "
        "WHERE id IN (7, 8)",
        "INSERT INTO orders VALUES (9001, 'new', 1.50, TIMESTAMPTZ '2027-01-01 00:00:00+00', "
        "DATE '2027-01-01')",
    )
    report = h.run(definition)
    assert report.ok, report.error
    assert report.destinations[0].rows >= 3  # and the lookback window's rows, idempotently
    _same(h)


def test_schema_evolution_adds_and_widens(h: Any, src: Path) -> None:
    _sql(src, "ALTER TABLE orders ADD COLUMN qty BIGINT", "UPDATE orders SET qty = id % 7")
    definition = _definition("merge", primary_key=["id"])
    assert h.run(definition).ok
    _sql(
        src,
        "ALTER TABLE orders ALTER qty TYPE DECIMAL(12,2)",
        "UPDATE orders SET qty = qty + 0.25",
        "ALTER TABLE orders ADD COLUMN note VARCHAR",
        "UPDATE orders SET note = 'n' || id",
    )
    report = h.run(definition)
    assert report.ok, report.error
    changes = {
        (c["column"], c["change"]) for c in report.destinations[0].to_dict()["schema_changes"]
    }
    assert changes == {("qty", "widened"), ("note", "added")}
    schema = h.connectors["wh"].table_schema("orders")
    assert schema.field("qty").type == pa.decimal128(38, 9)
    assert schema.field("note").type == pa.string()
    _same(h)


def test_failure_mid_load_leaves_destination_and_state(
    h: Any, src: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = _definition("append", cursor="id")
    assert h.run(definition).ok
    before = h.connectors["wh"].read(table="orders").read_all().sort_by("id")
    _sql(
        src,
        NEW_ROWS,
    )

    from google.api_core.exceptions import ServiceUnavailable

    def broken_script(*statements: Any) -> str:  # after the load job, before the script
        raise ServiceUnavailable("connection dropped before COMMIT")

    from app.connectors.bigquery import _sql as bq_sql

    monkeypatch.setattr(bq_sql, "script", broken_script)
    report = h.run(definition)
    assert not report.ok and "connection dropped" in str(report.error)
    assert h.connectors["wh"].read(table="orders").read_all().sort_by("id").equals(before)
    assert _state(h) == [("orders", "orders", "3000")]
    assert {t.name for t in h.connectors["wh"].list_tables()} == {"orders", STATE_TABLE}
    monkeypatch.undo()
    assert h.run(definition).ok  # the next run picks up exactly where the state says
    _same(h)


def test_partition_options_in_the_sync_definition(h: Any) -> None:
    definition = _definition("full")
    definition["destinations"][0]["bigquery"] = {
        "partition_by": "DATE(updated_at)",
        "cluster_by": ["customer"],
    }
    assert h.run(definition).ok
    wh = h.connectors["wh"]
    table = wh.client.get_table(f"{wh.config.project}.{wh.config.dataset}.orders")
    assert table.time_partitioning.field == "updated_at"
    assert table.clustering_fields == ["customer"]
    _same(h)
