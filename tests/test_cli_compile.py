"""``cauce compile`` of pipelines that read files (issue #10): no crash, no "connect" advice
for a file, and no SQL printed for a dialect that cannot read the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files_project(tmp_path: Path) -> Path:
    root = tmp_path / "files"
    for folder in ("connections", "pipelines", "data"):
        (root / folder).mkdir(parents=True)
    (root / "project.json").write_text(
        json.dumps(
            {"format_version": 1, "id": "6f1c0a52-3d54-4f0e-9d43-0c1f3f7c2b10", "name": "files"}
        )
    )
    (root / "connections" / "warehouse.json").write_text(
        json.dumps(
            {"name": "warehouse", "type": "duckdb", "params": {"path": str(tmp_path / "w.duckdb")}}
        )
    )
    (root / "data" / "sales.csv").write_text("region;amount\nnorth;10.5\nsouth;3.25\n")
    (root / "pipelines" / "sales.json").write_text(
        json.dumps(
            {
                "name": "sales",
                "format_version": 1,
                "nodes": [
                    {
                        "id": "a1",
                        "name": "sales_file",
                        "type": "file_source",
                        "params": {"path": "${PROJECT_DIR}/data/sales.csv", "delimiter": ";"},
                    },
                    {
                        "id": "b2",
                        "name": "big",
                        "type": "filter",
                        "params": {"condition": "amount > 5"},
                    },
                    {
                        "id": "c3",
                        "name": "out",
                        "type": "destination",
                        "params": {"connection": "warehouse", "table": "big_sales"},
                    },
                ],
                "edges": [
                    {
                        "source": {"node": "a1", "port": "out"},
                        "target": {"node": "b2", "port": "in"},
                    },
                    {
                        "source": {"node": "b2", "port": "out"},
                        "target": {"node": "c3", "port": "in"},
                    },
                ],
            }
        )
    )
    return root


def test_compile_reads_the_columns_of_an_undeclared_file(files_project: Path) -> None:
    code, out, err = invoke("compile", str(files_project), "--pipeline", "sales")
    assert code == 0, err
    assert "READ_CSV(" in out and "sales.csv" in out and "delim = ';'" in out
    assert '"amount" > 5' in out


def test_compile_offline_says_to_declare_the_file_columns_not_to_connect(
    files_project: Path,
) -> None:
    code, out, err = invoke("compile", str(files_project), "--pipeline", "sales", "--offline")
    assert code == 2
    assert "sales_file" in err and "columns of this file are unknown" in err
    assert "connect" not in err


@pytest.mark.parametrize("dialect", ["postgres", "snowflake"])
def test_compile_for_a_database_never_prints_a_file_scan(files_project: Path, dialect: str) -> None:
    code, out, err = invoke(
        "compile", str(files_project), "--pipeline", "sales", "--dialect", dialect
    )
    assert code == 2
    assert "node 'sales_file'" in err and "files run on the local engine" in err
    assert "READ_" not in out.upper()


def test_compile_prints_warnings_on_stderr(files_project: Path) -> None:
    path = files_project / "pipelines" / "sales.json"
    data = json.loads(path.read_text())
    data["nodes"][1] = {
        "id": "b2",
        "name": "big",
        "type": "sort",
        "params": {"keys": [{"column": "amount"}]},
    }
    data["nodes"].insert(
        2,
        {
            "id": "d4",
            "name": "totals",
            "type": "aggregate",
            "params": {"measures": [{"function": "count", "name": "n"}]},
        },
    )
    data["edges"][1] = {
        "source": {"node": "b2", "port": "out"},
        "target": {"node": "d4", "port": "in"},
    }
    data["edges"].append(
        {"source": {"node": "d4", "port": "out"}, "target": {"node": "c3", "port": "in"}}
    )
    path.write_text(json.dumps(data))
    code, out, err = invoke("compile", str(files_project), "--pipeline", "sales")
    assert code == 0, err
    assert "warning: node 'big': the order is lost at node 'totals'" in err
    assert "COUNT(*)" in out
