"""Whole pipelines run in-process: SQLite/memory sources, DuckDB destinations, events, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.connectors.registry import connector_registry
from app.engine.compiler import CompileError
from app.engine.executor import NodeStatus, run_pipeline
from app.engine.local import CancelToken
from app.model.connection import Connection
from app.model.events import EventBus, NodeFinished, NodeStarted, RunFinished, RunStarted
from app.model.pipeline import Pipeline
from app.services.connections import project_provider

from .memory_connector import TABLES, MemoryConnector


@pytest.fixture
def memory_connector():  # type: ignore[no-untyped-def]
    registry = connector_registry()
    registry.register(MemoryConnector)
    TABLES.clear()
    MemoryConnector.batches_served = 0
    MemoryConnector.first_batch.clear()
    yield TABLES
    TABLES.clear()


def provider(tmp_path: Path, sqlite_path: Path | None = None, **memory: object):
    connections = {
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "wh.duckdb")}
        ),
        "mem": Connection(name="mem", type="memory", params=dict(memory)),
    }
    if sqlite_path:
        connections["chinook"] = Connection(
            name="chinook", type="sqlite", params={"path": str(sqlite_path)}
        )
    return project_provider(connections, project_dir=tmp_path, secrets=lambda c, f, **_: None)


def linear(source_conn: str, table: str, condition: str = "true") -> Pipeline:
    p = Pipeline(name="linear")
    src = p.add_node("source", name="src", params={"connection": source_conn, "table": table})
    flt = p.add_node("filter", name="keep", params={"condition": condition})
    dst = p.add_node(
        "destination",
        name="dst",
        params={"connection": "warehouse", "table": "result", "mode": "replace"},
    )
    p.connect(src.id, "out", flt.id, "in")
    p.connect(flt.id, "out", dst.id, "in")
    return p


def read_result(tmp_path: Path, table: str = "result") -> list[tuple]:
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        return con.sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()


def test_sqlite_to_duckdb_run_reports_rows_and_emits_events(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    bus, events = EventBus(), []
    bus.subscribe(events.append)
    with provider(tmp_path, chinook_sqlite) as prov:
        report = run_pipeline(linear("chinook", "Genre", "GenreId <= 5"), prov, bus=bus)
    assert report.status is NodeStatus.SUCCEEDED, report.error
    assert [r[0] for r in read_result(tmp_path)] == [1, 2, 3, 4, 5]
    assert report.node("src").rows_out == 25  # streamed: every Genre row was read
    assert report.node("dst").rows_in == 5
    kinds = [type(e) for e in events]
    assert kinds[0] is RunStarted and kinds[-1] is RunFinished
    assert kinds.count(NodeStarted) == 3 and kinds.count(NodeFinished) == 3
    assert all(n.status is NodeStatus.SUCCEEDED for n in report.nodes)


def test_invalid_pipeline_raises_before_anything_is_written(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    with provider(tmp_path, chinook_sqlite) as prov, pytest.raises(CompileError) as info:
        run_pipeline(linear("chinook", "Genre", "NoSuchColumn = 1"), prov)
    assert "unknown column 'NoSuchColumn'" in str(info.value)
    assert not _has_table(tmp_path, "result")


def _has_table(tmp_path: Path, table: str) -> bool:
    if not (tmp_path / "wh.duckdb").exists():
        return False
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        return bool(
            con.sql(
                f"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'"
            ).fetchall()[0][0]
        )


def _seed(tmp_path: Path, memory_connector: dict, rows: int = 50_000) -> None:
    memory_connector["numbers"] = pa.table({"n": pa.array(range(rows), pa.int64())})
    with provider(tmp_path) as prov:  # 8,192-row batches (65,536 // 8)
        assert run_pipeline(linear("mem", "numbers"), prov).ok


def test_a_source_failing_mid_stream_leaves_the_previous_table_intact(
    tmp_path: Path, memory_connector: dict
) -> None:
    _seed(tmp_path, memory_connector)
    before = read_result(tmp_path)
    memory_connector["numbers"] = pa.table({"n": pa.array(range(100_000, 150_000), pa.int64())})
    with provider(tmp_path, fail_after=3) as prov:
        report = run_pipeline(linear("mem", "numbers"), prov)
    assert report.status is NodeStatus.FAILED
    assert "the source went away" in report.error
    # the failure is looked into node by node: it is the source's, the destination never ran
    assert report.node("src").status is NodeStatus.FAILED
    assert report.node("dst").status is NodeStatus.SKIPPED
    assert read_result(tmp_path) == before  # nothing half written


def test_cancel_from_another_thread_stops_the_run_and_keeps_the_old_table(
    tmp_path: Path, memory_connector: dict
) -> None:
    _seed(tmp_path, memory_connector, rows=20_000)
    before = read_result(tmp_path)
    MemoryConnector.first_batch.clear()
    MemoryConnector.batches_served = 0
    cancel = CancelToken()
    threading.Thread(
        target=lambda: (MemoryConnector.first_batch.wait(10), cancel.cancel()), daemon=True
    ).start()
    with provider(tmp_path, delay=0.05) as prov:
        report = run_pipeline(linear("mem", "numbers"), prov, cancel=cancel)
    assert report.status is NodeStatus.CANCELLED
    assert {n.status for n in report.nodes} == {NodeStatus.CANCELLED}
    assert MemoryConnector.batches_served <= 2  # of 3: stopped early
    assert read_result(tmp_path) == before


def test_cancelling_after_the_run_ended_is_harmless(tmp_path: Path, chinook_sqlite: Path) -> None:
    # a server cancels what it still tracks when it stops: a run whose sessions are closed
    # (the token outlives them) must not raise from interrupting a closed connection
    cancel = CancelToken()
    with provider(tmp_path, chinook_sqlite) as prov:
        report = run_pipeline(linear("chinook", "Genre"), prov, cancel=cancel)
    assert report.ok, report.error
    cancel.cancel()
    assert cancel.cancelled


def test_dry_run_plans_without_writing(tmp_path: Path, chinook_sqlite: Path) -> None:
    with provider(tmp_path, chinook_sqlite) as prov:
        report = run_pipeline(linear("chinook", "Genre"), prov, dry_run=True)
    assert report.ok and report.plan is not None
    assert report.plan["stages"][0]["placement"] == "local"
    assert 'FROM "cauce_src_1"' in report.plan["stages"][0]["sql"]
    assert not (tmp_path / "wh.duckdb").exists()  # planning creates no destination file


def test_source_and_destination_in_one_duckdb_file_run_pushed_down(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(10)")
    with provider(tmp_path) as prov:
        report = run_pipeline(linear("warehouse", "numbers", "n % 2 = 0"), prov)
    assert report.ok, report.error
    assert report.plan["stages"][0]["placement"] == "pushdown"
    assert [r[0] for r in read_result(tmp_path)] == [0, 2, 4, 6, 8]


def test_counted_run_reports_rows_for_every_node_and_port(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    with provider(tmp_path, chinook_sqlite) as prov:
        report = run_pipeline(linear("chinook", "Genre", "GenreId <= 5"), prov, count_rows=True)
    assert report.ok, report.error
    assert report.node("src").rows_out == 25 and report.node("src").rows_by_port == {"out": 25}
    assert report.node("keep").rows_out == 5 and report.node("keep").rows_by_port == {"out": 5}
    assert report.node("dst").rows_in == 5
    assert [r[0] for r in read_result(tmp_path)] == [1, 2, 3, 4, 5]


def test_a_write_error_names_the_destination_once(tmp_path: Path, chinook_sqlite: Path) -> None:
    """Issue #10: a destination and its connection both named 'out' gave 'out: out: ...'."""
    connections = {
        "chinook": Connection(name="chinook", type="sqlite", params={"path": str(chinook_sqlite)}),
        "out": Connection(name="out", type="sqlite", params={"path": str(chinook_sqlite)}),
    }
    p = Pipeline(name="dupe")
    src = p.add_node("source", name="src", params={"connection": "chinook", "table": "Genre"})
    dst = p.add_node(
        "destination", name="out", params={"connection": "out", "table": "Genre", "mode": "append"}
    )
    p.connect(src.id, "out", dst.id, "in")
    with project_provider(
        connections, project_dir=tmp_path, secrets=lambda c, f, **_: None
    ) as prov:
        report = run_pipeline(p, prov)
    assert report.status is NodeStatus.FAILED
    assert report.error.startswith("out: writing 'Genre' failed: ")  # UNIQUE constraint
    assert report.node("out").error == report.error
    assert "out: out:" not in report.error
