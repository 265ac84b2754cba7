"""Tenancy, on PostgreSQL: another organization's objects are 404 by any id a caller can
guess, and fields a caller must not choose (``organization_id``, ``role``) are ignored."""

from __future__ import annotations

import time

from tests.api.conftest import Server, register


def _wait_done(server: Server, run_id: int, who: str) -> str:
    for _ in range(600):  # bounded: at most a minute
        status = server.client.get(f"/api/v1/runs/{run_id}/status", headers=server.h(who)).json()
        if status["status"] not in ("running", "pending"):
            return str(status["status"])
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_foreign_ids_are_404_and_lists_show_only_ones_own(pg_server: Server) -> None:
    s = pg_server
    s.key(
        "other",
        org="acme",
        user="eve",
        name="eve",
        scopes=["read", "write", "run", "admin"],
        role="admin",
    )
    project = register(s)
    started = s.client.post(
        f"/api/v1/projects/{project}/pipeline/runs", headers=s.h(), params={"name": "revenue"}
    )
    assert started.status_code == 202, started.text
    run = started.json()["id"]
    assert _wait_done(s, run, "admin") == "succeeded"
    [own_key] = [
        k
        for k in s.client.get("/api/v1/api-keys", headers=s.h()).json()["items"]
        if k["name"] == "admin"
    ]

    eve = s.h("other")
    assert s.client.get("/api/v1/me", headers=eve).json()["organization"] == "acme"
    for method, path, params in [
        ("GET", f"/api/v1/projects/{project}", {}),
        ("GET", f"/api/v1/projects/{project}/pipelines", {}),
        ("GET", f"/api/v1/projects/{project}/pipeline", {"name": "revenue"}),
        ("GET", f"/api/v1/projects/{project}/connections", {}),
        ("GET", f"/api/v1/projects/{project}/export", {}),
        ("POST", f"/api/v1/projects/{project}/pipeline/runs", {"name": "revenue"}),
        ("GET", f"/api/v1/runs/{run}", {}),
        ("GET", f"/api/v1/runs/{run}/status", {}),
        ("GET", f"/api/v1/runs/{run}/nodes", {}),
        ("GET", f"/api/v1/runs/{run}/logs", {}),
        ("GET", f"/api/v1/runs/{run}/events", {}),
        ("POST", f"/api/v1/runs/{run}/cancel", {}),
        ("DELETE", f"/api/v1/api-keys/{own_key['id']}", {}),
    ]:
        response = s.client.request(method, path, headers={**eve, "If-Match": '"1"'}, params=params)
        assert response.status_code == 404, (method, path, response.text)
        assert "revenue" not in response.text and "chinook" not in response.text
    for path in ("/api/v1/projects", "/api/v1/runs", "/api/v1/api-keys", "/api/v1/audit"):
        items = s.client.get(path, headers=eve).json()["items"]
        assert all("ana" not in str(i) for i in items) and all(
            i.get("name") != "chinook" for i in items
        ), path
    assert s.client.get(f"/api/v1/projects/{project}", headers=s.h()).status_code == 200


def test_organization_id_and_role_in_bodies_are_ignored(pg_server: Server) -> None:
    s = pg_server
    s.key(
        "other", org="acme", user="eve", name="eve", scopes=["read", "write", "admin"], role="admin"
    )
    s.key("editor", user="ed", name="ed", scopes=["read", "write", "admin"], role="editor")
    made = s.client.post(
        "/api/v1/projects",
        headers=s.h("other"),
        json={
            "path": str(s.chinook),
            "organization_id": 1,
            "organization": "default",
            "role": "admin",
        },
    )
    assert made.status_code == 201, made.text
    assert s.client.get("/api/v1/projects", headers=s.h()).json()["items"] == []  # not in default
    assert [
        p["name"] for p in s.client.get("/api/v1/projects", headers=s.h("other")).json()["items"]
    ] == ["chinook"]

    # an editor cannot reach admin through the key it creates, nor move it to another org
    assert (
        s.client.post(
            "/api/v1/api-keys", headers=s.h("editor"), json={"name": "x", "scopes": ["read"]}
        ).status_code
        == 403
    )
    key = s.client.post(
        "/api/v1/api-keys",
        headers=s.h("other"),
        json={
            "name": "made",
            "scopes": ["read"],
            "role": "admin",
            "organization_id": 1,
            "user": "ana",
        },
    )
    assert key.status_code == 201, key.text
    me = s.client.get("/api/v1/me", headers={"Authorization": f"Bearer {key.json()['key']}"}).json()
    assert me == {**me, "organization": "acme", "user": "eve", "scopes": ["read"]}
