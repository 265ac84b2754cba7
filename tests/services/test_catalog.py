"""Catalog refresh: schemas, tables, columns, canonical types, primary keys, row estimates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.model.connection import Connection
from app.services.catalog import read_catalog, refresh_catalog
from app.services.workspace import Workspace
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta
from tests.sync.conftest import pg_exec


def _save(tmp_path: Path, connection: Connection) -> Path:
    root = tmp_path / "proj"
    save_project(
        Project(meta=ProjectMeta(name="cat"), connections={connection.name: connection}), root
    )
    return root


@pytest.mark.postgres
def test_postgres_catalog(pg_db: dict[str, Any], tmp_path: Path) -> None:
    pg_exec(
        pg_db,
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.lines (order_id int, line int, sku text NOT NULL, "
        "qty numeric(8,2), PRIMARY KEY (order_id, line))",
        "INSERT INTO sales.lines SELECT i, 1, 's', 1 FROM generate_series(1, 1000) i",
        "ANALYZE sales.lines",
        "CREATE VIEW sales.v AS SELECT sku FROM sales.lines",
    )
    root = _save(
        tmp_path,
        Connection(
            name="pg",
            type="postgres",
            params={
                "host": pg_db["host"],
                "port": pg_db["port"],
                "user": pg_db["user"],
                "database": pg_db["dbname"],
            },
        ),
    )
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    assert read_catalog(root, "pg", workspace=Workspace.open(db)) == []
    result = refresh_catalog(root, "pg", workspace=Workspace.open(db))
    assert (result.tables, result.problems) == (2, [])
    tables = {t.qualified: t for t in read_catalog(root, "pg", workspace=Workspace.open(db))}
    lines = tables["sales.lines"]
    assert lines.kind == "table" and lines.row_estimate == 1000
    assert [(c.name, c.canonical_type, c.pk_position) for c in lines.columns] == [
        ("order_id", "int32", 1),
        ("line", "int32", 2),
        ("sku", "string", None),
        ("qty", "decimal(8,2)", None),
    ]
    assert tables["sales.v"].kind == "view"
    pg_exec(pg_db, "DROP VIEW sales.v")
    assert (
        refresh_catalog(root, "pg", workspace=Workspace.open(db)).tables == 1
    )  # a refresh replaces


def test_duckdb_and_sqlite_primary_keys(tmp_path: Path) -> None:
    import sqlite3

    import duckdb

    with duckdb.connect(str(tmp_path / "a.duckdb")) as con:
        con.execute("CREATE TABLE t (a INT, b TEXT, PRIMARY KEY (b, a))")
    with sqlite3.connect(tmp_path / "b.sqlite") as con:
        con.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)")
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    for name, kind, file in (("d", "duckdb", "a.duckdb"), ("s", "sqlite", "b.sqlite")):
        root = _save(
            tmp_path / name, Connection(name=name, type=kind, params={"path": str(tmp_path / file)})
        )
        refresh_catalog(root, name, workspace=Workspace.open(db))
        [table] = read_catalog(root, name, workspace=Workspace.open(db))
        keys = sorted(
            ((c.name, c.pk_position) for c in table.columns if c.pk_position), key=lambda k: k[1]
        )
        assert keys == ([("b", 1), ("a", 2)] if kind == "duckdb" else [("x", 1)])
