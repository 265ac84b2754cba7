"""Run history, sync runs by id and data quality over HTTP, on runs that really happened."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import duckdb

from app.services.profile_history import score_and_store
from app.services.profiling import profile_project_table
from tests.api.conftest import Server, register


def _wait(server: Server, url: str) -> str:
    for _ in range(600):  # bounded: at most a minute
        status = server.client.get(url, headers=server.h()).json()["status"]
        if status not in ("running", "pending"):
            return str(status)
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def _add_sync(server: Server) -> None:
    (server.chinook / "syncs").mkdir()
    (server.chinook / "syncs" / "genres.json").write_text(
        json.dumps(
            {
                "name": "genres",
                "source": {"connection": "chinook", "table": "Genre"},
                "destinations": [{"connection": "warehouse", "table": "raw_genres"}],
                "mode": "full",
            }
        )
    )


def test_history_lists_pipeline_and_sync_runs_with_their_metrics(server: Server) -> None:
    _add_sync(server)
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    pipeline = c.post(f"{base}/pipeline/runs", headers=h, params={"name": "revenue"}).json()
    assert _wait(server, pipeline["status_url"]) == "succeeded"
    sync = c.post(f"{base}/sync/runs", headers=h, params={"name": "genres"}).json()
    assert _wait(server, f"/api/v1/sync-runs/{sync['id']}/status") == "succeeded"

    runs = c.get(f"{base}/history", headers=h).json()["items"]
    assert {(r["kind"], r["id"], r["status"], r["trigger"]) for r in runs} == {
        ("pipeline", pipeline["id"], "succeeded", "api"),
        ("sync", sync["id"], "succeeded", "api"),
    }
    page = c.get(f"{base}/history", headers=h, params={"limit": 1})
    more = c.get(f"{base}/history", headers=h, params={"cursor": page.json()["next_cursor"]})
    assert len(page.json()["items"] + more.json()["items"]) == 2 and not more.json()["next_cursor"]
    syncs = c.get(f"{base}/history", headers=h, params={"kind": "sync"}).json()["items"]
    assert [(r["name"], r["rows"]) for r in syncs] == [("genres", 25)]
    failed = c.get(f"{base}/history", headers=h, params={"status": "failed"}).json()
    assert failed["items"] == []

    metrics = c.get(f"/api/v1/history/pipeline/{pipeline['id']}", headers=h).json()
    mart = [n for n in metrics["nodes"] if n["name"] == "mart"]
    assert metrics["name"] == "revenue" and mart and mart[0]["rows_in"] > 0
    assert any("run_finished" in line for line in metrics["log"])
    per_destination = c.get(f"/api/v1/history/sync/{sync['id']}", headers=h).json()
    assert [n["rows_out"] for n in per_destination["nodes"]] == [25]

    detail = c.get(f"/api/v1/sync-runs/{sync['id']}", headers=h).json()
    assert detail["project"] == "chinook" and detail["rows"] == 25 and detail["finished_at"]
    log = c.get(f"/api/v1/sync-runs/{sync['id']}/logs", headers=h).json()
    assert "sync_started" in log[0] and "status=succeeded" in log[-1]
    assert c.get("/api/v1/sync-runs/999999", headers=h).status_code == 404
    assert c.get("/api/v1/history/pipeline/999999", headers=h).status_code == 404


def test_checks_are_declared_run_and_their_results_read(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    ran = c.post(f"{base}/pipeline/runs", headers=h, params={"name": "revenue"}).json()
    assert _wait(server, ran["status_url"]) == "succeeded"
    [(table,)] = _mart_tables()
    checks = [
        {"kind": "not_null", "table": table, "connection": "warehouse", "column": "genre"},
        {"kind": "row_count", "table": table, "connection": "warehouse", "min": 1_000_000},
    ]
    added = c.post(f"{base}/checks", headers=h, json=checks)
    assert added.status_code == 201, added.text
    assert [a["name"] for a in added.json()] == ["not_null:genre", "row_count"]
    assert c.post(f"{base}/checks", headers=h, json=checks).json() == []  # none twice
    bad = c.post(f"{base}/checks", headers=h, json=[{"kind": "telepathy", "table": table}])
    assert bad.status_code == 422
    assert len(c.get(f"{base}/checks", headers=h).json()["items"]) == 2

    outcome = c.post(f"{base}/checks/runs", headers=h)
    assert outcome.status_code == 200, outcome.text
    statuses = {r["check"]: r["status"] for r in outcome.json()["results"]}
    assert statuses == {"not_null:genre": "passed", "row_count": "failed"}
    assert outcome.json()["status"] == "failed"
    latest = c.get(f"{base}/checks/results", headers=h).json()
    assert {r["check"]: r["status"] for r in latest} == statuses

    params = {"table": table, "name": "row_count"}
    assert c.delete(f"{base}/checks", headers=server.h("viewer"), params=params).status_code == 403
    assert c.delete(f"{base}/checks", headers=h, params=params).status_code == 204
    assert c.delete(f"{base}/checks", headers=h, params=params).status_code == 404
    assert [i["name"] for i in c.get(f"{base}/checks", headers=h).json()["items"]] == [
        "not_null:genre"
    ]
    url = f"{base}/connections/warehouse/profiles"
    assert c.get(url, headers=h, params={"table": table}).json() == []
    for _ in range(2):  # as `cauce profile --store` does, twice: the second has a drift
        profile = profile_project_table(server.chinook, "warehouse", table, trust=True)
        score_and_store(
            profile,
            project=server.chinook,
            connection="warehouse",
            table=table,
            store=True,
            workspace=server.workspace,
        )
    stored = c.get(url, headers=h, params={"table": table}).json()
    assert len(stored) == 2 and stored[0]["id"] > stored[1]["id"]
    assert stored[0]["rows"] == profile.rows > 0 and 0 <= stored[0]["score"] <= 100
    assert stored[1]["drift"] is None and stored[0]["drift"]["drifted"] is False
    unknown = c.get(f"{base}/connections/nope/profiles", headers=h, params={"table": table})
    assert unknown.status_code == 404


def _mart_tables() -> list[tuple[str]]:
    db = Path(os.environ["CAUCE_OUTPUT_DIR"]) / "chinook_mart.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT table_name FROM information_schema.tables").fetchall()
