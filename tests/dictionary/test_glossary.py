"""The business glossary: terms, synonyms, owners and status; links to the columns that carry
them (checked against the catalog); a term's page; CSV import, all or nothing, every bad line
named."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.services import glossary
from app.services.errors import CONFLICTS, NOT_FOUND
from app.services.workspace import Workspace
from app.storage.project_format import ProjectError

MART = "main.revenue_by_country_genre_year"


def test_terms_are_added_updated_linked_shown_and_removed(
    chinook: Path, catalogued: Workspace
) -> None:
    ws = catalogued
    glossary.add_term(
        chinook, "Revenue", definition="Money in", synonyms=["turnover"], workspace=ws
    )
    with pytest.raises(CONFLICTS, match="already has a term 'Revenue'"):
        glossary.add_term(chinook, "revenue", workspace=ws)
    glossary.add_term(
        chinook,
        "Revenue",
        definition="Money received for tracks sold",
        synonyms=["turnover", "sales"],
        owner="finance",
        status="approved",
        update=True,
        workspace=ws,
    )
    assert glossary.link_term(chinook, "Revenue", "warehouse", MART, "revenue", workspace=ws)
    assert not glossary.link_term(chinook, "REVENUE", "warehouse", MART, "Revenue", workspace=ws)
    assert glossary.link_term(chinook, "Revenue", "chinook", "Invoice", "Total", workspace=ws)
    glossary.add_term(chinook, "Customer", workspace=ws)
    assert [t.name for t in glossary.list_terms(chinook, workspace=ws)] == ["Customer", "Revenue"]
    assert [t.name for t in glossary.list_terms(chinook, status="approved", workspace=ws)] == [
        "Revenue"
    ]
    page = glossary.show_term(chinook, "revenue", workspace=ws)
    assert page.term.synonyms == ["turnover", "sales"]
    assert (page.term.owner, page.term.status) == ("finance", "approved")
    assert [(str(c.ref), c.type) for c in page.columns] == [
        ("chinook.Invoice.Total", "decimal(10,2)"),
        (f"warehouse.{MART}.revenue", "decimal(38,2)"),
    ]
    assert glossary.unlink_term(chinook, "Revenue", "chinook", "invoice", "TOTAL", workspace=ws)
    assert not glossary.unlink_term(chinook, "Revenue", "chinook", "Invoice", "Total", workspace=ws)
    glossary.remove_term(chinook, "Customer", workspace=ws)
    with pytest.raises(NOT_FOUND, match="no glossary term 'Customer'"):
        glossary.show_term(chinook, "Customer", workspace=ws)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (("crm", "Invoice", "Total"), "no connection 'crm' in the project"),
        (("chinook", "Invoices", "Total"), "the catalog of 'chinook' has no table 'Invoices'"),
        (("chinook", "Invoice", "Totl"), "table 'Invoice' has no column 'Totl'"),
    ],
)
def test_a_link_to_a_column_that_does_not_exist_is_refused(
    chinook: Path, catalogued: Workspace, where: tuple[str, str, str], message: str
) -> None:
    glossary.add_term(chinook, "Revenue", workspace=catalogued)
    with pytest.raises(ProjectError, match=message):
        glossary.link_term(chinook, "Revenue", *where, workspace=catalogued)
    assert glossary.list_terms(chinook, workspace=catalogued)[0].links == []


def test_a_renamed_term_keeps_its_place_and_refuses_a_taken_name(
    chinook: Path, sqlite_meta: str
) -> None:
    ws = Workspace.open(sqlite_meta)
    glossary.add_term(chinook, "Revenue", synonyms=["turnover"], workspace=ws)
    glossary.add_term(chinook, "Margin", workspace=ws)
    [term] = [t for t in glossary.list_terms(chinook, workspace=ws) if t.name == "Revenue"]
    renamed = term.model_copy(update={"name": "Net revenue"})
    glossary.save_term(chinook, renamed, old_name="Revenue", workspace=ws)
    assert [t.name for t in glossary.list_terms(chinook, workspace=ws)] == ["Margin", "Net revenue"]
    with pytest.raises(CONFLICTS, match="already has a term 'Margin'"):
        glossary.save_term(
            chinook,
            renamed.model_copy(update={"name": "margin"}),
            old_name="Net revenue",
            workspace=ws,
        )
    assert glossary.show_term(chinook, "Net revenue", workspace=ws).term.synonyms == ["turnover"]


GOOD_CSV = (
    "name,definition,synonyms,owner,status,links\n"
    'Revenue,"Money received, taxes included",turnover|sales,finance,approved,'
    "warehouse.main.revenue_by_country_genre_year.Revenue|chinook.Invoice.Total\n"
    "Customer,Someone who bought a track,client|buyer,,draft,chinook.Customer.CustomerId\n"
    "\n"
    'Genre,"A style of music,\nas the store files it",,,,\n'
)


def test_terms_are_imported_from_csv(chinook: Path, catalogued: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "terms.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    report = glossary.import_terms_csv(chinook, source, dry_run=True, workspace=catalogued)
    assert (report.added, report.updated, report.dry_run) == (3, 0, True)
    assert glossary.list_terms(chinook, workspace=catalogued) == []  # a dry run stores nothing
    report = glossary.import_terms_csv(chinook, source, workspace=catalogued)
    assert (report.added, report.updated) == (3, 0)
    terms = {t.name: t for t in glossary.list_terms(chinook, workspace=catalogued)}
    assert sorted(terms) == ["Customer", "Genre", "Revenue"]
    revenue = terms["Revenue"]
    assert revenue.definition == "Money received, taxes included"
    assert (revenue.synonyms, revenue.owner, revenue.status) == (
        ["turnover", "sales"],
        "finance",
        "approved",
    )
    assert [str(r) for r in revenue.links] == [
        "chinook.Invoice.Total",
        f"warehouse.{MART}.Revenue",
    ]
    assert terms["Genre"].definition == "A style of music,\nas the store files it"
    assert terms["Customer"].status == "draft"
    # importing again updates (links are added to, never dropped)
    report = glossary.import_terms_csv(chinook, source, workspace=catalogued)
    assert (report.added, report.updated) == (0, 3)
    assert len(glossary.show_term(chinook, "Revenue", workspace=catalogued).columns) == 2


def test_a_semicolon_csv_from_a_spreadsheet_with_a_byte_order_mark(
    chinook: Path, sqlite_meta: str, tmp_path: Path
) -> None:
    source = tmp_path / "términos.csv"
    source.write_bytes(
        "\ufeffName;Definition;Synonyms\r\nIngresos;Dinero cobrado;facturación|ventas\r\n".encode()
    )
    ws = Workspace.open(sqlite_meta)
    glossary.import_terms_csv(chinook, source, workspace=ws)
    [term] = glossary.list_terms(chinook, workspace=ws)
    assert (term.name, term.definition, term.synonyms) == (
        "Ingresos",
        "Dinero cobrado",
        ["facturación", "ventas"],
    )


BAD_CSV = (
    "name,definition,status,links\n"
    "Revenue,Money in,approved,\n"
    "Margin,Revenue less costs,final,\n"
    "Customer,Someone,draft,chinook.Customer\n"
    "revenue,Twice,draft,\n"
    ",No name,draft,\n"
    "Track,A song,draft,chinook.Track.Nope\n"
)


def test_a_csv_with_bad_lines_names_each_one_and_stores_nothing(
    chinook: Path, catalogued: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "terms.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        glossary.import_terms_csv(chinook, source, workspace=catalogued)
    message = str(caught.value)
    assert message.startswith("terms.csv: ")
    assert "line 3: status: Input should be 'draft' or 'approved'" in message
    assert "line 4: link 'chinook.Customer' is not connection.table.column" in message
    assert "line 5: term 'revenue' is already on line 2" in message
    assert "line 6: name: cannot be blank" in message
    assert "line 2" not in message.replace("already on line 2", "")  # a good line is not blamed
    assert glossary.list_terms(chinook, workspace=catalogued) == []
    # the lines that parse are then checked against the catalog, each named
    source.write_text(BAD_CSV.splitlines()[0] + "\n" + BAD_CSV.splitlines()[-1] + "\n")
    with pytest.raises(ProjectError, match="line 2: link chinook.Track.Nope: table 'Track' has"):
        glossary.import_terms_csv(chinook, source, workspace=catalogued)
    assert glossary.list_terms(chinook, workspace=catalogued) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "line 1: empty: the first line must name the columns"),
        (b"term,definition\nx,y\n", "line 1: unknown column 'term' (the columns are name, "),
        (b"definition\ny\n", "line 1: a column 'name' is required"),
        (b"name,name\nx,y\n", "line 1: column 'name' appears twice"),
        (b"name\nok\nCaf\xe9\n", "line 3: not UTF-8 text"),
        (b"name,definition\nx,y,z\n", "line 2: 3 fields, but the first line names 2"),
    ],
)
def test_a_malformed_csv_is_refused_naming_the_line(
    chinook: Path, sqlite_meta: str, tmp_path: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "t.csv"
    source.write_bytes(content)
    with pytest.raises(ProjectError) as caught:
        glossary.import_terms_csv(chinook, source, workspace=Workspace.open(sqlite_meta))
    assert message in str(caught.value)


def test_glossary_cli(chinook: Path, catalogued: Workspace, tmp_path: Path) -> None:
    db = catalogued.db_url
    run = CliRunner().invoke
    project = str(chinook)
    result = run(
        cli,
        [
            "--db", db, "glossary", "add", project, "Revenue", "-d", "Money in",
            "-s", "turnover", "--owner", "finance", "--status", "approved",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "Revenue (turnover)\tapproved\tfinance\t0 column(s)\n"
    result = run(
        cli,
        [
            "--db", db, "glossary", "link", project, "Revenue", "-c", "warehouse",
            "-t", MART, "--column", "Revenue",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(cli, ["--db", db, "glossary", "show", project, "Revenue"])
    assert result.output.splitlines() == [
        "Revenue (approved)",
        "  definition: Money in",
        "  synonyms: turnover",
        "  owner: finance",
        "  columns:",
        f"    warehouse.{MART}.Revenue  decimal(38,2)",
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    result = run(cli, ["--db", db, "glossary", "import", project, str(bad)])
    assert result.exit_code == 2
    assert "error: bad.csv: line 3: status:" in result.output
    result = run(cli, ["--db", db, "glossary", "list", project])
    assert result.output.splitlines() == ["Revenue (turnover)\tapproved\tfinance\t1 column(s)"]
    result = run(cli, ["--db", db, "glossary", "show", project, "Margin"])
    assert result.exit_code == 2
    assert "no glossary term 'Margin'" in result.output
