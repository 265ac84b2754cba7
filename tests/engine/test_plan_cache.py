"""A pipeline planned once per process (``app/engine/plan_cache.py``): its next runs replay
the first one's plan, with the same report, events and tables; anything that could change
the plan plans again."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.engine import executor, plan_cache
from app.engine.executor import run_pipeline
from app.model.connection import Connection
from app.model.events import EventBus
from app.model.pipeline import Pipeline
from app.services.connections import project_provider


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the pipelines planned (``plan_run`` calls), this test's cache empty."""
    plan_cache.clear()
    seen: list[str] = []
    usual = executor.plan_run

    def counted(pipeline: Pipeline, *args: Any, **kwargs: Any) -> Any:
        seen.append(pipeline.name)
        return usual(pipeline, *args, **kwargs)

    monkeypatch.setattr(executor, "plan_run", counted)
    yield seen
    plan_cache.clear()


def _world(tmp_path: Path, mode: str = "replace") -> Pipeline:
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT i AS id, i % 7 AS k, (i * 1.25)::DECIMAL(12,2) AS amount "
            f"FROM range(1000) t(i)) TO '{tmp_path}/sales.parquet' (FORMAT parquet)"
        )
    time.sleep(0.01)  # the file is older than the run that keeps its plan
    p = Pipeline(name="sales")
    sales = p.add_node("file_source", name="sales", params={"path": "${PROJECT_DIR}/sales.parquet"})
    total = p.add_node(
        "aggregate",
        name="total",
        params={
            "group_by": ["k"],
            "measures": [{"name": "amount", "function": "sum", "column": "amount"}],
        },
    )
    out = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "totals", "mode": mode},
    )
    p.connect(sales.id, "out", total.id, "in")
    p.connect(total.id, "out", out.id, "in")
    return p


def _run(
    tmp_path: Path, pipeline: Pipeline, *, ok: bool = True, **options: Any
) -> tuple[Any, list[tuple]]:
    connections = {
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "wh.duckdb")}
        )
    }
    bus, events = EventBus(), []
    bus.subscribe(
        lambda e: events.append(
            (e.kind, *[v for k, v in sorted(e.to_dict().items()) if k not in ("at", "seconds")])
        )
    )
    with project_provider(
        connections, project_dir=tmp_path, secrets=lambda c, f, **_: None
    ) as provider:
        report = run_pipeline(pipeline, provider, bus=bus, run_id="7", **options)
    assert report.ok is ok, report.error
    return report, events


def _strip(report: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(report.to_dict(), default=str))
    data.pop("seconds")
    for n in data["nodes"]:
        n.pop("seconds")
    return data


def _totals(tmp_path: Path) -> list[tuple]:
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        return con.sql("SELECT k, amount FROM totals ORDER BY k").fetchall()


def test_a_pipeline_is_planned_once_and_replayed_after(tmp_path: Path, planned: list[str]) -> None:
    pipeline = _world(tmp_path)
    first, first_events = _run(tmp_path, pipeline)
    totals = _totals(tmp_path)
    assert sum(amount for _k, amount in totals) == sum(i * 125 for i in range(1000)) / 100
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        con.execute("DELETE FROM totals")  # the replay writes it again
    again, again_events = _run(tmp_path, pipeline)
    assert planned == ["sales"]  # once
    assert _strip(again) == _strip(first)
    assert again_events == first_events
    assert _totals(tmp_path) == totals
    again.plan["stages"].clear()  # a report is its caller's: the kept plan is not shared
    third, _events = _run(tmp_path, pipeline)
    assert planned == ["sales"] and _strip(third) == _strip(first)


def test_what_could_change_the_plan_plans_again(
    tmp_path: Path, planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = _world(tmp_path)
    _run(tmp_path, pipeline)
    _run(tmp_path, pipeline)
    assert len(planned) == 1
    # the input file changed: its rows may be other ones
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT i AS id, i % 7 AS k, 1.00::DECIMAL(12,2) AS amount FROM range(10) t(i))"
            f" TO '{tmp_path}/sales.parquet' (FORMAT parquet)"
        )
    os.utime(tmp_path / "sales.parquet", ns=(1, time.time_ns() - 10**9))  # past, but new
    _run(tmp_path, pipeline)
    assert len(planned) == 2 and sum(a for _k, a in _totals(tmp_path)) == 10
    # the pipeline changed
    total = next(n for n in pipeline.nodes if n.name == "total")
    pipeline.set_params(total.id, {**total.params, "group_by": []})
    _run(tmp_path, pipeline)
    assert len(planned) == 3
    # an option that shapes the plan, the environment the engine reads
    _run(tmp_path, pipeline, execution="local")
    monkeypatch.setenv("CAUCE_ALLOWED_DIRS", str(tmp_path / "elsewhere"))
    _run(tmp_path, pipeline)
    assert len(planned) == 5
    # runs that are not a plain run always plan
    _run(tmp_path, pipeline, count_rows=True)
    _run(tmp_path, pipeline, dry_run=True)
    assert len(planned) == 7
    _run(tmp_path, pipeline)  # still kept
    assert len(planned) == 7


def test_a_failed_replay_is_forgotten(tmp_path: Path, planned: list[str]) -> None:
    pipeline = _world(tmp_path, mode="append")
    _run(tmp_path, pipeline)
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        con.execute("DROP TABLE totals")
        con.execute("CREATE TABLE totals (k VARCHAR)")  # the append no longer fits
    replayed, _events = _run(tmp_path, pipeline, ok=False)
    assert len(planned) == 1  # replayed, and failed on the destination
    assert replayed.error.startswith("out: warehouse: writing 'totals' failed")
    _run(tmp_path, pipeline, ok=False)
    assert len(planned) == 2  # planned again after the failure, which names the node
