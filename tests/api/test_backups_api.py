"""Backups over HTTP, for the server's operator: archives written into the server's backup
directory (their row counts compared with the metadata DB read directly), listed, verified
(a tampered one fails), sealed secrets opened only with the passphrase; nothing without the
backup scope, no archive named by a path."""

from __future__ import annotations

import sqlite3
import zipfile

from app.storage.project import read_project_dir
from tests.api.conftest import Server, register


def test_backups_are_made_listed_and_verified_by_the_operator(server: Server) -> None:
    register(server)
    c, h = server.client, server.h()
    made = c.post("/api/v1/backups", headers=h, json={"kind": "full"})
    assert made.status_code == 201, made.text
    name = made.json()["name"]
    assert made.headers["location"] == f"/api/v1/backups/{name}"
    folder = server.settings.backups_dir
    assert folder is not None and (folder / name).is_file()
    assert made.json()["secrets"] == 0 and made.json()["kind"] == "full"
    meta = str(server.settings.db_url).removeprefix("sqlite:///")
    with sqlite3.connect(meta) as db:
        for table in ("users", "api_credentials", "hosted_projects"):
            [(rows,)] = db.execute(f'SELECT count(*) FROM "{table}"').fetchall()  # noqa: S608
            tables = {t["table"]: t["rows"] for t in made.json()["tables"]}
            assert tables[table] == rows, table

    config = c.post("/api/v1/backups", headers=h, json={"kind": "configuration"}).json()
    listed = c.get("/api/v1/backups", headers=h, params={"limit": 1}).json()
    rest = c.get("/api/v1/backups", headers=h, params={"cursor": listed["next_cursor"]}).json()
    assert {b["name"] for b in listed["items"] + rest["items"]} == {name, config["name"]}
    assert rest["next_cursor"] is None
    one = c.get(f"/api/v1/backups/{name}", headers=h).json()
    assert one["rows"] == sum(t["rows"] for t in one["tables"]) == made.json()["rows"]

    verified = c.post(f"/api/v1/backups/{name}/verification", headers=h)
    assert verified.status_code == 200, verified.text
    assert verified.json()["ok"] is True and verified.json()["problems"] == []
    assert {t["table"] for t in verified.json()["tables"]} == set(tables)

    broken = folder / "cauce-broken.cauce-backup"
    with zipfile.ZipFile(folder / name) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("tables/users"):
                data = data[:-8] + b"tampered"
            out.writestr(item, data)
    tampered = c.post(f"/api/v1/backups/{broken.name}/verification", headers=h)
    assert tampered.status_code == 422 and "users" in tampered.json()["detail"]

    assert c.get("/api/v1/backups/nothing.cauce-backup", headers=h).status_code == 404
    for path in ("..%2Fmeta.db", "..%2F..%2Fetc%2Fpasswd.cauce-backup", "meta.db"):
        assert c.get(f"/api/v1/backups/{path}", headers=h).status_code in (404, 422)
    server.key("editor", user="ed", name="ed", scopes=["read", "write", "run"], role="editor")
    for who in ("editor", "viewer"):
        assert c.post("/api/v1/backups", headers=server.h(who), json={}).status_code == 403
        assert c.get("/api/v1/backups", headers=server.h(who)).status_code == 403
    server.key("keys-admin", user="ana", name="no backup", scopes=["read", "admin"])
    assert c.get("/api/v1/backups", headers=server.h("keys-admin")).status_code == 403


def test_sealed_secrets_open_only_with_the_passphrase(server: Server) -> None:
    project = register(server)
    c, h = server.client, server.h()
    with server.workspace.repository() as repo:  # a connection the metadata DB knows (runs do it)
        repo.save_connection(
            repo.ensure_project("chinook"), read_project_dir(server.chinook).connections["postgres"]
        )
    secret = c.put(
        f"/api/v1/projects/{project}/connections/postgres/secrets/password",
        headers=h,
        json={"value": "s3cret-value"},
    )
    assert secret.status_code == 204, secret.text
    short = c.post("/api/v1/backups", headers=h, json={"passphrase": "short"})
    assert short.status_code == 422
    passphrase = "a long backup passphrase"
    made = c.post("/api/v1/backups", headers=h, json={"kind": "full", "passphrase": passphrase})
    assert made.status_code == 201, made.text
    assert made.json()["secrets"] == 1 and passphrase not in made.text
    archive = server.settings.backups_dir / made.json()["name"]  # type: ignore[operator]
    assert b"s3cret-value" not in archive.read_bytes()
    url = f"/api/v1/backups/{made.json()['name']}/verification"
    wrong = c.post(url, headers=h, json={"passphrase": "not the passphrase"})
    assert wrong.status_code == 422 and "passphrase" in wrong.json()["detail"]
    right = c.post(url, headers=h, json={"passphrase": passphrase}).json()
    assert right["ok"] is True and right["secrets"] == 1
    audit = c.get("/api/v1/audit", headers=h).json()["items"]
    assert [a["action"] for a in audit[:2]] == [
        "POST /api/v1/backups/{name}/verification",
        "POST /api/v1/backups/{name}/verification",
    ]
    assert all(passphrase not in str(a) for a in audit)
