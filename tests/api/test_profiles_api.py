"""Profiles over HTTP: a profile run started in the background and followed, the stored
profile read back — its counts compared with SQL run on the Chinook file directly, its tagged
columns masked without the unmask scope — checks suggested from it, and every stored check
result paged."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from app.services.hosted_profiles import masked_drift
from tests.api.conftest import Server, register


def _sql(server: Server, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(server.chinook / "data" / "chinook.sqlite") as db:
        return db.execute(query).fetchall()


def _finish(server: Server, url: str) -> dict[str, Any]:
    for _ in range(600):  # bounded: at most a minute
        got = server.client.get(url, headers=server.h()).json()
        if got["status"] not in ("pending", "running"):
            return dict(got)
        time.sleep(0.1)
    raise AssertionError("the profile run did not finish")


def test_a_profile_run_stores_a_profile_read_back_masked(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, admin = server.client, server.h()
    server.key("reader", user="rita", name="reader", scopes=["read", "run"], role="editor")
    reader = server.h("reader")
    tag = {"table": "Invoice", "column": "BillingCountry", "tags": ["pii.address"]}
    assert c.post(f"{base}/connections/chinook/column-tags", headers=admin, json=tag).is_success

    started = c.post(
        f"{base}/connections/chinook/profile-runs", headers=reader, params={"table": "Invoice"}
    )
    assert started.status_code == 202, started.text
    assert started.headers["location"] == started.json()["status_url"]
    done = _finish(server, started.json()["status_url"])
    assert done["status"] == "succeeded", done
    assert done["profile_id"] and done["drifted"] is False and 0 < done["score"] <= 100
    assert done["done"] == done["total"] > 0

    url = f"{base}/connections/chinook/profiles/{done['profile_id']}"
    shown = c.get(url, headers=reader).json()
    [(rows,)] = _sql(server, "SELECT count(*) FROM Invoice")
    assert shown["rows"] == rows == shown["profile"]["rows"] and shown["table"] == "Invoice"
    assert shown["score"] == done["score"] and shown["quality"]["score"] == done["score"]
    columns = {col["name"]: col for col in shown["profile"]["columns"]}
    [(nulls,)] = _sql(server, "SELECT count(*) FROM Invoice WHERE BillingState IS NULL")
    assert columns["BillingState"]["nulls"] == nulls
    country = columns["BillingCountry"]
    assert shown["masked"] == ["BillingCountry"]
    assert {t["value"] for t in country["top"]} == {"****"}
    assert country["min"] is None and country["max"] is None
    counts = dict(
        _sql(server, "SELECT BillingCountry, count(*) FROM Invoice GROUP BY BillingCountry")
    )
    assert (
        sorted(t["count"] for t in country["top"])
        == sorted(counts.values())[-len(country["top"]) :]
    )
    assert not any(f'"{name}"' in c.get(url, headers=reader).text for name in counts)

    # stored as its starter could see it: the reader's profile holds no value of the column
    assert c.get(url, headers=admin).json()["profile"] == shown["profile"]
    listed = c.get(
        f"{base}/connections/chinook/profiles", headers=reader, params={"table": "Invoice"}
    )
    assert [p["id"] for p in listed.json()] == [done["profile_id"]]

    suggested = c.get(
        f"{base}/checks/suggestions",
        headers=reader,
        params={"connection": "chinook", "table": "Invoice"},
    ).json()
    assert suggested["profile_id"] == done["profile_id"]
    kinds = {(s["spec"]["kind"], s["spec"].get("column")) for s in suggested["checks"]}
    assert ("row_count", None) in kinds and ("not_null", "InvoiceId") in kinds
    assert not any(col == "BillingCountry" and k == "accepted_values" for k, col in kinds)
    none_yet = c.get(
        f"{base}/checks/suggestions",
        headers=reader,
        params={"connection": "chinook", "table": "Track"},
    )
    assert none_yet.status_code == 404

    again = c.post(  # started by a key that may unmask: stored with the values
        f"{base}/connections/chinook/profile-runs", headers=admin, params={"table": "Invoice"}
    )
    second = _finish(server, again.json()["status_url"])
    assert second["status"] == "succeeded" and second["profile_id"] != done["profile_id"]
    url = f"{base}/connections/chinook/profiles/{second['profile_id']}"
    clear = c.get(url, headers=admin).json()
    top = {
        t["value"]: t["count"]
        for col in clear["profile"]["columns"]
        if col["name"] == "BillingCountry"
        for t in col["top"]
    }
    assert clear["masked"] == [] and top and all(counts[v] == n for v, n in top.items())
    masked = c.get(url, headers=reader)  # and read back masked by a key that may not
    assert masked.json()["masked"] == ["BillingCountry"]
    assert not any(f'"{name}"' in masked.text for name in counts)
    over = c.post(f"/api/v1/profile-runs/{second['id']}/cancel", headers=reader)
    assert over.status_code == 409

    wrong = c.post(
        f"{base}/connections/chinook/profile-runs", headers=reader, params={"table": "NoSuchTable"}
    )
    failed = _finish(server, wrong.json()["status_url"])
    assert failed["status"] == "failed" and "NoSuchTable" in failed["error"]
    ghost = c.post(f"{base}/connections/ghost/profile-runs", headers=reader, params={"table": "t"})
    assert ghost.status_code == 404
    viewer = c.post(
        f"{base}/connections/chinook/profile-runs",
        headers=server.h("viewer"),
        params={"table": "Invoice"},
    )
    assert viewer.status_code == 403
    assert c.get("/api/v1/profile-runs/999999", headers=reader).status_code == 404
    assert c.get(f"{base}/connections/chinook/profiles/999999", headers=reader).status_code == 404
    other = f"{base}/connections/warehouse/profiles/{done['profile_id']}"
    assert c.get(other, headers=reader).status_code == 404  # another connection's id


def test_check_results_are_paged_newest_first(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    checks = [
        {"kind": "not_null", "table": "Invoice", "connection": "chinook", "column": "InvoiceId"},
        {"kind": "row_count", "table": "Invoice", "connection": "chinook", "min": 1_000_000},
    ]
    assert c.post(f"{base}/checks", headers=h, json=checks).status_code == 201
    for _ in range(2):
        assert c.post(f"{base}/checks/runs", headers=h).status_code == 200
    history = f"{base}/checks/results/history"
    page = c.get(history, headers=h, params={"limit": 3}).json()
    rest = c.get(history, headers=h, params={"limit": 3, "cursor": page["next_cursor"]}).json()
    found = page["items"] + rest["items"]
    assert len(found) == 4 and rest["next_cursor"] is None
    assert [r["id"] for r in found] == sorted((r["id"] for r in found), reverse=True)
    assert {(r["check"], r["status"]) for r in found} == {
        ("not_null:InvoiceId", "passed"),
        ("row_count", "failed"),
    }
    [(rows,)] = _sql(server, "SELECT count(*) FROM Invoice")
    assert {r["rows"] for r in found if r["check"] == "row_count"} == {rows}
    only = c.get(history, headers=h, params={"table": "Track"}).json()
    assert only["items"] == []


def test_drift_findings_quote_no_value_of_a_tagged_column() -> None:
    drift = {
        "table": "t",
        "drifted": True,
        "psi": {},
        "findings": [
            {
                "column": "Email",
                "metric": "new_category",
                "old": None,
                "new": 3,
                "detail": "canary@example.com",
                "level": "moderate",
                "text": "`Email` has a new value 'canary@example.com' (3 rows)",
            },
            {
                "column": "Country",
                "metric": "top_share",
                "old": 0.1,
                "new": 0.3,
                "detail": "Chile",
                "level": "moderate",
                "text": "`Country` = 'Chile': 10.0% of the rows, now 30.0%",
            },
        ],
    }
    shown = masked_drift(drift, {"email"}, None)
    assert shown is not None and "canary" not in str(shown)
    assert shown["findings"][0]["text"] == "`Email` has a new value '****' (3 rows)"
    assert shown["findings"][1] == drift["findings"][1]  # untagged: as it was
    assert "canary" in str(drift)  # the stored report is not changed
