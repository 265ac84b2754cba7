"""The data dictionary, glossary and lineage over HTTP on the Chinook example: the catalog
refreshed, a table described, a term added, linked and found by a synonym, the revenue
pipeline's lineage — the same as the service's and as read off the pipeline by hand — and
another organization's project 404, a key without the scope 403."""

from __future__ import annotations

import time
from pathlib import Path

from app.services.lineage import pipeline_lineage
from tests.api.conftest import Server, register
from tests.dictionary.test_lineage import BY_HAND


def _refresh(server: Server, base: str) -> None:
    done = server.client.post(f"{base}/connections/chinook/catalog/refresh", headers=server.h())
    assert done.status_code == 200, done.text


def _project_path(server: Server, project: int) -> Path:
    return Path(server.client.get(f"/api/v1/projects/{project}", headers=server.h()).json()["path"])


def test_revenue_lineage_is_the_services_and_the_pipelines(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    _refresh(server, base)
    got = c.get(f"{base}/pipeline/lineage", headers=h, params={"name": "revenue"})
    assert got.status_code == 200, got.text
    expected = pipeline_lineage(
        _project_path(server, project), "revenue", offline=True, workspace=server.workspace
    ).to_dict()
    assert got.json() == {**expected, "node": None, "traced": None}
    [mart] = got.json()["destinations"]
    assert (mart["connection"], mart["table"]) == ("warehouse", "revenue_by_country_genre_year")
    assert {col["column"]: col["sources"] for col in mart["columns"]} == BY_HAND

    one = c.get(
        f"{base}/pipeline/lineage", headers=h, params={"name": "revenue", "column": "Revenue"}
    ).json()
    assert [col["column"] for col in one["destinations"][0]["columns"]] == ["Revenue"]
    bad = c.get(f"{base}/pipeline/lineage", headers=h, params={"name": "revenue", "column": "x"})
    assert bad.status_code == 422 and "no destination" in bad.json()["detail"]
    ghost = c.get(f"{base}/pipeline/lineage", headers=h, params={"name": "ghost"})
    assert ghost.status_code == 422
    asks = {"name": "revenue", "offline": "false"}
    viewer = c.get(f"{base}/pipeline/lineage", headers=server.h("viewer"), params=asks)
    assert viewer.status_code == 403  # asking the sources needs run

    flows = c.get(f"{base}/lineage", headers=h).json()
    revenue = {f["column"]: f["sources"] for f in flows["flows"] if f["name"] == "revenue"}
    assert revenue == BY_HAND and not flows["problems"]
    mart_use = {"kind": "pipeline", "name": "revenue", "node": "mart", "role": "writes"}
    mart_use |= {"connection": "warehouse", "table": "revenue_by_country_genre_year"}
    assert mart_use in flows["uses"]


def test_dictionary_and_glossary(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    assert c.get(f"{base}/dictionary", headers=h).json() == {"items": [], "next_cursor": None}
    _refresh(server, base)
    first = c.get(f"{base}/dictionary", headers=h, params={"limit": 3}).json()
    assert [t["table"] for t in first["items"]] == ["Album", "Artist", "Customer"]
    second = c.get(
        f"{base}/dictionary", headers=h, params={"limit": 3, "cursor": first["next_cursor"]}
    ).json()
    assert [t["table"] for t in second["items"]] == ["Employee", "Genre", "Invoice"]
    invoice = second["items"][2]
    assert {col["name"] for col in invoice["columns"]} >= {"InvoiceId", "Total"}

    desc = {"connection": "chinook", "table": "Invoice", "description": "One sale"}
    put = c.put(f"{base}/dictionary/descriptions", headers=h, json=desc)
    assert put.status_code == 200, put.text
    assert put.json()["description"] == "One sale" and put.json()["column"] == ""
    col = {**desc, "column": "Total", "description": "What the customer paid", "owner": "fin"}
    assert c.put(f"{base}/dictionary/descriptions", headers=h, json=col).json()["owner"] == "fin"
    ghost = {**desc, "connection": "ghost"}
    assert c.put(f"{base}/dictionary/descriptions", headers=h, json=ghost).status_code == 422
    viewer = server.h("viewer")
    assert c.put(f"{base}/dictionary/descriptions", headers=viewer, json=desc).status_code == 403

    term = {"name": "Revenue", "definition": "Money in", "synonyms": ["turnover"]}
    made = c.post(f"{base}/glossary", headers=h, json=term)
    assert made.status_code == 201, made.text
    assert c.post(f"{base}/glossary", headers=h, json=term).status_code == 409
    link = {"connection": "chinook", "table": "Invoice", "column": "Total"}
    url = f"{base}/glossary/term/links"
    assert c.post(url, headers=h, params={"name": "Revenue"}, json=link).json() == {"linked": True}
    missing = {**link, "column": "NoSuchColumn"}
    assert c.post(url, headers=h, params={"name": "Revenue"}, json=missing).status_code == 422
    page = c.get(f"{base}/glossary/term", headers=h, params={"name": "Revenue"}).json()
    [linked] = page["columns"]
    assert linked == {**link, "type": linked["type"], "description": "What the customer paid"}
    hits = c.get(f"{base}/dictionary/search", headers=h, params={"q": "turnover"}).json()
    assert ("chinook", "Invoice", "Total") in {
        (x["connection"], x["table"], x["column"]) for x in hits["items"]
    }
    changed = {"definition": "All money in", "status": "approved"}
    term_url, named = f"{base}/glossary/term", {"name": "Revenue"}
    etag = c.get(term_url, headers=h, params=named).headers["etag"]
    assert c.put(term_url, headers=h, params=named, json=changed).status_code == 428
    stale = c.put(term_url, headers={**h, "If-Match": '"0"'}, params=named, json=changed)
    assert stale.status_code == 409 and stale.json()["type"] == "/problems/stale-revision"
    put_term = c.put(term_url, headers={**h, "If-Match": etag}, params=named, json=changed)
    assert put_term.status_code == 200, put_term.text
    assert put_term.json()["status"] == "approved" and put_term.json()["links"] == [link]
    assert put_term.headers["etag"] != etag
    again = c.put(term_url, headers={**h, "If-Match": etag}, params=named, json=changed)
    assert again.status_code == 409  # based on the version before
    ghost_term = c.put(term_url, headers=h, params={"name": "Ghost"}, json=changed)
    assert ghost_term.status_code == 404
    # the form: renamed, its links exactly these
    invoice_id = {"connection": "chinook", "table": "Invoice", "column": "InvoiceId"}
    form = {**changed, "name": "Sales", "links": [link, invoice_id]}
    tagged = {**h, "If-Match": put_term.headers["etag"]}
    renamed = c.put(term_url, headers=tagged, params=named, json=form)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Sales"
    assert sorted(x["column"] for x in renamed.json()["links"]) == ["InvoiceId", "Total"]
    assert c.get(term_url, headers=h, params=named).status_code == 404
    back = {**changed, "name": "Revenue", "links": [link]}
    sales = {**h, "If-Match": renamed.headers["etag"]}
    assert c.put(term_url, headers=sales, params={"name": "Sales"}, json=back).status_code == 200
    missing_col = {**back, "links": [{**link, "column": "Nope"}]}
    etag_now = c.get(term_url, headers=h, params=named).headers["etag"]
    bad_link = c.put(term_url, headers={**h, "If-Match": etag_now}, params=named, json=missing_col)
    assert bad_link.status_code == 422
    listed = c.get(f"{base}/glossary", headers=h, params={"status": "approved"}).json()
    assert [t["name"] for t in listed["items"]] == ["Revenue"]
    gone = {"name": "Revenue", **link}
    assert c.delete(url, headers=h, params=gone).status_code == 204
    assert c.delete(url, headers=h, params=gone).status_code == 404
    assert c.delete(term_url, headers=h, params=named).status_code == 428
    etag = c.get(term_url, headers=h, params=named).headers["etag"]
    assert c.delete(term_url, headers={**h, "If-Match": etag}, params=named).status_code == 204
    assert c.get(f"{base}/glossary/term", headers=h, params=named).status_code == 404

    # the audit log has every change
    actions = [e["action"] for e in c.get("/api/v1/audit", headers=h).json()["items"]]
    assert "PUT /api/v1/projects/{project_id}/dictionary/descriptions" in actions
    assert "POST /api/v1/projects/{project_id}/glossary" in actions


def test_glossary_import_and_dictionary_export(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    _refresh(server, base)
    csv = (
        "name,definition,synonyms,status,links\n"
        "Revenue,Money in,turnover|sales,approved,chinook.Invoice.Total\n"
        "Customer,Who buys,,draft,\n"
    )
    url = f"{base}/glossary/import"
    typed = {**h, "Content-Type": "text/csv"}
    dry = c.post(url, headers=typed, content=csv, params={"dry_run": True})
    assert dry.status_code == 200, dry.text
    assert dry.json() == {
        "dry_run": True,
        "added": 2,
        "updated": 0,
        "terms": ["Revenue", "Customer"],
    }
    assert c.get(f"{base}/glossary", headers=h).json()["items"] == []
    assert c.post(url, headers=typed, content=csv).json()["added"] == 2
    page = c.get(f"{base}/glossary/term", headers=h, params={"name": "Revenue"}).json()
    assert [(x["table"], x["column"]) for x in page["columns"]] == [("Invoice", "Total")]
    bad = c.post(url, headers=typed, content="name,status\nX,final\n")
    assert bad.status_code == 422 and "line 2" in bad.json()["detail"]
    assert (
        c.post(
            url, headers={**server.h("viewer"), "Content-Type": "text/csv"}, content=csv
        ).status_code
        == 403
    )

    md = c.get(f"{base}/dictionary/export", headers=h)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "Invoice" in md.text and "Revenue" in md.text
    html = c.get(f"{base}/dictionary/export", headers=h, params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "<table" in html.text


def test_profile_values_of_tagged_columns_need_unmask(server: Server) -> None:
    """A stored profile's min and max of a column tagged as personal data are shown to a key
    with ``unmask`` only — in the dictionary and in its export; untagged ones to everyone."""
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    _refresh(server, base)
    tag = {"table": "Invoice", "column": "BillingCity", "tags": ["pii.address"]}
    assert c.post(f"{base}/connections/chinook/column-tags", headers=h, json=tag).is_success
    run = c.post(f"{base}/connections/chinook/profile-runs", headers=h, params={"table": "Invoice"})
    assert run.status_code == 202, run.text
    for _ in range(600):  # bounded: at most a minute
        status = c.get(run.json()["status_url"], headers=h).json()
        if status["status"] not in ("pending", "running"):
            break
        time.sleep(0.1)
    assert status["status"] == "succeeded", status
    server.key("reader", user="ana", name="reader", scopes=["read"])

    def invoice(who: dict[str, str]) -> dict[str, dict[str, object]]:
        items = c.get(f"{base}/dictionary", headers=who, params={"limit": 200}).json()["items"]
        [table] = [t for t in items if t["table"] == "Invoice"]
        return {col["name"]: col["profile"] for col in table["columns"]}

    clear, masked = invoice(h), invoice(server.h("reader"))
    assert clear["BillingCity"]["min"] and clear["BillingCity"]["max"]  # the admin key unmasks
    assert masked["BillingCity"]["min"] is None and masked["BillingCity"]["max"] is None
    assert masked["BillingCity"]["rows"] == clear["BillingCity"]["rows"]  # counts stay
    assert masked["Total"] == clear["Total"] and masked["Total"]["max"] is not None
    city = str(clear["BillingCity"]["min"])
    export = {"format": "md"}
    assert city in c.get(f"{base}/dictionary/export", headers=h, params=export).text
    assert (
        city
        not in c.get(f"{base}/dictionary/export", headers=server.h("reader"), params=export).text
    )


def test_another_organizations_dictionary_is_404(server: Server) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    _refresh(server, base)
    server.key("other", org="acme", user="eve", name="eve", scopes=["read", "write"], role="admin")
    eve, c = server.h("other"), server.client
    for url, params in (
        (f"{base}/dictionary", {}),
        (f"{base}/dictionary/search", {"q": "invoice"}),
        (f"{base}/glossary", {}),
        (f"{base}/lineage", {}),
        (f"{base}/pipeline/lineage", {"name": "revenue"}),
        (f"{base}/dictionary/export", {}),
    ):
        got = c.get(url, headers=eve, params=params)
        assert got.status_code == 404, (url, got.text)
    desc = {"connection": "chinook", "table": "Invoice", "description": "mine"}
    assert c.put(f"{base}/dictionary/descriptions", headers=eve, json=desc).status_code == 404
    term = {"name": "Stolen"}
    assert c.post(f"{base}/glossary", headers=eve, json=term).status_code == 404
    typed = {**eve, "Content-Type": "text/csv"}
    imported = c.post(f"{base}/glossary/import", headers=typed, content="name\nStolen\n")
    assert imported.status_code == 404
    assert c.get(f"{base}/glossary", headers=server.h()).json()["items"] == []
