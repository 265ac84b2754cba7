"""Column tags and masked-by-default reads over HTTP: tags set, listed, suggested and
removed; a node's preview, a bundle's data files and the masking key, each refused or masked
for a key without the unmask scope — values compared with the Chinook file read directly."""

from __future__ import annotations

import sqlite3

from app.services.masking import mask_key
from tests.api.conftest import Server, register
from tests.privacy.test_tags import EXPECTED


def _addresses(server: Server) -> list[str]:
    """Invoice.BillingAddress, read from the SQLite file itself, in id order."""
    with sqlite3.connect(server.chinook / "data" / "chinook.sqlite") as db:
        rows = db.execute("SELECT BillingAddress FROM Invoice ORDER BY InvoiceId").fetchall()
    return [r[0] for r in rows]


def test_tags_are_set_listed_suggested_and_removed(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    url = f"{base}/connections/chinook/column-tags"
    body = {"table": "Invoice", "column": "BillingAddress", "tags": ["pii.address"]}
    made = c.post(url, headers=h, json=body)
    assert made.status_code == 200, made.text
    assert made.json() == {
        "table": "Invoice",
        "column": "BillingAddress",
        "added": 1,
        "tags": ["pii.address"],
    }
    assert c.post(url, headers=h, json=body).json()["added"] == 0  # once only
    both = {**body, "tags": ["sensitive.location"]}
    assert c.post(url, headers=h, json=both).json()["tags"] == [
        "pii.address",
        "sensitive.location",
    ]
    replaced = c.post(url, headers=h, json={**both, "replace": True}).json()
    assert replaced["tags"] == ["sensitive.location"]
    bad = c.post(url, headers=h, json={**body, "tags": ["not a tag!"]})
    assert bad.status_code == 422 and "dotted name" in bad.json()["detail"]
    ghost = f"{base}/connections/ghost/column-tags"
    assert c.post(ghost, headers=h, json=body).status_code == 404
    assert c.post(url, headers=server.h("viewer"), json=body).status_code == 403

    listed = c.get(f"{base}/column-tags", headers=h).json()
    assert [(t["table"], t["column"], t["tag"], t["origin"]) for t in listed["items"]] == [
        ("Invoice", "BillingAddress", "sensitive.location", "manual")
    ]
    gone = {"table": "Invoice", "column": "BillingAddress", "tag": "sensitive.location"}
    assert c.delete(url, headers=h, params=gone).status_code == 204
    assert c.delete(url, headers=h, params=gone).status_code == 404
    assert c.get(f"{base}/column-tags", headers=h).json()["items"] == []

    shown = c.post(f"{url}/suggestions", headers=h)
    assert shown.status_code == 200, shown.text
    suggested: dict[str, dict[str, set[str]]] = {}
    for t in shown.json()["tags"]:
        suggested.setdefault(t["table"], {}).setdefault(t["column"], set()).add(t["tag"])
    assert suggested == EXPECTED
    assert c.get(f"{base}/column-tags", headers=h).json()["items"] == []  # not stored
    c.post(f"{url}/suggestions", headers=h, params={"accept": True})
    page = c.get(f"{base}/column-tags", headers=h, params={"limit": 5}).json()
    assert len(page["items"]) == 5 and page["next_cursor"]
    every = []
    cursor = None
    while True:
        got = c.get(
            f"{base}/column-tags",
            headers=h,
            params={"limit": 5, **({"cursor": cursor} if cursor else {})},
        ).json()
        every += got["items"]
        cursor = got["next_cursor"]
        if not cursor:
            break
    assert len(every) == sum(len(cols) for cols in EXPECTED.values())
    assert {t["origin"] for t in every} == {"suggested"}


def test_previews_and_bundles_are_masked_without_the_unmask_scope(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, admin = server.client, server.h()
    server.key("reader", user="rita", name="reader", scopes=["read", "run"], role="editor")
    reader = server.h("reader")
    me = c.get("/api/v1/me", headers=admin).json()
    assert "unmask" in me["scopes"] and "backup" in me["scopes"]
    preview = f"{base}/pipeline/preview"
    params = {"name": "revenue", "node": "invoices", "limit": 1000}
    before = c.get(preview, headers=reader, params=params)
    assert before.status_code == 200, before.text
    names = [col["name"] for col in before.json()["columns"]]
    at = names.index("BillingAddress")
    real = _addresses(server)
    assert [r[at] for r in before.json()["rows"]] == real and before.json()["masked"] == []

    tag = {"table": "Invoice", "column": "BillingAddress", "tags": ["pii.address"]}
    c.post(f"{base}/connections/chinook/column-tags", headers=admin, json=tag)
    masked = c.get(preview, headers=reader, params=params)
    assert masked.json()["masked"] == ["BillingAddress"]
    assert {r[at] for r in masked.json()["rows"]} == {"****"}
    assert not any(address in masked.text for address in real)
    city = names.index("BillingCity")  # untagged columns are shown as they are
    assert [r[city] for r in masked.json()["rows"]] == [r[city] for r in before.json()["rows"]]
    clear = c.get(preview, headers=admin, params=params)  # the admin key has unmask
    assert [r[at] for r in clear.json()["rows"]] == real and clear.json()["masked"] == []
    viewer = c.get(preview, headers=server.h("viewer"), params=params)
    assert viewer.status_code == 403  # a preview reads the sources: the run scope
    assert c.get(preview, headers=reader, params={**params, "node": "ghost"}).status_code == 404

    export = f"{base}/export"
    refused = c.get(export, headers=reader)
    assert refused.status_code == 422 and "data/chinook.sqlite" in refused.json()["detail"]
    assert c.get(export, headers=reader, params={"unmasked": True}).status_code == 403
    assert c.get(export, headers=reader, params={"include_data": False}).status_code == 200
    assert c.get(export, headers=admin, params={"unmasked": True}).status_code == 200


def test_the_masking_key_is_made_by_an_admin_and_never_shown(server: Server) -> None:
    project = register(server)
    url = f"/api/v1/projects/{project}/masking-key"
    c, h = server.client, server.h()
    first = c.post(url, headers=h)
    assert first.status_code == 200, first.text
    assert first.json() == {"written": True}
    assert c.post(url, headers=h).json() == {"written": False}
    stored = mask_key("chinook", server.workspace.secrets).hex()
    rotated = c.post(url, headers=h, params={"rotate": True})
    assert rotated.json() == {"written": True}
    now = mask_key("chinook", server.workspace.secrets).hex()
    assert now != stored and now not in rotated.text and stored not in first.text
    server.key("editor", user="ed", name="editor", scopes=["read", "write", "run"], role="editor")
    assert c.post(url, headers=server.h("editor")).status_code == 403


def test_detokenizing_needs_the_detokenize_scope(server: Server) -> None:
    from app.services.token_vault import project_vault

    project = register(server)
    [token] = project_vault(server.workspace, "chinook")(["luisg@embraer.com.br"])
    url = f"/api/v1/projects/{project}/detokenize"
    c = server.client
    got = c.post(url, headers=server.h(), json={"tokens": [token, "tok_unknown"]})
    assert got.status_code == 200, got.text
    assert got.json() == {"values": {token: "luisg@embraer.com.br", "tok_unknown": None}}
    server.key(
        "no-detokenize",
        user="ana",
        name="admin without detokenize",
        scopes=["read", "write", "run", "admin", "unmask"],
        role="admin",
    )
    refused = c.post(url, headers=server.h("no-detokenize"), json={"tokens": [token]})
    assert refused.status_code == 403 and "luisg" not in refused.text
    assert c.post(url, headers=server.h("viewer"), json={"tokens": [token]}).status_code == 403
