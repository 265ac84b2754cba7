"""What the SIGKILL crash tests of the warehouse destinations share (Redshift, Snowflake,
BigQuery): the source table in PostgreSQL and how it changes between rounds, rows in one
canonical form with a checksum computed in Python, and the rounds themselves — ``cauce sync
run`` started in a subprocess and killed with SIGKILL after a random delay, its destination
checked after every kill.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from tests.conftest import REPO
from tests.sync.conftest import pg_exec, pg_rows

ROWS = 60_000
SOURCE = "src.big"
COLUMNS = "id, name, amount, ts"
#: a destination row: key, text, exact decimal (normalized: the value, not its scale), UTC time
Row = tuple[int, str, str, str]
T = TypeVar("T")


def create_source(db: dict[str, Any], rows: int = ROWS) -> None:
    pg_exec(
        db,
        "CREATE SCHEMA src",
        "CREATE SCHEMA dst",
        f"CREATE TABLE {SOURCE} (id bigint PRIMARY KEY, name text, amount numeric(14,2), "
        "ts timestamptz NOT NULL)",
        f"INSERT INTO {SOURCE} SELECT i, 'name ' || i || repeat('x', i % 17), "
        f"(i % 100000) / 7.0, timestamptz '2026-01-01' + i * interval '1 ms' "
        f"FROM generate_series(1, {rows}) i",
    )


def change_source(db: dict[str, Any], round_: int, new_keys: int = 0) -> None:
    """Between merge rounds: 1/13 of the rows updated (their cursor moves), and ``new_keys``
    rows added above the largest key."""
    statements = [
        f"UPDATE {SOURCE} SET name = name || '+', ts = now() WHERE id % 13 = {round_ % 13}"
    ]
    if new_keys:
        statements.append(
            f"INSERT INTO {SOURCE} SELECT m + i, 'new ' || (m + i), (m + i) / 3.0, now() "
            f"FROM (SELECT max(id) AS m FROM {SOURCE}) s, generate_series(1, {new_keys}) i"
        )
    pg_exec(db, *statements)


def canonical(row: Sequence[Any]) -> Row:
    """``(id, name, amount, ts)`` as compared across engines: the decimal's exact value (a
    ``Decimal``, never a float), the timestamp in UTC."""
    key, name, amount, ts = row
    assert isinstance(amount, Decimal), f"{amount!r} is not an exact decimal"
    assert isinstance(ts, dt.datetime) and ts.tzinfo is not None, ts
    return (int(key), str(name), str(amount.normalize()), ts.astimezone(dt.UTC).isoformat())


def source_rows(db: dict[str, Any]) -> list[Row]:
    return [canonical(r) for r in pg_rows(db, f"SELECT {COLUMNS} FROM {SOURCE} ORDER BY id")]


def checksum(rows: Iterable[Row]) -> tuple[int, int, int, str]:
    """Row count, distinct keys, key sum and an md5 over every column of every row (rows in
    key order)."""
    ordered = sorted(rows)
    digest = hashlib.md5(usedforsecurity=False)
    for row in ordered:
        digest.update("|".join(map(str, row)).encode() + b"\n")
    keys = [r[0] for r in ordered]
    return len(ordered), len(set(keys)), sum(keys), digest.hexdigest()


def sync_command(cli: str, db: dict[str, Any], dest: str, table: str, mode: str) -> list[str]:
    """``python -m <cli> sync run`` from :data:`SOURCE` in ``db`` to ``table`` of ``dest``
    (a connection URL), in ``mode`` (a merge keyed on ``id``, its cursor ``ts``)."""
    source = f"postgresql://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"
    extra = ["--key", "id", "--cursor", "ts"] if mode == "merge" else []
    return [
        sys.executable, "-m", cli, "sync", "run", "--source", source, "--source-table", SOURCE,
        "--dest", dest, "--dest-table", table, "--mode", mode, *extra,
    ]  # fmt: skip


def run_and_kill(
    cmd: list[str], env: dict[str, str], delay: float
) -> tuple[bool, list[tuple[float, str]]]:
    """Start the sync, SIGKILL it after ``delay`` s: whether it finished before the kill, and
    the lines it wrote to stderr (its progress, unbuffered), each with the seconds since the
    start at which it came."""
    env = {**env, "CAUCE_LANG": "en", "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    lines: list[tuple[float, str]] = []

    def collect() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            lines.append((time.perf_counter() - started, raw.decode(errors="replace")))

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    try:
        proc.wait(timeout=delay)
        finished = True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finished = False
    reader.join(timeout=10)
    return finished, lines


def phase(lines: list[str]) -> str:
    """Where a killed run was, from its progress lines: ``written`` (the destination
    reported), ``writing`` (the source read, the destination not reported: the load, the
    merge or swap, the state), ``reading``, ``starting``.

    >>> phase(["[10:00:01] sync a->b: started (merge, 1 destination(s))",
    ...        "[10:00:03]   read 60,000 rows in 1.2 s"])
    'writing'
    >>> phase(["[10:00:01] sync a->b: started (full, 1 destination(s))"])
    'reading'
    """
    if any(_DEST.match(line) for line in lines):
        return "written"
    if any(_READ.match(line) for line in lines):
        return "writing"
    return "reading" if any("started (" in line for line in lines) else "starting"


_DEST = re.compile(r"\[[\d:]+\]\s+dest:")
_READ = re.compile(r"\[[\d:]+\]\s+read [\d,]+ rows")


def kill_rounds(
    cmd: list[str],
    env: dict[str, str],
    rng: random.Random,
    *,
    snapshot: Callable[[], T],
    check: Callable[[T], None],
    change: Callable[[int], None] | None = None,
    kills: int = 1,
    rounds: int = 24,
    upper: float = 4.0,
) -> list[str]:
    """Rounds of ``cmd`` killed after a random delay until ``kills`` runs were killed
    mid-way, one of them while writing the destination; ``check(snapshot())`` after each kill,
    with the snapshot taken before the run; ``change(round)`` before each round but the first.
    Returns the :func:`phase` of each killed run.

    The delay follows the runs: until one finishes it is drawn below ``upper``, raised by a
    third after each kill that came before any row was read; then between a little before
    the last finished run read its rows (Python's start and the read take half a run or
    more) and just before it ended, so most kills land in the write: the load, the merge or
    swap, the state. ``rounds`` caps a search that keeps missing (a loaded machine's start-up
    varies by seconds): it ends at the first kill in the write, usually within a few rounds."""
    phases: list[str] = []
    low, high = 0.5 * upper, upper
    round_ = 0
    while (len(phases) < kills or "writing" not in phases) and round_ < rounds:
        if change is not None and round_:
            change(round_)
        round_ += 1
        before = snapshot()
        finished, lines = run_and_kill(cmd, env, rng.uniform(low, high))
        if finished:
            took = lines[-1][0] if lines else high
            read = next((t for t, line in lines if _READ.match(line)), 0.5 * took)
            low, high = 0.8 * read, 0.97 * took
            continue
        phases.append(phase([line for _, line in lines]))
        check(before)
        if phases[-1] in ("starting", "reading"):
            low, high = low * 4 / 3, min(high * 4 / 3, 120.0)
    return phases


def final_run(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The uninterrupted run after the kills (``--json`` report)."""
    done = subprocess.run(
        [*cmd, "--json"], cwd=REPO, capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done
