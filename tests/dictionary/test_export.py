"""The dictionary exported as Markdown and as HTML: every table and column, descriptions,
terms and lineage, and whatever users typed escaped (a description is never markup)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from app.cli import cli
from app.services.dictionary import load_dictionary, set_description
from app.services.dictionary_export import export_dictionary
from app.services.glossary import add_term, link_term
from app.services.lineage import project_lineage
from app.services.workspace import Workspace

MART = "main.revenue_by_country_genre_year"
HOSTILE = 'Billed | taxed <script>alert("x")</script> *now* [link](javascript:x)\n- item'


def _describe(chinook: Path, ws: Workspace) -> None:
    set_description(chinook, "chinook", "Invoice", "Total", description=HOSTILE, workspace=ws)
    set_description(
        chinook, "chinook", "Invoice", description="One sale", owner="ops", workspace=ws
    )
    add_term(chinook, "Revenue", definition="Money in", synonyms=["turnover"], workspace=ws)
    link_term(chinook, "Revenue", "warehouse", MART, "Revenue", workspace=ws)


class _Cells(HTMLParser):
    """The tags and the text of each table cell of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_html_export_shows_everything_and_runs_nothing(
    chinook: Path, catalogued: Workspace
) -> None:
    _describe(chinook, catalogued)
    dictionary = load_dictionary(chinook, workspace=catalogued)
    page = export_dictionary(
        dictionary, "html", lineage=project_lineage(chinook, workspace=catalogued)
    )
    parsed = _Cells()
    parsed.feed(page)
    assert "script" not in parsed.tags and "a" in parsed.tags  # only the contents' links
    columns = sum(len(t.columns) for t in dictionary.tables)
    assert len(parsed.rows) == columns + len(dictionary.tables)  # a header row per table
    assert all(len(r) == 7 for r in parsed.rows)
    by_column = {r[0]: r for r in parsed.rows}
    assert by_column["Total"][2] == HOSTILE  # shown as typed, as text
    assert by_column["Revenue"][4] == "Revenue"
    assert by_column["Revenue"][6] == (
        "from chinook.InvoiceLine.UnitPrice, chinook.InvoiceLine.Quantity (revenue)"
    )
    assert by_column["Quantity"][6] == (
        "to warehouse.revenue_by_country_genre_year.Revenue (revenue)"
        "to warehouse.revenue_by_country_genre_year.Units (revenue)"
    )
    assert "read by pipeline revenue (invoices)" in page
    assert "<h3>Revenue (draft)</h3>" in page


def _cells(line: str) -> list[str]:
    """A Markdown table row split at its unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def test_markdown_export_keeps_its_tables_whole(chinook: Path, catalogued: Workspace) -> None:
    _describe(chinook, catalogued)
    dictionary = load_dictionary(chinook, workspace=catalogued)
    text = export_dictionary(
        dictionary,
        "md",
        lineage=project_lineage(chinook, workspace=catalogued),
        generated=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
    )
    lines = text.splitlines()
    assert lines[0] == "# Data dictionary: chinook"
    assert lines[2] == (
        "12 table(s), 70 column(s), 1 glossary term(s); generated 2026-01-02 03:04 UTC."
    )
    rows = [_cells(line) for line in lines if line.startswith("| ") and "---" not in line]
    assert all(len(r) == 7 for r in rows)
    assert len(rows) == 70 + 12
    [total] = [r for r in rows if r[0] == "Total"]
    assert total[2] == (
        r'Billed \| taxed \<script\>alert("x")\</script\> \*now\* \[link\](javascript:x) - item'
    )
    assert "## chinook · Invoice" in lines
    assert "One sale" in lines and "table, owner: ops" in lines
    assert "### Revenue (draft)" in lines
    assert f"- warehouse.{MART.replace('_', chr(92) + '_')}.Revenue" in lines


def test_cli_exports_to_a_file(chinook: Path, catalogued: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "dictionary.html"
    result = CliRunner().invoke(
        cli,
        ["--db", catalogued.db_url, "dictionary", str(chinook), "--export", "html", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(
        cli, ["--db", catalogued.db_url, "dictionary", str(chinook), "--export", "md"]
    )
    assert result.output.startswith("# Data dictionary: chinook\n")
    result = CliRunner().invoke(
        cli, ["--db", catalogued.db_url, "dictionary", str(chinook), "--export", "pdf"]
    )
    assert result.exit_code == 2
    assert "'pdf' is not one of 'md', 'html'" in result.output
