"""Ctrl+C mid-profile: the running query is interrupted (DuckDB) or cancelled in the server
(PostgreSQL), the command exits 130 with one line, promptly (not after the profile would have
finished)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO


def _profile_then_interrupt(source: str, cwd: Path) -> tuple[int, str, str, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "C", "LANGUAGE": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "profile", source, "--table", "big"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # the first progress line: the statistics scan is running
    assert "[1/" in line, line
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err, time.monotonic() - sent


def test_sigint_stops_the_profile(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "big.duckdb"))
    con.execute(
        "CREATE TABLE big AS SELECT i AS id, md5(CAST(i AS VARCHAR)) AS h, "
        "md5(CAST(i * 7 AS VARCHAR)) AS h2 FROM range(6000000) r(i)"
    )
    con.close()
    code, out, err, waited = _profile_then_interrupt("duckdb:///big.duckdb", tmp_path)
    assert code == 130, (out, err)
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines[-1] == "interrupted: the profile was cancelled", err
    assert "Traceback" not in err and out == ""
    assert waited < 10, waited


@pytest.mark.postgres
def test_sigint_cancels_the_postgres_query(pg_db: dict[str, object], tmp_path: Path) -> None:
    import psycopg

    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        con.execute(
            "CREATE TABLE big AS SELECT i AS id, md5(i::text) AS h, md5((i * 7)::text) "
            "AS h2 FROM generate_series(1, 3000000) AS g(i)"
        )
    url = f"postgresql://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    code, out, err, waited = _profile_then_interrupt(url, tmp_path)
    assert code == 130, (out, err)
    assert err.splitlines()[-1] == "interrupted: the profile was cancelled", err
    assert waited < 10, waited
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:  # no query left running
        running = con.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
            "AND pid <> pg_backend_pid() AND query LIKE '%%\"big\"%%'",
            [pg_db["dbname"]],
        ).fetchone()
    assert running == (0,)
