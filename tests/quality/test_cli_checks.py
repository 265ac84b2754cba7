"""``cauce checks`` and ``cauce profile --score/--store/--history``: exit codes 0 (ok), 1 (a
failing check), 2 (invalid input); JSON output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from tests.conftest import REPO


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    return target


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _add(project: Path, *args: str) -> None:
    code, out, err = _run("checks", "add", str(project), "--connection", "chinook", *args)
    assert code == 0, err


def test_add_list_run_remove(project: Path) -> None:
    _add(project, "--table", "Invoice", "--range", "Total", "0", "30")
    _add(project, "--table", "Invoice", "--references", "CustomerId", "Customer.CustomerId")
    code, out, _err = _run("checks", "list", str(project), "--json")
    assert code == 0 and [c["kind"] for c in json.loads(out)] == ["range", "references"]
    code, out, err = _run("checks", "run", str(project), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["status"] == "succeeded"
    assert [r["failing"] for r in report["results"]] == [0, 0]

    _add(project, "--table", "Invoice", "--range", "Total", "0", "20")  # 4 invoices above 20
    code, out, _err = _run("checks", "run", str(project), "--table", "Invoice")
    assert code == 1
    assert "failed  Invoice  range:Total (4/412)" in out

    code, out, _err = _run("checks", "remove", str(project), "range:Total", "--table", "Invoice")
    assert code == 0 and "removed" in out


@pytest.mark.parametrize(
    "args",
    [
        ("--table", "Invoice"),  # no kind of check
        ("--table", "Invoice", "--not-null", "a", "--unique", "b"),  # two kinds
        ("--table", "Invoice", "--regex", "Total", "("),
        ("--table", "Invoice", "--fresh", "InvoiceDate", "soon"),
        ("--table", "Invoice", "--sql", "read_text('/etc/passwd') = ''"),
    ],
)
def test_invalid_checks_exit_2_and_declare_nothing(project: Path, args: tuple[str, ...]) -> None:
    before = (project / "project.json").read_bytes()
    code, _out, err = _run("checks", "add", str(project), *args)
    assert code == 2 and err
    assert (project / "project.json").read_bytes() == before


def test_suggest_and_accept(project: Path) -> None:
    code, out, err = _run(
        "checks",
        "suggest",
        str(project),
        "--connection",
        "chinook",
        "--table",
        "MediaType",
        "--accept",
        "--json",
    )
    assert code == 0, err
    kinds = {(c["kind"], c.get("column")) for c in json.loads(out)}
    assert ("unique", "MediaTypeId") in kinds and ("row_count", None) in kinds
    assert ("accepted_values", "Name") not in kinds  # 5 rows: too few to call them categories
    code, out, _err = _run("checks", "list", str(project), "--table", "MediaType", "--json")
    assert len(json.loads(out)) == len(kinds)
    code, out, err = _run("checks", "run", str(project), "--table", "MediaType")
    assert code == 0, err


def test_profile_score_store_and_history(project: Path) -> None:
    base = ("profile", "chinook", "--project", str(project), "--table", "Customer")
    code, out, err = _run(*base, "--score", "--json")
    assert code == 0, err
    score = json.loads(out)["score"]
    assert 0 < score["score"] < 100
    assert any("`Company` is empty" in loss["text"] for loss in score["losses"])
    code, out, _err = _run(*base, "--store")
    assert code == 0 and "stored as profile 1" in out
    code, out, _err = _run(*base, "--store")
    assert "no drift since the previous profile" in out
    code, out, _err = _run(*base, "--history", "--json")
    assert code == 0 and [h["id"] for h in json.loads(out)] == [2, 1]
