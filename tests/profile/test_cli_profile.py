"""``cauce profile``: JSON and text reports, progress on stderr, samples, clear errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from app.cli import cli
from tests.conftest import CHINOOK_SQLITE, REPO

CHINOOK_URL = f"sqlite:///{CHINOOK_SQLITE}"  # an absolute path after the third slash


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["profile", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_report_of_a_chinook_table() -> None:
    code, out, err = _run(CHINOOK_URL, "--table", "invoice", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["table"] == "Invoice" and report["rows"] == 412
    assert report["sampled"] is False and report["candidate_keys"] == ["InvoiceId"]
    total = next(c for c in report["columns"] if c["name"] == "Total")
    assert total["quantiles"]["p50"] == 3.96 and len(total["histogram"]) == 10
    assert "[1/16] statistics of 9 columns" in err
    assert "[16/16] functional dependencies between 21 column pairs" in err
    assert "duplicate rows" not in err  # InvoiceId is a key: no row can repeat


def test_text_report() -> None:
    code, out, _ = _run(CHINOOK_URL, "--table", "Customer")
    assert code == 0
    assert out.startswith("Customer: 59 rows, 0 duplicate rows, candidate keys: CustomerId")
    assert "email 59" in out  # every Customer.Email is recognised as an e-mail address


def _duck(tmp_path: Path) -> str:
    path = tmp_path / "p.duckdb"
    con = duckdb.connect(str(path))
    con.execute("""
        CREATE TABLE people AS SELECT
            i AS id,
            'user' || i || '@example.com' AS email,
            CASE WHEN i % 4 = 0 THEN NULL ELSE CAST(i * 3 AS VARCHAR) END AS amount_text,
            CAST(DATE '2024-01-01' + INTERVAL (i % 30) DAY AS DATE)::VARCHAR AS day_text,
            CASE WHEN i % 2 = 0 THEN '4111 1111 1111 1111' ELSE '4111 1111 1111 1112' END
                AS card,
            i % 7 AS grp
        FROM range(1, 2001) r(i)""")
    con.execute("INSERT INTO people SELECT * FROM people WHERE id <= 5")  # 5 duplicates
    con.close()
    return f"duckdb:///{path}"


def test_recognisers_and_semantic_types_end_to_end(tmp_path: Path) -> None:
    code, out, err = _run(_duck(tmp_path), "--table", "people", "--json")
    assert code == 0, err
    report = json.loads(out)
    cols = {c["name"]: c for c in report["columns"]}
    assert report["rows"] == 2005 and report["duplicate_rows"] == 5
    assert report["candidate_keys"] == []  # id repeats in the duplicates
    # recognisers read the 1000 most frequent distinct values: 5 twice, 995 once
    assert cols["email"]["pattern_rows"] == 1005
    assert cols["email"]["recognised"] == {"email": 1005}
    assert cols["amount_text"]["semantic_type"] == "integer"
    assert cols["amount_text"]["nulls"] == 501  # 500, and id 4 again among the duplicates
    assert cols["day_text"]["semantic_type"] == "date"
    assert cols["card"]["recognised"] == {"credit_card": 1002}  # even ids pass Luhn
    assert cols["card"]["pattern_rows"] == 2005
    assert cols["grp"]["distinct"] == 7
    assert cols["email"]["patterns"][0]["value"] == "a9@a.a"


def test_sample_is_labelled_and_consistent(tmp_path: Path) -> None:
    code, out, err = _run(_duck(tmp_path), "--table", "people", "--sample", "30", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["sampled"] is True and report["sample_pct"] == 30
    assert 300 < report["rows"] < 900
    grp = next(c for c in report["columns"] if c["name"] == "grp")
    # every query saw the same sample: the histogram and top counts add up to its rows
    assert sum(h["count"] for h in grp["histogram"]) == report["rows"]
    assert sum(t["count"] for t in grp["top"]) == report["rows"]
    code, out, _ = _run(_duck(tmp_path / ".."), "--table", "people", "--sample", "30")
    assert "(a 30.0% sample)" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([CHINOOK_URL, "--table", "Nope"], "no table 'Nope' in source"),
        (["oracle://db/x", "--table", "t"], "unknown scheme 'oracle'"),
        (["postgresql://ana:hunter2@db/x", "--table", "t"], "postgresql://ana:***@db/x"),
        ([CHINOOK_URL, "--table", "Invoice", "--sample", "10"], "SQLite cannot sample a table"),
        (["postgresql://nobody@127.0.0.1:1/x", "--table", "t"], "127.0.0.1"),
    ],
)
def test_bad_input_is_a_clear_error(args: list[str], message: str) -> None:
    code, out, err = _run(*args)
    assert code == 2, (out, err)
    assert message in err
    assert "hunter2" not in out + err
    assert "Traceback" not in out + err


def test_bad_input_as_json() -> None:
    code, out, _ = _run(CHINOOK_URL, "--table", "Nope", "--json")
    assert code == 2
    assert json.loads(out) == {"status": "invalid", "error": "no table 'Nope' in source"}


def test_help_and_report_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCE_LANG", "es")
    code, out, _ = _run("--help")
    assert code == 0 and "Perfila la tabla --table de SOURCE" in out
    code, out, err = _run(CHINOOK_URL, "--table", "Genre")
    assert code == 0
    assert out.startswith("Genre: 25 filas, 0 filas duplicadas, claves candidatas: GenreId")
    assert "estadísticas de 2 columnas" in err


def test_a_connection_of_a_project(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", project)
    code, out, err = _run("chinook", "--project", str(project), "--table", "Genre", "--json")
    assert code == 0, err
    assert json.loads(out)["rows"] == 25
    code, out, err = _run("nope", "--project", str(project), "--table", "Genre")
    assert code == 2 and "nope" in err and "Traceback" not in err


def test_approximate_distinct_is_said(tmp_path: Path) -> None:
    url = _duck(tmp_path)
    code, out, err = _run(url, "--table", "people", "--approx-above", "100", "--json")
    assert code == 0, err
    cols = {c["name"]: c for c in json.loads(out)["columns"]}
    assert cols["email"]["distinct_approximate"] is True
    assert cols["email"]["distinct"] == pytest.approx(2000, rel=0.1)  # exact: 2000
    assert json.loads(out)["candidate_keys"] == []  # never from an approximate count
    code, out, _ = _run(url, "--table", "people", "--approx-above", "100")
    assert "distinct ~" in out
