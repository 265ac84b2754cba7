"""Checks declared on a pipeline node that is not a destination (issue #18 item 3): on the
Chinook example's aggregate and join, they run after the pipeline over the node's output, are
stored per run, fail or warn the run by their severity, and mask tagged columns in samples.
Expected counts come from the node's rows read through the editor's preview (rows, not the
checks' SQL)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from app.cli import cli
from app.model.events import CheckFinished, Event
from app.model.quality import CheckSpec
from app.services.projects import open_document
from app.services.quality import add_checks, list_checks, remove_check, run_project_checks
from app.services.runs import preview_node, recent_runs, run_project
from app.services.workspace import Workspace
from app.storage.quality import QualityStore
from tests.conftest import REPO

AGG = "by_country_genre_year"
JOIN = "lines_with_invoice"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    return target


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(f"sqlite:///{tmp_path / 'meta.db'}")


def _rows(project: Path, node: str) -> list[dict[str, Any]]:
    doc = open_document(project)
    try:
        pipeline = doc.pipeline("revenue")
        return preview_node(doc, pipeline, pipeline.node_by_name(node).id, limit=None).to_pylist()
    finally:
        doc.close()


def _stored(ws: Workspace) -> list[Any]:
    with ws.repository() as repo:
        [project_id] = [p.id for p in repo.list_projects() if p.name == "chinook"]
    with ws.open_store(QualityStore) as store:
        return list(store.check_results(project_id, limit=100))


def _on(node: str, **kw: Any) -> CheckSpec:
    return CheckSpec(pipeline="revenue", node=node, **kw)


def test_passing_checks_on_an_aggregate_pass_the_run(project: Path, ws: Workspace) -> None:
    rows = _rows(project, AGG)
    add_checks(
        project,
        [
            _on(AGG, kind="row_count", min=len(rows), max=len(rows)),
            _on(AGG, kind="not_null", column="Genre"),
            _on(AGG, kind="range", column="Revenue", min=0),
        ],
    )
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    [run] = recent_runs(ws, "chinook")[:1]
    stored = _stored(ws)
    assert {(r.check, r.status, r.run_id) for r in stored} == {
        ("row_count", "passed", run.id),
        ("not_null:Genre", "passed", run.id),
        ("range:Revenue", "passed", run.id),
    }
    assert {(r.connection, r.table) for r in stored} == {(f"revenue.{AGG}", f"revenue.{AGG}")}
    assert all(r.rows == len(rows) for r in stored)


def test_a_failing_node_check_fails_the_run_and_a_warning_warns(
    project: Path, ws: Workspace
) -> None:
    rows = _rows(project, AGG)
    high = sorted(float(r["Revenue"]) for r in rows)[len(rows) // 2]
    failing = [r for r in rows if float(r["Revenue"]) > high]
    assert 0 < len(failing) < len(rows)
    add_checks(project, [_on(AGG, kind="range", column="Revenue", max=high, severity="warn")])
    seen: list[Event] = []
    result = run_project(project, workspace=ws, on_event=seen.append)
    assert result.ok, result.summary()  # a warning does not fail the run
    [event] = [e for e in seen if isinstance(e, CheckFinished)]
    assert (event.table, event.check, event.status) == (f"revenue.{AGG}", "range:Revenue", "warned")
    assert event.failing == len(failing)

    remove_check(project, None, "range:Revenue", pipeline="revenue", node=AGG)
    add_checks(project, [_on(AGG, kind="range", column="Revenue", max=high)])
    result = run_project(project, workspace=ws)
    [report] = result.reports
    assert not result.ok
    assert "range:Revenue" in str(report.error) and f"revenue.{AGG}" in str(report.error)
    [last] = recent_runs(ws, "chinook")[:1]
    assert str(last.status) == "failed"
    [newest] = [r for r in _stored(ws) if r.run_id == last.id]
    assert (newest.status, newest.failing, newest.rows) == ("failed", len(failing), len(rows))
    sample = newest.detail["sample"]
    assert 0 < len(sample) <= 5
    assert all(float(s["Revenue"]) > high for s in sample)


def test_samples_mask_columns_whose_tags_reach_the_node(project: Path, ws: Workspace) -> None:
    from app.services.privacy import set_tags

    set_tags(project, "chinook", "Invoice", "BillingAddress", ["pii.address"], workspace=ws)
    rows = _rows(project, JOIN)
    failing = [r for r in rows if not r["Quantity"] < 1]
    add_checks(project, [_on(JOIN, kind="sql", predicate="Quantity < 1")])
    outcome = run_project_checks(project, pipeline="revenue", workspace=ws)
    [result] = outcome.results
    assert result.error is None, result.error
    assert (result.status, result.failing, result.rows) == ("failed", len(failing), len(rows))
    assert result.sample and all(s["BillingAddress"] == "***" for s in result.sample)
    assert all(s["BillingCity"] != "***" for s in result.sample)  # untagged: shown
    [stored] = _stored(ws)
    assert stored.run_id is None and all(
        s["BillingAddress"] == "***" for s in stored.detail["sample"]
    )


def test_node_checks_are_validated(project: Path) -> None:
    with pytest.raises(ValidationError, match="not both"):
        CheckSpec(kind="row_count", table="t", pipeline="revenue", node=AGG, min=1)
    with pytest.raises(ValidationError, match="both its pipeline and its node"):
        CheckSpec(kind="row_count", node=AGG, min=1)
    with pytest.raises(ValidationError, match="not a node"):
        _on(AGG, kind="references", column="Genre", references="Genre.Name")
    with pytest.raises(ValueError, match="no node"):
        add_checks(project, [_on("nope", kind="row_count", min=1)])
    with pytest.raises(ValueError, match="no pipeline"):
        add_checks(project, [CheckSpec(kind="row_count", pipeline="x", node=AGG, min=1)])
    with pytest.raises(ValueError, match="destination"):
        add_checks(project, [_on("mart", kind="row_count", min=1)])
    assert list_checks(project) == []
    before = (project / "project.json").read_bytes()
    add_checks(project, [CheckSpec(kind="row_count", table="Invoice", min=1)])
    assert b'"node"' not in (project / "project.json").read_bytes()  # a table's check as before
    assert (project / "project.json").read_bytes() != before


def test_cli_declares_lists_runs_and_removes_a_node_check(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    where = ["--pipeline", "revenue", "--node", AGG]
    added = runner.invoke(
        cli, ["checks", "add", str(project), *where, "--range", "Revenue", "-", "1"]
    )
    assert added.exit_code == 0, added.output
    assert f"revenue.{AGG}" in added.stdout and "range:Revenue" in added.stdout
    listed = runner.invoke(cli, ["checks", "list", str(project), "--pipeline", "revenue", "--json"])
    assert [c["node"] for c in json.loads(listed.stdout)] == [AGG]
    ran = runner.invoke(cli, ["checks", "run", str(project), *where])
    assert ran.exit_code == 1, ran.output
    assert ran.stdout.startswith(f"failed  revenue.{AGG}  range:Revenue (")
    both = runner.invoke(
        cli, ["checks", "add", str(project), "--table", "t", *where, "--rows", "1", "2"]
    )
    assert both.exit_code == 2
    removed = runner.invoke(cli, ["checks", "remove", str(project), "range:Revenue", *where])
    assert removed.exit_code == 0, removed.output
    assert list_checks(project) == []


def test_a_check_of_a_node_the_pipeline_lost_fails_the_run(project: Path, ws: Workspace) -> None:
    add_checks(project, [_on(AGG, kind="row_count", min=1)])
    path = project / "pipelines" / "revenue.json"
    path.write_text(path.read_text().replace(f'"{AGG}"', '"renamed"'))
    result = run_project(project, workspace=ws)
    [report] = result.reports
    assert not result.ok and f"revenue.{AGG} row_count (error)" in str(report.error)
    [stored] = _stored(ws)
    assert stored.status == "error" and AGG in str(stored.error)
