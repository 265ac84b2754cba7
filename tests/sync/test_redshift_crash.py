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
from typing import Any

import pytest

from tests.sync.conftest import pg_rows
from tests.sync.crash_rounds import (
    SOURCE,
    change_source,
    create_source,
    final_run,
    kill_rounds,
    sync_command,
)

pytestmark = pytest.mark.postgres

CHECKSUM = (
    "SELECT count(*), count(DISTINCT id), sum(id), "
    "md5(string_agg(md5(concat_ws('|', id, name, amount, ts)), '' ORDER BY id)) FROM {}"
)


def _command(db: dict[str, Any], bouncer: dict[str, Any], table: str, mode: str) -> list[str]:
    dest = f"redshift://{bouncer['user']}@{bouncer['host']}:{bouncer['port']}/{db['dbname']}"
    return sync_command(
        "tests.sync.redshift_cli", db, f"{dest}?ssl=false&insert_rows=500", table, mode
    )


def _checksum(db: dict[str, Any], table: str) -> Any:
    exists = pg_rows(db, f"SELECT to_regclass('{table}') IS NOT NULL")[0][0]
    return pg_rows(db, CHECKSUM.format(table)) if exists else None


def _whole_or_untouched(db: dict[str, Any], table: str, before: list[Any]) -> None:
    now = _checksum(db, table)
    source = pg_rows(db, CHECKSUM.format(SOURCE))
    # a missing target is created (empty) before the load, outside the transaction — a
    # warehouse commits at DDL — so a first run killed mid-load may leave it empty
    empty = [(0, 0, None, None)] if before is None else before
    assert now in (before, empty, source), f"{table} is half written: {now}"


def test_sigkill_mid_load_leaves_the_redshift_destination_whole(
    pg_db: dict[str, Any], pgbouncer: dict[str, Any]
) -> None:
    create_source(pg_db)
    env = {**os.environ, "CAUCE_SECRET_DEST_PASSWORD": str(pgbouncer["password"])}
    rng = random.Random(20261207)
    phases: list[str] = []
    for mode, table in (("full", "dst.full_copy"), ("merge", "dst.merged")):
        cmd = _command(pg_db, pgbouncer, table, mode)
        killed = kill_rounds(
            cmd,
            env,
            rng,
            snapshot=lambda table=table: _checksum(pg_db, table),
            check=lambda before, table=table: _whole_or_untouched(pg_db, table, before),
            change=(lambda r: change_source(pg_db, r, new_keys=100)) if mode == "merge" else None,
        )
        assert "writing" in killed, f"no {mode} run was killed while writing: {killed}"
        phases += killed
        final = final_run(cmd, env)
        assert json.loads(final.stdout)["destinations"][0]["rows"] >= 0
        assert pg_rows(pg_db, CHECKSUM.format(table)) == pg_rows(pg_db, CHECKSUM.format(SOURCE))
    killed = len(phases)
    assert killed >= 2, f"only {killed} runs were killed before finishing"
    leftovers = pg_rows(
        pg_db,
        "SELECT relname FROM pg_class WHERE relname LIKE '%cauce_stage%' AND relpersistence = 'p'",
    )
    assert leftovers == []
