"""The data dictionary of the Chinook example on SQLite and PostgreSQL metadata DBs: every
catalogued table and column (checked against the databases' own catalogs), descriptions that
survive a refresh, tags, glossary terms, profile summaries and scores, and search."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from app.cli import cli
from app.services import dictionary as service
from app.services.glossary import add_term, link_term
from app.services.privacy import set_tags
from app.services.workspace import Workspace
from app.storage.project_format import ProjectError

MART = "main.revenue_by_country_genre_year"


def _sqlite_catalog(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def test_every_catalogued_table_and_column_is_listed(chinook: Path, catalogued: Workspace) -> None:
    found = service.load_dictionary(chinook, workspace=catalogued)
    listed = {(t.connection, t.qualified): [c.name for c in t.columns] for t in found.tables}
    expected = {
        ("chinook", t): cols
        for t, cols in _sqlite_catalog(chinook / "data" / "chinook.sqlite").items()
    }
    with duckdb.connect(str(chinook.parent / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        for schema, table in con.sql(
            "SELECT table_schema, table_name FROM information_schema.tables"
        ).fetchall():
            expected[("warehouse", f"{schema}.{table}")] = [
                r[0]
                for r in con.sql(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    params=[table],
                ).fetchall()
            ]
    assert listed == expected
    invoice = found.table("chinook", "Invoice")
    assert invoice.column("InvoiceId").pk_position == 1
    assert invoice.column("total").type == "decimal(10,2)"
    assert found.table("warehouse", "revenue_by_country_genre_year").qualified == MART


def test_descriptions_and_owners_survive_a_catalog_refresh(
    chinook: Path, catalogued: Workspace
) -> None:
    service.set_description(
        chinook,
        "chinook",
        "Invoice",
        description="One sale",
        owner="sales-ops",
        workspace=catalogued,
    )
    service.set_description(
        chinook,
        "chinook",
        "invoice",
        "TOTAL",
        description="Billed, taxes included",
        workspace=catalogued,
    )
    service.set_description(chinook, "chinook", "Invoice", owner="finance", workspace=catalogued)
    service.refresh_catalogs(chinook, ["chinook"], workspace=catalogued)
    invoice = service.load_dictionary(chinook, workspace=catalogued).table("chinook", "Invoice")
    assert (invoice.description, invoice.owner) == ("One sale", "finance")
    assert invoice.column("Total").description == "Billed, taxes included"
    cleared = service.set_description(
        chinook, "chinook", "Invoice", "Total", description="", workspace=catalogued
    )
    assert cleared is None  # nothing left to keep
    invoice = service.load_dictionary(chinook, workspace=catalogued).table("chinook", "Invoice")
    assert invoice.column("Total").description == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"connection": "crm"}, "no such connection 'crm'"),
        ({"description": "a\x00b"}, "chinook.Invoice: description: holds a control character"),
        ({"owner": "x" * 201}, "chinook.Invoice: owner: String should have at most 200 char"),
        ({"table": " "}, "chinook: table: cannot be blank"),
    ],
)
def test_a_bad_description_is_refused_naming_the_field(
    chinook: Path, sqlite_meta: str, kwargs: dict[str, str], message: str
) -> None:
    args = {"connection": "chinook", "table": "Invoice", "description": "ok"} | kwargs
    with pytest.raises(ProjectError, match=message):
        service.set_description(
            chinook,
            args.pop("connection"),
            args.pop("table"),
            workspace=Workspace.open(sqlite_meta),
            **args,
        )


def _glossary(chinook: Path, ws: Workspace) -> None:
    add_term(
        chinook,
        "Revenue",
        definition="Money received for tracks sold, taxes included",
        synonyms=["turnover", "facturación"],
        owner="finance",
        status="approved",
        workspace=ws,
    )
    link_term(chinook, "revenue", "warehouse", MART, "Revenue", workspace=ws)
    link_term(chinook, "Revenue", "chinook", "Invoice", "Total", workspace=ws)


def test_search_finds_a_column_by_a_glossary_synonym(chinook: Path, catalogued: Workspace) -> None:
    _glossary(chinook, catalogued)
    found = service.load_dictionary(chinook, workspace=catalogued)
    assert found.table("warehouse", MART).column("Revenue").terms == ["Revenue"]
    hits = service.search(found, "turnover")
    assert [(h.connection, h.table, h.column) for h in hits] == [
        ("chinook", "Invoice", "Total"),
        ("warehouse", MART, "Revenue"),
    ]
    assert hits[0].matched == ("term Revenue (synonym turnover)",)
    # accents and case folded: the synonym "facturación" is found as "FACTURACION"
    assert [h.column for h in service.search(found, "FACTURACION")] == ["Total", "Revenue"]


def test_search_ranks_names_and_needs_every_word(chinook: Path, catalogued: Workspace) -> None:
    service.set_description(
        chinook,
        "chinook",
        "Customer",
        "SupportRepId",
        description="The employee who helps",
        workspace=catalogued,
    )
    found = service.load_dictionary(chinook, workspace=catalogued)
    # a camelCase part of a column's name ("Date" in InvoiceDate, BirthDate, HireDate)
    dates = service.search(found, "date")
    assert {h.column for h in dates} == {"InvoiceDate", "BirthDate", "HireDate"}
    # every word must match: "invoice date" is Invoice's InvoiceDate, not Employee's HireDate
    assert [(h.table, h.column) for h in service.search(found, "invoice date")] == [
        ("Invoice", "InvoiceDate")
    ]
    # a description, and a table by its name (a plural query finds the singular)
    assert [h.column for h in service.search(found, "employee helps")] == ["SupportRepId"]
    customers = service.search(found, "customers")
    assert (customers[0].table, customers[0].column) == ("Customer", "")
    assert service.search(found, "zzz") == []
    assert service.search(found, "  ") == []


def test_tags_profile_summary_and_score(
    chinook: Path, catalogued: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.profile_history import store_profile
    from app.services.profiling import profile_project_table

    set_tags(chinook, "chinook", "Customer", "Email", ["pii.email"], workspace=catalogued)
    monkeypatch.setenv("CAUCE_UNMASK", "1")  # the profile is stored with clear values
    for table in ("Invoice", "Customer"):
        profile = profile_project_table(chinook, "chinook", table)
        stored = store_profile("chinook", "chinook", profile, workspace=catalogued)
    monkeypatch.delenv("CAUCE_UNMASK")
    found = service.load_dictionary(chinook, workspace=catalogued)
    invoice = found.table("chinook", "Invoice")
    assert invoice.score is not None and 0 <= invoice.score <= 100
    with sqlite3.connect(chinook / "data" / "chinook.sqlite") as con:
        rows, nulls, distinct, low, high = con.execute(
            "SELECT COUNT(*), COUNT(*) - COUNT(BillingState), COUNT(DISTINCT BillingState), "
            "MIN(BillingState), MAX(BillingState) FROM Invoice"
        ).fetchone()
    state = invoice.column("BillingState").profile
    assert state is not None
    assert (state.rows, state.nulls, state.distinct, state.min, state.max) == (
        rows,
        nulls,
        distinct,
        low,
        high,
    )
    assert state.null_share == pytest.approx(nulls / rows)
    customer = found.table("chinook", "Customer")
    assert customer.score == stored.score.score
    email = customer.column("Email")
    assert email.tags == ["pii.email"]
    assert email.profile is not None and email.profile.rows == 59
    assert (email.profile.min, email.profile.max) == (None, None)  # tagged: masked
    monkeypatch.setenv("CAUCE_UNMASK", "1")
    shown = service.load_dictionary(chinook, workspace=catalogued)
    assert "@" in (shown.table("chinook", "Customer").column("Email").profile.min or "")


def test_cli_lists_searches_and_describes(chinook: Path, catalogued: Workspace) -> None:
    _glossary(chinook, catalogued)
    db = catalogued.db_url
    run = CliRunner().invoke
    result = run(cli, ["--db", db, "dictionary", str(chinook), "--search", "turnover", "--json"])
    assert result.exit_code == 0, result.output
    assert [(h["kind"], h["column"]) for h in json.loads(result.output)] == [
        ("column", "Total"),
        ("column", "Revenue"),
    ]
    result = run(
        cli,
        [
            "--db", db, "dictionary", str(chinook), "-c", "chinook", "-t", "Track",
            "--column", "Composer", "--description", "Who wrote it",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(cli, ["--db", db, "dictionary", str(chinook)])
    assert "  Composer  string  — Who wrote it" in result.output
    assert "  Revenue  decimal(38,2)  — terms: Revenue" in result.output
    result = run(cli, ["--db", db, "dictionary", str(chinook), "-t", "Track"])
    assert result.exit_code == 2
    assert "go with --description or --owner" in result.output


def test_an_empty_catalog_says_how_to_read_it(chinook: Path, sqlite_meta: str) -> None:
    result = CliRunner().invoke(cli, ["--db", sqlite_meta, "dictionary", str(chinook)])
    assert result.exit_code == 0
    assert "the catalog is empty: read it with `cauce dictionary" in result.output
