"""The editor's use cases, without Qt: documents, compile, preview, SQL, runs and edits."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.connectors.registry import connector_registry
from app.engine.local import CancelToken
from app.model.pipeline import Pipeline, Position
from app.services import editing
from app.services import pipelines as pipeline_service
from app.services import projects as project_service
from app.services import runs as run_service
from app.services.connections import Connection  # type: ignore[attr-defined]
from app.services.pipelines import compile_dialects
from app.services.runs import RunCancelled

REPO = Path(__file__).resolve().parents[2]
CHINOOK = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def chinook_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    return target


def test_open_compile_and_schemas(chinook_dir: Path) -> None:
    doc = project_service.open_document(chinook_dir)
    pipeline = doc.pipeline("revenue")
    result = pipeline_service.compile_for_editor(doc, pipeline)
    assert result.problems == []
    amounts = pipeline.node_by_name("amounts")
    out = result.schemas[(amounts.id, "out")]
    assert {"Amount", "Year", "Country"} <= set(out.names)
    assert "UnitPrice" in result.input_columns(amounts.id)
    join = pipeline.node_by_name("with_track")
    assert "Milliseconds" in result.input_columns(join.id, "right")
    assert "Milliseconds" not in result.input_columns(join.id, "left")


def test_problems_name_the_node(chinook_dir: Path) -> None:
    doc = project_service.open_document(chinook_dir)
    pipeline = doc.pipeline("revenue")
    flt = pipeline.node_by_name("paid_lines")
    flt.params = {"condition": "NoSuchColumn > 0"}
    result = pipeline_service.compile_for_editor(doc, pipeline)
    assert result.problems_of(flt.id)
    assert "NoSuchColumn" in str(result.problems_of(flt.id)[0])


def test_preview_and_sql(chinook_dir: Path) -> None:
    doc = project_service.open_document(chinook_dir)
    pipeline = doc.pipeline("revenue")
    node = pipeline.node_by_name("amounts")
    table = run_service.preview_node(doc, pipeline, node.id, limit=7)
    assert isinstance(table, pa.Table)
    assert table.num_rows == 7 and "Amount" in table.column_names
    mart = pipeline.node_by_name("mart")  # a destination previews what it receives
    assert run_service.preview_node(doc, pipeline, mart.id, limit=3).num_rows == 3
    sql = pipeline_service.node_sql(doc, pipeline, node.id, dialect="tsql")
    assert "WITH" in sql.upper() and "[" in sql
    assert {"postgres", "mysql", "sqlite", "snowflake"} <= set(compile_dialects())


def test_save_records_a_version(chinook_dir: Path) -> None:
    doc = project_service.open_document(chinook_dir)
    pipeline = doc.pipeline("revenue")
    pipeline.move(pipeline.nodes[0].id, 5, 5)
    written = project_service.save_document(doc)
    assert written == ["pipelines/revenue.json"]
    reopened = project_service.open_document(chinook_dir)
    assert reopened.pipeline("revenue") == pipeline
    from app.storage.db import database_url
    from app.storage.repository import Repository

    with Repository(database_url(None)) as repo:
        [project] = [p for p in repo.list_projects() if p.name == "chinook"]
        assert repo.current_version(project.id, pipeline.id).number == 1


def test_new_document_needs_a_directory(tmp_path: Path, chinook_dir: Path) -> None:
    doc = project_service.new_document("fresh")
    with pytest.raises(ValueError):
        project_service.save_document(doc)
    project_service.save_document(doc, tmp_path / "fresh")
    assert (tmp_path / "fresh" / "pipelines" / "main.json").is_file()
    assert doc.add_pipeline("main").name == "main_2"


def test_run_is_recorded(chinook_dir: Path, tmp_path: Path) -> None:
    doc = project_service.open_document(chinook_dir)
    events: list[str] = []
    report = run_service.run_document_pipeline(
        doc, doc.pipeline("revenue"), on_event=lambda e: events.append(e.kind)
    )
    assert report.ok, report.error
    assert events[0] == "run_started" and events[-1] == "run_finished"
    assert report.node("mart").rows_in is not None or report.node("mart").rows_out
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from revenue_by_country_genre_year").fetchall()[0][0] > 100
    runs = run_service.recent_runs(None, "chinook")
    assert [r.status for r in runs] == ["succeeded"]
    assert run_service.recent_runs(None, "nobody") == []


def test_preview_can_be_cancelled(tmp_path: Path) -> None:
    from tests.engine.memory_connector import TABLES, MemoryConnector

    connector_registry().register(MemoryConnector)
    TABLES.clear()
    MemoryConnector.first_batch.clear()
    TABLES["numbers"] = pa.table({"n": pa.array(range(200_000), pa.int64())})
    doc = project_service.new_document("slow")
    doc.project.connections["mem"] = Connection(name="mem", type="memory", params={"delay": 0.05})
    p = doc.pipeline("main")
    src = p.add_node("source", params={"connection": "mem", "table": "numbers"})
    agg = p.add_node("aggregate", params={"measures": [{"function": "count", "name": "c"}]})
    p.connect(src.id, "out", agg.id, "in")
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    started = time.perf_counter()
    with pytest.raises(RunCancelled):
        run_service.preview_node(doc, p, agg.id, cancel=token)
    assert time.perf_counter() - started < 3
    TABLES.clear()


def test_copy_paste_restore_and_layout() -> None:
    p = Pipeline(name="x")
    a = p.add_node("source", params={"connection": "c", "table": "t"}, position=(0, 0))
    b = p.add_node("filter", params={"condition": "true"}, position=(100, 0))
    c = p.add_node("sort", params={"keys": []}, position=(200, 0))
    p.connect(a.id, "out", b.id, "in")
    p.connect(b.id, "out", c.id, "in")
    fragment = editing.copy_fragment(p, [a.id, b.id])
    assert len(fragment["edges"]) == 1  # the edge to c is left out
    nodes, edges = editing.paste_fragment(p, fragment, offset=(10, 20))
    assert {n.id for n in nodes}.isdisjoint({a.id, b.id})
    assert p.layout[nodes[1].id].x == 110 and p.layout[nodes[1].id].y == 20
    with pytest.raises(ValueError):
        editing.paste_fragment(p, {"nodes": []})
    before = p.to_json()
    node, dropped = p.remove_node(b.id)
    pos = Position(x=100, y=0)
    editing.restore_node(p, node, dropped, pos)
    assert p.to_json() == before
    positions = editing.auto_layout(p)
    assert positions[a.id][0] < positions[b.id][0] < positions[c.id][0]
    assert len(set(positions.values())) == len(positions)


def test_partial_runs_skip_a_broken_node_elsewhere(chinook_dir: Path, tmp_path: Path) -> None:
    from app.engine.compiler import CompileError

    doc = project_service.open_document(chinook_dir)
    pipeline = doc.pipeline("revenue")
    pipeline.add_node("filter", name="broken", params={"condition": "NoSuchColumn = 1"})
    mart_file = tmp_path / "out" / "chinook_mart.duckdb"
    with pytest.raises(CompileError):  # a whole run reports every problem
        run_service.run_document_pipeline(doc, pipeline)
    assert not mart_file.exists()
    amounts = pipeline.node_by_name("amounts")
    report = run_service.run_document_pipeline(
        doc, pipeline, part=run_service.partial_up_to(pipeline, [amounts.id])
    )
    assert report.ok, report.error
    assert report.node("amounts").rows_out and not mart_file.exists()  # counted, not written
    assert "broken" not in {n.name for n in report.nodes}
    mart, ordered = pipeline.node_by_name("mart"), pipeline.node_by_name("ordered")
    report = run_service.run_document_pipeline(
        doc, pipeline, part=run_service.partial_branch(pipeline, [ordered.id])
    )
    assert report.ok, report.error
    with duckdb.connect(str(mart_file), read_only=True) as con:
        assert con.sql("select count(*) from revenue_by_country_genre_year").fetchall()[0][0] > 100
    assert report.node("mart").node_id == mart.id
    runs = run_service.recent_runs(None, "chinook")
    assert [r.status for r in runs].count("succeeded") == 2
