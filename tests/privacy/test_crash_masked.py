"""A crash of a run or a sync (a bug no runner step handles) reaches the CLI with the run's
tagged values masked, its traceback still shown: a bug is injected into a real ``cauce``
process, after the run has read Chinook's customers, raising an error that quotes the
canary e-mail, and the process's output is searched for it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path
from typing import Any

import pytest

from app.model.pipeline import Pipeline
from app.services.crash_masking import MaskedCrash, mask_exception
from app.services.projects import open_document
from app.services.query_recording import RunAnalytics
from app.services.runs import run_document_pipeline
from app.services.workspace import Workspace
from app.storage.value_redaction import value_redactor
from tests.privacy.test_runs_masked import CANARY, _save
from tests.privacy.test_sync_masks import _sync
from tests.retention.conftest import pg_exec

#: the bug: ``TARGET`` (module, class, method) raises, quoting the canary as a value and bare
BUG = """
import sys
import importlib

module, cls, method = sys.argv[1:4]
owner = getattr(importlib.import_module(module), cls)
original = getattr(owner, method)

def broken(self, *args, **kwargs):
    original(self, *args, **kwargs)
    raise RuntimeError("cannot judge the row %r of %s" % ({canary!r}, {canary!r}))

setattr(owner, method, broken)
from app.cli import main
main(sys.argv[4:])
"""


def _cauce(tmp_path: Path, target: tuple[str, str, str], *args: str) -> tuple[int, str]:
    env = {
        **os.environ,
        "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "CAUCE_MASTER_KEY": "a passphrase for the crash tests",
    }
    script = textwrap.dedent(BUG).replace("{canary!r}", repr(CANARY))
    proc = subprocess.run(
        [sys.executable, "-c", script, *target, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return proc.returncode, proc.stdout + proc.stderr


def _assert_masked_traceback(code: int, output: str) -> None:
    assert code != 0, output
    assert "Traceback (most recent call last)" in output, output  # a bug is shown as one
    assert "in broken" in output and "RuntimeError: cannot judge the row" in output, output
    assert "'****' of ****" in output, output
    assert CANARY not in output, output


def test_a_crashing_project_run_shows_its_traceback_masked(project: Path, tmp_path: Path) -> None:
    """Chinook's customers (SQLite, e-mail tagged) into the DuckDB warehouse; the bug strikes
    after the run, as its statements are judged."""
    p = Pipeline(name="people")
    src = p.add_node("source", name="src", params={"connection": "chinook", "table": "Customer"})
    dst = p.add_node(
        "destination",
        name="dst",
        params={"connection": "warehouse", "table": "people", "mode": "replace"},
    )
    p.connect(src.id, "out", dst.id, "in")
    _save(project, p)
    target = ("app.services.query_recording", "RunAnalytics", "judge")
    code, output = _cauce(tmp_path, target, "--run-project", str(project))
    _assert_masked_traceback(code, output)


def test_a_crashing_sync_shows_its_traceback_masked(
    pg_project: Path, chinook_pg: dict[str, Any], tmp_path: Path
) -> None:
    """Chinook's customers PostgreSQL -> PostgreSQL; the bug strikes once the rows moved."""
    pg_exec(chinook_pg, "CREATE TABLE customer_copy (LIKE customer INCLUDING ALL)")
    _sync(pg_project, [], mode="merge", primary_key=["customer_id"])
    target = ("app.engine.sync.runner", "SyncRunner", "run")
    code, output = _cauce(
        tmp_path, target, "sync", "run", "customers", "--project", str(pg_project)
    )
    _assert_masked_traceback(code, output)


class _Opaque(Exception):
    """A bug whose text does not come from its arguments."""

    def __init__(self, row: tuple[str, ...]) -> None:
        super().__init__()
        self.rows = [row]

    def __str__(self) -> str:
        return f"bad row {self.rows[0]}"


def test_an_exception_that_cannot_be_masked_in_place_is_replaced() -> None:
    with value_redactor().scope(["email"]) as scope:
        scope.observe([CANARY])
        try:
            try:
                raise KeyError(CANARY)
            except KeyError as cause:
                raise ValueError(f"lookup of {CANARY} failed") from cause
        except ValueError as err:
            same = mask_exception(err)
            assert same is err and CANARY not in str(err) + str(err.__cause__)
        masked = mask_exception(_Opaque(("1", CANARY)))
    assert isinstance(masked, MaskedCrash)
    assert CANARY not in str(masked) and "bad row ('1', '****')" in str(masked)
    assert mask_exception(_Opaque(("1", CANARY))).rows  # no scope open: left as it is


def test_a_crashing_editor_run_raises_its_error_masked(
    project: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor's (and a notebook's) run: the same bug, the exception the editor shows."""

    def broken(self: Any, *args: Any) -> None:
        raise RuntimeError(f"cannot judge the row {CANARY!r} of {CANARY}")

    monkeypatch.setattr(RunAnalytics, "judge", broken)
    p = Pipeline(name="people")
    src = p.add_node("source", name="src", params={"connection": "chinook", "table": "Customer"})
    dst = p.add_node(
        "destination",
        name="dst",
        params={"connection": "warehouse", "table": "people", "mode": "replace"},
    )
    p.connect(src.id, "out", dst.id, "in")
    _save(project, p)
    doc = open_document(project, workspace=ws)
    with pytest.raises(RuntimeError) as raised:
        run_document_pipeline(doc, p, workspace=ws)
    shown = "".join(traceback.format_exception(raised.value))
    assert "cannot judge the row '****' of ****" in shown and CANARY not in shown
