"""The Python API for notebooks: previews and runs as pandas DataFrames, a DataFrame as a source.

Numbers are checked against ones computed another way: the Chinook SQLite file read with
Python's own sqlite3, and Python's ``decimal``.
"""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from app import notebook

REPO = Path(__file__).resolve().parents[2]
CHINOOK = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def chinook_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    return target


def _sqlite(chinook_dir: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    [db] = list((chinook_dir / "data").glob("*.sqlite"))
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def test_preview_is_a_dataframe_with_the_sources_rows(chinook_dir: Path) -> None:
    project = notebook.open_project(chinook_dir)
    assert "revenue" in project.pipelines
    frame = project.preview("revenue", "invoice_lines", limit=5)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 5
    expected = _sqlite(chinook_dir, "SELECT count(*) FROM InvoiceLine")[0][0]
    everything = project.preview("revenue", "invoice_lines", limit=None)
    assert len(everything) == expected == 2240


def test_a_dataframe_as_a_source(chinook_dir: Path) -> None:
    """Two invoice lines of our own instead of the table: the mart sums exactly those."""
    lines = pa.table(
        {
            "InvoiceLineId": pa.array([1, 2], pa.int64()),
            "InvoiceId": pa.array([1, 1], pa.int64()),
            "TrackId": pa.array([2, 2], pa.int64()),
            "UnitPrice": pa.array([Decimal("0.99"), Decimal("1.99")], pa.decimal128(10, 2)),
            "Quantity": pa.array([3, 1], pa.int64()),
        }
    ).to_pandas()
    project = notebook.open_project(chinook_dir)
    mart = project.preview("revenue", "mart", inputs={"invoice_lines": lines}, limit=None)
    [(country, year)] = _sqlite(
        chinook_dir,
        "SELECT BillingCountry, strftime('%Y', InvoiceDate) FROM Invoice WHERE InvoiceId = 1",
    )
    [(genre,)] = _sqlite(
        chinook_dir,
        "SELECT g.Name FROM Track t JOIN Genre g ON g.GenreId = t.GenreId WHERE t.TrackId = 2",
    )
    assert len(mart) == 1
    row = mart.iloc[0]
    assert (row["Country"], row["Genre"], int(row["Year"])) == (country, genre, int(year))
    assert Decimal(str(row["Revenue"])) == Decimal("0.99") * 3 + Decimal("1.99")


def test_an_input_must_name_a_source(chinook_dir: Path) -> None:
    project = notebook.open_project(chinook_dir)
    frame = pd.DataFrame({"x": [1]})
    with pytest.raises(ValueError, match="paid_lines"):
        project.preview("revenue", "mart", inputs={"paid_lines": frame})
    with pytest.raises(ValueError, match="nowhere"):
        project.preview("revenue", "mart", inputs={"nowhere": frame})


def test_run_is_recorded_and_reported_as_a_dataframe(chinook_dir: Path) -> None:
    project = notebook.open_project(chinook_dir)
    nodes = project.run("revenue")
    assert isinstance(nodes, pd.DataFrame)
    assert set(nodes["status"]) == {"succeeded"}
    mart = nodes.set_index("node").loc["mart"]
    expected = _sqlite(
        chinook_dir,
        """SELECT count(*) FROM (
             SELECT DISTINCT i.BillingCountry, g.Name, strftime('%Y', i.InvoiceDate)
           FROM InvoiceLine l JOIN Invoice i ON i.InvoiceId = l.InvoiceId
           JOIN Track t ON t.TrackId = l.TrackId LEFT JOIN Genre g ON g.GenreId = t.GenreId
           WHERE l.UnitPrice * l.Quantity > 0)""",
    )[0][0]
    assert int(mart["rows_in"]) == expected
    runs = project.runs()
    assert list(runs["pipeline"])[:1] == ["revenue"] and list(runs["status"])[:1] == ["succeeded"]
