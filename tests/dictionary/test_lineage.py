"""Lineage of the Chinook example: exact (a golden file of every written column's trace),
checked against sqlglot's lineage of the whole destination query, and the project-wide
lineage the dictionary shows (pipelines and syncs, table and column level)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlglot import exp
from sqlglot.lineage import lineage

from app.cli import cli
from app.services.lineage import pipeline_lineage, project_lineage
from app.services.workspace import Workspace
from tests.dictionary.conftest import run_and_read_catalogs

GOLDEN = Path(__file__).parent / "golden" / "chinook_revenue_lineage.json"

#: read off the pipeline by hand: what each column of the mart is computed from
BY_HAND = {
    "Country": ["chinook.Invoice.BillingCountry"],
    # the lookup's value: the Name of the matched Genre row, 'Unknown' when GenreId is NULL
    "Genre": ["chinook.Genre.GenreId", "chinook.Genre.Name"],
    "Year": ["chinook.Invoice.InvoiceDate"],
    # UnitPrice of the invoice line, not of the track (the join renames Track's UnitPrice_track)
    "Revenue": ["chinook.InvoiceLine.UnitPrice", "chinook.InvoiceLine.Quantity"],
    "Units": ["chinook.InvoiceLine.Quantity"],
    "Invoices": ["chinook.InvoiceLine.InvoiceId"],
}


def _cli(*args: str, db: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    return result.exit_code, result.output


def test_chinook_lineage_matches_the_golden_file(chinook: Path, sqlite_meta: str) -> None:
    code, out = _cli("lineage", str(chinook), "--pipeline", "revenue", "--json", db=sqlite_meta)
    assert code == 0, out
    found = json.loads(out)
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))
    [mart] = found["destinations"]
    assert (mart["connection"], mart["table"]) == ("warehouse", "revenue_by_country_genre_year")
    assert {c["column"]: c["sources"] for c in mart["columns"]} == BY_HAND


def test_golden_sources_agree_with_sqlglot_over_the_whole_query(chinook: Path) -> None:
    """Another way: sqlglot's lineage over the destination's one ``WITH … SELECT`` (every
    CTE at once), not node by node as the tracer does, reaches the same source columns."""
    from app.connectors.registry import connector_registry
    from app.engine.compiler import compile_pipeline
    from app.engine.compiler.binders import table_binder
    from app.storage.project import load_project

    with load_project(chinook) as opened:
        sqlite = connector_registry().get("sqlite")
        connector = sqlite(sqlite.Config(path=str(chinook / "data" / "chinook.sqlite")))
        pipeline = opened.project.pipelines["revenue"]
        tables = ("Invoice", "InvoiceLine", "Track", "Genre")
        schemas = {t: connector.table_schema(t) for t in tables}
        connector.close()
    compiled = compile_pipeline(pipeline, binder=table_binder(lambda n, p: schemas[p.table]))
    [dest] = compiled.destinations
    sql_schema = {t: {f.name: "VARCHAR" for f in s} for t, s in schemas.items()}
    golden = {
        c["column"]: c["sources"]
        for c in json.loads(GOLDEN.read_text(encoding="utf-8"))["destinations"][0]["columns"]
    }
    assert list(golden) == dest.schema.names
    for column, sources in golden.items():
        root = lineage(column, dest.query, schema=sql_schema, dialect="duckdb")
        leaves = {
            f"{leaf.expression.name}.{leaf.name.rsplit('.', 1)[-1].strip(chr(34))}".casefold()
            for leaf in root.walk()
            if isinstance(leaf.expression, exp.Table)
        }
        assert leaves == {s.removeprefix("chinook.").casefold() for s in sources}, column


def test_lineage_text_of_one_column_and_of_one_node(chinook: Path, sqlite_meta: str) -> None:
    code, out = _cli(
        "lineage", str(chinook), "-p", "revenue", "--column", "revenue", db=sqlite_meta
    )
    assert code == 0, out
    assert out.splitlines() == [
        "pipeline revenue: reads chinook.Genre, chinook.InvoiceLine, chinook.Invoice, "
        "chinook.Track",
        "writes warehouse.revenue_by_country_genre_year (mart)",
        "  Revenue  <-  chinook.InvoiceLine.UnitPrice, chinook.InvoiceLine.Quantity",
        "    Revenue = CAST(SUM(Amount) AS DECIMAL(38, 2))   [by_country_genre_year]",
        "      Amount = UnitPrice * Quantity   [amounts]",
        "        InvoiceLine.UnitPrice   [invoice_lines]",
        "        InvoiceLine.Quantity   [invoice_lines]",
    ]
    code, out = _cli(
        "lineage", str(chinook), "-p", "revenue", "--column", "amounts.Year", db=sqlite_meta
    )
    assert code == 0, out
    assert out.splitlines()[1:] == [
        "amounts.Year",
        "  Year = YEAR(InvoiceDate)   [amounts]",
        "    Invoice.InvoiceDate   [invoices]",
    ]


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("Turnover", "no destination of pipeline 'revenue' writes a column 'Turnover'"),
        ("amounts.Nope", "node 'amounts' has no column 'Nope'"),
    ],
)
def test_an_unknown_column_is_refused_naming_what_there_is(
    chinook: Path, sqlite_meta: str, column: str, message: str
) -> None:
    code, out = _cli("lineage", str(chinook), "-p", "revenue", "--column", column, db=sqlite_meta)
    assert code == 2
    assert message in out
    assert "Revenue" in out or "Amount" in out  # what the user could have asked for


def test_an_unknown_pipeline_is_refused(chinook: Path, sqlite_meta: str) -> None:
    code, out = _cli("lineage", str(chinook), "-p", "sales", db=sqlite_meta)
    assert code == 2
    assert "no pipeline named 'sales' (available: revenue)" in out


def test_offline_lineage_needs_the_catalog(chinook: Path, sqlite_meta: str) -> None:
    """Offline, an empty catalog cannot give the sources' columns: refused, nothing
    contacted; once read, the catalog gives the same lineage as the connections."""
    ws = Workspace.open(sqlite_meta)
    code, out = _cli("lineage", str(chinook), "-p", "revenue", "--offline", db=sqlite_meta)
    assert code == 2
    assert "the columns of this source are unknown" in out
    lineage_found = project_lineage(chinook, workspace=ws)
    assert lineage_found.flows == []
    assert any("columns of this source are unknown" in p for p in lineage_found.problems)
    assert {(u.role, u.table) for u in lineage_found.uses} == {
        ("reads", "Genre"),
        ("reads", "InvoiceLine"),
        ("reads", "Invoice"),
        ("reads", "Track"),
        ("writes", "revenue_by_country_genre_year"),
    }
    run_and_read_catalogs(chinook, ws)
    offline = pipeline_lineage(chinook, "revenue", offline=True, workspace=ws)
    assert offline.to_dict() == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_project_lineage_links_tables_and_columns_both_ways(
    chinook: Path, catalogued: Workspace
) -> None:
    found = project_lineage(chinook, workspace=catalogued)
    assert found.problems == []
    mart = "main.revenue_by_country_genre_year"  # as the catalog names it
    [revenue] = found.into("warehouse", mart, "revenue")
    assert [str(s) for s in revenue.sources] == BY_HAND["Revenue"]
    assert revenue.steps == (
        "by_country_genre_year: Revenue = CAST(SUM(Amount) AS DECIMAL(38, 2))",
        "amounts: Amount = UnitPrice * Quantity",
    )
    assert revenue.complete
    fed = found.out_of("chinook", "InvoiceLine", "Quantity")
    assert sorted(f.column for f in fed) == ["Revenue", "Units"]
    assert [(u.kind, u.name, u.node, u.role) for u in found.of_table("warehouse", mart)] == [
        ("pipeline", "revenue", "mart", "writes")
    ]
    assert found.of_table("chinook", "Customer") == []


def test_a_sync_copies_columns_one_to_one_renamed_where_it_says(
    chinook: Path, catalogued: Workspace
) -> None:
    (chinook / "syncs").mkdir()
    (chinook / "syncs" / "genres.json").write_text(
        json.dumps(
            {
                "name": "genres",
                "source": {"connection": "chinook", "table": "Genre"},
                "destinations": [{"connection": "warehouse", "table": "genres"}],
                "rename": {"Name": "genre_name"},
            }
        ),
        encoding="utf-8",
    )
    found = project_lineage(chinook, workspace=catalogued)
    flows = [f for f in found.flows if f.kind == "sync"]
    assert [(f.column, [str(s) for s in f.sources], f.steps) for f in flows] == [
        ("GenreId", ["chinook.Genre.GenreId"], ()),
        ("genre_name", ["chinook.Genre.Name"], ("genres: genre_name renamed from Name",)),
    ]
    assert [(u.role, u.connection, u.table) for u in found.uses if u.kind == "sync"] == [
        ("reads", "chinook", "Genre"),
        ("writes", "warehouse", "genres"),
    ]
    # the Genre table is read by the pipeline and by the sync
    assert sorted((u.kind, u.name) for u in found.of_table("chinook", "genre")) == [
        ("pipeline", "revenue"),
        ("sync", "genres"),
    ]
