"""Tags of query sources and file sources follow lineage like a table source's: a pipeline
reading Chinook's customers through a SQL query, or from a CSV file catalogued under a files
connection, masks the tagged e-mail by tag in what it writes and what it previews."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.engine.privacy.source_tags import file_tables, query_tags
from app.model.pipeline import Pipeline
from app.services.masking import masked_columns
from app.services.privacy import set_tags
from app.services.projects import open_document
from app.services.runs import preview_node, run_project
from app.services.workspace import Workspace
from tests.privacy.test_runs_masked import CANARY, _save
from tests.retention.conftest import add_connection

TAGS = {
    "customer": {"email": frozenset({"pii.email"}), "firstname": frozenset({"pii.name"})},
    "chinook.employee": {"firstname": frozenset({"pii.name"})},
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('SELECT c."Email" AS mail, c."Country" FROM "Customer" c', {"mail": {"pii.email"}}),
        ("SELECT upper(email) AS e, country FROM customer", {"e": {"pii.email"}}),
        (
            'SELECT "FirstName" || \' \' || "LastName" AS who FROM "Customer" '
            'UNION ALL SELECT "FirstName" || \'\' FROM chinook."Employee"',
            {"who": {"pii.name"}},
        ),
        (
            "WITH x AS (SELECT email AS e FROM customer WHERE country = 'Brazil') SELECT e FROM x",
            {"e": {"pii.email"}},
        ),
        ("SELECT * FROM customer", {"email": {"pii.email"}, "firstname": {"pii.name"}}),
        ("SELECT i.* FROM invoice i JOIN customer c ON true", {}),
        # unqualified in a join: lineage cannot place it, every table's column of that name
        ("SELECT firstname FROM customer JOIN invoice USING (id)", {"firstname": {"pii.name"}}),
        ("SELECT `Email` FROM `Customer`", {"email": {"pii.email"}}),  # MySQL's spelling
        ("SELECT total FROM invoice", {}),
        # a query no dialect parses: every tag of the tables its words name
        (
            "SELECT email FROM customer WHERE ((",
            {"email": {"pii.email"}, "firstname": {"pii.name"}},
        ),
    ],
)
def test_a_query_sources_columns_take_the_tags_of_what_they_are_computed_from(
    query: str, expected: dict[str, set[str]]
) -> None:
    def table_tags(name: str) -> dict[str, frozenset[str]] | None:
        return TAGS.get(name) or TAGS.get(f"chinook.{name}")

    assert {k: set(v) for k, v in query_tags(query, table_tags).items()} == expected


def test_a_file_path_names_the_catalogued_files_it_reads() -> None:
    tables = ["customers.csv", "sales/customers.csv", "orders.parquet", "Customers_2024.csv"]
    assert file_tables("/p/data/customers.csv", tables) == ["customers.csv"]
    assert file_tables("/p/sales/customers.csv", tables) == [
        "customers.csv",
        "sales/customers.csv",
    ]
    assert file_tables("${PROJECT_DIR}/x/customers_*.csv", tables) == ["Customers_2024.csv"]
    assert file_tables(r"C:\data\orders.parquet", tables) == ["orders.parquet"]
    assert file_tables("/p/other.csv", tables) == []


def _masked_pipeline(source: dict[str, Any]) -> Pipeline:
    p = Pipeline(name="people")
    src = p.add_node(source.pop("type", "source"), name="customers", params=source)
    mask = p.add_node(
        "mask", name="mask", params={"rules": [{"tag": "pii.email", "method": "redact"}]}
    )
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "people", "mode": "replace"},
    )
    p.connect(src.id, "out", mask.id, "in")
    p.connect(mask.id, "out", dest.id, "in")
    return p


def _written(tmp_path: Path, column: str) -> list[str]:
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        return [r[0] for r in con.sql(f'SELECT "{column}" FROM people').fetchall()]


def _check(project: Path, ws: Workspace, tmp_path: Path, p: Pipeline, column: str) -> None:
    """The run writes the column masked by tag; the source's preview hides it."""
    _save(project, p)
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    written = _written(tmp_path, column)
    assert len(written) == 59 and set(written) == {"[redacted]"}
    doc = open_document(project, workspace=ws)
    rows = preview_node(doc, p, p.node_by_name("customers").id, limit=None)
    assert masked_columns(rows) == [column]
    assert CANARY not in str(rows.to_pydict())


def test_a_query_source_masks_its_tagged_columns_by_tag(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    query = (
        'SELECT c."CustomerId", lower(c."Email") AS contact, c."Country" '
        'FROM "Customer" c JOIN "Employee" e ON c."SupportRepId" = e."EmployeeId"'
    )
    _check(
        project,
        ws,
        tmp_path,
        _masked_pipeline({"connection": "chinook", "query": query}),
        "contact",
    )


@pytest.mark.parametrize("kind", ["file_source", "source"])
def test_a_csv_files_tags_follow_it_into_a_pipeline(
    project: Path, ws: Workspace, tmp_path: Path, kind: str
) -> None:
    files = project / "files"
    files.mkdir()
    with sqlite3.connect(project / "data" / "chinook.sqlite") as db:
        rows = db.execute('SELECT "CustomerId", "Email" FROM "Customer"').fetchall()
    with (files / "customers.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([("CustomerId", "Email"), *rows])
    add_connection(project, "exports", "files", {"path": "${PROJECT_DIR}/files"})
    set_tags(project, "exports", "customers.csv", "Email", ["pii.email"], workspace=ws)
    source = (
        {"type": "file_source", "path": "${PROJECT_DIR}/files/customers.csv"}
        if kind == "file_source"
        else {"connection": "exports", "table": "customers.csv"}
    )
    _check(project, ws, tmp_path, _masked_pipeline(source), "Email")


def test_a_sync_reading_a_query_masks_by_tag(
    pg_project: Path, ws: Workspace, chinook_pg: dict[str, Any]
) -> None:
    """A PostgreSQL sync whose source is a join of the tagged customers: the e-mail renamed
    by the query is still masked by its tag, and the run masks it in its texts."""
    import json

    from app.services.syncs import run_sync
    from tests.privacy.test_sync_masks import _rows

    query = (
        "SELECT c.customer_id, lower(c.email) AS contact, e.last_name AS rep "
        "FROM customer c JOIN employee e ON c.support_rep_id = e.employee_id"
    )
    data = {
        "name": "contacts",
        "source": {"connection": "pgsrc", "query": query},
        "destinations": [{"connection": "pgdst", "table": "public.contacts"}],
        "masks": [{"tag": "pii.email", "method": "redact"}],
    }
    (pg_project / "syncs").mkdir(exist_ok=True)
    (pg_project / "syncs" / "contacts.json").write_text(json.dumps(data), encoding="utf-8")
    report = run_sync(pg_project, "contacts", workspace=ws)
    assert report.ok, report.error
    written = _rows(chinook_pg, "SELECT contact, rep FROM contacts")
    assert len(written) == 59 and {r[0] for r in written} == {"[redacted]"}
    assert {r[1] for r in written} >= {"Peacock"}  # untagged columns stay
