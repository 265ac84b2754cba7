"""A sync's own reading choices for its source's columns (``source.read``, issue #21).

SQLite values that do not fit their declared type stop a sync unless the column is read
loosely (``coerce``); MariaDB ``tinyint(1)`` stays an integer unless the sync maps it to a
boolean (``booleans``). Each choice is the sync's own, added to the connection's settings; an
option the source's connector does not have is refused, naming the sync and the option.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from app.cli import cli
from app.connectors.duckdb import DuckDBConnector
from app.connectors.mysql import MySQLConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from app.model.sync import SyncDefinition
from tests.sync.conftest import Harness, mariadb_admin


def _sqlite_source(tmp_path: Path) -> Path:
    path = tmp_path / "src.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b BOOLEAN)")
        con.execute("INSERT INTO t VALUES (1, 2.7, 2)")
    return path


def _sync(read: dict[str, Any] | None = None, **source: Any) -> dict[str, Any]:
    return {
        "name": "loose",
        "source": {"connection": "src", "table": "t", **({"read": read} if read else {}), **source},
        "destinations": [{"connection": "duck", "table": "t"}],
    }


def _duck_rows(duck: DuckDBConnector, table: str = "t") -> list[dict[str, Any]]:
    return duck.read(table=table).read_all().to_pylist()


def test_sqlite_coerce_is_the_syncs_own_choice(
    tmp_path: Path, duck: DuckDBConnector, harness: Callable[..., Harness]
) -> None:
    src = SQLiteConnector(SQLiteConfig(path=str(_sqlite_source(tmp_path))), name="src")
    strict = harness(src=src, duck=duck).run(_sync())
    assert not strict.ok and "not a whole number" in str(strict.error)
    assert "source.read.coerce" in str(strict.error)
    assert not duck.has_table("t")
    half = harness(src=src, duck=duck).run(_sync({"coerce": ["a"]}))
    assert not half.ok and "'b'" in str(half.error)  # only the listed column is loose
    loose = harness(src=src, duck=duck).run(_sync({"coerce": ["a", "b"]}))
    assert loose.ok, loose.error
    assert _duck_rows(duck) == [{"id": 1, "a": 2, "b": True}]
    assert src.config.coerce == []  # the connection itself is unchanged


def test_sqlite_coerce_adds_to_the_connections(
    tmp_path: Path, duck: DuckDBConnector, harness: Callable[..., Harness]
) -> None:
    path = str(_sqlite_source(tmp_path))
    src = SQLiteConnector(SQLiteConfig(path=path, coerce=["t.b"]), name="src")
    assert not harness(src=src, duck=duck).run(_sync()).ok  # a still refused
    report = harness(src=src, duck=duck).run(_sync({"coerce": ["a"]}))
    assert report.ok, report.error
    assert _duck_rows(duck) == [{"id": 1, "a": 2, "b": True}]


def test_an_option_of_another_connector_is_refused_by_name(
    tmp_path: Path, duck: DuckDBConnector, harness: Callable[..., Harness]
) -> None:
    src = SQLiteConnector(SQLiteConfig(path=str(_sqlite_source(tmp_path))), name="src")
    report = harness(src=src, duck=duck).run(_sync({"booleans": ["b"]}))
    assert not report.ok
    assert "'loose'" in str(report.error) and "booleans" in str(report.error)
    assert "SQLite" in str(report.error) and "coerce" in str(report.error)
    assert not duck.has_table("t")


def test_read_options_name_source_columns(
    tmp_path: Path, duck: DuckDBConnector, harness: Callable[..., Harness]
) -> None:
    src = SQLiteConnector(SQLiteConfig(path=str(_sqlite_source(tmp_path))), name="src")
    report = harness(src=src, duck=duck).run(_sync({"coerce": ["nope"]}))
    assert not report.ok and "nope" in str(report.error)
    with pytest.raises(ValidationError, match="unknown"):
        SyncDefinition.model_validate(_sync({"unknown": ["a"]}))


def test_the_definition_keeps_its_read_options() -> None:
    d = SyncDefinition.model_validate(_sync({"coerce": ["a"], "booleans": ["b"]}))
    again = SyncDefinition.model_validate_json(d.to_json())
    assert again.source.read.coerce == ["a"] and again.source.read.booleans == ["b"]
    assert again.source.read.given() == ["coerce", "booleans"]


def _duck_type(con: Any, table: str, column: str) -> str:
    sql = "SELECT data_type FROM duckdb_columns() WHERE table_name = ? AND column_name = ?"
    return str(con.execute(sql, [table, column]).fetchone()[0])


def _maria_flags(database: str) -> None:
    with mariadb_admin(database=database) as con, con.cursor() as cur:
        cur.execute("CREATE TABLE flags (id int PRIMARY KEY, ok tinyint(1), n tinyint(1))")
        cur.execute("INSERT INTO flags VALUES (1, 1, 2), (2, 0, -1)")


def test_mariadb_booleans_are_the_syncs_own_choice(
    maria_db: str, maria: MySQLConnector, duck: DuckDBConnector, harness: Callable[..., Harness]
) -> None:
    _maria_flags(maria_db)
    definition = {
        "name": "flags",
        "source": {"connection": "maria", "table": "flags"},
        "destinations": [{"connection": "duck", "table": "flags"}],
    }
    report = harness(maria=maria, duck=duck).run(definition)
    assert report.ok, report.error
    with duckdb.connect(str(duck.config.path)) as con:
        assert _duck_type(con, "flags", "ok") == "TINYINT"  # the strict default: an integer
        assert con.execute("SELECT ok, n FROM flags ORDER BY id").fetchall() == [(1, 2), (0, -1)]
    definition["destinations"] = [{"connection": "duck", "table": "flags_b"}]
    definition["source"]["read"] = {"booleans": ["ok"]}  # type: ignore[index]
    report = harness(maria=maria, duck=duck).run(definition)
    assert report.ok, report.error
    with duckdb.connect(str(duck.config.path)) as con:
        got = con.execute("SELECT ok, n FROM flags_b ORDER BY id").fetchall()
        assert got == [(True, 2), (False, -1)]
        assert _duck_type(con, "flags_b", "ok") == "BOOLEAN"
        assert _duck_type(con, "flags_b", "n") == "TINYINT"
    assert maria.config.booleans == []
    definition["destinations"] = [{"connection": "duck", "table": "flags_n"}]
    definition["source"]["read"] = {"booleans": ["n"]}  # type: ignore[index]
    refused = harness(maria=maria, duck=duck).run(definition)
    assert not refused.ok and "neither 0 nor 1" in str(refused.error)
    assert not duck.has_table("flags_n")


def test_cli_adhoc_coerce_and_boolean(tmp_path: Path) -> None:
    source = _sqlite_source(tmp_path)
    base = [
        "--db",
        f"sqlite:///{tmp_path / 'meta.db'}",
        "sync",
        "run",
        "--source",
        f"sqlite:///{source}",
        "--source-table",
        "t",
        "--dest",
        f"duckdb:///{tmp_path / 'wh.duckdb'}",
    ]
    strict = CliRunner().invoke(cli, base)
    assert strict.exit_code == 1 and "not a whole number" in strict.output
    loose = CliRunner().invoke(cli, [*base, "--coerce", "a", "--coerce", "b"])
    assert loose.exit_code == 0, loose.output
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        assert con.execute("SELECT id, a, b FROM t").fetchall() == [(1, 2, True)]
    wrong = CliRunner().invoke(cli, [*base, "--boolean", "b"])
    assert wrong.exit_code == 2 and "booleans" in wrong.output and "SQLite" in wrong.output
