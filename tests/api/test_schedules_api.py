"""Schedules and alert rules over HTTP: the files the CLI writes, revisioned by ETag."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.storage.records import FireOutcome
from app.storage.schedules import ScheduleStore
from tests.api.conftest import Server, register

pytest.importorskip("apscheduler", reason="the scheduler extra is not installed")

NIGHTLY = {"name": "nightly", "pipeline": "revenue", "cron": "0 3 * * *", "timezone": "UTC"}


def test_schedules_are_created_read_replaced_and_deleted_with_etags(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()

    made = c.post(f"{base}/schedules", headers=h, json=NIGHTLY)
    assert made.status_code == 201, made.text
    etag = made.headers["etag"].strip('"')
    assert made.json()["etag"] == etag and len(made.json()["next_runs"]) == 5
    assert all(t.endswith(("03:00:00Z", "03:00:00+00:00")) for t in made.json()["next_runs"])
    on_disk = json.loads((server.chinook / "schedules" / "nightly.json").read_text())
    assert on_disk["cron"] == "0 3 * * *" and on_disk["pipeline"] == "revenue"
    assert c.post(f"{base}/schedules", headers=h, json=NIGHTLY).status_code == 409
    wrong = c.post(f"{base}/schedules", headers=h, json={**NIGHTLY, "name": "x", "pipeline": "no"})
    assert wrong.status_code == 422 and "revenue" in wrong.json()["detail"]

    listed = c.get(f"{base}/schedules", headers=h).json()["items"]
    assert [(s["name"], len(s["next_runs"])) for s in listed] == [("nightly", 3)]
    read = c.get(f"{base}/schedule", headers=h, params={"name": "nightly"})
    assert read.headers["etag"] == f'"{etag}"'

    changed = {**NIGHTLY, "cron": "30 4 * * *"}
    params = {"name": "nightly"}
    assert c.put(f"{base}/schedule", headers=h, params=params, json=changed).status_code == 428
    stale = c.put(f"{base}/schedule", headers={**h, "If-Match": '"0"'}, params=params, json=changed)
    assert stale.status_code == 409 and stale.json()["type"] == "/problems/stale-revision"
    assert "0 3 * * *" in (server.chinook / "schedules" / "nightly.json").read_text()
    put = c.put(
        f"{base}/schedule", headers={**h, "If-Match": f'"{etag}"'}, params=params, json=changed
    )
    assert put.status_code == 200, put.text
    assert "30 4 * * *" in (server.chinook / "schedules" / "nightly.json").read_text()
    assert c.get(f"{base}", headers=h).json()["revision"] == 3  # registered, created, replaced

    gone = c.delete(f"{base}/schedule", headers={**h, "If-Match": f'"{etag}"'}, params=params)
    assert gone.status_code == 409
    new_etag = put.headers["etag"]
    gone = c.delete(f"{base}/schedule", headers={**h, "If-Match": new_etag}, params=params)
    assert gone.status_code == 204 and not (server.chinook / "schedules" / "nightly.json").exists()
    assert c.get(f"{base}/schedule", headers=h, params=params).status_code == 404
    actions = [a["action"] for a in c.get("/api/v1/audit", headers=h).json()["items"]]
    assert "DELETE /api/v1/projects/{project_id}/schedule" in actions
    assert "PUT /api/v1/projects/{project_id}/schedule" in actions


def test_preview_writes_nothing_and_fires_are_listed(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    every = {"name": "often", "pipeline": "revenue", "every_seconds": 600}
    shown = c.post(f"{base}/schedules/preview", headers=h, json=every, params={"count": 3})
    assert shown.status_code == 200, shown.text
    times = [datetime.fromisoformat(t) for t in shown.json()["next_runs"]]
    assert [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)] == [600, 600]
    assert not (server.chinook / "schedules").exists()
    bad = c.post(f"{base}/schedules/preview", headers=h, json={**every, "cron": "0 3 * * *"})
    assert bad.status_code == 422 and "exactly one" in bad.json()["detail"]

    assert c.post(f"{base}/schedules", headers=h, json=every).status_code == 201
    due = datetime(2026, 12, 1, 3, tzinfo=UTC)
    with ScheduleStore(server.workspace.metadata_url()) as store:
        fire = store.claim("chinook", "often", due)
        assert fire is not None
        store.finish(fire, FireOutcome.SUCCEEDED)
    fires = c.get(f"{base}/schedules/fires", headers=h).json()["items"]
    assert [(f["schedule"], f["outcome"]) for f in fires] == [("often", "succeeded")]
    assert datetime.fromisoformat(fires[0]["scheduled_for"]) == due


def test_alert_rules_are_read_and_replaced_with_their_etag(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}/alert-rules"
    c, h = server.client, server.h()
    read = c.get(base, headers=h)
    assert read.json()["rules"]["defaults"]["enabled"] is True
    etag = read.headers["etag"]
    rules = {"defaults": {"max_seconds": 600}, "pipelines": {"revenue": {"enabled": False}}}
    assert c.put(base, headers=h, json=rules).status_code == 428
    unknown = c.put(
        base, headers={**h, "If-Match": etag}, json={**rules, "syncs": {"nope": {"enabled": True}}}
    )
    assert unknown.status_code == 422 and "nope" in unknown.json()["detail"]
    done = c.put(base, headers={**h, "If-Match": etag}, json=rules)
    assert done.status_code == 200, done.text
    saved = json.loads((server.chinook / "project.json").read_text())["notifications"]["alerts"]
    assert (
        saved["defaults"]["max_seconds"] == 600
        and saved["pipelines"]["revenue"]["enabled"] is False
    )
    again = c.put(base, headers={**h, "If-Match": etag}, json=rules)
    assert again.status_code == 409
    viewer = c.put(
        base, headers={**server.h("viewer"), "If-Match": done.headers["etag"]}, json=rules
    )
    assert viewer.status_code == 403
