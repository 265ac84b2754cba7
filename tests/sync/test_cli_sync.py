"""``cauce sync`` ad hoc and by name, syncs in bundles and in ``--run-project``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from app.cli import cli
from app.model.connection import Connection
from app.model.sync import SyncDefinition
from app.services.bundles import export_project
from app.storage.project import load_project, save_project
from app.storage.project_format import Project, ProjectMeta
from tests.sync.conftest import pg_exec, pg_rows


def _invoke(*args: str, db: str) -> Any:
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def _project(tmp_path: Path) -> Path:
    src = tmp_path / "src.duckdb"
    with duckdb.connect(str(src)) as con:
        con.execute(
            "CREATE TABLE items AS SELECT i AS id, 'n' || i AS name, "
            "TIMESTAMP '2026-01-01' + i * INTERVAL 1 hour AS at FROM range(50) t(i)"
        )
    project = Project(
        meta=ProjectMeta(name="shop"),
        connections={
            "src": Connection(
                name="src", type="duckdb", params={"path": "${PROJECT_DIR}/../src.duckdb"}
            ),
            "dst": Connection(
                name="dst", type="sqlite", params={"path": "${PROJECT_DIR}/../dst.sqlite"}
            ),
        },
        syncs={
            "items": SyncDefinition(
                name="items",
                source={"connection": "src", "table": "items"},
                destinations=[{"connection": "dst", "table": "items"}],
                mode="append",
                cursor="at",
            )
        },
    )
    root = tmp_path / "shop"
    save_project(project, root)
    return root


def test_by_name_list_and_status(tmp_path: Path) -> None:
    root, db = _project(tmp_path), f"sqlite:///{tmp_path / 'meta.db'}"
    assert (root / "syncs" / "items.json").is_file()
    listed = _invoke("sync", "list", "--project", str(root), "--json", db=db)
    assert [s["name"] for s in json.loads(listed.output)] == ["items"]
    first = _invoke("sync", "run", "items", "--project", str(root), "--json", db=db)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["destinations"][0]["rows"] == 50
    again = _invoke("sync", "run", "items", "--project", str(root), "--json", db=db)
    assert json.loads(again.output)["destinations"][0]["rows"] == 0
    status = json.loads(
        _invoke("sync", "status", "items", "--project", str(root), "--json", db=db).output
    )
    [dest] = status["destinations"]
    assert dest["cursor"] == dest["metadata_cursor"] == "2026-01-03 01:00:00.000000"
    assert status["last_run"]["status"] == "succeeded" and status["version"] == 1
    missing = _invoke("sync", "run", "nope", "--project", str(root), db=db)
    assert missing.exit_code == 2 and "no sync named 'nope'" in missing.output


def test_bundle_round_trip_and_run_project(tmp_path: Path) -> None:
    root, db = _project(tmp_path), f"sqlite:///{tmp_path / 'meta.db'}"
    bundle = tmp_path / "shop.cauce"
    export_project(root, bundle, include_data=False)
    with load_project(bundle) as opened, load_project(root) as original:
        assert opened.project.syncs == original.project.syncs
    result = CliRunner().invoke(cli, ["--db", db, "--run-project", str(root), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [s["sync"] for s in report["syncs"]] == ["items"]
    assert report["syncs"][0]["destinations"][0]["rows"] == 50


@pytest.mark.postgres
def test_adhoc_postgres_to_duckdb(pg_db: dict[str, Any], tmp_path: Path) -> None:
    pg_exec(
        pg_db,
        "CREATE TABLE t (id int PRIMARY KEY, v text)",
        "INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 200) i",
    )
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    url = f"postgresql://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    dest = f"duckdb:///{tmp_path / 'wh.duckdb'}"
    args = [
        "sync",
        "run",
        "--source",
        url,
        "--source-table",
        "public.t",
        "--dest",
        dest,
        "--dest-table",
        "copy_t",
        "--mode",
        "merge",
        "--key",
        "id",
    ]
    assert _invoke(*args, db=db).exit_code == 0
    pg_exec(pg_db, "UPDATE t SET v = 'changed' WHERE id <= 3")
    result = _invoke(*args, "--json", db=db)
    assert result.exit_code == 0 and json.loads(result.output)["status"] == "succeeded"
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        got = con.execute("SELECT count(*), count(*) FILTER (v = 'changed') FROM copy_t")
        assert got.fetchall() == [(200, 3)]
    assert pg_rows(pg_db, "SELECT count(*) FROM t") == [(200,)]


def test_adhoc_merge_without_a_key_names_the_option(tmp_path: Path) -> None:
    chinook = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chinook"
    result = _invoke(
        "sync",
        "run",
        "--source",
        f"sqlite:///{chinook / 'data' / 'chinook.sqlite'}",
        "--source-table",
        "Invoice",
        "--dest",
        f"duckdb:///{tmp_path / 'x.duckdb'}",
        "--mode",
        "merge",
        db=f"sqlite:///{tmp_path / 'meta.db'}",
    )
    assert result.exit_code == 2
    assert "merge mode needs primary_key columns" in result.output and "--key" in result.output
    assert "pydantic" not in result.output and "validation error" not in result.output


def test_adhoc_password_refused_with_exit_2(tmp_path: Path) -> None:
    result = _invoke(
        "sync",
        "run",
        "--source",
        "postgresql://u:s3cr3t@h/db",
        "--source-table",
        "t",
        "--dest",
        f"sqlite:///{tmp_path / 'x.db'}",
        db=f"sqlite:///{tmp_path / 'meta.db'}",
    )
    assert result.exit_code == 2
    assert "CAUCE_SECRET_SOURCE_PASSWORD" in result.output and "s3cr3t" not in result.output


def test_a_cli_sync_loads_only_what_it_needs(pg_db: dict[str, Any], tmp_path: Path) -> None:
    """Start-up is most of a small sync's time: an incremental PostgreSQL merge must not
    import pandas (pyarrow's Python-value conversions would), DuckDB or Alembic."""
    import os
    import subprocess
    import sys

    pg_exec(
        pg_db,
        "CREATE TABLE t (id bigint PRIMARY KEY, name text, at timestamptz)",
        "INSERT INTO t SELECT i, 'n' || i, timestamptz '2026-01-01' + i * interval '1 h' "
        "FROM generate_series(1, 20) i",
    )
    url = f"postgresql://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    probe = (  # the command leaves through os._exit, after the atexit handlers
        "import atexit, sys, runpy\n"
        "sys.argv = ['cauce', '--db', sys.argv[1], 'sync', 'run', '--source', sys.argv[2],\n"
        "            '--source-table', 'public.t', '--dest', sys.argv[2], '--dest-table', 'c',\n"
        "            '--mode', 'merge', '--key', 'id', '--cursor', 'at', '--json']\n"
        "atexit.register(lambda: print('LOADED', sorted(\n"
        "    m for m in ('pandas', 'duckdb', 'alembic') if m in sys.modules), file=sys.stderr))\n"
        "runpy.run_module('app.cli', run_name='__main__')\n"
    )
    env = {**os.environ, "CAUCE_HOME": str(tmp_path / "home")}
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    for round_ in range(2):  # the first run also creates the metadata DB; the second merges
        if round_:
            pg_exec(pg_db, "UPDATE t SET name = 'x', at = at + interval '1 day' WHERE id = 3")
        done = subprocess.run(
            [sys.executable, "-c", probe, db, url],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        expected = "LOADED ['alembic']" if round_ == 0 else "LOADED []"  # 0: migrates
        assert done.returncode == 0 and expected in done.stderr, done.stderr[-2000:]
    assert pg_rows(pg_db, "SELECT name FROM c WHERE id = 3") == [("x",)]
