"""Tenancy of the schedules, alerts, channels, history and quality endpoints, on PostgreSQL:
another organization's objects are 404 by any id or name a caller can guess, and its lists
show none of them."""

from __future__ import annotations

import json
import time

from app.services.alerts import raise_alert
from app.storage.project import read_project_dir
from tests.api.conftest import Server, register

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _wait(server: Server, url: str) -> None:
    for _ in range(600):  # bounded: at most a minute
        if server.client.get(url, headers=server.h()).json()["status"] not in (
            "running",
            "pending",
        ):
            return
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_foreign_schedules_alerts_channels_runs_and_checks_are_404(pg_server: Server) -> None:
    s = pg_server
    (s.chinook / "syncs").mkdir()
    (s.chinook / "syncs" / "genres.json").write_text(
        json.dumps(
            {
                "name": "genres",
                "source": {"connection": "chinook", "table": "Genre"},
                "destinations": [{"connection": "warehouse", "table": "raw_genres"}],
                "mode": "full",
            }
        )
    )
    s.key(
        "other", org="acme", user="eve", name="eve", scopes=["read", "write", "run"], role="admin"
    )
    project = register(s)
    base = f"/api/v1/projects/{project}"
    c, h = s.client, s.h()
    schedule = {"name": "nightly", "pipeline": "revenue", "cron": "0 3 * * *"}
    assert c.post(f"{base}/schedules", headers=h, json=schedule).status_code == 201
    hook = {"name": "ops", "kind": "webhook", "url": "https://hooks.example.com/in"}
    made = c.post(f"{base}/channels", headers=h, json={**hook, "secret": SECRET})
    assert made.status_code == 201, made.text
    check = [{"kind": "row_count", "table": "mart", "connection": "warehouse", "min": 1}]
    assert c.post(f"{base}/checks", headers=h, json=check).status_code == 201
    alert = raise_alert(
        read_project_dir(s.chinook), "run_failed", "pipeline", "ghost", "x", workspace=s.workspace
    ).id
    run = c.post(f"{base}/pipeline/runs", headers=h, params={"name": "revenue"}).json()["id"]
    _wait(s, f"/api/v1/runs/{run}/status")
    sync = c.post(f"{base}/sync/runs", headers=h, params={"name": "genres"}).json()["id"]
    _wait(s, f"/api/v1/sync-runs/{sync}/status")

    eve = {**s.h("other"), "If-Match": '"1"'}
    for method, path, params, body in [
        ("GET", f"{base}/schedules", {}, None),
        ("GET", f"{base}/schedule", {"name": "nightly"}, None),
        ("PUT", f"{base}/schedule", {"name": "nightly"}, schedule),
        ("DELETE", f"{base}/schedule", {"name": "nightly"}, None),
        ("POST", f"{base}/schedules", {}, {**schedule, "name": "mine"}),
        ("POST", f"{base}/schedules/preview", {}, schedule),
        ("GET", f"{base}/schedules/fires", {}, None),
        ("GET", f"{base}/alert-rules", {}, None),
        ("PUT", f"{base}/alert-rules", {}, {}),
        ("GET", f"/api/v1/alerts/{alert}", {}, None),
        ("POST", f"/api/v1/alerts/{alert}/acknowledge", {}, None),
        ("POST", f"/api/v1/alerts/{alert}/resolve", {}, None),
        ("GET", f"{base}/channels", {}, None),
        ("POST", f"{base}/channels", {}, {**hook, "name": "mine", "secret": SECRET}),
        ("PUT", f"{base}/channels/ops", {}, hook),
        ("DELETE", f"{base}/channels/ops", {}, None),
        ("POST", f"{base}/channels/ops/test", {}, None),
        ("GET", f"{base}/deliveries", {}, None),
        ("GET", f"{base}/channels/simulation", {}, None),
        ("GET", f"{base}/history", {}, None),
        ("GET", f"/api/v1/history/pipeline/{run}", {}, None),
        ("GET", f"/api/v1/history/sync/{sync}", {}, None),
        ("GET", f"/api/v1/sync-runs/{sync}", {}, None),
        ("GET", f"/api/v1/sync-runs/{sync}/status", {}, None),
        ("GET", f"/api/v1/sync-runs/{sync}/logs", {}, None),
        ("GET", f"{base}/checks", {}, None),
        ("POST", f"{base}/checks", {}, check),
        ("DELETE", f"{base}/checks", {"table": "mart", "name": "row_count"}, None),
        ("POST", f"{base}/checks/runs", {}, None),
        ("GET", f"{base}/checks/results", {}, None),
        ("GET", f"{base}/connections/warehouse/profiles", {"table": "mart"}, None),
    ]:
        response = c.request(method, path, headers=eve, params=params, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert "revenue" not in response.text and "chinook" not in response.text, path
    assert c.get("/api/v1/alerts", headers=eve).json()["items"] == []
    # nothing of the default organization changed
    assert c.get(f"/api/v1/alerts/{alert}", headers=h).json()["status"] == "open"
    assert [i["name"] for i in c.get(f"{base}/channels", headers=h).json()["items"]] == ["ops"]
    assert len(c.get(f"{base}/checks", headers=h).json()["items"]) == 1
    assert c.get(f"{base}/schedule", headers=h, params={"name": "nightly"}).status_code == 200
