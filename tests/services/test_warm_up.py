"""``warm_up``: a long-lived process loads the run path before its first run (issue #16's
"a run started through the API is running in < 200 ms", measured by bench/api.py), and a
part that cannot load is logged, never raised."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from tests.conftest import REPO

PROBE = """
import json, sys
from app.services.warm_up import warm_up
before = set(sys.modules)
warm_up()
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_warm_up_loads_the_run_path_in_a_fresh_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout))
    for module in (
        "app.services.runs",
        "app.engine.local",
        "app.engine.executor",
        "app.storage.repository",
        "sqlglot.dialects.duckdb",
        "duckdb",
    ):
        assert module in loaded, module


def test_a_part_that_cannot_load_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import duckdb

    from app.services import warm_up as module

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("no memory for a database")

    monkeypatch.setattr(duckdb, "connect", broken)
    with caplog.at_level(logging.WARNING, logger=module.__name__):
        module.warm_up()
    assert "warming up the run path failed" in caplog.text
    assert "no memory for a database" in caplog.text
