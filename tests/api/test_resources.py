"""The resources end to end through HTTP: projects (register, import with dry run, export),
pipelines (validate, compile, revisions), connections (secrets write-only), runs (start,
light status, events, logs, per-node metrics, cancel), pagination, audit, versioning, docs."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from app.api.settings import Deprecation
from app.services.bundles import export_project
from tests.api.conftest import Server, make_server, register


def test_projects_list_is_cursor_paginated_and_filtered(server: Server, tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b", "c"):
        copy = tmp_path / name
        copy.mkdir()
        (copy / "project.json").write_text(json.dumps({"name": name}))
        ids.append(register(server, path=copy))
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = server.client.get("/api/v1/projects", headers=server.h(), params=params).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    named = server.client.get("/api/v1/projects", headers=server.h(), params={"name": "b"}).json()
    assert [p["name"] for p in named["items"]] == ["b"]
    bad = server.client.get("/api/v1/projects", headers=server.h(), params={"cursor": "nonsense"})
    assert bad.status_code == 400 and "cursor" in bad.json()["detail"]


def test_registering_refuses_what_is_not_a_project(server: Server, tmp_path: Path) -> None:
    for path in (str(tmp_path), "relative/path"):
        response = server.client.post("/api/v1/projects", headers=server.h(), json={"path": path})
        assert response.status_code == 422 and response.json()["detail"]
    register(server)
    again = server.client.post(
        "/api/v1/projects", headers=server.h(), json={"path": str(server.chinook)}
    )
    assert again.status_code == 409


def test_pipeline_edits_need_the_current_etag(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    got = server.client.get(f"{base}/pipeline", headers=server.h(), params={"name": "revenue"})
    etag, document = got.headers["etag"], got.json()["document"]
    document["description"] = "changed by A"
    missing = server.client.put(
        f"{base}/pipeline", headers=server.h(), params={"name": "revenue"}, json=document
    )
    assert missing.status_code == 428
    first = server.client.put(
        f"{base}/pipeline",
        headers={**server.h(), "If-Match": etag},
        params={"name": "revenue"},
        json=document,
    )
    assert first.status_code == 200 and first.headers["etag"] != etag
    document["description"] = "changed by B, based on the old version"
    stale = server.client.put(
        f"{base}/pipeline",
        headers={**server.h(), "If-Match": etag},
        params={"name": "revenue"},
        json=document,
    )
    assert stale.status_code == 409 and stale.json()["type"] == "/problems/stale-revision"
    now = server.client.get(f"{base}/pipeline", headers=server.h(), params={"name": "revenue"})
    assert now.json()["description"] == "changed by A"  # nothing was overwritten
    revision = server.client.get(base, headers=server.h()).headers["etag"]
    assert revision == '"2"'

    copy = {**document, "name": "revenue copy", "id": "11111111-2222-3333-4444-555555555555"}
    created = server.client.post(f"{base}/pipelines", headers=server.h(), json=copy)
    assert created.status_code == 201, created.text
    invalid = server.client.post(f"{base}/pipelines", headers=server.h(), json={"nodes": 3})
    assert invalid.status_code == 422 and "name" in invalid.json()["detail"]
    gone = server.client.delete(
        f"{base}/pipeline",
        headers={**server.h(), "If-Match": created.headers["etag"]},
        params={"name": "revenue copy"},
    )
    assert gone.status_code == 204
    names = [
        p["name"]
        for p in server.client.get(f"{base}/pipelines", headers=server.h()).json()["items"]
    ]
    assert names == ["revenue"]


def test_validate_and_compile(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}/pipeline"
    checked = server.client.get(
        f"{base}/validation", headers=server.h(), params={"name": "revenue"}
    )
    problems = checked.json()["problems"]
    assert checked.json()["valid"] is False and {p["node_name"] for p in problems} >= {"genres"}
    unknown = server.client.get(f"{base}/validation", headers=server.h(), params={"name": "nope"})
    assert unknown.status_code == 422 and "revenue" in unknown.json()["detail"]
    bad_dialect = server.client.get(
        f"{base}/sql", headers=server.h(), params={"name": "revenue", "dialect": "cobol"}
    )
    assert bad_dialect.status_code == 422 and "postgres" in bad_dialect.json()["detail"]


def test_import_with_dry_run_then_apply_then_revision_guard(server: Server, tmp_path: Path) -> None:
    bundle = tmp_path / "chinook.cauce"
    export_project(server.chinook, bundle)
    body = bundle.read_bytes()
    url = "/api/v1/projects/import"
    dry = server.client.post(url, headers=server.h(), params={"dry_run": True}, content=body)
    assert dry.status_code == 200, dry.text
    assert dry.json()["applied"] is False and dry.json()["project"] is None
    assert {c["kind"] for c in dry.json()["changes"]} == {"added"}
    assert server.client.get("/api/v1/projects", headers=server.h()).json()["items"] == []
    applied = server.client.post(url, headers=server.h(), content=body)
    assert applied.json()["applied"] is True
    project = applied.json()["project"]
    assert Path(project["path"]).is_relative_to(server.settings.projects_dir)  # type: ignore[arg-type]
    again = server.client.post(url, headers=server.h(), content=body)
    assert again.status_code == 409  # over an existing project: If-Match needed
    ok = server.client.post(url, headers={**server.h(), "If-Match": '"1"'}, content=body)
    assert ok.status_code == 200 and ok.json()["project"]["revision"] == 2
    broken = server.client.post(url, headers=server.h(), content=b"not a zip")
    assert broken.status_code == 422


def test_export_is_a_bundle_without_secrets(server: Server) -> None:
    project = register(server)
    response = server.client.get(f"/api/v1/projects/{project}/export", headers=server.h())
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert "manifest.json" in z.namelist() and "project.json" in z.namelist()


def test_connection_secrets_are_write_only(server: Server, tmp_path: Path) -> None:
    root = tmp_path / "pgproj"
    (root / "connections").mkdir(parents=True)
    (root / "project.json").write_text(json.dumps({"name": "pgproj"}))
    (root / "connections" / "wh.json").write_text(
        json.dumps({"name": "wh", "type": "postgres", "params": {"host": "db", "database": "x"}})
    )
    project = register(server, path=root)
    base = f"/api/v1/projects/{project}/connections"
    listed = server.client.get(base, headers=server.h()).json()["items"]
    assert listed[0]["secret_fields"] == ["password"] and "password" not in listed[0]["params"]
    secret = "s3cr3t-value-never-shown"
    put = server.client.put(
        f"{base}/wh/secrets/password", headers=server.h(), json={"value": secret}
    )
    assert put.status_code == 204
    assert server.workspace.secrets.resolve("pgproj", "wh", ["password"]).get("password") == secret
    wrong = server.client.put(f"{base}/wh/secrets/host", headers=server.h(), json={"value": "x"})
    assert wrong.status_code == 422
    for path in (base, f"/api/v1/projects/{project}", "/api/v1/audit"):
        assert secret not in server.client.get(path, headers=server.h()).text


def test_a_run_started_through_the_api(server: Server) -> None:
    project = register(server)
    started = server.client.post(
        f"/api/v1/projects/{project}/pipeline/runs", headers=server.h(), params={"name": "revenue"}
    )
    assert started.status_code == 202, started.text
    run = started.json()
    assert run["status"] == "running" and started.headers["location"] == f"/api/v1/runs/{run['id']}"
    with server.client.stream("GET", run["events_url"], headers=server.h()) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    kinds = re.findall(r"^event: (\w+)$", text, flags=re.M)
    assert kinds[0] == "run_started" and kinds[-2:] == ["run_finished", "end"]
    ids = [int(i) for i in re.findall(r"^id: (\d+)$", text, flags=re.M)]
    assert ids == list(range(1, len(ids) + 1))
    with server.client.stream(
        "GET", run["events_url"], headers={**server.h(), "Last-Event-ID": str(ids[-2])}
    ) as stream:
        resumed = "".join(stream.iter_text())
    assert re.findall(r"^id: (\d+)$", resumed, flags=re.M) == [str(ids[-1])]

    status = server.client.get(run["status_url"], headers=server.h()).json()
    assert status["status"] == "succeeded" and status["finished_at"]
    detail = server.client.get(f"/api/v1/runs/{run['id']}", headers=server.h()).json()
    assert detail["trigger"] == "api" and detail["pipeline"] == "revenue"
    nodes = server.client.get(
        f"/api/v1/runs/{run['id']}/nodes", headers=server.h(), params={"limit": 100}
    ).json()["items"]
    mart = [n for n in nodes if n["node_name"] == "mart"]
    assert mart and mart[0]["status"] == "succeeded" and mart[0]["rows_in"] > 0
    logs = server.client.get(
        f"/api/v1/runs/{run['id']}/logs", headers=server.h(), params={"limit": 3}
    ).json()
    assert [e["seq"] for e in logs["items"]] == [1, 2, 3] and logs["next_cursor"]
    over = server.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=server.h())
    assert over.status_code == 409 and "succeeded" in over.json()["detail"]
    runs = server.client.get(
        "/api/v1/runs", headers=server.h(), params={"status": "succeeded"}
    ).json()
    assert [r["id"] for r in runs["items"]] == [run["id"]]
    audit = server.client.get("/api/v1/audit", headers=server.h()).json()["items"]
    assert (
        audit[0]["action"] == "POST /api/v1/runs/{run_id}/cancel" and audit[0]["outcome"] == "error"
    )
    assert audit[1]["action"] == "POST /api/v1/projects/{project_id}/pipeline/runs"


def test_an_invalid_pipeline_runs_nothing_and_says_why(server: Server) -> None:
    project = register(server)
    response = server.client.post(
        f"/api/v1/projects/{project}/pipeline/runs", headers=server.h(), params={"name": "missing"}
    )
    assert response.status_code == 422 and "revenue" in response.json()["detail"]
    assert server.client.get("/api/v1/runs", headers=server.h()).json()["items"] == []


def test_deprecated_endpoints_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deprecations = {("GET", "/api/v1/me"): Deprecation(1798761600, "Fri, 01 Jan 2027 00:00:00 GMT")}
    for server in make_server(
        tmp_path, f"sqlite:///{tmp_path / 'm.db'}", monkeypatch, deprecations=deprecations
    ):
        response = server.client.get("/api/v1/me", headers=server.h())
        assert response.headers["deprecation"] == "@1798761600"
        assert response.headers["sunset"] == "Fri, 01 Jan 2027 00:00:00 GMT"
        assert 'rel="deprecation"' in response.headers["link"]
        assert "deprecation" not in server.client.get("/api/v1/runs", headers=server.h()).headers
        spec = server.client.get("/api/v1/openapi.json").json()
        assert spec["paths"]["/api/v1/me"]["get"]["deprecated"] is True
        assert "deprecated" not in spec["paths"]["/api/v1/runs"]["get"]


def test_docs_work_offline_and_the_spec_is_openapi_3_1(server: Server) -> None:
    page = server.client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert urls and all(u.startswith("/") for u in urls), urls  # nothing from the internet
    for url in urls:
        assert server.client.get(url).status_code == 200, url
    spec = server.client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/runs/{run_id}/events" in spec["paths"]


def test_a_sync_started_through_the_api(server: Server) -> None:
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
    project = register(server)
    base = f"/api/v1/projects/{project}"
    listed = server.client.get(f"{base}/syncs", headers=server.h()).json()["items"]
    assert [(s["name"], s["mode"], s["destinations"]) for s in listed] == [
        ("genres", "full", ["warehouse:raw_genres"])
    ]
    assert (
        server.client.get(f"{base}/sync", headers=server.h(), params={"name": "genres"}).json()[
            "last_status"
        ]
        is None
    )
    started = server.client.post(f"{base}/sync/runs", headers=server.h(), params={"name": "genres"})
    assert started.status_code == 202, started.text
    run = started.json()
    assert run["kind"] == "sync" and started.headers["location"] == f"/api/v1/sync-runs/{run['id']}"
    with server.client.stream("GET", run["events_url"], headers=server.h()) as stream:
        text = "".join(stream.iter_text())
    kinds = re.findall(r"^event: (\w+)$", text, flags=re.M)
    assert kinds[0] == "sync_started" and kinds[-2:] == ["sync_finished", "end"], kinds
    assert '"status": "succeeded"' in text.split("event: end")[1]
    after = server.client.get(f"{base}/sync", headers=server.h(), params={"name": "genres"}).json()
    assert after["last_status"] == "succeeded" and after["rows"] == 25
    over = server.client.post(f"/api/v1/sync-runs/{run['id']}/cancel", headers=server.h())
    assert over.status_code == 409
    unknown = server.client.post(f"{base}/sync/runs", headers=server.h(), params={"name": "nope"})
    assert unknown.status_code == 422 and "genres" in unknown.json()["detail"]


def test_the_catalog_of_a_connection_is_refreshed_and_read(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}/connections/chinook/catalog"
    assert server.client.get(base, headers=server.h()).json()["items"] == []
    refreshed = server.client.post(f"{base}/refresh", headers=server.h())
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["tables"] >= 11 and refreshed.json()["problems"] == []
    page = server.client.get(base, headers=server.h(), params={"limit": 5}).json()
    assert len(page["items"]) == 5 and page["next_cursor"]
    names = [t["name"] for t in page["items"]]
    assert names == sorted(names)
    genres = [
        t
        for t in server.client.get(base, headers=server.h(), params={"limit": 200}).json()["items"]
        if t["name"] == "Genre"
    ]
    assert {c["name"] for c in genres[0]["columns"]} >= {"GenreId", "Name"}
