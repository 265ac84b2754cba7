"""``kill -9`` in the middle of a retention run loses no row: every expired row is still in
its table or in an archive file on disk (both, for the batch the process died in); the next
run marks the dead one abandoned, lists the files it left, and finishes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from app.services.retention import list_runs, make_policy, save_policy
from app.services.retention_runs import run_policies
from app.services.workspace import Workspace
from app.storage.retention_archive import part_files, read_part

from .conftest import REPO, maria, maria_rows, pg_exec, pg_rows

KEEP_DAYS = 3 * 365  # from today (late 2026 or later): the invoices of 2021 and 2022 at least


def _cli_run(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "retention", "run", str(project), "old"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
    )


def _kill_after(project: Path, batches: int, delay: float) -> None:
    """Start a run and SIGKILL it ``delay`` seconds after it reported ``batches`` batches (it
    is then in the next one: deleting, writing its file, committing, or recording it)."""
    proc = _cli_run(project)
    assert proc.stdout is not None
    seen = 0
    try:
        for line in proc.stdout:
            if ": batch " in line:
                seen += 1
                if seen == batches:
                    time.sleep(delay)
                    break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert seen == batches, proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL


def _archived(project: Path, ws: Workspace, key: str) -> dict[Any, dict[str, Any]]:
    """Every row in every archive file on disk (recorded or not), by key."""
    found: dict[Any, dict[str, Any]] = {}
    for run in list_runs(project, workspace=ws):
        for path in part_files(Path(run.archive_dir)):
            for row in read_part(path).to_pylist():
                found[row[key]] = row
    return found


@pytest.mark.parametrize("system", ["postgres", "mariadb"])
def test_kill_9_between_and_inside_batches_loses_no_row(
    system: str, request: pytest.FixtureRequest, ws: Workspace
) -> None:
    if system == "postgres":
        project: Path = request.getfixturevalue("pg_project")
        db = request.getfixturevalue("chinook_pg")
        pg_exec(db, "ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_invoice_id_fkey")
        connection, table, column, key = "pgshop", "invoice", "invoice_date", "invoice_id"

        def table_rows(where: str = "") -> dict[Any, dict[str, Any]]:
            names = ["invoice_id", "customer_id", "invoice_date", "billing_address",
                     "billing_city", "billing_state", "billing_country",
                     "billing_postal_code", "total"]  # fmt: skip
            rows = pg_rows(db, f"SELECT {', '.join(names)} FROM invoice {where}")
            return {r[0]: dict(zip(names, r, strict=True)) for r in rows}
    else:
        project = request.getfixturevalue("maria_project")
        database = request.getfixturevalue("chinook_maria")
        with maria(database) as con, con.cursor() as cur:
            cur.execute("ALTER TABLE InvoiceLine DROP FOREIGN KEY FK_InvoiceLineInvoiceId")
        connection, table, column, key = "mariashop", "Invoice", "InvoiceDate", "InvoiceId"

        def table_rows(where: str = "") -> dict[Any, dict[str, Any]]:
            with maria(database) as con, con.cursor() as cur:
                cur.execute(f"SELECT * FROM Invoice {where}")
                names = [d[0] for d in cur.description]
                return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}

    before = table_rows()
    save_policy(
        project,
        make_policy(
            name="old",
            connection=connection,
            table=table,
            date_column=column,
            keep_days=KEEP_DAYS,
            batch_rows=4,
        ),
        workspace=ws,
    )
    for batches, delay in ((2, 0.0), (3, 0.004), (4, 0.008), (5, 0.015), (6, 0.03)):
        _kill_after(project, batches, delay)
        runs = list_runs(project, workspace=ws)
        cutoff = runs[0].cutoff.replace(tzinfo=None)
        expected = {k: r for k, r in before.items() if r[column] < cutoff}
        assert len(expected) >= 2 * 83  # 2021, 2022 and most of 2023
        kept = table_rows()
        archived = _archived(project, ws, key)
        # nothing lost, nothing but expired rows archived, every value as it was
        assert set(expected) <= set(kept) | set(archived)
        assert set(archived) <= set(expected)
        assert all(archived[k] == expected[k] for k in archived)
        assert set(before) - set(expected) <= set(kept)
        assert len(archived) >= 4 * batches
    # the next run reaps the dead ones, lists their files, and finishes the job
    [report] = run_policies(project, workspace=ws)
    assert report.ok, report.error
    runs = list_runs(project, workspace=ws)
    assert [r.status for r in runs] == ["succeeded"] + ["abandoned"] * 5
    assert all("abandoned" in (r.error or "") for r in runs[1:])
    for run in runs:  # every file on disk is in a proof record, with its checksum
        on_disk = {p.name for p in part_files(Path(run.archive_dir))}
        assert on_disk == {f.file_name for f in run.files}
        assert not list(Path(run.archive_dir).glob("*.tmp"))
    archived = _archived(project, ws, key)
    assert set(archived) == set(expected) and all(archived[k] == expected[k] for k in archived)
    if system == "postgres":
        assert not set(table_rows(f"WHERE invoice_date < '{cutoff.isoformat()}'"))
    else:
        assert maria_rows(
            database, f"SELECT count(*) FROM Invoice WHERE InvoiceDate < '{cutoff}'"
        ) == [(0,)]
    assert set(table_rows()) == set(before) - set(expected)
