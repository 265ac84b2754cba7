"""Snowflake upserts are one ``MERGE`` (on fakesnow): the statement issued, its place before
the state's transaction, and a crash between the ``MERGE`` and the state's ``COMMIT`` repaired
by the next run, which merges the same keys again (the destination equals the source, values
compared as Python ``Decimal``\\s and by a checksum over every column).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.connectors.base import STATE_TABLE, ConnectionError_
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.engine.sync.cursor import read_state

ROWS = 12_000
#: rows updated (price and seq moved) and keys added at the source between two merges
CHANGES = (
    "UPDATE items SET name = name || '+', price = price + 0.01, seq = seq + 100000 "
    "WHERE id % 7 = 3",
    "INSERT INTO items SELECT i, 'new ' || i, i * 0.37, i + 200000 FROM range(12000, 12050) t(i)",
)


@pytest.fixture
def wh() -> Iterator[Any]:
    from tests.connectors.warehouses import fake_snowflake

    with fake_snowflake("wh") as connector:
        connector.trace = []
        yield connector


@pytest.fixture
def src(tmp_path: Path) -> Iterator[DuckDBConnector]:
    path = tmp_path / "src.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE items AS SELECT i::BIGINT AS id, 'n' || i AS name, "
            f"(i * 1.25)::DECIMAL(10,2) AS price, i::BIGINT AS seq FROM range({ROWS}) t(i)"
        )
    connector = DuckDBConnector(DuckDBConfig(path=str(path)), name="src")
    yield connector
    connector.close()


def _source(src: DuckDBConnector, *sql: str) -> None:
    with duckdb.connect(str(src.root / src.config.path)) as con:  # type: ignore[attr-defined]
        for statement in sql:
            con.execute(statement)


def _rows(connector: Any) -> list[tuple[int, str, Decimal, int]]:
    table = connector.read(table="items").read_all().sort_by("id")
    return [(r["id"], r["name"], r["price"], r["seq"]) for r in table.to_pylist()]


def _checksum(rows: list[tuple[int, str, Decimal, int]]) -> tuple[int, Decimal, str]:
    """Count, exact sum of the decimals, md5 over every column of every row (key order)."""
    digest = hashlib.md5(usedforsecurity=False)
    for row in rows:
        digest.update("|".join(map(str, row)).encode() + b"\n")
    return len(rows), sum((r[2] for r in rows), Decimal(0)), digest.hexdigest()


def _same(wh: Any, src: DuckDBConnector) -> None:
    got, want = _rows(wh), _rows(src)
    assert all(isinstance(r[2], Decimal) for r in got)
    assert _checksum(got) == _checksum(want)
    assert got == want


def _definition() -> dict[str, Any]:
    return {
        "name": "items",
        "source": {"connection": "src", "table": "items"},
        "destinations": [{"connection": "wh", "table": "items"}],
        "mode": "merge",
        "primary_key": ["id"],
        "cursor": "seq",
    }


def _statements(wh: Any) -> list[str]:
    return [s for s in wh.trace if isinstance(s, str)]


def test_merge_is_one_merge_statement_before_the_state_transaction(
    wh: Any, src: DuckDBConnector, harness: Any
) -> None:
    h = harness(src=src, wh=wh)
    report = h.run(_definition())  # the first run creates the table: one INSERT, with state
    assert report.ok, report.error
    assert not any(s.startswith("MERGE") for s in _statements(wh))
    _same(wh, src)
    wh.trace.clear()
    _source(src, *CHANGES)
    report = h.run(_definition())
    assert report.ok, report.error
    _same(wh, src)
    statements = _statements(wh)
    merges = [i for i, s in enumerate(statements) if s.startswith("MERGE")]
    assert len(merges) == 1, statements
    merge = statements[merges[0]]
    assert merge.startswith('MERGE INTO "items" AS tgt USING (SELECT "id", "name", "price", "seq"')
    assert 'ON "tgt"."id" = "src"."id" WHEN MATCHED THEN UPDATE SET' in merge
    assert "WHEN NOT MATCHED THEN INSERT" in merge and "ROW_NUMBER() OVER" in merge
    # the bulk path loaded the changed rows; no row-by-row inserts, no DELETE of the target
    loads = [s for s in wh.trace if isinstance(s, tuple)]
    assert sum(n for _, n in loads) == report.destinations[0].rows >= 1714 + 50
    assert not any(s.startswith('DELETE FROM "items"') for s in statements)
    assert not any(s.startswith("INSERT INTO") and "VALUES" in s and STATE_TABLE not in s
                   for s in statements)  # fmt: skip
    # the MERGE commits by itself; then BEGIN, the state row (DML only), COMMIT
    begin, commit = statements.index("BEGIN"), statements.index("COMMIT")
    assert merges[0] < begin and statements[commit + 1].startswith("DROP TABLE")
    inside = statements[begin + 1 : commit]
    assert len(inside) == 2 and all(STATE_TABLE in s for s in inside), inside
    assert [s.split()[0] for s in inside] == ["DELETE", "INSERT"]
    state = read_state(wh, "items", "items")
    assert state is not None and state.value == str(11999 + 200000 + 50)


def test_crash_between_merge_and_state_commit_is_repaired_by_the_next_run(
    wh: Any, src: DuckDBConnector, harness: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(src=src, wh=wh)
    assert h.run(_definition()).ok
    state = read_state(wh, "items", "items")
    assert state is not None and state.value == "11999"
    _source(src, *CHANGES)
    run = type(wh)._run

    def dropped(self: Any, cur: Any, statement: Any, params: Any = None) -> Any:
        if statement == "COMMIT":  # after the MERGE, before the state is committed
            raise ConnectionError_("the connection dropped")  # not transient: no retry
        return run(self, cur, statement, params)

    monkeypatch.setattr(type(wh), "_run", dropped)
    report = h.run(_definition())
    assert not report.ok and "dropped" in str(report.error)
    monkeypatch.setattr(type(wh), "_run", run)
    # what a crash there leaves: the MERGE is committed (it is atomic, alone), the state is not
    _same(wh, src)
    assert read_state(wh, "items", "items") == state
    assert all("cauce_stage" not in t.name for t in wh.list_tables())
    # the next run starts from the old state: it reads and merges the same keys again
    wh.trace.clear()
    report = h.run(_definition())
    assert report.ok, report.error
    # the changed rows merged a second time: 1714 updated, 50 new, and the row at the old
    # cursor value (merge reads `seq >= 11999`)
    assert report.destinations[0].rows == 1714 + 50 + 1
    assert sum(1 for s in _statements(wh) if s.startswith("MERGE")) == 1
    _same(wh, src)
    after = read_state(wh, "items", "items")
    assert after is not None and after.value == str(11999 + 200000 + 50)
    # and merging the very same rows once more changes nothing
    again = _rows(wh)
    wh.trace.clear()
    _source(src, "UPDATE items SET seq = seq WHERE false")
    assert h.run(_definition()).ok
    assert _rows(wh) == again
