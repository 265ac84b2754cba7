"""Crash safety: syncs killed at random points, and a writer terminated mid-COPY.

The killed runs are real processes (``python -m app.cli sync run …``) killed with SIGKILL;
after the final successful run the destination must equal the source: same row count, same
key set, no duplicate key, same checksum over every column (computed in SQL).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from app.model.sync_events import DestinationRetry
from tests.conftest import REPO
from tests.sync.conftest import Harness, pg_connector, pg_exec, pg_rows

pytestmark = pytest.mark.postgres

ROWS = 1_000_000
CHECKSUM = (
    "SELECT count(*), count(DISTINCT id), sum(id), "
    "md5(string_agg(md5(concat_ws('|', id, name, amount, ts)), '' ORDER BY id)) FROM {}"
)


def _make_source(db: dict[str, Any], rows: int) -> None:
    pg_exec(
        db,
        "CREATE SCHEMA src",
        "CREATE SCHEMA dst",
        "CREATE TABLE src.big (id bigint PRIMARY KEY, name text, amount numeric(14,2), "
        "ts timestamptz NOT NULL)",
        f"INSERT INTO src.big SELECT i, 'name ' || i || repeat('x', i % 17), "
        f"(i % 100000) / 7.0, timestamptz '2026-01-01' + i * interval '1 ms' "
        f"FROM generate_series(1, {rows}) i",
    )


def _assert_equal(db: dict[str, Any], table: str) -> None:
    assert pg_rows(db, CHECKSUM.format(table)) == pg_rows(db, CHECKSUM.format("src.big"))
    assert pg_rows(
        db, f"SELECT count(*) FROM (SELECT id FROM {table} GROUP BY id HAVING count(*) > 1) d"
    ) == [(0,)]


def _command(db: dict[str, Any], table: str, mode: str) -> list[str]:
    url = f"postgresql://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"
    extra = ["--key", "id", "--cursor", "ts"] if mode == "merge" else []
    return [
        sys.executable,
        "-m",
        "app.cli",
        "sync",
        "run",
        "--source",
        url,
        "--source-table",
        "src.big",
        "--dest",
        url,
        "--dest-table",
        table,
        "--mode",
        mode,
        *extra,
    ]


def _run_and_kill(cmd: list[str], delay: float) -> bool:
    """Start the sync, SIGKILL it after ``delay`` s; True when it finished before the kill."""
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    try:
        proc.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return False


@pytest.mark.slow
def test_sigkill_at_random_points_then_exact(pg_db: dict[str, Any]) -> None:
    _make_source(pg_db, ROWS)
    rng = random.Random(20261127)
    killed = 0
    for mode, table, kills in (("full", "dst.full_copy", 5), ("merge", "dst.merged", 6)):
        cmd = _command(pg_db, table, mode)
        upper, mode_kills, round_ = 5.0, 0, 0
        while mode_kills < kills and round_ < kills * 4:
            if mode == "merge" and round_:
                # the source keeps changing between crashes: updates move the cursor
                pg_exec(
                    pg_db,
                    f"UPDATE src.big SET name = name || '+', ts = now() "
                    f"WHERE id % 97 = {round_ % 97}",
                )
            round_ += 1
            started = time.perf_counter()
            if _run_and_kill(cmd, rng.uniform(min(0.8, upper / 2), upper)):
                # the sync was faster than the kill: aim the next kills inside its duration
                # (a merge of the few changed rows takes well under a second)
                upper = max(0.4, 0.9 * (time.perf_counter() - started))
            else:
                mode_kills += 1
        killed += mode_kills
        final = subprocess.run(
            [*cmd, "--json"], cwd=REPO, capture_output=True, text=True, timeout=300
        )
        assert final.returncode == 0, final.stderr
        # the killed runs and this one took the PostgreSQL -> PostgreSQL fast path
        assert json.loads(final.stdout)["destinations"][0]["path"] == "native"
        _assert_equal(pg_db, table)
    assert killed >= 10, f"only {killed} runs were killed before finishing"
    leftovers = pg_rows(
        pg_db,
        "SELECT relname FROM pg_class WHERE relname LIKE '%cauce_stage%' "
        "OR relname LIKE '%cauce_new%'",
    )
    assert leftovers == []


@pytest.mark.parametrize(
    ("victim", "native"), [("writer", True), ("reader", True), ("writer", False)]
)
def test_backend_terminated_mid_copy_is_retried(
    pg_db: dict[str, Any], victim: str, native: bool
) -> None:
    """The destination's ``COPY … FROM STDIN`` (or, on the fast path, the source's
    ``COPY … TO STDOUT``) is killed with ``pg_terminate_backend``: retried, exact."""
    _make_source(pg_db, 300_000)
    source, dest = pg_connector(pg_db, "src", "cauce-src"), pg_connector(pg_db, "dst", "cauce-dst")
    app, pattern = {
        "writer": ("cauce-dst", "COPY%FROM STDIN%"),
        "reader": ("cauce-src", "COPY%TO STDOUT%"),
    }[victim]
    killed: list[int] = []
    stop = threading.Event()

    def assassin() -> None:
        while not stop.is_set() and not killed:
            rows = pg_rows(
                pg_db,
                f"SELECT pid FROM pg_stat_activity WHERE application_name = "
                f"'{app}' AND query ILIKE '{pattern}' AND state = 'active'",
            )
            for (pid,) in rows:  # still in the COPY (``query`` keeps the last one when idle)
                pg_exec(pg_db, f"SELECT pg_terminate_backend({int(pid)})")
                killed.append(pid)
            time.sleep(0.01)

    thread = threading.Thread(target=assassin)
    thread.start()
    try:
        h = Harness({"src": source, "dst": dest})
        events = h.events
        report = h.run(
            {
                "name": "victim",
                "source": {"connection": "src", "table": "src.big"},
                "destinations": [{"connection": "dst", "table": "dst.victim"}],
                "mode": "merge",
                "primary_key": ["id"],
                "cursor": "ts",
            },
            native=native,
        )
    finally:
        stop.set()
        thread.join()
    assert killed, "the writer was never caught mid-COPY"
    assert report.ok, report.error
    assert report.destinations[0].attempts == 2
    assert report.destinations[0].path == ("native" if native else "arrow")
    assert [e.attempt for e in events if isinstance(e, DestinationRetry)] == [1]
    _assert_equal(pg_db, "dst.victim")


def test_retry_event_is_published(pg_db: dict[str, Any]) -> None:
    """A refused connection is transient: retried with backoff, then reported as failed."""
    _make_source(pg_db, 10)
    bad = pg_connector({**pg_db, "port": 1}, "dst")
    h = Harness({"src": pg_connector(pg_db, "src"), "dst": bad})
    report = h.run(
        {
            "name": "nowhere",
            "source": {"connection": "src", "table": "src.big"},
            "destinations": [{"connection": "dst", "table": "t"}],
        },
        retries=2,
    )
    assert report.status == "failed"
    retries = [e for e in h.events if isinstance(e, DestinationRetry)]
    assert [e.attempt for e in retries] == [1, 2]
