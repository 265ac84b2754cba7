"""The repository API on real SQLite and PostgreSQL: projects, connections, versions, runs."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta

import pytest

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.storage.migrate import init_db
from app.storage.models import utcnow
from app.storage.records import (
    EventRecord,
    NodeLocation,
    NodeRunRecord,
    RunStatus,
    RunTrigger,
)
from app.storage.repository import Repository
from app.storage.unit_of_work import DuplicateName, InvalidTransition, NotFound


def _pipeline(name: str = "orders") -> Pipeline:
    p = Pipeline(name=name)
    src = p.add_node(
        "source", name="src", params={"connection": "db", "table": "orders"}, position=(0, 0)
    )
    flt = p.add_node("filter", name="big", params={"condition": "amount > 100"})
    p.connect(src.id, "out", flt.id, "in")
    return p


def _run(repo: Repository) -> tuple[int, int]:
    project = repo.ensure_project("p")
    version = repo.save_pipeline_version(project, _pipeline(), author="ana")
    return project, repo.start_run(version.id, trigger=RunTrigger.CLI, host="box").id


# -- projects and connections ---------------------------------------------------------------
def test_ensure_project_is_idempotent(repo: Repository) -> None:
    first = repo.ensure_project("sales")
    assert repo.ensure_project("sales") == first
    assert repo.ensure_project("hr") != first
    assert [p.name for p in repo.list_projects()] == ["hr", "sales"]


def test_save_connection_upserts_by_name_per_project(repo: Repository) -> None:
    a, b = repo.ensure_project("a"), repo.ensure_project("b")
    repo.save_connection(a, Connection(name="db", type="sqlite", params={"path": "x.db"}))
    saved = repo.save_connection(
        a, Connection(name="db", type="sqlite", params={"path": "y.db"}, description="moved")
    )
    repo.save_connection(b, Connection(name="db", type="duckdb", params={}))
    assert [(c.name, c.params, c.description) for c in repo.list_connections(a)] == [
        ("db", {"path": "y.db"}, "moved")
    ]
    assert saved.updated_at.tzinfo is UTC
    assert repo.get_connection(b, "db") == Connection(name="db", type="duckdb", params={})
    assert repo.delete_connection(a, "db") is True
    assert repo.delete_connection(a, "db") is False
    with pytest.raises(NotFound):
        repo.get_connection(a, "db")


def test_saving_an_unchanged_connection_writes_nothing(repo: Repository) -> None:
    """Every recorded run saves the project's connections: one that did not change keeps its
    time of change (and its row is not written again)."""
    project = repo.ensure_project("p")
    conn = Connection(name="db", type="sqlite", params={"path": "x.db"}, description="d")
    first = repo.save_connection(project, conn)
    assert repo.save_connection(project, conn.model_copy()) == first
    moved = repo.save_connection(project, conn.model_copy(update={"params": {"path": "y.db"}}))
    assert moved.updated_at > first.updated_at and moved.params == {"path": "y.db"}
    described = repo.save_connection(
        project, conn.model_copy(update={"params": {"path": "y.db"}, "description": "e"})
    )
    assert described.updated_at > moved.updated_at and described.description == "e"


@pytest.mark.parametrize("key", ["password", "API_KEY", "private_key"])
def test_connection_params_refuse_secrets(repo: Repository, key: str) -> None:
    project = repo.ensure_project("p")
    with pytest.raises(ValueError, match=f"{key} is a secret"):
        repo.save_connection(
            project, Connection(name="pg", type="postgres", params={"host": "h", key: "hunter2"})
        )
    assert repo.list_connections(project) == []


def test_save_connections_stores_all_or_none(repo: Repository) -> None:
    project = repo.ensure_project("p")
    good = [Connection(name=n, type="sqlite", params={"path": f"{n}.db"}) for n in ("a", "b")]
    bad = Connection(name="pg", type="postgres", params={"host": "h", "password": "hunter2"})
    with pytest.raises(ValueError, match="password is a secret"):
        repo.save_connections(project, [*good, bad])
    assert repo.list_connections(project) == []
    saved = repo.save_connections(project, good)
    assert [c.name for c in saved] == ["a", "b"] == [c.name for c in repo.list_connections(project)]


def test_unknown_project_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.list_connections(10**9)


# -- pipeline versions ----------------------------------------------------------------------
def test_identical_content_does_not_make_a_version(repo: Repository) -> None:
    project, p = repo.ensure_project("p"), _pipeline()
    v1 = repo.save_pipeline_version(project, p, author="ana", message="first")
    again = repo.save_pipeline_version(
        project, Pipeline.from_json(p.to_json()), author="bob", message="nothing changed"
    )
    assert again == v1
    assert len(repo.pipeline_history(project, p.id)) == 1


def test_versions_chain_parents_and_hash_content(repo: Repository) -> None:
    project, p = repo.ensure_project("p"), _pipeline()
    v1 = repo.save_pipeline_version(project, p, author="ana", message="first")
    p.node_by_name("big").params["condition"] = "amount > 500"
    v2 = repo.save_pipeline_version(project, p, author="bob", message="stricter")
    p.move(p.node_by_name("big").id, 40, 80)
    v3 = repo.save_pipeline_version(project, p, author="bob", message="tidy layout")

    history = repo.pipeline_history(project, p.id)
    assert [(v.number, v.parent_id, v.author, v.message) for v in history] == [
        (3, v2.id, "bob", "tidy layout"),
        (2, v1.id, "bob", "stricter"),
        (1, None, "ana", "first"),
    ]
    assert v1.semantic_hash != v2.semantic_hash
    assert v3.semantic_hash == v2.semantic_hash  # a moved node is not a semantic change
    assert v3.content_hash != v2.content_hash
    assert v3.semantic_hash == p.semantic_hash()
    assert v3.pipeline() == p
    assert repo.current_version(project, p.id).id == v3.id
    assert repo.get_version(v2.id).pipeline().node_by_name("big").params == {
        "condition": "amount > 500"
    }


def test_rename_and_duplicate_names(repo: Repository) -> None:
    project = repo.ensure_project("p")
    first, other = _pipeline("orders"), _pipeline("refunds")
    repo.save_pipeline_version(project, first, author="a")
    repo.save_pipeline_version(project, other, author="a")
    other.name = "orders"
    with pytest.raises(DuplicateName, match="orders"):
        repo.save_pipeline_version(project, other, author="a")
    first.name = "orders_v2"
    assert repo.save_pipeline_version(project, first, author="a").number == 2
    assert repo.save_pipeline_version(project, other, author="a").number == 2


def test_rollback_points_at_an_old_version_and_next_save_branches_from_it(repo: Repository) -> None:
    project, p = repo.ensure_project("p"), _pipeline()
    v1 = repo.save_pipeline_version(project, p, author="a")
    p.node_by_name("big").params["condition"] = "amount > 1"
    repo.save_pipeline_version(project, p, author="a")
    assert repo.set_current_version(project, p.id, v1.id).id == v1.id
    assert repo.current_version(project, p.id).id == v1.id
    p.node_by_name("big").params["condition"] = "amount > 2"
    v3 = repo.save_pipeline_version(project, p, author="a")
    assert (v3.number, v3.parent_id) == (3, v1.id)
    other = repo.save_pipeline_version(project, _pipeline("other"), author="a")
    with pytest.raises(NotFound):
        repo.set_current_version(project, p.id, other.id)


def test_records_are_plain_frozen_dataclasses(repo: Repository) -> None:
    project = repo.ensure_project("p")
    version = repo.save_pipeline_version(project, _pipeline(), author="a")
    assert dataclasses.is_dataclass(version)
    with pytest.raises(dataclasses.FrozenInstanceError):
        version.number = 9  # type: ignore[misc]
    assert version.created_at.tzinfo is UTC
    assert abs(version.created_at - utcnow()) < timedelta(minutes=1)


# -- runs -----------------------------------------------------------------------------------
def test_run_lifecycle_with_node_results_and_events(repo: Repository) -> None:
    project, run_id = _run(repo)
    repo.record_event("run.started", {"nodes": 2}, run_id=run_id)
    repo.record_node_run(run_id, "n1", node_name="src", status="running")
    repo.record_node_run(
        run_id,
        "n1",
        node_name="src",
        status=RunStatus.SUCCEEDED,
        rows_in=0,
        rows_out=3_000_000_000,
        seconds=1.5,
    )
    repo.record_node_run(
        run_id,
        "n2",
        node_name="big",
        status="failed",
        location=NodeLocation.PUSHDOWN,
        error="division by zero",
    )
    finished = repo.finish_run(run_id, "failed", error="node big failed")

    assert finished.status is RunStatus.FAILED and finished.error == "node big failed"
    assert finished.started_at is not None and finished.finished_at is not None
    assert finished.finished_at >= finished.started_at
    detail = repo.run_detail(run_id)
    assert detail.run == finished
    assert (detail.run.pipeline_name, detail.run.version_number, detail.run.host) == (
        "orders",
        1,
        "box",
    )
    assert [(n.node_id, n.status, n.location, n.rows_out, n.error) for n in detail.nodes] == [
        ("n1", RunStatus.SUCCEEDED, NodeLocation.LOCAL, 3_000_000_000, None),
        ("n2", RunStatus.FAILED, NodeLocation.PUSHDOWN, None, "division by zero"),
    ]
    assert [(e.type, e.payload) for e in detail.events] == [("run.started", {"nodes": 2})]


def test_finish_run_stores_the_gathered_node_results_and_events_with_it(
    repo: Repository,
) -> None:
    _, run_id = _run(repo)
    repo.record_node_run(run_id, "n1", node_name="src", status="running")  # an earlier write
    at = utcnow() - timedelta(seconds=30)
    nodes = [
        NodeRunRecord("n1", "src", RunStatus.SUCCEEDED, NodeLocation.LOCAL, None, 7, 0.5, None),
        NodeRunRecord("n2", "big", RunStatus.FAILED, NodeLocation.PUSHDOWN, 7, None, 0.1, "boom"),
    ]
    events = [EventRecord(0, "run_started", None, {"nodes": 2}, at)]
    repo.finish_run(run_id, "failed", error="big failed", nodes=nodes, events=events)
    detail = repo.run_detail(run_id)
    assert detail.run.status is RunStatus.FAILED
    assert detail.nodes == nodes  # n1's earlier row replaced, not duplicated
    [event] = detail.events
    assert (event.type, event.payload, event.run_id) == ("run_started", {"nodes": 2}, run_id)
    assert abs(event.created_at - at) < timedelta(milliseconds=1)  # the event's own time


def test_finish_run_stores_many_nodes_and_keeps_a_nodes_last_result(repo: Repository) -> None:
    """Node results go in batched upserts (500 rows a statement): 1,201 results over three
    of them, node 0 given twice (its last result wins, in its first place)."""
    _, run_id = _run(repo)
    nodes = [
        NodeRunRecord(
            f"n{i}", f"step {i}", RunStatus.SUCCEEDED, NodeLocation.LOCAL, i, i, 0.1, None
        )
        for i in range(1200)
    ]
    again = NodeRunRecord("n0", "step 0", RunStatus.FAILED, NodeLocation.LOCAL, 0, None, 0.2, "x")
    repo.finish_run(run_id, "failed", nodes=[*nodes, again])
    stored = repo.run_detail(run_id).nodes
    assert stored == [again, *nodes[1:]]


def test_a_refused_finish_stores_none_of_its_node_results(repo: Repository) -> None:
    _, run_id = _run(repo)
    repo.finish_run(run_id, "succeeded")
    late = NodeRunRecord("n9", "x", RunStatus.SUCCEEDED, NodeLocation.LOCAL, 1, 1, 0.1, None)
    with pytest.raises(InvalidTransition, match="already finished"):
        repo.finish_run(run_id, "failed", nodes=[late])
    bad = EventRecord(0, "odd", None, {"when": utcnow()}, utcnow())
    version_id = repo.run_detail(run_id).run.pipeline_version_id
    other = repo.start_run(version_id, trigger="cli").id
    with pytest.raises(TypeError, match="JSON"):
        repo.finish_run(other, "succeeded", nodes=[late], events=[bad])
    assert repo.run_detail(run_id).nodes == [] and repo.run_detail(other).nodes == []
    assert repo.run_detail(other).run.status is RunStatus.RUNNING


def test_finished_runs_are_final(repo: Repository) -> None:
    _, run_id = _run(repo)
    with pytest.raises(InvalidTransition, match="not a final status"):
        repo.finish_run(run_id, "running")
    repo.finish_run(run_id, "succeeded")
    with pytest.raises(InvalidTransition, match="already finished"):
        repo.finish_run(run_id, "failed")
    assert repo.run_detail(run_id).run.status is RunStatus.SUCCEEDED


def test_pending_runs_start_or_get_cancelled(repo: Repository) -> None:
    project = repo.ensure_project("p")
    version = repo.save_pipeline_version(project, _pipeline(), author="a")
    queued = repo.start_run(version.id, trigger="schedule", pending=True)
    assert (queued.status, queued.started_at) == (RunStatus.PENDING, None)
    with pytest.raises(InvalidTransition, match="never started"):
        repo.finish_run(queued.id, "succeeded")
    assert repo.mark_run_running(queued.id).started_at is not None
    other = repo.start_run(version.id, trigger="api", pending=True)
    cancelled = repo.finish_run(other.id, RunStatus.CANCELLED)
    assert (cancelled.status, cancelled.started_at) == (RunStatus.CANCELLED, None)
    with pytest.raises(ValueError):
        repo.start_run(version.id, trigger="telepathy")


def test_recent_runs_newest_first_with_limit_and_project_filter(repo: Repository) -> None:
    a, b = repo.ensure_project("a"), repo.ensure_project("b")
    va = repo.save_pipeline_version(a, _pipeline("in_a"), author="x")
    vb = repo.save_pipeline_version(b, _pipeline("in_b"), author="x")
    ids = [repo.start_run(v.id, trigger="gui").id for v in (va, vb, va)]
    assert [r.id for r in repo.recent_runs(2)] == [ids[2], ids[1]]
    assert [r.id for r in repo.recent_runs(10, project_id=a)] == [ids[2], ids[0]]
    assert {r.trigger for r in repo.recent_runs()} == {RunTrigger.GUI}


def test_events_need_json_and_an_existing_run(repo: Repository) -> None:
    with pytest.raises(TypeError, match="JSON"):
        repo.record_event("odd", {"when": utcnow()})
    with pytest.raises(NotFound):
        repo.record_event("odd", {}, run_id=10**9)
    repo.record_event("alert.raised", {"rule": "late"})
    repo.record_event("other", {})
    assert [e.payload for e in repo.recent_events(type="alert.raised")] == [{"rule": "late"}]


def test_organizations_are_isolated(repo: Repository, shared_db_url: str) -> None:
    project, run_id = _run(repo)
    with Repository(shared_db_url, organization=repo.organization + "-other") as other:
        assert other.organization_id != repo.organization_id
        assert other.list_projects() == []
        assert other.recent_runs() == []
        with pytest.raises(NotFound):
            other.run_detail(run_id)
        with pytest.raises(NotFound):
            other.list_connections(project)
        with pytest.raises(NotFound):
            other.record_node_run(run_id, "n", node_name="n", status="running")


def test_concurrent_saves_get_distinct_numbers(repo: Repository) -> None:
    project, base = repo.ensure_project("p"), _pipeline()
    repo.save_pipeline_version(project, base, author="a")

    def save(worker: int) -> list[int]:
        numbers = []
        for i in range(3):
            p = Pipeline.from_json(base.to_json())
            p.node_by_name("big").params["condition"] = f"amount > {worker * 10 + i}"
            numbers.append(repo.save_pipeline_version(project, p, author=f"w{worker}").number)
        return numbers

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = [n for batch in pool.map(save, range(4)) for n in batch]
    assert sorted(numbers) == list(range(2, 14))
    history = repo.pipeline_history(project, base.id)
    assert [v.number for v in history] == list(range(13, 0, -1))
    assert all(v.parent_id == history[i + 1].id for i, v in enumerate(history[:-1]))


@pytest.mark.postgres
def test_repr_hides_the_database_password(pg_db: dict[str, object]) -> None:
    url = f"postgresql+psycopg://postgres:pw-123@127.0.0.1:5432/{pg_db['dbname']}"
    init_db(url)
    with Repository(url) as repository:
        assert "pw-123" not in repr(repository)
        assert "***" in repr(repository)
