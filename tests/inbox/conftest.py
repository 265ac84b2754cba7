"""A project with a ``review`` sync from PostgreSQL to PostgreSQL (``public.orders`` ->
``raw.orders``), a pipeline reading the destination, and a SQLite metadata DB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.model.sync import SyncDefinition
from app.services.workspace import Workspace
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta
from tests.sync.conftest import maria_db, pg_exec, pg_rows  # noqa: F401  (maria_db: a fixture)


@dataclass
class Shop:
    root: Path
    db: dict[str, Any]
    meta: str
    workspace: Workspace

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return pg_rows(self.db, sql)

    def exec(self, *sql: str) -> None:
        pg_exec(self.db, *sql)

    def columns(self, schema: str, table: str) -> list[tuple[str, str]]:
        return [
            (name, kind)
            for name, kind in self.rows(
                "SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE table_schema = '{schema}' AND table_name = '{table}' "
                "ORDER BY ordinal_position"
            )
        ]


def _pipeline() -> Pipeline:
    """raw.orders -> amount * 2 AS doubled -> marts.orders_doubled (reads the sync's table)."""
    p = Pipeline(name="doubled")
    src = p.add_node(
        "source", name="raw_orders", params={"connection": "pg", "table": "raw.orders"}
    )
    calc = p.add_node(
        "derive",
        name="calc",
        params={"columns": [{"name": "doubled", "expression": "amount * 2"}]},
    )
    out = p.add_node(
        "destination",
        name="marts",
        params={"connection": "pg", "table": "marts.orders_doubled", "mode": "replace"},
    )
    p.connect(src.id, "out", calc.id, "in")
    p.connect(calc.id, "out", out.id, "in")
    return p


def make_shop(tmp_path: Path, db: dict[str, Any], meta: str | None = None, **sync: Any) -> Shop:
    pg_exec(
        db,
        "CREATE SCHEMA raw",
        "CREATE SCHEMA marts",
        "CREATE TABLE public.orders (id integer PRIMARY KEY, amount numeric(10,2), "
        "updated_at timestamp NOT NULL)",
        "INSERT INTO public.orders SELECT i, i * 1.5, "
        "timestamp '2026-01-01' + i * interval '1 minute' FROM generate_series(1, 100) i",
    )
    definition = {
        "name": "orders",
        "source": {"connection": "pg", "table": "public.orders"},
        "destinations": [{"connection": "pg", "table": "raw.orders"}],
        "mode": "merge",
        "primary_key": ["id"],
        "cursor": "updated_at",
        "schema_policy": "review",
        **sync,
    }
    project = Project(
        meta=ProjectMeta(name="shop"),
        connections={
            "pg": Connection(
                name="pg",
                type="postgres",
                params={
                    "host": str(db["host"]),
                    "port": int(db["port"]),
                    "user": str(db["user"]),
                    "database": str(db["dbname"]),
                },
            )
        },
        syncs={"orders": SyncDefinition.model_validate(definition)},
        pipelines={"doubled": _pipeline()},
    )
    root = tmp_path / "shop"
    save_project(project, root)
    meta = meta or f"sqlite:///{tmp_path / 'meta.db'}"
    return Shop(root, db, meta, Workspace.open(meta))


@pytest.fixture
def shop(tmp_path: Path, pg_db: dict[str, Any]) -> Shop:
    return make_shop(tmp_path, pg_db)
