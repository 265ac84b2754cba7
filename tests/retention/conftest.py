"""Fixtures of the retention tests: Chinook in a fresh PostgreSQL and a fresh MariaDB
database per test (retention deletes rows), and a project whose connections point at them.

PostgreSQL gets Chinook from its own script (``tests/data/chinook/Chinook_PostgreSql.sql``:
snake_case names, ``invoice.invoice_date`` a ``timestamp``), MariaDB from the MySQL script
(``Invoice.InvoiceDate`` a ``datetime``). Invoices are dated 2021-01-01 .. 2025-12-22.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.workspace import Workspace
from tests.conftest import REPO, require_service

CHINOOK_PG = REPO / "tests" / "data" / "chinook" / "Chinook_PostgreSql.sql"
MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root"}


def pg_rows(db: dict[str, Any], sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(db["dsn"], autocommit=True) as con:
        return con.execute(sql, params).fetchall()  # type: ignore[arg-type]


def pg_exec(db: dict[str, Any], *statements: str) -> None:
    import psycopg

    with psycopg.connect(db["dsn"], autocommit=True) as con:
        for sql in statements:
            con.execute(sql)  # type: ignore[arg-type]


def maria(database: str, **kwargs: Any) -> Any:
    import pymysql

    return pymysql.connect(
        **MARIADB, password="", database=database, autocommit=True, charset="utf8mb4", **kwargs
    )


def maria_rows(database: str, sql: str) -> list[tuple[Any, ...]]:
    with maria(database) as con, con.cursor() as cur:
        cur.execute("SET time_zone = '+00:00'")
        cur.execute(sql)
        return list(cur.fetchall())


@pytest.fixture
def chinook_pg(pg_db: dict[str, Any]) -> dict[str, Any]:
    """``pg_db`` holding Chinook (from the PostgreSQL script)."""
    text = CHINOOK_PG.read_text(encoding="utf-8")
    marker = "\\c chinook;"
    assert marker in text, "the Chinook PostgreSQL script changed shape"
    pg_exec(pg_db, text.split(marker, 1)[1])
    return pg_db


@pytest.fixture
def chinook_maria() -> Iterator[str]:
    """A fresh MariaDB database holding Chinook (from the MySQL script), dropped after."""
    from pymysql.constants import CLIENT

    from tests.connectors.test_mysql import _chinook_script

    require_service("MariaDB", MARIADB["host"], int(MARIADB["port"]))
    name = f"cauce_ret_{uuid.uuid4().hex[:10]}"
    with maria("") as con, con.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        with maria(name, client_flag=CLIENT.MULTI_STATEMENTS) as con, con.cursor() as cur:
            cur.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
            cur.execute(_chinook_script())
            while cur.nextset():
                pass
        yield name
    finally:
        with maria("") as con, con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


def add_connection(project: Path, name: str, kind: str, params: dict[str, Any]) -> None:
    (project / "connections" / f"{name}.json").write_text(
        json.dumps({"name": name, "type": kind, "params": params}), encoding="utf-8"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example project (named ``chinook``), to which tests add connections."""
    target = tmp_path / "shop"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", target)
    return target


@pytest.fixture
def secret_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The encrypted secret store (no keyring) and the metadata DB, for this process and
    the CLI processes it starts."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the retention tests")
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")


@pytest.fixture
def ws(secret_env: None, tmp_path: Path) -> Workspace:
    return Workspace(f"sqlite:///{tmp_path / 'meta.db'}")


@pytest.fixture
def pg_project(project: Path, chinook_pg: dict[str, Any]) -> Path:
    add_connection(
        project,
        "pgshop",
        "postgres",
        {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": chinook_pg["dbname"]},
    )
    return project


@pytest.fixture
def maria_project(project: Path, chinook_maria: str) -> Path:
    add_connection(
        project,
        "mariashop",
        "mysql",
        {**MARIADB, "database": chinook_maria, "ssl_mode": "disabled"},
    )
    return project
