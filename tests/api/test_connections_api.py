"""A connection tested and a sync's committed state read over HTTP — both reach a system, so
both take the run scope and a trusted project."""

from __future__ import annotations

import json
import time

from tests.api.conftest import Server, register


def test_a_connection_answers_or_says_why_not(server: Server) -> None:
    (server.chinook / "connections" / "closed.json").write_text(
        json.dumps(
            {
                "name": "closed",
                "type": "postgres",
                "params": {"host": "127.0.0.1", "port": 1, "user": "x", "database": "x"},
            }
        )
    )
    project = register(server)
    base = f"/api/v1/projects/{project}/connections"
    c, h = server.client, server.h()
    ok = c.post(f"{base}/chinook/test", headers=h)
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"connection": "chinook", "ok": True}
    refused = c.post(f"{base}/closed/test", headers=h)
    assert refused.status_code == 422 and "closed" not in refused.json()["type"]
    assert refused.json()["detail"]
    assert c.post(f"{base}/ghost/test", headers=h).status_code == 404
    assert c.post(f"{base}/chinook/test", headers=server.h("viewer")).status_code == 403


def test_a_sync_status_reads_each_destination(server: Server) -> None:
    (server.chinook / "syncs").mkdir()
    (server.chinook / "syncs" / "genres.json").write_text(
        json.dumps(
            {
                "name": "genres",
                "source": {"connection": "chinook", "table": "Genre"},
                "destinations": [{"connection": "warehouse", "table": "raw_genres"}],
                "mode": "append",
                "cursor": "GenreId",
            }
        )
    )
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    before = c.get(f"{base}/sync/status", headers=h, params={"name": "genres"})
    assert before.status_code == 200, before.text
    assert before.json()["version"] is None and before.json()["last_run"] is None
    started = c.post(f"{base}/sync/runs", headers=h, params={"name": "genres"}).json()
    for _ in range(600):  # bounded: at most a minute
        status = c.get(f"/api/v1/sync-runs/{started['id']}/status", headers=h).json()["status"]
        if status not in ("running", "pending"):
            break
        time.sleep(0.1)
    assert status == "succeeded"
    after = c.get(f"{base}/sync/status", headers=h, params={"name": "genres"}).json()
    [dest] = after["destinations"]
    assert after["last_run"]["status"] == "succeeded" and after["last_run"]["rows_read"] == 25
    assert dest["cursor"] == dest["metadata_cursor"] == "25"  # the highest GenreId
    assert c.get(f"{base}/sync/status", headers=h, params={"name": "x"}).status_code == 404
    viewer = c.get(f"{base}/sync/status", headers=server.h("viewer"), params={"name": "genres"})
    assert viewer.status_code == 403
