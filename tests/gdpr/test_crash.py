"""kill -9 in the middle of an erasure: each database is either untouched or done.

``cauce gdpr erase`` runs as a real process, erasing one subject from a PostgreSQL table (a
sync's destination) and a DuckDB table (a pipeline's destination), large enough that each
transaction takes a moment. It says when it starts each database; the test kills it
(SIGKILL) at chosen delays after that line. After every kill, each database holds either all
of the subject's rows (untouched: its transaction never committed) or none (done) — never
some — and every other row is still there. A final run finishes the request.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

from app.model.pipeline import Pipeline
from app.services.gdpr import register_request, verify_audit
from app.services.privacy import set_tags
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver
from tests.conftest import REPO
from tests.gdpr.conftest import MemoryStore, write_json

pytestmark = pytest.mark.postgres

SUBJECT = "crash@example.com"
PG_ROWS, DUCK_ROWS = 600_000, 4_000_000  # half of each are the subject's
KEY_ENV = "CAUCE_SECRET_CAUCE_PRIVACY_GDPR_KEY"
EMAIL_SQL = "CASE WHEN i % 2 = 0 THEN '" + SUBJECT + "' ELSE 'user' || i || '@example.com' END"


def _fill(pg_db: dict[str, Any], duck: Path) -> None:
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        con.execute("TRUNCATE crm.events")
        con.execute(
            f"INSERT INTO crm.events SELECT i, {EMAIL_SQL}, i * 0.5 "
            f"FROM generate_series(1, {PG_ROWS}) i"
        )
    with duckdb.connect(str(duck)) as con:
        con.execute(
            f'CREATE OR REPLACE TABLE events AS SELECT i AS "Id", {EMAIL_SQL} AS "Email", '
            f'i * 0.5 AS "Amount" FROM range(1, {DUCK_ROWS} + 1) t(i)'
        )


def _counts(pg_db: dict[str, Any], duck: Path) -> dict[str, tuple[int, int]]:
    """database -> (the subject's rows, all rows)."""
    query = f"SELECT count(*) FILTER (WHERE \"Email\" = '{SUBJECT}'), count(*) FROM "
    with psycopg.connect(str(pg_db["dsn"])) as con:
        pg = con.execute((query + "crm.events").encode()).fetchone()
    with duckdb.connect(str(duck), read_only=True) as con:
        dk = con.execute(query + "events").fetchone()
    assert pg is not None and dk is not None
    return {"pg": (pg[0], pg[1]), "warehouse": (dk[0], dk[1])}


@pytest.fixture
def crash_project(tmp_path: Path, pg_db: dict[str, Any]) -> Path:
    root = tmp_path / "shop"
    write_json(root / "project.json", {"format_version": 1, "name": "shop"})
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
    write_json(
        root / "connections" / "warehouse.json",
        {"name": "warehouse", "type": "duckdb", "params": {"path": str(tmp_path / "wh.duckdb")}},
    )
    write_json(
        root / "syncs" / "events.json",
        {
            "name": "events",
            "source": {"connection": "pg", "table": "src.events"},
            "destinations": [{"connection": "pg", "table": "crm.events"}],
            "mode": "full",
        },
    )
    p = Pipeline(name="events")
    src = p.add_node("source", name="src", params={"connection": "pg", "table": "src.events"})
    out = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "events", "mode": "replace"},
    )
    p.connect(src.id, "out", out.id, "in")
    (root / "pipelines").mkdir()
    (root / "pipelines" / "events.json").write_text(p.to_json())
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        for schema in ("src", "crm"):
            con.execute(f"CREATE SCHEMA {schema}")
            con.execute(
                f'CREATE TABLE {schema}.events ("Id" bigint PRIMARY KEY, "Email" text, '
                '"Amount" numeric)'
            )
    return root


def _erase(
    project: Path, request: int, env: dict[str, str], delay: float | None, wait_for: str
) -> list[str]:
    """Run ``cauce gdpr erase``; SIGKILL it ``delay`` s after it prints ``wait_for`` (None:
    let it finish). Returns the lines it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "gdpr", "erase", str(project), str(request), "--yes"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if delay is not None and line.startswith(wait_for):
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=300)
        proc.stdout.close()
    return lines


@pytest.mark.slow
def test_sigkill_mid_erasure_leaves_each_database_untouched_or_done(
    crash_project: Path, pg_db: dict[str, Any], tmp_path: Path
) -> None:
    key = secrets.token_bytes(32).hex()
    env = {
        **os.environ,
        "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}",
        KEY_ENV: key,
        "CAUCE_LANG": "en",
    }
    ws = Workspace(
        env["CAUCE_DB_URL"],
        SecretResolver(MemoryStore(), environ={KEY_ENV: key}),  # type: ignore[arg-type]
    )
    set_tags(crash_project, "pg", "src.events", "Email", ["pii.email"], workspace=ws)
    request = register_request(crash_project, "erasure", [f"pii.email={SUBJECT}"], workspace=ws)
    duck = tmp_path / "wh.duckdb"
    rng = random.Random(20261210)
    mid_transaction = {"pg": 0, "warehouse": 0}
    for database in ("pg", "warehouse", "pg", "warehouse"):
        _fill(pg_db, duck)
        full = _counts(pg_db, duck)
        assert full == {"pg": (PG_ROWS // 2, PG_ROWS), "warehouse": (DUCK_ROWS // 2, DUCK_ROWS)}
        lines = _erase(
            crash_project, request.id, env, rng.uniform(0.05, 0.4), f"{database}: erasing"
        )
        after = _counts(pg_db, duck)
        for name, (subject, total) in after.items():
            untouched = (subject, total) == full[name]
            done = subject == 0 and total == full[name][1] - full[name][0]
            assert untouched or done, (name, after, lines)
            started = any(line.startswith(f"{name}: erasing") for line in lines)
            if started and untouched and f"{name}: done" not in lines:
                mid_transaction[name] += 1
        if database == "warehouse":  # killed during the second database: the first is done
            assert after["pg"][0] == 0, lines
    # the kills did land inside each database's transaction
    assert mid_transaction["pg"] >= 1 and mid_transaction["warehouse"] >= 1, mid_transaction
    lines = _erase(crash_project, request.id, env, None, "")
    assert lines[-1].startswith(f"request #{request.id} done"), lines
    assert _counts(pg_db, duck) == {
        "pg": (0, PG_ROWS // 2),
        "warehouse": (0, DUCK_ROWS // 2),
    }
    assert verify_audit(crash_project, workspace=ws).ok
