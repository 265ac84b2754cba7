"""An erasure request for one Chinook customer against real servers: Chinook in MariaDB,
synced (full and merge) and summed by a pipeline into PostgreSQL and a DuckDB warehouse, plus
a PostgreSQL-to-PostgreSQL sync (the native fast path) and a pipeline pushed down into
PostgreSQL. The customer leaves every table, and no later sync or run brings them back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.model.pipeline import Pipeline
from app.services.gdpr import erase_subject, find_subject, register_request, verify_audit
from app.services.privacy import set_tags, suggest_project_tags
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conftest import CHINOOK_SQLITE, REPO
from tests.connectors.test_mysql import _admin, mariadb_db  # noqa: F401 - the fixture
from tests.gdpr.conftest import CUSTOMER, EMAIL, revenue_pipeline, warehouse, write_json

pytestmark = pytest.mark.postgres


def _pg(db: dict[str, Any], sql: str) -> Any:
    with psycopg.connect(str(db["dsn"])) as con:
        return con.execute(sql.encode()).fetchall()


def _contacts_pipeline() -> Pipeline:
    """PostgreSQL to PostgreSQL: pushed down into the database when nothing stops it."""
    p = Pipeline(name="contacts")
    src = p.add_node("source", name="people", params={"connection": "pg", "table": "src.people"})
    out = p.add_node(
        "destination",
        name="out",
        params={"connection": "pg", "table": "mart.contacts", "mode": "replace"},
    )
    p.connect(src.id, "out", out.id, "in")
    return p


@pytest.fixture
def servers_project(
    tmp_path: Path,
    ws: Workspace,
    pg_db: dict[str, Any],
    mariadb_db: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    root = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", root)
    (root / "pipelines" / "revenue.json").unlink()
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.delenv("CAUCE_UNMASK", raising=False)
    write_json(
        root / "connections" / "shop.json",
        {
            "name": "shop",
            "type": "mysql",
            "params": {
                "host": "127.0.0.1",
                "port": 3306,
                "user": "root",
                "database": mariadb_db,
                "ssl_mode": "disabled",
            },
        },
    )
    write_json(
        root / "connections" / "pg.json",
        {
            "name": "pg",
            "type": "postgres",
            "params": {
                "host": pg_db["host"],
                "port": pg_db["port"],
                "user": pg_db["user"],
                "database": pg_db["dbname"],
            },
        },
    )
    # a PostgreSQL table Cauce reads (the people of Chinook, loaded here)
    with sqlite3.connect(CHINOOK_SQLITE) as lite:
        people = lite.execute(
            "SELECT CustomerId, FirstName, LastName, Email FROM Customer ORDER BY 1"
        ).fetchall()
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        for sql in ("CREATE SCHEMA src", "CREATE SCHEMA crm", "CREATE SCHEMA mart"):
            con.execute(sql)
        con.execute(
            'CREATE TABLE src.people ("CustomerId" int PRIMARY KEY, "FirstName" text, '
            '"LastName" text, "Email" text)'
        )
        with con.cursor() as cur:
            cur.executemany("INSERT INTO src.people VALUES (%s, %s, %s, %s)", people)
    syncs = {
        "customers": ("shop", "Customer", "crm.customer", {"mode": "full"}),
        "invoices": (
            "shop",
            "Invoice",
            "crm.invoice",
            {"mode": "merge", "primary_key": ["InvoiceId"], "cursor": "InvoiceDate"},
        ),
        "people": ("pg", "src.people", "crm.people", {"mode": "full"}),
    }
    for name, (conn, table, dest, options) in syncs.items():
        write_json(
            root / "syncs" / f"{name}.json",
            {
                "name": name,
                "source": {"connection": conn, "table": table},
                "destinations": [{"connection": "pg", "table": dest}],
                **options,
            },
        )
    for pipeline in (
        revenue_pipeline("shop", "warehouse"),
        _contacts_pipeline(),
    ):
        (root / "pipelines" / f"{pipeline.name}.json").write_text(pipeline.to_json())
    second = revenue_pipeline("shop", "pg", "mart.customer_revenue")
    second.name = "pg_revenue"
    (root / "pipelines" / "pg_revenue.json").write_text(second.to_json())
    suggest_project_tags(root, "shop", accept=True, workspace=ws)  # e-mails, names, addresses
    for conn, table in (("shop", "Customer"), ("shop", "Invoice"), ("pg", "src.people")):
        set_tags(root, conn, table, "CustomerId", ["id.customer"], workspace=ws)
    set_tags(root, "pg", "src.people", "Email", ["pii.email"], workspace=ws)
    return root


def _run(project: Path, ws: Workspace) -> Any:
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    return result


def _subject_counts(db: dict[str, Any], tmp_path: Path) -> dict[str, int]:
    out = {
        table: _pg(db, f'SELECT count(*) FROM {table} WHERE "CustomerId" = {CUSTOMER}')[0][0]
        for table in (
            "crm.customer",
            "crm.invoice",
            "crm.people",
            "mart.contacts",
            "mart.customer_revenue",
        )
    }
    out["warehouse"] = warehouse(
        tmp_path, f"SELECT count(*) FROM customer_revenue WHERE \"Email\" = '{EMAIL}'"
    )[0][0]
    return out


def _placement(result: Any, pipeline: str) -> str:
    report = next(r for r in result.reports if r.pipeline == pipeline)
    return next(n.placement for n in report.nodes if n.name == "out")


def test_erasing_a_chinook_customer_from_postgres_and_duckdb_written_from_mariadb(
    servers_project: Path, ws: Workspace, pg_db: dict[str, Any], tmp_path: Path
) -> None:
    first = _run(servers_project, ws)
    assert _placement(first, "contacts") == "pushdown"
    with _admin(database=_maria_name(servers_project)) as con, con.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM Invoice WHERE CustomerId = {CUSTOMER}")
        invoices = cur.fetchone()[0]
    before = _subject_counts(pg_db, tmp_path)
    assert before == {
        "crm.customer": 1,
        "crm.invoice": invoices,
        "crm.people": 1,
        "mart.contacts": 1,
        "mart.customer_revenue": 1,
        "warehouse": 1,
    }
    request = register_request(
        servers_project, "erasure", [f"pii.email={EMAIL}", f"id.customer={CUSTOMER}"], workspace=ws
    )
    found = find_subject(servers_project, request.id, workspace=ws)
    counted = {(t.connection, t.table): t.rows for t in found.tables if t.rows}
    assert counted == {
        ("pg", "crm.customer"): 1,
        ("pg", "crm.invoice"): invoices,
        ("pg", "crm.people"): 1,
        ("pg", "mart.contacts"): 1,
        ("pg", "mart.customer_revenue"): 1,
        ("warehouse", "customer_revenue"): 1,
    }
    customers = _pg(pg_db, "SELECT count(*) FROM crm.customer")[0][0]

    done = erase_subject(servers_project, request.id, workspace=ws)
    assert done.ok, done.request.last_error
    assert done.rows == invoices + 5
    assert set(_subject_counts(pg_db, tmp_path).values()) == {0}
    assert _pg(pg_db, "SELECT count(*) FROM crm.customer")[0][0] == customers - 1

    # the subject's invoices change at the source: the merge sync reads them again
    with _admin(database=_maria_name(servers_project)) as con, con.cursor() as cur:
        cur.execute(f"UPDATE Invoice SET InvoiceDate = '2030-01-01' WHERE CustomerId = {CUSTOMER}")
    again = _run(servers_project, ws)
    assert set(_subject_counts(pg_db, tmp_path).values()) == {0}
    assert _pg(pg_db, "SELECT count(*) FROM crm.customer")[0][0] == customers - 1
    assert _pg(pg_db, "SELECT count(*) FROM crm.people")[0][0] == customers - 1
    assert _pg(pg_db, "SELECT count(*) FROM mart.contacts")[0][0] == customers - 1
    # the PostgreSQL-to-PostgreSQL pipeline ran on the local engine (the key stays here)
    assert _placement(again, "contacts") != "pushdown"
    people = next(s for s in again.syncs if s.sync == "people")
    assert people.destinations[0].path == "arrow"  # filtered: not the native fast path
    assert verify_audit(servers_project, workspace=ws).ok


def _maria_name(project: Path) -> str:
    import json

    return str(
        json.loads((project / "connections" / "shop.json").read_text())["params"]["database"]
    )
