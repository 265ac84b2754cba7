"""A bundle is somebody else's project: it says what it would do and runs only once trusted."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from click.testing import CliRunner

from app.cli import cli
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.services.bundles import export_project
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta


def _bundle(tmp_path: Path) -> Path:
    with duckdb.connect(str(tmp_path / "src.duckdb")) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS a")
    p = Pipeline(name="copy")
    src = p.add_node("source", name="src", params={"connection": "src", "table": "t"})
    dst = p.add_node("destination", name="dst", params={"connection": "out", "table": "copied"})
    p.connect(src.id, "out", dst.id, "in")
    project = Project(
        meta=ProjectMeta(name="theirs"),
        connections={
            "src": Connection(
                name="src", type="duckdb", params={"path": str(tmp_path / "src.duckdb")}
            ),
            "out": Connection(
                name="out", type="duckdb", params={"path": str(tmp_path / "out.duckdb")}
            ),
        },
        pipelines={"copy": p},
    )
    save_project(project, tmp_path / "theirs")
    bundle = tmp_path / "theirs.cauce"
    export_project(tmp_path / "theirs", bundle, include_data=False)
    return bundle


def _invoke(*args: str, db: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    return result.exit_code, result.output


def test_a_bundle_shows_what_it_would_do_and_runs_only_with_trust(tmp_path: Path) -> None:
    bundle, db = _bundle(tmp_path), f"sqlite:///{tmp_path / 'meta.db'}"
    code, out = _invoke("--run-project", str(bundle), db=db)
    assert code == 2, out
    assert "--trust" in out
    assert f"connect to src (duckdb): path={tmp_path / 'src.duckdb'}" in out
    assert "read t from src (pipeline copy)" in out
    assert "write copied in out (replace, pipeline copy)" in out
    assert not (tmp_path / "out.duckdb").exists()  # nothing ran
    code, out = _invoke("--run-project", str(bundle), "--trust", "--json", db=db)
    assert code == 0, out
    assert json.loads(out)["status"] == "succeeded"
    code, out = _invoke("--run-project", str(bundle), "--json", db=db)  # remembered
    assert code == 0, out


def test_a_changed_bundle_asks_again(tmp_path: Path) -> None:
    bundle, db = _bundle(tmp_path), f"sqlite:///{tmp_path / 'meta.db'}"
    assert _invoke("--run-project", str(bundle), "--trust", db=db)[0] == 0
    from app.storage.project import load_project

    with load_project(tmp_path / "theirs") as opened:
        project = opened.project
    project.connections["out"] = Connection(
        name="out", type="duckdb", params={"path": str(tmp_path / "elsewhere.duckdb")}
    )
    save_project(project, tmp_path / "theirs")
    export_project(tmp_path / "theirs", bundle, include_data=False)
    code, out = _invoke("--run-project", str(bundle), db=db)
    assert code == 2 and "elsewhere.duckdb" in out


def test_an_imported_project_needs_trust_too(tmp_path: Path) -> None:
    bundle, db = _bundle(tmp_path), f"sqlite:///{tmp_path / 'meta.db'}"
    code, out = _invoke("import", str(bundle), str(tmp_path / "mine"), db=db)
    assert code == 0 and "write copied in out" in out and "--trust" in out
    code, out = _invoke("--run-project", str(tmp_path / "mine"), db=db)
    assert code == 2 and "--trust" in out
    assert _invoke("--run-project", str(tmp_path / "mine"), "--trust", db=db)[0] == 0


def test_a_project_of_ones_own_runs_without_asking(tmp_path: Path) -> None:
    _bundle(tmp_path)
    code, out = _invoke("--run-project", str(tmp_path / "theirs"), db=f"sqlite:///{tmp_path}/m.db")
    assert code == 0, out
