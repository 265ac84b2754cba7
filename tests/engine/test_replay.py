"""A run kept and replayed (app.engine.replay): the same events, report and tables as the
planned run it replays, checked against that run; what cannot be replayed is not kept."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import duckdb
import pytest

from app.engine.executor import NodeStatus, run_pipeline
from app.engine.replay import Replay, run_replay
from app.model.connection import Connection
from app.model.events import EventBus
from app.model.pipeline import Pipeline
from app.services.connections import project_provider


def _provider(tmp_path: Path):  # type: ignore[no-untyped-def]
    connections = {
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "out" / "wh.duckdb")}
        ),
    }
    return project_provider(connections, project_dir=tmp_path, secrets=lambda c, f, **_: None)


def _files(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT i AS id, i % 7 AS k, (i * 1.25)::DECIMAL(12,2) AS amount "
            f"FROM range(1000) t(i)) TO '{tmp_path}/sales.parquet' (FORMAT parquet)"
        )
        con.execute(
            "COPY (SELECT i AS k, 'group ' || i AS label FROM range(7) t(i)) "
            f"TO '{tmp_path}/groups.csv' (HEADER)"
        )


def _pipeline(mode: str = "replace") -> Pipeline:
    p = Pipeline(name="sales")
    sales = p.add_node("file_source", name="sales", params={"path": "${PROJECT_DIR}/sales.parquet"})
    groups = p.add_node("file_source", name="groups", params={"path": "${PROJECT_DIR}/groups.csv"})
    big = p.add_node("filter", name="big", params={"condition": "amount > 100"})
    join = p.add_node(
        "join",
        name="labelled",
        params={"kind": "inner", "keys": [{"left": "k", "right": "k"}]},
    )
    total = p.add_node(
        "aggregate",
        name="total",
        params={
            "group_by": ["label"],
            "measures": [{"name": "amount", "function": "sum", "column": "amount"}],
        },
    )
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "totals", "mode": mode},
    )
    detail = p.add_node(
        "destination",
        name="detail",
        params={"connection": "warehouse", "table": "big_sales", "mode": mode},
    )
    p.connect(sales.id, "out", big.id, "in")
    p.connect(big.id, "out", join.id, "left")
    p.connect(groups.id, "out", join.id, "right")
    p.connect(join.id, "out", total.id, "in")
    p.connect(total.id, "out", dest.id, "in")
    p.connect(big.id, "out", detail.id, "in")
    return p


def _tables(tmp_path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(tmp_path / "out" / "wh.duckdb"), read_only=True) as con:
        return {
            t: con.sql(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()
            for t in ("totals", "big_sales")
        }


def _strip(data: dict) -> dict:
    """A report without what differs between two runs of the same plan (ids, times)."""
    data = json.loads(json.dumps(data, default=str))
    data.pop("run_id")
    data.pop("seconds")
    for n in data["nodes"]:
        n.pop("seconds")
    return data


def _events(bus: EventBus) -> list[tuple]:
    seen: list[tuple] = []
    bus.subscribe(
        lambda e: seen.append(
            (
                e.kind,
                *[
                    v
                    for k, v in sorted(e.to_dict().items())
                    if k not in ("at", "run_id", "seconds", "kind")
                ],
            )
        )
    )
    return seen


def _planned(tmp_path: Path, pipeline: Pipeline) -> tuple[object, list[Replay], list[tuple]]:
    kept: list[Replay] = []
    bus = EventBus()
    events = _events(bus)
    with _provider(tmp_path) as prov:
        report = run_pipeline(pipeline, prov, bus=bus, run_id="1", keep=kept.append)
    return report, kept, events


def test_a_replay_does_what_the_planned_run_did(tmp_path: Path) -> None:
    _files(tmp_path)
    time.sleep(0.01)  # the files are older than the run that keeps them
    report, kept, planned_events = _planned(tmp_path, _pipeline())
    assert report.ok, report.error
    assert len(kept) == 1
    first = _tables(tmp_path)
    assert len(first["big_sales"]) == 1000 - 81  # amount > 100: i >= 81
    with duckdb.connect(str(tmp_path / "out" / "wh.duckdb")) as con:
        con.execute("DELETE FROM totals")  # the replay writes it again

    replay = Replay.from_dict(json.loads(json.dumps(kept[0].to_dict())))  # as kept on disk
    bus = EventBus()
    events = _events(bus)
    again = run_replay(replay, bus=bus, run_id="1")
    assert again.ok, again.error
    assert _tables(tmp_path) == first
    assert _strip(again.to_dict()) == _strip(report.to_dict())
    assert events == planned_events
    assert [(q.node_id, q.statement, q.sql, q.runs_on) for q in again.queries] == [
        (q.node_id, q.statement, q.sql, q.runs_on) for q in report.queries
    ]
    assert all(q.seconds is not None for q in again.queries if q.statement == "stage")


def test_an_append_replayed_appends_once_more(tmp_path: Path) -> None:
    _files(tmp_path)
    time.sleep(0.01)
    report, kept, _ = _planned(tmp_path, _pipeline("append"))
    assert report.ok and kept
    again = run_replay(kept[0], run_id="2")
    assert again.ok, again.error
    assert again.node("detail").rows_in == 919
    assert len(_tables(tmp_path)["big_sales"]) == 2 * 919


def test_plans_are_made_for_the_statements_asked_for(tmp_path: Path) -> None:
    _files(tmp_path)
    time.sleep(0.01)
    _report, kept, _ = _planned(tmp_path, _pipeline())
    again = run_replay(kept[0], run_id="3", plans=lambda q: q.node_name == "out")
    plans = {q.node_name: q.plan for q in again.queries if q.statement == "stage"}
    assert plans["out"] is not None and plans["out"]["format"] == "duckdb"
    assert plans["detail"] is None


def test_a_failed_write_fails_the_replayed_run_as_it_fails_the_planned_run(
    tmp_path: Path,
) -> None:
    _files(tmp_path)
    time.sleep(0.01)
    pipeline = _pipeline("append")
    _report, kept, _ = _planned(tmp_path, pipeline)
    with duckdb.connect(str(tmp_path / "out" / "wh.duckdb")) as con:
        con.execute("DROP TABLE big_sales")
        con.execute("CREATE TABLE big_sales (id VARCHAR)")  # the append no longer fits
    bus = EventBus()
    events = _events(bus)
    again = run_replay(kept[0], bus=bus, run_id="1")
    assert again.status is NodeStatus.FAILED
    assert again.error.startswith("detail: warehouse: writing 'big_sales' failed")
    planned, _kept, planned_events = _planned(tmp_path, pipeline)
    assert _strip(again.to_dict()) == _strip(planned.to_dict())
    assert events == planned_events


def test_the_replayed_session_reads_only_what_the_planned_one_could(tmp_path: Path) -> None:
    _files(tmp_path)
    time.sleep(0.01)
    _report, kept, _ = _planned(tmp_path, _pipeline())
    assert str(tmp_path.resolve()) in kept[0].allowed
    narrowed = Replay.from_dict({**kept[0].to_dict(), "allowed": [str(tmp_path / "out")]})
    again = run_replay(narrowed, run_id="5")
    assert again.status is NodeStatus.FAILED
    assert "Permission" in again.error or "allowed" in again.error


@pytest.mark.parametrize("why", ["newer file", "pattern", "masking"])
def test_what_cannot_be_replayed_is_not_kept(tmp_path: Path, why: str) -> None:
    _files(tmp_path)
    pipeline = _pipeline()
    if why == "newer file":
        future = time.time() + 60
        os.utime(tmp_path / "groups.csv", (future, future))
    elif why == "pattern":
        pipeline.node_by_name("sales").params["path"] = "${PROJECT_DIR}/sal*.parquet"
    else:
        node = pipeline.add_node(
            "mask", name="hide", params={"rules": [{"column": "label", "method": "redact"}]}
        )
        dest = pipeline.node_by_name("out")
        edge = pipeline.incoming(dest.id)[0]
        pipeline.disconnect(edge)
        pipeline.connect(edge.source.node, edge.source.port, node.id, "in")
        pipeline.connect(node.id, "out", dest.id, "in")
    report, kept, _ = _planned(tmp_path, pipeline)
    assert report.ok, report.error
    assert kept == []


def test_a_duckdb_file_source_is_attached_read_only_and_replayed(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "shop.duckdb")) as con:
        con.execute("CREATE TABLE orders AS SELECT i AS id, i % 5 AS k FROM range(100) t(i)")
    time.sleep(0.01)
    connections = {
        "shop db": Connection(
            name="shop db", type="duckdb", params={"path": str(tmp_path / "shop.duckdb")}
        ),
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "out" / "wh.duckdb")}
        ),
    }
    p = Pipeline(name="copy")
    src = p.add_node("source", name="orders", params={"connection": "shop db", "table": "orders"})
    keep = p.add_node("filter", name="some", params={"condition": "k = 2"})
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "t", "mode": "replace"},
    )
    p.connect(src.id, "out", keep.id, "in")
    p.connect(keep.id, "out", dest.id, "in")
    kept: list[Replay] = []
    bus = EventBus()
    planned_events = _events(bus)
    with project_provider(
        connections, project_dir=tmp_path, secrets=lambda c, f, **_: None
    ) as prov:
        report = run_pipeline(p, prov, bus=bus, run_id="1", keep=kept.append)
    assert report.ok, report.error
    (replay,) = kept
    assert [(a, c) for _p, a, c in replay.sources] == [("cauce_shop_db", "shop db")]
    assert {path for path, _s, _m in replay.inputs} == {
        str((tmp_path / "shop.duckdb").resolve()),
        str((tmp_path / "shop.duckdb").resolve()) + ".wal",
    }
    bus = EventBus()
    events = _events(bus)
    again = run_replay(
        Replay.from_dict(json.loads(json.dumps(replay.to_dict()))), bus=bus, run_id="1"
    )
    assert _strip(again.to_dict()) == _strip(report.to_dict())
    assert events == planned_events
    with duckdb.connect(str(tmp_path / "out" / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM t").fetchall() == [(20,)]
    with duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True) as con:  # untouched
        assert con.execute("SELECT count(*) FROM orders").fetchall() == [(100,)]


def test_a_source_that_is_also_written_is_not_kept(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        con.execute("CREATE TABLE orders AS SELECT i AS id FROM range(10) t(i)")
    time.sleep(0.01)
    connections = {
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "wh.duckdb")}
        ),
    }
    p = Pipeline(name="again")
    src = p.add_node("source", name="orders", params={"connection": "warehouse", "table": "orders"})
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "t", "mode": "replace"},
    )
    p.connect(src.id, "out", dest.id, "in")
    kept: list[Replay] = []
    with project_provider(
        connections, project_dir=tmp_path, secrets=lambda c, f, **_: None
    ) as prov:
        assert run_pipeline(p, prov, keep=kept.append).ok
    assert kept == []


def test_a_source_in_the_database_a_local_stage_writes_is_not_kept(tmp_path: Path) -> None:
    _files(tmp_path)
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        con.execute("CREATE TABLE labels AS SELECT i AS k, 'l' || i AS label FROM range(7) t(i)")
    time.sleep(0.01)
    connections = {
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "wh.duckdb")}
        ),
    }
    p = Pipeline(name="mixed")  # a file joined with a table of the destination's database
    sales = p.add_node("file_source", name="sales", params={"path": "${PROJECT_DIR}/sales.parquet"})
    labels = p.add_node(
        "source", name="labels", params={"connection": "warehouse", "table": "labels"}
    )
    join = p.add_node(
        "join", name="j", params={"kind": "inner", "keys": [{"left": "k", "right": "k"}]}
    )
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "t", "mode": "replace"},
    )
    p.connect(sales.id, "out", join.id, "left")
    p.connect(labels.id, "out", join.id, "right")
    p.connect(join.id, "out", dest.id, "in")
    kept: list[Replay] = []
    with project_provider(
        connections, project_dir=tmp_path, secrets=lambda c, f, **_: None
    ) as prov:
        report = run_pipeline(p, prov, keep=kept.append)
    assert report.ok, report.error
    assert report.plan is not None and report.plan["stages"][0]["placement"] == "local"
    assert kept == []
