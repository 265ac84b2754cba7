"""Crash safety of a warehouse destination: syncs into Redshift — the real driver, through
PgBouncer to PostgreSQL — killed with SIGKILL at random points mid-load, in full and merge
modes; each killed run leaves the destination as it was (a table the first run created may
stay empty) or complete, and the next run makes
it equal to the source (row count, keys, a checksum over every column, computed in SQL).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from tests.conftest import REPO
from tests.sync.conftest import pg_exec, pg_rows

pytestmark = pytest.mark.postgres

ROWS = 60_000
CHECKSUM = (
    "SELECT count(*), count(DISTINCT id), sum(id), "
    "md5(string_agg(md5(concat_ws('|', id, name, amount, ts)), '' ORDER BY id)) FROM {}"
)


def _command(db: dict[str, Any], bouncer: dict[str, Any], table: str, mode: str) -> list[str]:
    source = f"postgresql://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"
    dest = f"redshift://{bouncer['user']}@{bouncer['host']}:{bouncer['port']}/{db['dbname']}"
    extra = ["--key", "id", "--cursor", "ts"] if mode == "merge" else []
    return [
        sys.executable,
        "-m",
        "tests.sync.redshift_cli",
        "sync",
        "run",
        "--source",
        source,
        "--source-table",
        "src.big",
        "--dest",
        f"{dest}?ssl=false&insert_rows=500",
        "--dest-table",
        table,
        "--mode",
        mode,
        *extra,
    ]


def _run_and_kill(cmd: list[str], env: dict[str, str], delay: float) -> bool:
    """Start the sync, SIGKILL it after ``delay`` s; True when it finished before the kill."""
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        proc.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return False


def _whole_or_untouched(db: dict[str, Any], table: str, before: list[Any]) -> None:
    exists = pg_rows(db, f"SELECT to_regclass('{table}') IS NOT NULL")[0][0]
    now = pg_rows(db, CHECKSUM.format(table)) if exists else None
    source = pg_rows(db, CHECKSUM.format("src.big"))
    # a missing target is created (empty) before the load, outside the transaction — a
    # warehouse commits at DDL — so a first run killed mid-load may leave it empty
    empty = [(0, 0, None, None)] if before is None else before
    assert now in (before, empty, source), f"{table} is half written: {now}"


def test_sigkill_mid_load_leaves_the_redshift_destination_whole(
    pg_db: dict[str, Any], pgbouncer: dict[str, Any]
) -> None:
    pg_exec(
        pg_db,
        "CREATE SCHEMA src",
        "CREATE SCHEMA dst",
        "CREATE TABLE src.big (id bigint PRIMARY KEY, name text, amount numeric(14,2), "
        "ts timestamptz NOT NULL)",
        f"INSERT INTO src.big SELECT i, 'name ' || i || repeat('x', i % 17), "
        f"(i % 100000) / 7.0, timestamptz '2026-01-01' + i * interval '1 ms' "
        f"FROM generate_series(1, {ROWS}) i",
    )
    env = {**os.environ, "CAUCE_SECRET_DEST_PASSWORD": str(pgbouncer["password"])}
    rng = random.Random(20261207)
    killed = 0
    for mode, table in (("full", "dst.full_copy"), ("merge", "dst.merged")):
        cmd = _command(pg_db, pgbouncer, table, mode)
        upper, kills, round_ = 4.0, 0, 0
        while kills < 3 and round_ < 12:
            if mode == "merge" and round_:
                pg_exec(
                    pg_db,
                    f"UPDATE src.big SET name = name || '+', ts = now() "
                    f"WHERE id % 13 = {round_ % 13}",
                )
            round_ += 1
            exists = pg_rows(pg_db, f"SELECT to_regclass('{table}') IS NOT NULL")[0][0]
            before = pg_rows(pg_db, CHECKSUM.format(table)) if exists else None
            started = time.perf_counter()
            if _run_and_kill(cmd, env, rng.uniform(min(0.8, upper / 2), upper)):
                upper = max(0.5, 0.9 * (time.perf_counter() - started))
            else:
                kills += 1
                _whole_or_untouched(pg_db, table, before)
        killed += kills
        final = subprocess.run(
            [*cmd, "--json"], cwd=REPO, capture_output=True, text=True, timeout=300, env=env
        )
        assert final.returncode == 0, final.stderr[-2000:]
        assert json.loads(final.stdout)["destinations"][0]["rows"] >= 0
        assert pg_rows(pg_db, CHECKSUM.format(table)) == pg_rows(pg_db, CHECKSUM.format("src.big"))
    assert killed >= 4, f"only {killed} runs were killed before finishing"
    leftovers = pg_rows(
        pg_db,
        "SELECT relname FROM pg_class WHERE relname LIKE '%cauce_stage%' AND relpersistence = 'p'",
    )
    assert leftovers == []
