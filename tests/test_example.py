"""The Chinook example: its output equals the same query written by hand, on DuckDB and PG."""

from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conftest import CHINOOK_SQLITE, REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"

HAND_WRITTEN = """
SELECT COALESCE(i.BillingCountry, 'Unknown') AS Country,
       COALESCE(g.Name, 'Unknown')           AS Genre,
       CAST(strftime('%Y', i.InvoiceDate) AS INTEGER) AS Year,
       ROUND(SUM(il.UnitPrice * il.Quantity), 2) AS Revenue,
       SUM(il.Quantity)                      AS Units,
       COUNT(DISTINCT il.InvoiceId)          AS Invoices
FROM InvoiceLine il
JOIN Invoice i ON i.InvoiceId = il.InvoiceId
JOIN Track t ON t.TrackId = il.TrackId
LEFT JOIN Genre g ON g.GenreId = t.GenreId
WHERE il.UnitPrice * il.Quantity > 0
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""


def hand_written_rows() -> list[tuple]:
    with sqlite3.connect(CHINOOK_SQLITE) as con:
        return [
            (c, g, y, Decimal(str(r)).quantize(Decimal("0.01")), u, n)
            for c, g, y, r, u, n in con.execute(HAND_WRITTEN)
        ]


def mart_rows(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(
            "SELECT * FROM revenue_by_country_genre_year ORDER BY Country, Genre, Year"
        ).fetchall()


def test_example_equals_the_hand_written_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path))
    result = run_project(EXAMPLE, workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"))
    assert result.ok, result.summary()
    rows = mart_rows(tmp_path / "chinook_mart.duckdb")
    expected = hand_written_rows()
    assert len(rows) == len(expected) > 400
    assert rows == expected
    assert sum(r[3] for r in rows) == Decimal("2328.60")  # every invoice of the store


def test_example_pipeline_file_is_canonical() -> None:
    from app.model.pipeline import Pipeline

    path = EXAMPLE / "pipelines" / "revenue.json"
    text = path.read_text(encoding="utf-8")
    assert Pipeline.from_json(text).to_json() == text
    assert {n["type"] for n in json.loads(text)["nodes"]} >= {
        "source",
        "join",
        "lookup",
        "aggregate",
        "filter",
        "derive",
        "destination",
    }


@pytest.mark.postgres
def test_postgres_pushdown_returns_the_same_rows_as_duckdb(
    tmp_path: Path, pg_db: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Load Chinook into PostgreSQL, run the example there (pushdown), compare with DuckDB."""
    import psycopg

    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    _load_chinook_into_postgres(pg_db)
    pg_params = {
        "host": pg_db["host"],
        "port": pg_db["port"],
        "user": pg_db["user"],
        "database": pg_db["dbname"],
    }
    for name in ("chinook", "warehouse"):
        (project / "connections" / f"{name}.json").write_text(
            json.dumps({"name": name, "type": "postgres", "params": pg_params}), encoding="utf-8"
        )
    result = run_project(
        project, dry_run=True, workspace=Workspace.open(f"sqlite:///{tmp_path / 'm.db'}")
    )
    assert result.reports[0].plan["stages"][0]["placement"] == "pushdown"
    result = run_project(project, workspace=Workspace.open(f"sqlite:///{tmp_path / 'm.db'}"))
    assert result.ok, result.summary()
    with psycopg.connect(pg_db["dsn"]) as con:
        pg_rows = con.execute(
            'SELECT * FROM revenue_by_country_genre_year ORDER BY "Country", "Genre", "Year"'
        ).fetchall()
    assert [tuple(r) for r in pg_rows] == hand_written_rows()


def _load_chinook_into_postgres(pg_db: dict) -> None:
    from app.connectors.base import WriteMode
    from app.connectors.postgres import PostgresConnector
    from app.connectors.sqlite import SQLiteConnector

    source = SQLiteConnector(SQLiteConnector.Config(path=str(CHINOOK_SQLITE)), name="chinook")
    target = PostgresConnector(
        PostgresConnector.Config(
            host=pg_db["host"], port=pg_db["port"], user=pg_db["user"], database=pg_db["dbname"]
        ),
        name="pg",
    )
    with source, target:
        for table in ("InvoiceLine", "Invoice", "Track", "Genre"):
            target.write(table, source.read(table=table), mode=WriteMode.REPLACE)
