"""The scheduler runs a retention policy when its daily time comes, once, recorded as
``schedule`` with the due time it ran for."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.model.retention import cutoff_for
from app.services.retention import list_runs, make_policy, save_policy
from app.services.retention_runs import due_policies, run_due_retention
from app.services.scheduler import Scheduler
from app.services.workspace import Workspace

from .conftest import pg_exec, pg_rows


def test_the_scheduler_runs_a_due_policy_once(
    pg_project: Path, chinook_pg: dict[str, Any], ws: Workspace
) -> None:
    pg_exec(chinook_pg, "ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_invoice_id_fkey")
    policy = make_policy(
        name="nightly",
        connection="pgshop",
        table="invoice",
        date_column="invoice_date",
        keep_days=4 * 365,
        run_at="02:30",
        timezone="Europe/Madrid",
        batch_rows=25,
    )
    save_policy(pg_project, policy, workspace=ws)
    real_now = datetime.now(UTC)
    due_at = policy.next_run(real_now)
    assert due_at is not None and due_at > real_now
    assert due_at.astimezone(policy.zone()).strftime("%H:%M") == "02:30"
    # created now: the time before it is not due; the first 02:30 (Madrid) after it is
    assert due_policies(pg_project, due_at - timedelta(minutes=1), workspace=ws) == []
    clock = due_at + timedelta(minutes=3)
    cutoff = cutoff_for(policy.keep_days, clock)
    expected = pg_rows(
        chinook_pg, "SELECT count(*) FROM invoice WHERE invoice_date < %s", (cutoff,)
    )[0][0]
    assert expected > 0

    scheduler = Scheduler(pg_project, workspace=ws, clock=lambda: clock, housekeeping_seconds=0.2)
    scheduler.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = list_runs(pg_project, workspace=ws)
            if runs and runs[0].status != "running":
                break
            time.sleep(0.2)
        time.sleep(1.0)  # several more housekeeping passes: none may run it again
    finally:
        scheduler.stop()
    [run] = list_runs(pg_project, workspace=ws)
    assert (run.status, run.trigger, run.scheduled_for) == ("succeeded", "schedule", due_at)
    assert (run.cutoff, run.rows_deleted, run.rows_archived) == (cutoff, expected, expected)
    assert pg_rows(
        chinook_pg, "SELECT count(*) FROM invoice WHERE invoice_date < %s", (cutoff,)
    ) == [(0,)]
    # the due time is claimed: asked again, nothing is due until the next day's
    assert run_due_retention(pg_project, clock, workspace=ws) == []
    next_day = due_at + timedelta(days=1, minutes=1)
    assert [p.name for p, _t in due_policies(pg_project, next_day, workspace=ws)] == ["nightly"]


def test_a_database_that_cannot_be_reached_is_a_failed_run_not_a_retry(
    project: Path, ws: Workspace
) -> None:
    from .conftest import add_connection

    add_connection(
        project,
        "gone",
        "postgres",
        {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": "no_such_db_here"},
    )
    policy = make_policy(
        name="gone", connection="gone", table="t", date_column="d", keep_days=1, run_at="03:00"
    )
    save_policy(project, policy, check=False, workspace=ws)
    due_at = policy.next_run(datetime.now(UTC))
    assert due_at is not None
    clock = due_at + timedelta(minutes=1)
    assert run_due_retention(project, clock, workspace=ws) == ["gone"]
    [run] = list_runs(project, workspace=ws)
    assert run.status == "failed" and "no_such_db_here" in (run.error or "")
    assert (run.trigger, run.scheduled_for, run.rows_deleted, run.files) == (
        "schedule",
        due_at,
        0,
        (),
    )
    # the due time was claimed: the next housekeeping does not try again
    assert run_due_retention(project, clock + timedelta(minutes=1), workspace=ws) == []
    assert len(list_runs(project, workspace=ws)) == 1
