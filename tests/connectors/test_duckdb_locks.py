"""Another process's lock on a DuckDB file is waited for (``_locks.waiting_for_lock``): a
write that starts while another process writes the file goes through once the lock is
released, instead of failing the run; a lock held too long is still an error naming it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.connectors.base import WriteMode
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.connectors.duckdb._locks import waiting_for_lock

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS held (x INT)")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_write_waits_for_another_process_s_lock(tmp_path: Path) -> None:
    path = tmp_path / "mart.duckdb"
    holder = _hold(path, 1.5)
    connector = DuckDBConnector(DuckDBConfig(path=str(path)), name="mart")
    rows = pa.table({"n": pa.array([1, 2, 3], pa.int64())})
    connector.write("numbers", rows.to_reader(), mode=WriteMode.REPLACE)
    assert holder.wait(30) == 0
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT sum(n) FROM numbers").fetchone() == (6,)


def test_a_lock_held_too_long_is_the_error_naming_its_holder(tmp_path: Path) -> None:
    path = tmp_path / "mart.duckdb"
    holder = _hold(path, 30)
    try:
        with pytest.raises(duckdb.IOException, match="Could not set lock on file"):
            waiting_for_lock(lambda: duckdb.connect(str(path)), timeout=0.3)
    finally:
        holder.kill()
        holder.wait()


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise duckdb.IOException("Cannot open file: permission denied")

    with pytest.raises(duckdb.IOException, match="permission denied"):
        waiting_for_lock(broken)
    assert calls == [1]
