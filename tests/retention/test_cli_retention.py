"""``cauce retention`` as the docs write it, against Chinook in PostgreSQL: add (with an
encrypted archive), list, preview, run --dry-run, run, runs, verify, read, remove; bad input
exits 2 naming what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from click.testing import CliRunner

from app.cli import cli

from .conftest import pg_exec, pg_rows


def invoke(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return done.exit_code, done.stdout + done.stderr


def test_the_commands_of_the_docs(
    pg_project: Path, chinook_pg: dict[str, Any], secret_env: None, tmp_path: Path
) -> None:
    pg_exec(chinook_pg, "ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_invoice_id_fkey")
    project = str(pg_project)
    add = ["retention", "add", project, "old-invoices", "-c", "pgshop", "-t", "invoice"]
    add += ["--column", "invoice_date", "--keep-days", "1500", "--at", "02:30"]
    add += ["--timezone", "Europe/Madrid", "--batch-rows", "60", "--encrypt"]
    code, out = invoke(*add)
    assert code == 2 and "cauce retention key create chinook" in out
    code, out = invoke("retention", "key", "create", project)
    assert code == 0 and "created" in out
    code, out = invoke("retention", "key", "create", project)
    assert code == 0 and "already has" in out
    code, out = invoke(*add)
    assert code == 0 and "'old-invoices' added" in out

    code, out = invoke("retention", "list", project)
    assert code == 0 and "pgshop.invoice.invoice_date" in out and "02:30 Europe/Madrid" in out
    assert "never run" in out

    code, out = invoke("retention", "preview", project, "--json")
    [preview] = json.loads(out)
    cutoff = preview["cutoff"]
    expected = pg_rows(
        chinook_pg, "SELECT count(*) FROM invoice WHERE invoice_date < %s::timestamptz", (cutoff,)
    )[0][0]
    assert code == 0 and preview["rows"] == expected > 0

    code, out = invoke("retention", "run", project, "--dry-run")
    assert code == 0 and f"dry run: {expected} rows older than" in out
    assert pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0] == 412

    code, out = invoke("retention", "run", project, "old-invoices")
    assert code == 0, out
    assert f"{expected} rows archived, {expected} deleted" in out
    assert out.count(": batch ") == -(-expected // 60)
    assert pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0] == 412 - expected

    code, out = invoke("retention", "runs", project, "--json")
    [run] = json.loads(out)
    assert code == 0 and run["status"] == "succeeded" and run["encrypted"]
    assert run["rows_deleted"] == expected and run["cutoff"] == cutoff
    code, out = invoke("retention", "verify", project, str(run["id"]))
    assert code == 0 and "every checksum matches" in out
    target = tmp_path / "back" / "old.parquet"
    code, out = invoke("retention", "read", project, str(run["id"]), "-o", str(target))
    assert code == 0 and f"{expected} rows written" in out
    assert pq.read_table(target).num_rows == expected
    code, out = invoke("retention", "read", project, str(run["id"]), "-o", str(tmp_path / "x.txt"))
    assert code == 2 and ".parquet or a .csv" in out

    code, out = invoke("retention", "remove", project, "old-invoices")
    assert code == 0
    code, out = invoke("retention", "remove", project, "old-invoices")
    assert code == 2 and "no retention policy named 'old-invoices'" in out
    code, out = invoke("retention", "runs", project)
    assert code == 0 and "old-invoices" in out  # the proof outlives the policy


def test_bad_input_is_named(pg_project: Path, chinook_pg: dict[str, Any], secret_env: None) -> None:
    project = str(pg_project)
    base = ["retention", "add", project, "p", "-c", "pgshop", "-t", "invoice", "--keep-days"]
    code, out = invoke(*base, "30", "--column", "billing_city")
    assert code == 2 and "not a date or a timestamp" in out
    code, out = invoke(*base, "0", "--column", "invoice_date")
    assert code == 2 and "keep_days" in out
    code, out = invoke(*base, "30", "--column", "invoice_date", "--at", "7pm")
    assert code == 2 and "HH:MM" in out
    code, out = invoke("retention", "run", project, "nothing")
    assert code == 2 and "no retention policy named 'nothing'" in out
    code, out = invoke("retention", "list", project)
    assert code == 0 and "no retention policies" in out
