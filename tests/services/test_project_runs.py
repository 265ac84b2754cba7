"""``run_project`` plans every pipeline before running any and runs the first one's plan as it
is (later pipelines plan again: an earlier run may change what they read); its node results
and events are committed with the run's final status, never while nodes run."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest

import app.engine.plan as plan
import app.services.run_steps as run_steps
from app.engine.compiler import CompileError
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Chinook example plus a second pipeline writing another table."""
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    data = json.loads((target / "pipelines" / "revenue.json").read_text())
    data["id"], data["name"] = "0dbba4a2-e971-5f03-b83f-8b03a7a1ad9e", "revenue2"
    for node in data["nodes"]:
        if node["type"] == "destination":
            node["params"]["table"] = "revenue_again"
    (target / "pipelines" / "revenue2.json").write_text(json.dumps(data))
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    return target


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each pipeline was planned (the real planner runs)."""
    seen: Counter[str] = Counter()
    real = plan.plan_pipeline

    def counting(pipeline, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen[pipeline.name] += 1
        return real(pipeline, *args, **kwargs)

    monkeypatch.setattr(plan, "plan_pipeline", counting)
    monkeypatch.setattr(run_steps, "plan_pipeline", counting)  # planning ahead
    return seen


def _tables(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def test_the_first_pipeline_runs_the_plan_made_to_validate_it(
    project: Path, tmp_path: Path, plans: Counter[str]
) -> None:
    result = run_project(project, workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"))
    assert result.ok, result.summary()
    assert plans == {"revenue": 1, "revenue2": 2}
    assert _tables(tmp_path / "out" / "chinook_mart.duckdb") == {
        "revenue_by_country_genre_year",
        "revenue_again",
    }
    rows = [n.rows_in for r in result.reports for n in r.nodes if n.name == "mart"]
    assert rows == [432, 432]


def test_one_selected_pipeline_is_planned_once(
    project: Path, tmp_path: Path, plans: Counter[str]
) -> None:
    result = run_project(
        project,
        pipelines=["revenue2"],
        workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"),
    )
    assert result.ok and plans == {"revenue2": 1}


def test_an_invalid_later_pipeline_runs_nothing_and_closes_the_kept_session(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "pipelines" / "revenue2.json"
    data = json.loads(path.read_text())
    for node in data["nodes"]:
        if node["type"] == "filter":
            node["params"]["condition"] = "no_such_column > 1"
    path.write_text(json.dumps(data))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where sessions keep their files
    with pytest.raises(CompileError, match="no_such_column"):
        run_project(project, workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"))
    assert not (tmp_path / "out" / "chinook_mart.duckdb").exists()
    assert list(scratch.iterdir()) == []  # the first pipeline's session was closed


def test_node_results_are_committed_with_the_run_not_while_it_runs(
    project: Path, tmp_path: Path
) -> None:
    """The run row says running before the first node starts; node rows and events wait for
    the final commit, which stores each node's last state and the events at their times."""
    from app.model.events import NodeFinished, RunStarted
    from app.storage.repository import Repository

    url = f"sqlite:///{tmp_path / 'meta.db'}"
    seen: list[tuple[str, str, int]] = []

    def look(event: object) -> None:
        if isinstance(event, RunStarted | NodeFinished):
            with Repository(url) as repo:
                [run] = repo.recent_runs(1)
                detail = repo.run_detail(run.id)
            seen.append((type(event).__name__, str(run.status), len(detail.nodes)))

    started = __import__("time").time()
    result = run_project(
        project, pipelines=["revenue"], workspace=Workspace.open(url), on_event=look
    )
    assert result.ok, result.summary()
    assert seen[0] == ("RunStarted", "running", 0)
    assert {s for s in seen[1:]} == {("NodeFinished", "running", 0)}
    with Repository(url) as repo:
        [run] = repo.recent_runs(1)
        detail = repo.run_detail(run.id)
    report = {n.node_id: n for n in result.reports[0].nodes}
    assert str(detail.run.status) == "succeeded"
    assert {n.node_id for n in detail.nodes} == set(report)
    assert all(str(n.status) == "succeeded" for n in detail.nodes)
    mart = next(n for n in detail.nodes if n.node_name == "mart")
    assert mart.rows_in == 432 and mart.seconds is not None
    kinds = [e.type for e in detail.events]
    assert kinds == ["run_started", "run_finished"]
    assert all(e.created_at.timestamp() >= started for e in detail.events)


def test_an_event_that_cannot_be_stored_costs_the_run_nothing_else(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from app.engine.executor import NodeStatus, RunReport
    from app.model.events import RunStarted
    from app.model.pipeline import Pipeline
    from app.services.metadata import RunRecorder
    from app.storage.project import Project, ProjectMeta
    from app.storage.repository import Repository

    url = f"sqlite:///{tmp_path / 'meta.db'}"
    recorder = RunRecorder(Workspace.open(url), Project(meta=ProjectMeta(name="p")), trigger="cli")
    run_id = recorder.start(Pipeline(name="empty"))
    recorder.on_event(RunStarted(run_id, pipeline="empty", nodes=(object(),)))  # type: ignore[arg-type]
    recorder.on_event(RunStarted(run_id, pipeline="empty"))
    recorder.finish(RunReport(run_id=run_id, pipeline="empty", status=NodeStatus.SUCCEEDED))
    recorder.close()
    with Repository(url) as repo:
        detail = repo.run_detail(int(run_id))
    assert str(detail.run.status) == "succeeded"
    assert [e.payload["nodes"] for e in detail.events] == [[]]
    assert "not recorded" in caplog.text


@pytest.mark.postgres
def test_repeated_runs_reuse_metadata_connections(
    project: Path, pg_db: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long-lived workspace (a scheduler, a server) on PostgreSQL keeps a few connections
    and checks the schema once: runs after the first open no new connection per store (a
    recorded run opened fifteen, and checked the schema four times)."""
    from sqlalchemy import event

    import app.storage.unit_of_work as uow

    url = f"postgresql+psycopg://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    ws = Workspace.open(url)
    assert run_project(project, pipelines=["revenue"], workspace=ws).ok
    checks: list[str] = []
    real_check = uow.check_schema
    monkeypatch.setattr(
        uow, "check_schema", lambda conn, u: checks.append(u) or real_check(conn, u)
    )
    from app.storage.repository import Repository

    with ws.open_store(Repository) as repo:
        engine = repo._engine
    connects: list[object] = []
    event.listen(engine, "connect", lambda *_: connects.append(1))
    for _ in range(3):
        assert run_project(project, pipelines=["revenue"], workspace=ws).ok
    assert checks == []
    # at most one connection beyond the idle ones, over the three runs
    assert len(connects) <= 1, len(connects)
