"""Pipelines are checked one by one (issue #10): a broken pipeline file is a problem of that
pipeline; the others still compile and run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Chinook example plus a pipeline file whose edge points at a missing node."""
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    (tmp_path / "out").mkdir()
    (target / "pipelines" / "broken.json").write_text(
        json.dumps(
            {
                "name": "broken",
                "format_version": 1,
                "nodes": [
                    {
                        "id": "a",
                        "name": "a",
                        "type": "source",
                        "params": {"connection": "chinook", "table": "Invoice"},
                    }
                ],
                "edges": [
                    {
                        "source": {"node": "a", "port": "out"},
                        "target": {"node": "ghost", "port": "in"},
                    }
                ],
            }
        )
    )
    return target


def test_another_pipeline_still_runs_and_compiles(project: Path, tmp_path: Path) -> None:
    code, out, err = invoke("--run-project", str(project), "--pipeline", "revenue", "--json")
    assert code == 0, err
    assert json.loads(out)["pipelines"][0]["status"] == "succeeded"
    code, out, err = invoke("compile", str(project), "--pipeline", "revenue", "--offline")
    assert "broken" not in err


def test_the_broken_pipeline_is_reported_when_selected(project: Path) -> None:
    for args in (
        ["--run-project", str(project), "--pipeline", "broken"],
        ["compile", str(project), "--pipeline", "broken"],
    ):
        code, _out, err = invoke(*args)
        assert code == 2
        assert "pipelines/broken.json" in err and "ghost" in err


def test_a_whole_project_run_reports_it_and_writes_nothing(project: Path, tmp_path: Path) -> None:
    code, _out, err = invoke("--run-project", str(project))
    assert code == 2
    assert "pipelines/broken.json" in err
    assert not any((tmp_path / "out").iterdir())
