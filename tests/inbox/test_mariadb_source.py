"""A ``review`` sync from MariaDB to PostgreSQL: a column added at the MariaDB source waits,
is approved (PostgreSQL DDL), and the held rows arrive with the server's own values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.model.connection import Connection
from app.model.sync import SyncDefinition
from app.services.schema_inbox import approve_schema_change, list_schema_changes
from app.services.syncs import run_sync
from app.services.workspace import Workspace
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta
from tests.sync.conftest import MARIADB, mariadb_admin, pg_rows


def _maria(database: str, *sql: str) -> list[tuple[Any, ...]]:
    with mariadb_admin(database=database) as con, con.cursor() as cur:
        for statement in sql:
            cur.execute(statement)
        return list(cur.fetchall())


def test_column_added_at_a_mariadb_source(
    tmp_path: Path, maria_db: str, pg_db: dict[str, Any]
) -> None:
    _maria(
        maria_db,
        "CREATE TABLE items (id int PRIMARY KEY, name varchar(40), changed datetime(6))",
        "INSERT INTO items SELECT seq, concat('item ', seq), "
        "timestamp '2026-01-01 00:00:00' + interval seq minute FROM seq_1_to_50",
    )
    project = Project(
        meta=ProjectMeta(name="maria-shop"),
        connections={
            "maria": Connection(
                name="maria",
                type="mysql",
                params={
                    "host": MARIADB["host"],
                    "port": MARIADB["port"],
                    "user": MARIADB["user"],
                    "database": maria_db,
                    "ssl_mode": "disabled",
                },
            ),
            "pg": Connection(
                name="pg",
                type="postgres",
                params={
                    "host": pg_db["host"],
                    "port": pg_db["port"],
                    "user": pg_db["user"],
                    "database": pg_db["dbname"],
                },
            ),
        },
        syncs={
            "items": SyncDefinition(
                name="items",
                source={"connection": "maria", "table": "items"},
                destinations=[{"connection": "pg", "table": "public.items"}],
                mode="merge",
                primary_key=["id"],
                cursor="changed",
                schema_policy="review",
            )
        },
    )
    root = tmp_path / "maria-shop"
    save_project(project, root)
    ws = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    assert run_sync(root, "items", workspace=ws).ok
    _maria(
        maria_db,
        "ALTER TABLE items ADD COLUMN price decimal(9,3)",
        "INSERT INTO items SELECT seq, concat('item ', seq), "
        "timestamp '2026-02-01 00:00:00' + interval seq minute, seq / 7 FROM seq_51_to_60",
    )
    held = run_sync(root, "items", workspace=ws)
    assert held.held and pg_rows(pg_db, "SELECT count(*) FROM public.items") == [(50,)]
    [change] = list_schema_changes(root, workspace=ws, impact=False)
    assert (change.column, change.kind, change.new_type) == ("price", "added", "decimal(9,3)")
    decision = approve_schema_change(root, change.id, run=True, workspace=ws)
    assert decision.run is not None and decision.run.ok, decision.run
    source = _maria(maria_db, "SELECT id, name, price FROM items ORDER BY id")
    assert pg_rows(pg_db, "SELECT id, name, price FROM public.items ORDER BY id") == source
    [(kind, precision, scale)] = pg_rows(
        pg_db,
        "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns "
        "WHERE table_name = 'items' AND column_name = 'price'",
    )
    assert (kind, precision, scale) == ("numeric", 9, 3)
