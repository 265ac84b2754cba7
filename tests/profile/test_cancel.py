"""Ctrl+C mid-profile: the running DuckDB query is interrupted, the command exits 130 with
one line, promptly (not after the profile would have finished)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import REPO


def test_sigint_stops_the_profile(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "big.duckdb"))
    con.execute("CREATE TABLE big AS SELECT i AS id, md5(CAST(i AS VARCHAR)) AS h, "
                "md5(CAST(i * 7 AS VARCHAR)) AS h2 FROM range(6000000) r(i)")
    con.close()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "C", "LANGUAGE": "en"}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "profile", "duckdb:///big.duckdb",
                             "--table", "big"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # the first progress line: the statistics scan is running
    assert "[1/" in line, line
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    waited = time.monotonic() - sent
    assert proc.returncode == 130, (out, err)
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines[-1] == "interrupted: the profile was cancelled", err
    assert "Traceback" not in err and out == ""
    assert waited < 10, waited
