"""Data-subject requests over HTTP on the Chinook example (a sync to a SQLite copy, a
pipeline into the DuckDB warehouse, customer columns tagged): registered, found — the rows
per table counted as the source counts them —, exported as a zip, erased in the background,
the audit verified; each refused without the ``gdpr`` scope (and an export without
``unmask``), and another organization's request 404."""

from __future__ import annotations

import io
import json
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

from app.services.runs import run_project
from tests.api.conftest import Server, register
from tests.conftest import CHINOOK_SQLITE
from tests.gdpr.conftest import CUSTOMER, EMAIL, revenue_pipeline, write_json

KEYS = [f"pii.email={EMAIL}", f"id.customer={CUSTOMER}"]
TAGS = (
    ("Customer", "Email", ["pii.email"]),
    ("Customer", "FirstName", ["pii.name"]),
    ("Customer", "CustomerId", ["id.customer"]),
    ("Invoice", "CustomerId", ["id.customer"]),
)


def _source(sql: str) -> Any:
    with sqlite3.connect(CHINOOK_SQLITE) as con:
        return con.execute(sql).fetchall()[0][0]


def _copy(tmp_path: Path, sql: str) -> Any:
    with sqlite3.connect(tmp_path / "copy.sqlite") as con:
        return con.execute(sql).fetchall()[0][0]


def _chinook(server: Server, tmp_path: Path) -> tuple[int, str]:
    """The example with two syncs to a SQLite copy and a pipeline summing per customer,
    registered, tagged through the API and run."""
    root = server.chinook
    (root / "pipelines" / "revenue.json").unlink()
    write_json(
        root / "connections" / "copy.json",
        {"name": "copy", "type": "sqlite", "params": {"path": str(tmp_path / "copy.sqlite")}},
    )
    for name, table in (("customers", "Customer"), ("invoices", "Invoice")):
        sync = {
            "name": name,
            "source": {"connection": "chinook", "table": table},
            "destinations": [{"connection": "copy", "table": table.lower()}],
            "mode": "full",
        }
        write_json(root / "syncs" / f"{name}.json", sync)
    pipeline = revenue_pipeline("chinook", "warehouse")
    (root / "pipelines" / f"{pipeline.name}.json").write_text(pipeline.to_json())
    project = register(server)
    base = f"/api/v1/projects/{project}"
    for table, column, tags in TAGS:
        body = {"table": table, "column": column, "tags": tags}
        tagged = server.client.post(
            f"{base}/connections/chinook/column-tags", headers=server.h(), json=body
        )
        assert tagged.status_code == 200, tagged.text
    result = run_project(root, workspace=server.workspace)
    assert result.ok, result.summary()
    return project, base


def _finish(server: Server, url: str) -> dict[str, Any]:
    for _ in range(600):  # bounded: at most a minute
        got = server.client.get(url, headers=server.h())
        assert got.status_code == 200, got.text
        if got.json()["status"] not in ("pending", "running"):
            return dict(got.json())
        time.sleep(0.1)
    raise AssertionError("the task did not finish")


def test_find_counts_the_subject_per_table_and_export_holds_their_rows(
    server: Server, tmp_path: Path
) -> None:
    _project, base = _chinook(server, tmp_path)
    c, h = server.client, server.h()
    body = {"kind": "access", "keys": KEYS, "note": "ticket 42"}
    # the scope: an editor key, and an administrator's key without gdpr
    assert c.post(f"{base}/gdpr/requests", headers=server.h("viewer"), json=body).status_code == 403
    server.key("nogdpr", user="ana", name="nogdpr", scopes=["read", "write", "run", "unmask"])
    refused = c.post(f"{base}/gdpr/requests", headers=server.h("nogdpr"), json=body)
    assert refused.status_code == 403 and refused.json()["type"] == "/problems/insufficient-scope"
    assert c.get(f"{base}/gdpr/requests", headers=server.h("nogdpr")).status_code == 403

    made = c.post(f"{base}/gdpr/requests", headers=h, json=body)
    assert made.status_code == 201, made.text
    request = made.json()
    assert request["state"] == "open" and request["subject"] == KEYS  # the admin key unmasks
    server.key("officer", user="ana", name="officer", scopes=["read", "gdpr"])
    officer = server.h("officer")
    listed = c.get(f"{base}/gdpr/requests", headers=officer).json()
    assert [r["subject"] for r in listed["items"]] == [["pii.email=****", "id.customer=****"]]

    url = f"{base}/gdpr/requests/{request['id']}"
    found = c.post(f"{url}/search", headers=officer)
    assert found.status_code == 200, found.text
    invoices = _source(f"SELECT count(*) FROM Invoice WHERE CustomerId = {CUSTOMER}")
    by_table = {(t["connection"], t["table"]): t for t in found.json()["tables"]}
    assert {k: t["rows"] for k, t in by_table.items()} == {
        ("copy", "customer"): 1,
        ("copy", "invoice"): invoices,
        ("warehouse", "customer_revenue"): 1,
    }
    assert found.json()["total"] == invoices + 2
    assert set(by_table["warehouse", "customer_revenue"]["columns"]) == {
        "CustomerId (id.customer)",
        "Email (pii.email)",
    }
    assert found.json()["request"]["state"] == "in_progress"
    assert EMAIL not in found.text  # counts, never a value

    denied = c.post(f"{url}/export", headers=officer)  # gdpr without unmask
    assert denied.status_code == 403 and "unmask" in denied.json()["detail"]
    exported = c.post(f"{url}/export", headers=h)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as z:
        texts = {n: z.read(n).decode() for n in z.namelist()}
    [customer] = [
        json.loads(t) for n, t in texts.items() if "customer." in n and n.endswith("json")
    ]
    assert EMAIL in json.dumps(customer)
    assert c.get(url, headers=h).json()["state"] == "done"

    verified = c.get(f"{base}/gdpr/audit/verification", headers=officer).json()
    assert verified["ok"] and verified["entries"] >= 2 and not verified["problems"]
    actions = [e["action"] for e in c.get("/api/v1/audit", headers=h).json()["items"]]
    assert "POST /api/v1/projects/{project_id}/gdpr/requests/{request_id}/export" in actions


def test_erasure_runs_in_the_background_and_removes_the_subject(
    server: Server, tmp_path: Path
) -> None:
    _project, base = _chinook(server, tmp_path)
    c, h = server.client, server.h()
    access = c.post(f"{base}/gdpr/requests", headers=h, json={"kind": "access", "keys": KEYS})
    wrong = c.post(f"{base}/gdpr/requests/{access.json()['id']}/erasure", headers=h)
    assert wrong.status_code == 422 and "only erasure requests" in wrong.json()["detail"]

    made = c.post(f"{base}/gdpr/requests", headers=h, json={"kind": "erasure", "keys": KEYS})
    url = f"{base}/gdpr/requests/{made.json()['id']}"
    assert _copy(tmp_path, f"SELECT count(*) FROM customer WHERE CustomerId = {CUSTOMER}") == 1
    started = c.post(f"{url}/erasure", headers=h)
    assert started.status_code == 202, started.text
    assert started.headers["location"] == started.json()["status_url"]
    task = _finish(server, started.json()["status_url"])
    assert task["status"] == "succeeded", task
    assert task["result"]["ok"] and not task["result"]["remaining"]
    for table in ("customer", "invoice"):
        left = _copy(tmp_path, f"SELECT count(*) FROM {table} WHERE CustomerId = {CUSTOMER}")
        assert left == 0, table
    assert (
        _copy(tmp_path, "SELECT count(*) FROM customer")
        == _source("SELECT count(*) FROM Customer") - 1
    )
    assert c.get(url, headers=h).json()["state"] == "done"
    # a task is read with the scope its start needed
    assert c.get(started.json()["status_url"], headers=server.h("viewer")).status_code == 403
    cancel = f"{started.json()['status_url']}/cancel"
    assert c.post(cancel, headers=server.h("viewer")).status_code == 403
    assert c.post(cancel, headers=h).status_code == 409  # over


def test_another_organizations_requests_are_404(server: Server, tmp_path: Path) -> None:
    _project, base = _chinook(server, tmp_path)
    c, h = server.client, server.h()
    made = c.post(f"{base}/gdpr/requests", headers=h, json={"kind": "erasure", "keys": KEYS})
    url = f"{base}/gdpr/requests/{made.json()['id']}"
    started = c.post(f"{url}/erasure", headers=h).json()
    _finish(server, started["status_url"])
    every = ["read", "write", "run", "admin", "unmask", "gdpr"]
    server.key("other", org="acme", user="eve", name="eve", scopes=every, role="admin")
    eve = server.h("other")
    assert c.get(f"{base}/gdpr/requests", headers=eve).status_code == 404
    assert c.get(url, headers=eve).status_code == 404
    assert c.post(f"{url}/search", headers=eve).status_code == 404
    assert c.post(f"{url}/export", headers=eve).status_code == 404
    assert c.post(f"{url}/erasure", headers=eve).status_code == 404
    body = {"kind": "access", "keys": KEYS}
    assert c.post(f"{base}/gdpr/requests", headers=eve, json=body).status_code == 404
    assert c.get(started["status_url"], headers=eve).status_code == 404
    assert c.get(f"{base}/gdpr/requests/999", headers=h).status_code == 404
