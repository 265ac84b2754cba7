"""Configuration history over HTTP: versions recorded by saves through the API, one version's
content, the semantic diff, a rollback guarded by the pipeline's ETag, tags restored under
the project's revision — each checked against the project's files on disk."""

from __future__ import annotations

import json
from typing import Any

from app.storage.project import read_project_dir
from tests.api.conftest import Server, register

FILTER = "b6564e86-d285-5f63-b5ca-80ae578e386b"  # revenue's paid_lines filter


def _condition_on_disk(server: Server) -> str:
    document = json.loads((server.chinook / "pipelines" / "revenue.json").read_text())
    [node] = [n for n in document["nodes"] if n["id"] == FILTER]
    return str(node["params"]["condition"])


def _edit(server: Server, base: str, condition: str) -> str:
    """Change the filter's condition through the API (a new version); the new ETag."""
    c, h = server.client, server.h()
    got = c.get(f"{base}/pipeline", headers=h, params={"name": "revenue"})
    document: dict[str, Any] = got.json()["document"]
    for node in document["nodes"]:
        if node["id"] == FILTER:
            node["params"]["condition"] = condition
    put = c.put(
        f"{base}/pipeline",
        headers={**h, "If-Match": got.headers["etag"]},
        params={"name": "revenue"},
        json=document,
    )
    assert put.status_code == 200, put.text
    return str(put.headers["etag"])


def test_versions_diff_and_a_rollback_guarded_by_the_etag(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    pipeline = {"kind": "pipeline", "name": "revenue"}
    assert c.get(f"{base}/versions", headers=h, params=pipeline).json()["items"] == []
    saved = c.post(f"{base}/versions", headers=h, json={"message": "first"})
    assert saved.status_code == 200 and saved.json()["objects"] == 4  # 1 pipeline, 3 connections
    etag = _edit(server, base, "Amount > 1")

    versions = c.get(f"{base}/versions", headers=h, params=pipeline).json()["items"]
    assert [(v["number"], v["author"]) for v in versions] == [(2, "ana"), (1, "ana")]
    assert versions[1]["message"] == "first"
    page = c.get(f"{base}/versions", headers=h, params={**pipeline, "limit": 1}).json()
    more = c.get(f"{base}/versions", headers=h, params={**pipeline, "cursor": page["next_cursor"]})
    assert [v["number"] for v in page["items"] + more.json()["items"]] == [2, 1]

    first = c.get(f"{base}/version", headers=h, params={**pipeline, "ref": "HEAD~1"}).json()
    assert first["number"] == 1
    [node] = [n for n in first["content"]["nodes"] if n["id"] == FILTER]
    assert node["params"]["condition"] == "Amount > 0"
    assert c.get(f"{base}/version", headers=h, params={**pipeline, "ref": "9"}).status_code == 404
    missing = {"kind": "pipeline", "name": "ghost"}
    assert c.get(f"{base}/versions", headers=h, params=missing).status_code == 404

    diff = c.get(f"{base}/versions/diff", headers=h, params={**pipeline, "from": "1"}).json()
    assert (diff["old"], diff["new"]) == ("v1", "working copy")
    assert [(p["path"], p["old"], p["new"]) for p in diff["structure"]["params"]] == [
        ("condition", "Amount > 0", "Amount > 1")
    ]
    # compiled from declared columns only (a read opens no connection): the example's
    # sources declare none, so there is no SQL to compare
    assert diff["sql"] == {} and diff["schemas"] == []

    rollback = f"{base}/pipeline/rollback"
    params = {"name": "revenue", "ref": "1"}
    assert c.post(rollback, headers=h, params=params).status_code == 428
    dry = c.post(rollback, headers=h, params={**params, "dry_run": True})
    assert dry.status_code == 200 and dry.json()["saved"] is False
    assert _condition_on_disk(server) == "Amount > 1"  # a dry run writes nothing
    revision = c.get(base, headers=h).json()["revision"]
    stale = c.post(rollback, headers={**h, "If-Match": '"0000"'}, params=params)
    assert stale.status_code == 409 and stale.json()["type"] == "/problems/stale-revision"
    assert _condition_on_disk(server) == "Amount > 1"
    viewer = c.post(rollback, headers={**server.h("viewer"), "If-Match": etag}, params=params)
    assert viewer.status_code == 403
    done = c.post(rollback, headers={**h, "If-Match": etag}, params=params)
    assert done.status_code == 200, done.text
    assert done.json()["saved"] is True and _condition_on_disk(server) == "Amount > 0"
    assert done.json()["revision"] == revision + 1
    now = c.get(f"{base}/pipeline", headers=h, params={"name": "revenue"})
    assert done.headers["etag"] == now.headers["etag"] == f'"{done.json()["etag"]}"'
    versions = c.get(f"{base}/versions", headers=h, params=pipeline).json()["items"]
    assert [(v["number"], v["author"]) for v in versions][0] == (3, "ana")
    again = c.post(rollback, headers={**h, "If-Match": etag}, params=params)
    assert again.status_code == 409  # the ETag read before the rollback is stale now
    audit = [a["action"] for a in c.get("/api/v1/audit", headers=h).json()["items"]]
    assert "POST /api/v1/projects/{project_id}/pipeline/rollback" in audit


def test_tags_restore_every_object_under_the_project_revision(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    schedule = {"name": "nightly", "pipeline": "revenue", "cron": "0 3 * * *"}
    assert c.post(f"{base}/schedules", headers=h, json=schedule).status_code == 201
    assert c.post(f"{base}/versions", headers=h, json={}).status_code == 200
    made = c.post(f"{base}/version-tags", headers=h, json={"name": "release-1", "message": "ok"})
    assert made.status_code == 201, made.text
    members = {(m["kind"], m["name"]): m["number"] for m in made.json()["members"]}
    assert members[("pipeline", "revenue")] == 1 and members[("schedule", "nightly")] == 1
    assert made.json()["author"] == "ana"
    again = c.post(f"{base}/version-tags", headers=h, json={"name": "release-1"})
    assert again.status_code == 409
    for name in ("3", "HEAD", "2026-01-01"):  # they read as refs: no diff could name them
        assert c.post(f"{base}/version-tags", headers=h, json={"name": name}).status_code == 422
    listed = c.get(f"{base}/version-tags", headers=h).json()["items"]
    assert [t["name"] for t in listed] == ["release-1"]

    _edit(server, base, "Amount > 5")
    got = c.get(f"{base}/schedule", headers=h, params={"name": "nightly"})
    changed = {**schedule, "cron": "0 4 * * *"}
    put = c.put(
        f"{base}/schedule",
        headers={**h, "If-Match": got.headers["etag"]},
        params={"name": "nightly"},
        json=changed,
    )
    assert put.status_code == 200, put.text
    assert c.post(f"{base}/versions", headers=h, json={}).status_code == 200
    history = c.get(f"{base}/versions", headers=h, params={"kind": "schedule", "name": "nightly"})
    assert [v["number"] for v in history.json()["items"]] == [2, 1]
    diff = c.get(
        f"{base}/versions/diff",
        headers=h,
        params={"kind": "schedule", "name": "nightly", "from": "1", "to": "2"},
    ).json()
    assert {"path": "cron", "old": "0 3 * * *", "new": "0 4 * * *"} in diff["changes"]

    restore = f"{base}/version-tags/restore"
    assert c.post(restore, headers=h, params={"name": "release-1"}).status_code == 428
    assert c.post(restore, headers=h, params={"name": "nope"}).status_code == 404
    revision = c.get(base, headers=h).json()["revision"]
    stale = c.post(
        restore, headers={**h, "If-Match": f'"{revision - 1}"'}, params={"name": "release-1"}
    )
    assert stale.status_code == 409
    dry = c.post(restore, headers=h, params={"name": "release-1", "dry_run": True}).json()
    assert dry["saved"] is False and {ch["kind"] for ch in dry["changes"]} == {
        "pipeline",
        "schedule",
    }
    done = c.post(restore, headers={**h, "If-Match": f'"{revision}"'}, params={"name": "release-1"})
    assert done.status_code == 200, done.text
    assert done.json()["saved"] and done.json()["revision"] == revision + 1
    on_disk = read_project_dir(server.chinook)
    assert on_disk.schedules["nightly"].cron == "0 3 * * *"
    assert _condition_on_disk(server) == "Amount > 0"
    viewer = c.post(f"{base}/version-tags", headers=server.h("viewer"), json={"name": "v"})
    assert viewer.status_code == 403
