"""Data-subject requests on the Chinook example (SQLite source, a sync to a SQLite copy, a
pipeline into a DuckDB warehouse): register, find by tags and lineage, export, erase,
suppression on the next runs, audit signatures."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services.gdpr import (
    GdprError,
    erase_subject,
    export_subject,
    find_subject,
    list_requests,
    register_request,
    set_table_policy,
    verify_audit,
)
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conftest import CHINOOK_SQLITE
from tests.gdpr.conftest import CUSTOMER, EMAIL, MemoryStore, copy_rows, warehouse

KEYS = [f"pii.email={EMAIL.upper()} ", f"id.customer={CUSTOMER}"]


def _source(sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(CHINOOK_SQLITE) as con:
        return con.execute(sql).fetchall()


def _run(project: Path, ws: Workspace) -> None:
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()


def test_find_counts_the_subject_in_every_table_a_sync_and_a_pipeline_wrote(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    _run(project, ws)
    request = register_request(project, "access", KEYS, workspace=ws)
    assert request.state == "open" and request.subject == ("pii.email=****", "id.customer=****")
    found = find_subject(project, request.id, workspace=ws)
    by_table = {(t.connection, t.table): t for t in found.tables}
    invoices = _source(f"SELECT count(*) FROM Invoice WHERE CustomerId = {CUSTOMER}")[0][0]
    assert {k: t.rows for k, t in by_table.items()} == {
        ("copy", "customer"): 1,
        ("copy", "invoice"): invoices,
        ("warehouse", "customer_revenue"): 1,
    }
    # lineage: the pipeline's table holds the e-mail (joined, grouped) and the id
    assert set(by_table["warehouse", "customer_revenue"].columns) == {
        "CustomerId (id.customer)",
        "Email (pii.email)",
    }
    assert by_table["copy", "invoice"].columns == ("CustomerId (id.customer)",)
    assert found.total == invoices + 2 and not found.problems
    assert list_requests(project, workspace=ws)[0].state == "in_progress"


def test_export_writes_the_subjects_rows_as_json_and_csv_in_one_zip(
    project: Path, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(project, ws)
    request = register_request(project, "portability", KEYS, workspace=ws)
    archive = tmp_path / "export" / "subject.zip"
    with pytest.raises(GdprError, match="unmask permission"):
        export_subject(project, request.id, archive, workspace=ws)
    assert not archive.exists()
    monkeypatch.setenv("CAUCE_UNMASK", "1")
    done = export_subject(project, request.id, archive, workspace=ws)
    assert done.request.state == "done"
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        customer = json.loads(z.read("copy/customer.json"))
        invoices = json.loads(z.read("copy/invoice.json"))
        csv_lines = z.read("copy/invoice.csv").decode().splitlines()
        revenue = json.loads(z.read("warehouse/customer_revenue.json"))
    assert names == {
        "manifest.json",
        *(
            f"{t}.{ext}"
            for t in ("copy/customer", "copy/invoice", "warehouse/customer_revenue")
            for ext in ("json", "csv")
        ),
    }
    # the rows, compared with the source's own
    source = _source(
        f"SELECT FirstName, LastName, Email FROM Customer WHERE CustomerId = {CUSTOMER}"
    )
    assert [(c["FirstName"], c["LastName"], c["Email"]) for c in customer] == source
    ids = _source(f"SELECT InvoiceId, Total FROM Invoice WHERE CustomerId = {CUSTOMER}")
    assert sorted((i["InvoiceId"], float(i["Total"])) for i in invoices) == sorted(ids)
    assert len(csv_lines) == len(ids) + 1 and csv_lines[0].startswith('"InvoiceId"')
    total = _source(f"SELECT round(sum(Total), 2) FROM Invoice WHERE CustomerId = {CUSTOMER}")
    assert [(r["Email"], round(float(r["Total"]), 2)) for r in revenue] == [(EMAIL, total[0][0])]
    assert {(t["connection"], t["table"], t["rows"]) for t in manifest["tables"]} == {
        ("copy", "customer", 1),
        ("copy", "invoice", len(ids)),
        ("warehouse", "customer_revenue", 1),
    }
    # the request is done: its keys' values are forgotten, and it cannot export again
    with pytest.raises(GdprError, match="forgotten"):
        export_subject(project, request.id, archive, workspace=ws)


def _subject_rows(tmp_path: Path) -> tuple[int, int, int]:
    return (
        copy_rows(tmp_path, f"SELECT count(*) FROM customer WHERE CustomerId = {CUSTOMER}")[0][0],
        copy_rows(tmp_path, f"SELECT count(*) FROM invoice WHERE CustomerId = {CUSTOMER}")[0][0],
        warehouse(tmp_path, f"SELECT count(*) FROM customer_revenue WHERE Email = '{EMAIL}'")[0][0],
    )


def test_erasure_removes_the_subject_everywhere_and_the_next_run_leaves_them_out(
    project: Path, ws: Workspace, tmp_path: Path, store: MemoryStore
) -> None:
    _run(project, ws)
    others = copy_rows(tmp_path, "SELECT count(*) FROM customer")[0][0] - 1
    request = register_request(project, "erasure", KEYS, workspace=ws)
    lines: list[str] = []
    done = erase_subject(project, request.id, workspace=ws, on_progress=lines.append)
    assert done.ok and done.request.state == "done" and not done.remaining
    assert _subject_rows(tmp_path) == (0, 0, 0)
    assert copy_rows(tmp_path, "SELECT count(*) FROM customer")[0][0] == others
    assert {d["connection"] for d in done.databases} == {"copy", "warehouse"}
    assert lines[0].startswith("copy: erasing") and lines[-1] == "warehouse: done"
    assert done.suppressed == 2
    # the syncs and the pipeline run again from the untouched source: the subject stays out
    _run(project, ws)
    assert _subject_rows(tmp_path) == (0, 0, 0)
    assert copy_rows(tmp_path, "SELECT count(*) FROM customer")[0][0] == others
    assert warehouse(tmp_path, "SELECT count(*) FROM customer_revenue")[0][0] == others
    columns = [r[0] for r in warehouse(tmp_path, "DESCRIBE customer_revenue")]
    assert columns == ["CustomerId", "Email", "FirstName", "Total"]  # nothing added by the filter
    # the metadata DB keeps hashes only: the e-mail is in no row of it, the key in no row
    raw = (tmp_path / "meta.db").read_bytes()
    assert EMAIL.encode() not in raw and EMAIL.upper().encode() not in raw
    key = next(v for k, v in store.values.items() if k.endswith("gdpr_key"))
    assert key.encode() not in raw
    assert verify_audit(project, workspace=ws).ok


def test_an_anonymising_table_keeps_the_rows_without_the_personal_columns(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    _run(project, ws)
    invoices = copy_rows(tmp_path, "SELECT count(*) FROM invoice")[0][0]
    mine = copy_rows(tmp_path, f"SELECT count(*) FROM invoice WHERE CustomerId = {CUSTOMER}")
    set_table_policy(project, "copy", "invoice", "anonymise", workspace=ws)
    request = register_request(project, "erasure", KEYS, workspace=ws)
    assert erase_subject(project, request.id, workspace=ws).ok
    blank = "SELECT count(*) FROM invoice WHERE CustomerId IS NULL AND BillingAddress IS NULL"
    for _round in range(2):  # after the erasure, and after the next full sync
        assert copy_rows(tmp_path, "SELECT count(*) FROM invoice")[0][0] == invoices
        assert copy_rows(tmp_path, blank) == mine
        assert _subject_rows(tmp_path) == (0, 0, 0)
        _run(project, ws)


def test_a_request_is_due_in_one_month_and_overdue_after(project: Path, ws: Workspace) -> None:
    old = datetime(2026, 1, 31, 10, tzinfo=UTC)
    request = register_request(project, "access", KEYS, workspace=ws, now=old)
    assert request.due_at == datetime(2026, 2, 28, 10, tzinfo=UTC)
    assert list_requests(project, workspace=ws)[0].state == "overdue"
    fresh = register_request(project, "rectification", KEYS, workspace=ws)
    assert fresh.due_at - fresh.created_at in (timedelta(days=d) for d in (28, 29, 30, 31))
    assert [r.state for r in list_requests(project, workspace=ws)] == ["open", "overdue"]
    with pytest.raises(GdprError, match="TAG=VALUE"):
        register_request(project, "access", ["ana@example.com"], workspace=ws)
    with pytest.raises(GdprError, match="unknown request kind"):
        register_request(project, "forget", KEYS, workspace=ws)
    with pytest.raises(GdprError, match="only erasure requests erase"):
        erase_subject(project, request.id, workspace=ws)


def _meta(tmp_path: Path, *sql: str) -> None:
    with sqlite3.connect(tmp_path / "meta.db") as con:
        for statement in sql:
            con.execute(statement)


def test_verify_detects_an_altered_a_deleted_and_a_forged_audit_entry(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    from app.services.gdpr import audit_trail, close_request

    _run(project, ws)
    erasure = register_request(project, "erasure", KEYS, workspace=ws)
    assert erase_subject(project, erasure.id, workspace=ws).ok
    fix = register_request(project, "rectification", KEYS, workspace=ws)
    close_request(project, fix.id, "address corrected in the CRM", workspace=ws)
    entries = audit_trail(project, workspace=ws)
    assert [e.action for e in entries] == ["registered", "erased", "registered", "closed"]
    erased = entries[1].details
    assert {(d["connection"], d["done"]) for d in erased["databases"]} == {
        ("copy", True),
        ("warehouse", True),
    }
    rows = {t["table"]: t["rows"] for d in erased["databases"] for t in d["tables"]}
    assert rows["customer"] == 1 and rows["customer_revenue"] == 1 and rows["invoice"] > 1
    assert EMAIL not in json.dumps([e.details for e in entries])  # hashes only
    check = verify_audit(project, workspace=ws)
    assert check.ok and check.entries == 4

    # a row count lowered after the fact
    _meta(
        tmp_path,
        "UPDATE gdpr_audit SET details = replace(details, '\"rows\": 1', "
        "'\"rows\": 0') WHERE seq = 2",
    )
    problems = verify_audit(project, workspace=ws).problems
    assert len(problems) == 1 and problems[0].startswith("entry 2 (erased)")

    # put back, then an entry deleted: the next one no longer follows
    _meta(
        tmp_path,
        "UPDATE gdpr_audit SET details = replace(details, '\"rows\": 0', "
        "'\"rows\": 1') WHERE seq = 2",
    )
    assert verify_audit(project, workspace=ws).ok
    _meta(tmp_path, "DELETE FROM gdpr_audit WHERE seq = 4")
    problems = verify_audit(project, workspace=ws).problems
    assert list(problems) == [f"request #{fix.id} is done but the audit does not say how"]

    # an entry written by someone without the key
    _meta(
        tmp_path,
        "INSERT INTO gdpr_audit (organization_id, project_id, seq, request_id, at, actor, "
        "action, details, signature) SELECT organization_id, project_id, 4, request_id, at, "
        "'mallory', 'closed', '{\"note\": \"done\"}', '" + "0" * 64 + "' FROM gdpr_audit "
        "WHERE seq = 3",
    )
    problems = verify_audit(project, workspace=ws).problems
    assert list(problems) == [
        "entry 4 (closed): its signature does not match: it was altered, or an entry before it was"
    ]

    # an entry in the middle deleted: the chain breaks there
    _meta(tmp_path, "DELETE FROM gdpr_audit WHERE seq = 4", "DELETE FROM gdpr_audit WHERE seq = 2")
    problems = verify_audit(project, workspace=ws).problems
    assert problems[0] == "entry 3: expected entry 2 (entries missing)"
    assert any(p.startswith("entry 3 (registered): its signature does not match") for p in problems)
