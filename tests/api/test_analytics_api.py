"""Query analytics and the schema-evolution inbox over HTTP on the Chinook example: the
revenue pipeline's statements after two runs (slowest, trends, plan) as the service reports
them; a ``review`` sync from Chinook into the DuckDB warehouse held by a column added at the
source, approved through the API — the column is in DuckDB afterwards, and the held rows
arrive with the next run —, rejected, rolled back; a viewer refused, another organization 404."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import duckdb

from app.services.query_analytics import slowest_queries
from app.services.runs import run_project
from app.services.syncs import run_sync
from tests.api.conftest import Server, register
from tests.gdpr.conftest import write_json


def _genres(server: Server) -> None:
    """A ``review`` sync copying Genre into the warehouse."""
    sync = {
        "name": "genres",
        "source": {"connection": "chinook", "table": "Genre"},
        "destinations": [{"connection": "warehouse", "table": "genres"}],
        "mode": "merge",
        "primary_key": ["GenreId"],
        "schema_policy": "review",
    }
    write_json(server.chinook / "syncs" / "genres.json", sync)


def _source(server: Server, *sql: str) -> None:
    with sqlite3.connect(server.chinook / "data" / "chinook.sqlite") as con:
        for statement in sql:
            con.execute(statement)


def _columns(tmp_path: Path) -> list[str]:
    path = tmp_path / "out" / "chinook_mart.duckdb"
    with duckdb.connect(str(path), read_only=True) as db:
        return [r[0] for r in db.execute("DESCRIBE genres").fetchall()]


def _moods(tmp_path: Path) -> list[tuple[int, str | None]]:
    path = tmp_path / "out" / "chinook_mart.duckdb"
    with duckdb.connect(str(path), read_only=True) as db:
        sql = "SELECT GenreId, Mood FROM genres WHERE Mood IS NOT NULL ORDER BY 1"
        return [(int(r[0]), r[1]) for r in db.execute(sql).fetchall()]


def _held(server: Server) -> None:
    """First run copies Genre; then a column is added at the source and the next run holds."""
    first = run_sync(server.chinook, "genres", workspace=server.workspace)
    assert first.ok, first.error
    _source(
        server,
        "ALTER TABLE Genre ADD COLUMN Mood TEXT",
        "UPDATE Genre SET Mood = 'loud' WHERE GenreId IN (1, 3)",
    )
    held = run_sync(server.chinook, "genres", workspace=server.workspace)
    assert held.held and held.destinations[0].status == "held", held.error


def test_approving_a_held_change_alters_the_destination(server: Server, tmp_path: Path) -> None:
    _genres(server)
    project = register(server)
    _held(server)
    base = f"/api/v1/projects/{project}/schema-changes"
    c, h = server.client, server.h()
    assert "Mood" not in _columns(tmp_path)
    listed = c.get(base, headers=h)
    assert listed.status_code == 200, listed.text
    [change] = listed.json()["items"]
    assert (change["sync"], change["column"], change["kind"], change["status"]) == (
        "genres",
        "Mood",
        "added",
        "pending",
    )
    assert change["text"] == "Mood (added)" and change["runs_held"] == 1
    assert change["impact"] == []  # not asked for
    asked = {"impact": True}
    assert c.get(base, headers=server.h("viewer"), params=asked).status_code == 403
    with_impact = c.get(base, headers=h, params=asked)
    assert with_impact.status_code == 200, with_impact.text  # nothing reads genres
    url = f"{base}/{change['id']}"
    assert c.post(f"{url}/approve", headers=server.h("viewer")).status_code == 403

    approved = c.post(f"{url}/approve", headers=h)
    assert approved.status_code == 200, approved.text
    decision = approved.json()
    assert decision["change"]["status"] == "approved" and decision["waiting"] == 0
    assert decision["change"]["decided_by"] == "ana"
    assert [a["action"] for a in decision["change"]["actions"]] == ["approve"]
    assert "Mood" in _columns(tmp_path)  # the DDL ran in DuckDB
    assert _moods(tmp_path) == []  # the rows come with the next run
    assert c.post(f"{url}/approve", headers=h).status_code == 409  # decided once

    ran = c.post(f"/api/v1/projects/{project}/sync/runs", headers=h, params={"name": "genres"})
    assert ran.status_code == 202, ran.text
    status = f"/api/v1/sync-runs/{ran.json()['id']}/status"
    for _ in range(600):  # bounded: at most a minute
        if c.get(status, headers=h).json()["status"] not in ("pending", "running"):
            break
        time.sleep(0.1)
    assert c.get(status, headers=h).json()["status"] == "succeeded"
    assert _moods(tmp_path) == [(1, "loud"), (3, "loud")]
    assert c.get(base, headers=h).json()["items"] == []
    done = c.get(base, headers=h, params={"status": "approved"}).json()["items"]
    assert [x["id"] for x in done] == [change["id"]]

    # rolling back would drop the values that arrived: refused, nothing changed
    rolled = c.post(f"{url}/rollback", headers=h, json={"fallback": "discard"})
    assert rolled.status_code == 422 and "would lose them" in rolled.json()["detail"]
    assert _moods(tmp_path) == [(1, "loud"), (3, "loud")]
    assert c.post(f"{base}/9999/approve", headers=h).status_code == 404


def test_rejecting_leaves_the_destination_and_foreign_ids_are_404(
    server: Server, tmp_path: Path
) -> None:
    _genres(server)
    project = register(server)
    _held(server)
    base = f"/api/v1/projects/{project}/schema-changes"
    c, h = server.client, server.h()
    [change] = c.get(base, headers=h).json()["items"]
    url = f"{base}/{change['id']}"
    server.key("other", org="acme", user="eve", name="eve", scopes=["read", "write"], role="admin")
    eve = server.h("other")
    assert c.get(base, headers=eve).status_code == 404
    assert c.post(f"{url}/approve", headers=eve).status_code == 404
    assert c.post(f"{url}/reject", headers=eve).status_code == 404
    assert "Mood" not in _columns(tmp_path)

    rejected = c.post(f"{url}/reject", headers=h, json={"fallback": "discard"})
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["change"]["status"] == "rejected"
    assert "Mood" not in _columns(tmp_path)
    assert c.post(f"{url}/approve", headers=h).status_code == 409
    report = run_sync(server.chinook, "genres", workspace=server.workspace)
    assert report.ok and "Mood" not in _columns(tmp_path)  # discarded from now on


def test_query_analytics_of_the_revenue_pipeline(server: Server) -> None:
    project = register(server)
    for _ in range(2):
        result = run_project(server.chinook, workspace=server.workspace)
        assert result.ok, result.summary()
    base = f"/api/v1/projects/{project}/queries"
    c, h = server.client, server.h()
    slowest = c.get(f"{base}/slowest", headers=h, params={"limit": 3})
    assert slowest.status_code == 200, slowest.text
    expected = slowest_queries("chinook", limit=3, workspace=server.workspace)
    assert [(q["node_id"], q["run_id"], q["runs"]) for q in slowest.json()] == [
        (q.node_id, q.run_id, q.runs) for q in expected
    ]
    assert all(q["runs"] == 2 and q["pipeline"] == "revenue" for q in slowest.json())

    trends = c.get(f"{base}/trends", headers=h, params={"pipeline": "revenue"}).json()
    assert trends["items"] and all(len(t["points"]) == 2 for t in trends["items"])
    mart = next(t for t in trends["items"] if t["node"] == "mart")
    one = c.get(f"{base}/trend", headers=h, params={"pipeline": "revenue", "node": "mart"})
    assert one.json() == mart
    ghost = c.get(f"{base}/trend", headers=h, params={"pipeline": "revenue", "node": "ghost"})
    assert ghost.status_code == 404

    run_id = mart["points"][-1]["run_id"]
    plan = c.get(f"{base}/plan", headers=h, params={"run": run_id, "node": "mart"})
    assert plan.status_code == 200, plan.text
    assert plan.json()["node"] == "mart" and plan.json()["sql"]
    assert (
        c.get(f"{base}/plan", headers=h, params={"run": 99999, "node": "mart"}).status_code == 404
    )

    server.key("other", org="acme", user="eve", name="eve", scopes=["read"], role="admin")
    eve = server.h("other")
    assert c.get(f"{base}/slowest", headers=eve).status_code == 404
    assert (
        c.get(f"{base}/plan", headers=eve, params={"run": run_id, "node": "mart"}).status_code
        == 404
    )
