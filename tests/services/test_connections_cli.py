"""``cauce connections list|test``: the service the connections dialog uses, from the shell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.services.connections import project_connections, test_project_connection
from app.services.errors import USER_ERRORS

REPO = Path(__file__).resolve().parents[2]
CHINOOK = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # ${PROJECT_DIR} must not depend on the working directory
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    return target


def _cauce(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_names_every_connection_with_its_type(project: Path) -> None:
    code, out, _err = _cauce("connections", "list", str(project))
    assert code == 0
    rows = [line.split()[:2] for line in out.splitlines()]
    assert rows == [["chinook", "sqlite"], ["postgres", "postgres"], ["warehouse", "duckdb"]]
    assert [c.name for c in project_connections(project)] == ["chinook", "postgres", "warehouse"]


def test_sqlite_of_the_project_connects_from_another_directory(project: Path) -> None:
    code, out, err = _cauce("connections", "test", str(project), "chinook")
    assert (code, err) == (0, "")
    assert "chinook" in out and "works" in out
    assert not (Path.cwd() / "data").exists()


def test_postgres_connects_and_a_missing_database_exits_1_with_the_reason(
    project: Path, pg_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = _cauce("connections", "test", str(project), "postgres")
    assert (code, err) == (0, "")
    monkeypatch.setenv("CAUCE_PG_DATABASE", "cauce_no_such_db")
    monkeypatch.setenv("CAUCE_ALLOWED_ENV", "CAUCE_OUTPUT_DIR")
    code, _out, err = _cauce("connections", "test", str(project), "postgres")
    assert code == 0, "a variable the user did not allow takes its default"
    monkeypatch.setenv("CAUCE_ALLOWED_ENV", "CAUCE_PG_DATABASE")
    code, _out, err = _cauce("connections", "test", str(project), "postgres")
    assert code == 1
    assert 'database "cauce_no_such_db" does not exist' in err


def test_wrong_password_exits_1_and_never_prints_it(
    project: Path, pg_password_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = pg_password_server
    conn_file = project / "connections" / "postgres.json"
    data = json.loads(conn_file.read_text())
    data["params"].update(
        host=server["host"], port=server["port"], user=server["user"], database=server["dbname"]
    )
    conn_file.write_text(json.dumps(data))
    monkeypatch.setenv("CAUCE_SECRET_POSTGRES_PASSWORD", server["password"])
    assert _cauce("connections", "test", str(project), "postgres")[0] == 0
    monkeypatch.setenv("CAUCE_SECRET_POSTGRES_PASSWORD", "Wr0ng-pass-word")
    code, _out, err = _cauce("connections", "test", str(project), "postgres")
    assert code == 1
    assert "password authentication failed" in err and "Wr0ng-pass-word" not in err


def test_unknown_name_or_project_is_invalid_input(project: Path, tmp_path: Path) -> None:
    code, _out, err = _cauce("connections", "test", str(project), "nope")
    assert code == 2 and "nope" in err
    (tmp_path / "empty").mkdir()
    code, _out, err = _cauce("connections", "list", str(tmp_path / "empty"))
    assert code == 2 and err
    with pytest.raises(USER_ERRORS):
        test_project_connection(project, "nope")


def test_run_with_dest_postgres_says_which_database_it_wrote(
    project: Path, pg_db, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CAUCE_PG_DATABASE", str(pg_db["dbname"]))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    code, out, err = _cauce("--run-project", str(project), "--dest", "postgres")
    assert code == 0, err
    assert f"in connection postgres (127.0.0.1:5432/{pg_db['dbname']})" in out, out
    code, out, err = _cauce("--run-project", str(project))
    assert code == 0, err
    assert "in connection warehouse (" + str(tmp_path / "out") in out


def test_a_bundles_connection_is_tested_only_once_trusted(project: Path, tmp_path: Path) -> None:
    # a bundle's connection could name a host of its author's choosing and receive a stored
    # password: testing it is running the project a little, so it needs trust as a run does
    from app.services.bundles import export_project

    bundle = tmp_path / "chinook.cauce"
    export_project(project, bundle)
    code, _out, err = _cauce("connections", "test", str(bundle), "chinook")
    assert code == 2
    assert "--trust" in err and "has not been trusted" in err
    code, out, err = _cauce("connections", "test", str(bundle), "chinook", "--trust")
    assert (code, err) == (0, "")
    assert "works" in out
