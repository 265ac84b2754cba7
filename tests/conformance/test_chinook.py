"""The Chinook example run on the local engine and pushed down into PostgreSQL: the same
rows and the same column types (issue #10)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.model.sql_types import from_sql_type
from app.model.types import parse_type_name, type_name
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conformance.engines import differences
from tests.test_example import EXAMPLE, _load_chinook_into_postgres

ORDER = 'ORDER BY "Country", "Genre", "Year"'


def test_chinook_local_and_postgres_pushdown_agree(
    tmp_path: Path, pg_db: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path))
    local = run_project(EXAMPLE, workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"))
    assert local.ok, local.summary()
    assert {n["placement"] for n in local.reports[0].plan["nodes"]} == {"local"}
    with duckdb.connect(str(tmp_path / "chinook_mart.duckdb"), read_only=True) as con:
        table = con.sql(f"SELECT * FROM revenue_by_country_genre_year {ORDER}").to_arrow_table()
    local_types = [(f.name, type_name(parse_type_name(type_name(f.type)))) for f in table.schema]
    local_rows = [tuple(r.values()) for r in table.to_pylist()]

    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    _load_chinook_into_postgres(pg_db)
    pg_params = {
        "host": pg_db["host"],
        "port": pg_db["port"],
        "user": pg_db["user"],
        "database": pg_db["dbname"],
    }
    for name in ("chinook", "warehouse"):
        (project / "connections" / f"{name}.json").write_text(
            json.dumps({"name": name, "type": "postgres", "params": pg_params}), encoding="utf-8"
        )
    pushed = run_project(project, workspace=Workspace.open(f"sqlite:///{tmp_path / 'm.db'}"))
    assert pushed.ok, pushed.summary()
    assert pushed.reports[0].plan["stages"][0]["placement"] == "pushdown"
    with psycopg.connect(pg_db["dsn"]) as con:
        cur = con.execute(f"SELECT * FROM revenue_by_country_genre_year {ORDER}")
        pg_types = [
            (c.name, type_name(from_sql_type(c.type_display, "postgres")))
            for c in cur.description or ()
        ]
        pg_rows = [tuple(r) for r in cur.fetchall()]
    assert pg_types == local_types
    assert dict(local_types)["Revenue"] == type_name(pa.decimal128(38, 2))
    assert len(local_rows) > 400
    assert not list(differences(pg_rows, local_rows))
