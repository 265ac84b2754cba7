"""Tenancy of the dictionary, glossary, data-subject request, query analytics and
schema-change endpoints, on PostgreSQL: two organizations host a project of the same name
(Chinook, two copies); what one describes, defines, registers or adds is neither seen nor
reachable by the other — its ids are 404 even under the other's own project."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.api.conftest import Server, register

EVERY = ["read", "write", "run", "admin", "unmask", "gdpr"]


def test_same_named_projects_of_two_organizations_share_nothing(
    pg_server: Server, tmp_path: Path
) -> None:
    s = pg_server
    c, h = s.client, s.h()
    s.key("other", org="acme", user="eve", name="eve", scopes=EVERY, role="admin")
    eve = s.h("other")
    ours = register(s)
    theirs_path = tmp_path / "acme" / "chinook"
    shutil.copytree(s.chinook, theirs_path)
    theirs = register(s, "other", theirs_path)
    base, their_base = f"/api/v1/projects/{ours}", f"/api/v1/projects/{theirs}"
    for url, who in ((base, h), (their_base, eve)):
        assert c.post(f"{url}/connections/chinook/catalog/refresh", headers=who).is_success

    desc = {"connection": "chinook", "table": "Invoice", "description": "ours only"}
    assert c.put(f"{base}/dictionary/descriptions", headers=h, json=desc).status_code == 200
    assert c.post(f"{base}/glossary", headers=h, json={"name": "Revenue"}).status_code == 201
    subject = {"kind": "access", "keys": ["pii.email=luisg@embraer.com.br"]}
    request = c.post(f"{base}/gdpr/requests", headers=h, json=subject).json()["id"]

    their_tables = c.get(f"{their_base}/dictionary", headers=eve).json()["items"]
    invoice = next(t for t in their_tables if t["table"] == "Invoice")
    assert invoice["description"] == ""
    assert c.get(f"{their_base}/glossary", headers=eve).json()["items"] == []
    hits = c.get(f"{their_base}/dictionary/search", headers=eve, params={"q": "ours"}).json()
    assert hits["items"] == []
    assert c.get(f"{their_base}/gdpr/requests", headers=eve).json()["items"] == []
    assert c.get(f"{their_base}/gdpr/requests/{request}", headers=eve).status_code == 404
    assert c.post(f"{their_base}/gdpr/requests/{request}/search", headers=eve).status_code == 404
    assert c.get(f"{their_base}/schema-changes", headers=eve).json()["items"] == []
    # and ours, by our ids, stay ours
    assert c.get(f"{base}/gdpr/requests/{request}", headers=eve).status_code == 404
    assert (
        c.get(f"{base}/glossary/term", headers=eve, params={"name": "Revenue"}).status_code == 404
    )
    assert c.get(f"{base}/queries/slowest", headers=eve).status_code == 404
    assert [r["id"] for r in c.get(f"{base}/gdpr/requests", headers=h).json()["items"]] == [request]
