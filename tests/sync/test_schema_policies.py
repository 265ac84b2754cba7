"""Schema evolution policies, recorded in the metadata DB and raised as events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.connectors.sqlite import SQLiteConnector
from app.model.connection import Connection
from app.model.sync import SyncDefinition
from app.services.syncs import run_syncs
from app.services.workspace import Workspace
from app.storage.project_format import Project, ProjectMeta
from app.storage.repository import Repository
from app.storage.syncs import SyncStore


def _project(tmp_path: Path, policy: str) -> Project:
    return Project(
        meta=ProjectMeta(name=f"shop-{policy}"),
        connections={
            "src": Connection(
                name="src", type="duckdb", params={"path": str(tmp_path / "src.duckdb")}
            ),
            "dst": Connection(
                name="dst", type="sqlite", params={"path": str(tmp_path / "dst.sqlite")}
            ),
        },
        syncs={
            "items": SyncDefinition(
                name="items",
                source={"connection": "src", "table": "items"},
                destinations=[{"connection": "dst", "table": "items"}],
                mode="merge",
                primary_key=["id"],
                schema_policy=policy,
            )
        },
    )


def _run(project: Project, tmp_path: Path, db: str, events: list[Any]) -> Any:
    [report] = run_syncs(
        project, tmp_path, ["items"], workspace=Workspace.open(db), on_event=events.append
    )
    return report


@pytest.mark.parametrize("policy", ["evolve", "freeze", "discard"])
def test_new_column_under_each_policy(tmp_path: Path, policy: str) -> None:
    import duckdb

    db = f"sqlite:///{tmp_path / 'meta.db'}"
    with duckdb.connect(str(tmp_path / "src.duckdb")) as con:
        con.execute("CREATE TABLE items AS SELECT i AS id, 'n' || i AS name FROM range(5) t(i)")
    project = _project(tmp_path, policy)
    events: list[Any] = []
    assert _run(project, tmp_path, db, events).ok
    with duckdb.connect(str(tmp_path / "src.duckdb")) as con:
        con.execute("ALTER TABLE items ADD COLUMN price DECIMAL(8,2) DEFAULT 9.5")
    report = _run(project, tmp_path, db, events)

    changes = [e for e in events if e.kind == "schema_change_detected"]
    assert [(c.column, c.change) for c in changes] == [("price", "added")]
    decision = {"evolve": "applied", "freeze": "refused", "discard": "discarded"}[policy]
    assert changes[0].decision == decision
    columns = SQLiteConnector.Config(path=str(tmp_path / "dst.sqlite"))
    dest = SQLiteConnector(columns).table_schema("items").names
    if policy == "freeze":
        assert report.status == "failed"
        assert "price" in str(report.error) and "freeze" in str(report.error)
        assert dest == ["id", "name"]
    else:
        assert report.ok, report.error
        assert dest == (["id", "name", "price"] if policy == "evolve" else ["id", "name"])
    with Repository(db) as repo, SyncStore(db) as store:
        project_id = repo.ensure_project(project.meta.name)
        sync = store.get_sync(project_id, "items")
        recorded = store.schema_changes(sync.id)
        runs = store.sync_runs(sync.id)
        stored_events = repo.recent_events(type="schema_change_detected")
    assert [(r.column, r.change_kind, r.decision, r.new_type) for r in recorded] == [
        ("price", "added", decision, "decimal(8,2)")
    ]
    assert [r.status for r in runs] == [
        "failed" if policy == "freeze" else "succeeded",
        "succeeded",
    ]
    assert stored_events and stored_events[0].payload["column"] == "price"


def test_widened_type_is_altered_under_evolve(tmp_path: Path) -> None:
    import duckdb

    from app.connectors.duckdb import DuckDBConfig, DuckDBConnector

    db = f"sqlite:///{tmp_path / 'meta.db'}"
    with duckdb.connect(str(tmp_path / "src.duckdb")) as con:
        con.execute("CREATE TABLE items AS SELECT i AS id, i::INTEGER AS qty FROM range(3) t(i)")
    project = _project(tmp_path, "evolve")
    project.connections["dst"] = Connection(
        name="dst", type="duckdb", params={"path": str(tmp_path / "dst.duckdb")}
    )
    events: list[Any] = []
    assert _run(project, tmp_path, db, events).ok
    with duckdb.connect(str(tmp_path / "src.duckdb")) as con:
        con.execute("ALTER TABLE items ALTER COLUMN qty TYPE BIGINT")
        con.execute("INSERT INTO items VALUES (10, 5000000000)")
    report = _run(project, tmp_path, db, events)
    assert report.ok, report.error
    [change] = [e for e in events if e.kind == "schema_change_detected"]
    assert (change.change, change.old_type, change.new_type) == ("widened", "int32", "int64")
    dest = DuckDBConnector(DuckDBConfig(path=str(tmp_path / "dst.duckdb")))
    assert str(dest.table_schema("items").field("qty").type) == "int64"
    assert (
        dest.read(query="SELECT max(qty) AS m FROM items").read_all()[0][0].as_py() == 5_000_000_000
    )
