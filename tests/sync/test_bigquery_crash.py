"""Crash safety of the BigQuery destination on its stand-in (the bqemulator): ``cauce sync
run`` from PostgreSQL into the emulator (``tests/sync/bigquery_cli.py``), killed with SIGKILL at
random points mid-load, in full and merge modes (the source gaining updated and new keys
between merge rounds).

The kill stops Cauce, not the warehouse: a load job or the write's script already sent runs to
its end on the server. After each kill — once the emulator has finished what it was sent — the
destination is as it was (a table the first run created may stay empty) or complete, and the
sync's state moved only with complete data. After a final run the destination equals the
source: count, keys, exact decimals, a checksum over every column. A killed run leaves its
staging table behind (created with a one-day expiration, which the emulator does not
keep). What the stand-in cannot prove — a crash of BigQuery itself mid-script, isolation
from readers during a script — is in docs/connectors.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from typing import Any

import pytest

from app.connectors.base import STATE_TABLE
from app.connectors.bigquery import BigQueryConnector
from tests.sync.conftest import pg_rows
from tests.sync.crash_rounds import (
    COLUMNS,
    SOURCE,
    Row,
    canonical,
    change_source,
    checksum,
    create_source,
    final_run,
    kill_rounds,
    source_rows,
    sync_command,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

Snapshot = tuple[list[Row] | None, list[tuple[Any, ...]]]
TABLES = ("full_copy", "merged")


def _command(db: dict[str, Any], bq: dict[str, Any], table: str, mode: str) -> list[str]:
    dest = f"bigquery://{bq['project']}/{bq['dataset']}?api_endpoint={bq['api_endpoint']}"
    return sync_command(
        "tests.sync.bigquery_cli", db, f"{dest}&anonymous=true&timeout=60", table, mode
    )


def _settled(wh: BigQueryConnector, quiet: float = 2.0, limit: float = 90.0) -> None:
    """Wait until the emulator has finished the jobs a killed run sent it: no job listed for
    ``quiet`` seconds (it lists a query job once it has run)."""
    deadline = time.monotonic() + limit
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        jobs = list(wh.client.list_jobs(all_users=True))
        active = [j for j in jobs if j.state != "DONE"]
        if len(jobs) != seen or active:
            seen, since = len(jobs), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.25)
    raise AssertionError("the emulator kept running jobs")


def _snapshot(wh: BigQueryConnector, table: str) -> Snapshot:
    """The destination's rows (None: no table) and its state rows."""
    names = {t.name for t in wh.list_tables()}
    rows = None
    if table in names:
        found = wh.read(query=f"SELECT {COLUMNS} FROM `{table}`").read_all().to_pylist()
        rows = sorted(canonical(tuple(r.values())) for r in found)
    state: list[tuple[Any, ...]] = []
    if STATE_TABLE in names:
        found = wh.read(query=f"SELECT * FROM `{STATE_TABLE}`").read_all().to_pylist()
        state = sorted(tuple(r.values()) for r in found)
    return rows, state


def _check(db: dict[str, Any], wh: BigQueryConnector, table: str, before: Snapshot) -> None:
    _settled(wh)
    (rows, state), (was, state_was) = _snapshot(wh, table), before
    if rows is None:  # killed before the table was created
        assert was is None and state == state_was, f"{table} vanished"
        return
    complete = checksum(rows) == checksum(source_rows(db))
    assert complete or rows == (was if was is not None else []), f"{table} is half written"
    if state != state_was:
        assert complete, f"the state of {table} moved ahead of its data"


def test_sigkill_mid_load_leaves_the_bigquery_destination_whole(
    pg_db: dict[str, Any], bq_config: dict[str, Any]
) -> None:
    create_source(pg_db)
    wh = BigQueryConnector(BigQueryConnector.Config(**bq_config), name="wh")
    rng = random.Random(20261209)
    phases: list[str] = []
    for mode, table in zip(("full", "merge"), TABLES, strict=True):
        cmd = _command(pg_db, bq_config, table, mode)
        killed = kill_rounds(
            cmd,
            dict(os.environ),
            rng,
            snapshot=lambda table=table: _snapshot(wh, table),
            check=lambda before, table=table: _check(pg_db, wh, table, before),
            change=(lambda r: change_source(pg_db, r, new_keys=100)) if mode == "merge" else None,
            upper=8.0,
        )
        assert "writing" in killed, f"no {mode} run was killed while writing: {killed}"
        phases += killed
        final = final_run(cmd, dict(os.environ))
        report = json.loads(final.stdout)["destinations"][0]
        assert report["status"] == "succeeded" and report["rows"] > 0
        rows, state = _snapshot(wh, table)
        assert rows is not None and checksum(rows) == checksum(source_rows(pg_db))
        assert rows == source_rows(pg_db)
        if mode == "merge":  # the state committed with the data: the source's top cursor
            [(value,)] = [s[2:3] for s in state if s[1] == table]
            top = pg_rows(pg_db, f"SELECT max(ts) FROM {SOURCE}")[0][0]
            assert dt.datetime.fromisoformat(value.replace("Z", "+00:00")) == top
    killed = len(phases)
    assert killed >= 2, f"only {killed} runs were killed before finishing"
    # a killed run leaves its staging table (created with a one-day expiration, which the
    # emulator does not keep: that it expires is not proven here); nothing else
    left = [t.name for t in wh.list_tables() if "__cauce_stage_" in t.name]
    assert len(left) <= killed and all(n.split("__cauce_stage_")[0] in TABLES for n in left)
    assert {t.name for t in wh.list_tables()} - set(left) == {*TABLES, STATE_TABLE}
    wh.close()
    print(f"kills: {phases}; staging tables left by them: {len(left)}")
