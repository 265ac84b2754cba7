"""Retention over HTTP on the Chinook example's invoices, copied into its DuckDB warehouse
(SQLite connections do not delete): a policy added and checked against its table, previewed
— the count compared with DuckDB's own —, run in the background (the old invoices archived
then deleted, the proof listed); refused to a viewer and 404 to another organization."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import duckdb

from tests.api.conftest import Server, register

POLICY = {
    "name": "old-invoices",
    "connection": "warehouse",
    "table": "invoices",
    "date_column": "InvoiceDate",
    "keep_days": 1460,
    "batch_rows": 50,
}


def _warehouse(server: Server, tmp_path: Path) -> Path:
    """Chinook's invoices (id, date as a timestamp) in the warehouse's DuckDB file."""
    with sqlite3.connect(server.chinook / "data" / "chinook.sqlite") as con:
        rows = con.execute("SELECT InvoiceId, InvoiceDate, Total FROM Invoice").fetchall()
    path = tmp_path / "out" / "chinook_mart.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as db:
        db.execute("CREATE TABLE invoices (InvoiceId INT, InvoiceDate TIMESTAMP, Total DOUBLE)")
        db.executemany("INSERT INTO invoices VALUES (?, ?, ?)", rows)
    return path


def _count(path: Path, where: str = "1 = 1", *args: Any) -> int:
    with duckdb.connect(str(path), read_only=True) as db:
        found = db.execute(f"SELECT count(*) FROM invoices WHERE {where}", list(args))
        return int(found.fetchone()[0])  # type: ignore[index]


def _finish(server: Server, url: str) -> dict[str, Any]:
    for _ in range(600):  # bounded: at most a minute
        got = server.client.get(url, headers=server.h()).json()
        if got["status"] not in ("pending", "running"):
            return dict(got)
        time.sleep(0.1)
    raise AssertionError("the task did not finish")


def test_a_policy_is_added_previewed_and_run(server: Server, tmp_path: Path) -> None:
    warehouse = _warehouse(server, tmp_path)
    project = register(server)
    base = f"/api/v1/projects/{project}/retention"
    c, h = server.client, server.h()
    assert c.post(f"{base}/policies", headers=server.h("viewer"), json=POLICY).status_code == 403
    made = c.post(f"{base}/policies", headers=h, json=POLICY)
    assert made.status_code == 201, made.text
    assert made.json()["created"] and made.json()["policy"]["keep_days"] == 1460
    assert c.post(f"{base}/policies", headers=h, json=POLICY).status_code == 409
    again = c.post(f"{base}/policies", headers=h, json=POLICY, params={"replace": True})
    assert again.status_code == 200 and not again.json()["created"]
    bad = c.post(f"{base}/policies", headers=h, json={**POLICY, "date_column": "Total"})
    assert bad.status_code == 422, bad.text
    listed = c.get(f"{base}/policies", headers=h).json()
    assert [p["name"] for p in listed["items"]] == ["old-invoices"]

    [preview] = c.get(f"{base}/preview", headers=h).json()
    cutoff = preview["cutoff"][:19].replace("T", " ")
    expired = _count(warehouse, "InvoiceDate < ?", cutoff)
    before = _count(warehouse)
    assert preview["rows"] == expired and 0 < expired < before

    started = c.post(f"{base}/runs", headers=h, json={"policies": ["old-invoices"]})
    assert started.status_code == 202, started.text
    task = _finish(server, started.json()["status_url"])
    assert task["status"] == "succeeded", task
    [report] = task["result"]["reports"]
    assert report["status"] == "succeeded", report["error"]
    assert report["rows_deleted"] == expired
    assert report["rows_archived"] == expired
    assert _count(warehouse) == before - expired
    over = c.post(f"{started.json()['status_url']}/cancel", headers=h)
    assert over.status_code == 409 and "over" in over.json()["detail"]
    assert _count(warehouse, "InvoiceDate < ?", cutoff) == 0

    runs = c.get(f"{base}/runs", headers=h).json()["items"]
    assert [(r["policy"], r["rows_deleted"], r["status"]) for r in runs] == [
        ("old-invoices", expired, "succeeded")
    ]
    checked = c.post(f"{base}/runs/{runs[0]['id']}/verification", headers=h)
    assert checked.status_code == 200, checked.text
    assert checked.json()["ok"] and checked.json()["rows"] == expired
    assert c.post(f"{base}/runs/999/verification", headers=h).status_code == 404
    secret = {**POLICY, "name": "sealed", "encrypt": True}
    refused = c.post(f"{base}/policies", headers=h, json=secret)
    assert refused.status_code == 422 and "key create" in refused.json()["detail"]
    assert c.post(f"{base}/archive-key", headers=server.h("viewer")).status_code == 403
    assert c.post(f"{base}/archive-key", headers=h).json() == {"written": True}
    assert c.post(f"{base}/archive-key", headers=h).json() == {"written": False}
    assert c.post(f"{base}/policies", headers=h, json=secret).status_code == 201
    assert c.delete(f"{base}/policies/sealed", headers=h).status_code == 204
    ghost = c.post(f"{base}/runs", headers=h, json={"policies": ["ghost"]})
    assert ghost.status_code == 404
    assert c.delete(f"{base}/policies/old-invoices", headers=h).status_code == 204
    assert c.get(f"{base}/policies", headers=h).json()["items"] == []
    assert len(c.get(f"{base}/runs", headers=h).json()["items"]) == 1  # the proof stays


def test_another_organizations_policies_are_404(server: Server, tmp_path: Path) -> None:
    _warehouse(server, tmp_path)
    project = register(server)
    base = f"/api/v1/projects/{project}/retention"
    c, h = server.client, server.h()
    assert c.post(f"{base}/policies", headers=h, json=POLICY).status_code == 201
    every = ["read", "write", "run", "admin"]
    server.key("other", org="acme", user="eve", name="eve", scopes=every, role="admin")
    eve = server.h("other")
    assert c.get(f"{base}/policies", headers=eve).status_code == 404
    assert c.get(f"{base}/runs", headers=eve).status_code == 404
    assert c.get(f"{base}/preview", headers=eve).status_code == 404
    assert c.post(f"{base}/runs", headers=eve, json={}).status_code == 404
    assert c.post(f"{base}/runs/1/verification", headers=eve).status_code == 404
    assert c.post(f"{base}/archive-key", headers=eve).status_code == 404
    assert c.delete(f"{base}/policies/old-invoices", headers=eve).status_code == 404
    assert c.post(f"{base}/policies", headers=eve, json=POLICY).status_code == 404
    assert len(c.get(f"{base}/policies", headers=h).json()["items"]) == 1
