"""The schema inbox against real PostgreSQL: a change at the source of a ``review`` sync is
held (its destination untouched, its rows waiting in the source), then approved (DDL in
PostgreSQL, the held rows arrive), rejected (the destination stays as it was) or rolled back.

Values are checked against the source's own rows, read with another client (psycopg)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.services.schema_inbox import (
    SchemaInboxError,
    approve_schema_change,
    list_schema_changes,
    reject_schema_change,
    rollback_schema_change,
)
from app.services.sync_status import sync_overview, sync_status
from app.services.syncs import run_sync
from app.storage.repository import Repository
from app.storage.syncs import SyncStore
from tests.inbox.conftest import Shop, make_shop

ORDERS = "SELECT id, amount, updated_at FROM {table} ORDER BY id"


def _run(shop: Shop) -> Any:
    return run_sync(shop.root, "orders", workspace=shop.workspace)


def _pending(shop: Shop, **kwargs: Any) -> list[Any]:
    return list_schema_changes(shop.root, workspace=shop.workspace, **kwargs)


def _add_note(shop: Shop) -> None:
    """A new column at the source; 20 new rows and 5 changed ones carry a value in it."""
    shop.exec(
        "ALTER TABLE public.orders ADD COLUMN note text",
        "INSERT INTO public.orders SELECT i, i * 1.5, "
        "timestamp '2026-02-01' + i * interval '1 minute', 'new ' || i "
        "FROM generate_series(101, 120) i",
        "UPDATE public.orders SET note = 'changed ' || id, amount = amount + 1, "
        "updated_at = timestamp '2026-03-01' + id * interval '1 second' WHERE id <= 5",
    )


def _first_run(shop: Shop) -> str | None:
    report = _run(shop)
    assert report.ok and report.destinations[0].rows == 100, report.error
    return sync_status(shop.root, "orders", workspace=shop.workspace).destinations[0].cursor


def test_added_column_waits_then_arrives_when_approved(shop: Shop) -> None:
    cursor = _first_run(shop)
    _add_note(shop)
    events: list[Any] = []
    held = run_sync(shop.root, "orders", workspace=shop.workspace, on_event=events.append)
    [dest] = held.destinations
    assert held.status == "succeeded" and held.held == [dest]
    assert dest.status == "held" and dest.rows == 0 and "note (added)" in str(dest.error)
    assert "destination_held" in [e.kind for e in events]
    # nothing written, nothing half written: same columns, same rows, same committed cursor
    assert shop.columns("raw", "orders") == [
        ("id", "integer"),
        ("amount", "numeric"),
        ("updated_at", "timestamp without time zone"),
    ]
    assert shop.rows("SELECT count(*) FROM raw.orders") == [(100,)]
    status = sync_status(shop.root, "orders", workspace=shop.workspace)
    assert status.destinations[0].cursor == cursor
    assert _run(shop).destinations[0].status == "held"  # a second run: still held, not twice
    [overview] = sync_overview(shop.root, workspace=shop.workspace)
    assert overview.last_status == "held"  # what the syncs window shows

    [change] = _pending(shop)
    assert (change.column, change.kind, change.new_type, change.status) == (
        "note",
        "added",
        "string",
        "pending",
    )
    assert change.runs_held == 2 and change.destination == "pg:raw.orders"
    [impact] = change.impact
    assert (impact.kind, impact.name, impact.nodes, impact.uses) == (
        "pipeline",
        "doubled",
        ("raw_orders",),
        "table",
    )

    decision = approve_schema_change(shop.root, change.id, by="ana", workspace=shop.workspace)
    assert decision.waiting == 0 and decision.change.status == "approved"
    assert decision.change.decided_by == "ana" and decision.change.decided_at is not None
    assert [(a.action, a.actor) for a in decision.change.actions] == [("approve", "ana")]
    assert ("note", "text") in shop.columns("raw", "orders")
    assert shop.rows("SELECT count(*) FROM raw.orders") == [(100,)]  # rows come with the run

    report = _run(shop)
    assert report.ok and report.destinations[0].status == "succeeded", report.error
    source = shop.rows("SELECT id, amount, note, updated_at FROM public.orders ORDER BY id")
    copied = shop.rows("SELECT id, amount, note, updated_at FROM raw.orders ORDER BY id")
    assert len(source) == 120 and copied == source
    assert shop.rows("SELECT count(note) FROM raw.orders") == [(25,)]
    assert not _pending(shop) and _run(shop).destinations[0].status == "succeeded"
    [approved] = _pending(shop, status="approved")
    assert approved.id == change.id


def test_approve_now_runs_the_sync(shop: Shop) -> None:
    _first_run(shop)
    _add_note(shop)
    assert _run(shop).held
    [change] = _pending(shop, impact=False)
    decision = approve_schema_change(shop.root, change.id, run=True, workspace=shop.workspace)
    assert decision.run is not None and decision.run.ok
    assert shop.rows("SELECT count(*), count(note) FROM raw.orders") == [(120, 25)]


def test_widening_shows_its_lineage_then_is_rolled_back(shop: Shop) -> None:
    _first_run(shop)
    shop.exec(
        "ALTER TABLE public.orders ALTER COLUMN amount TYPE numeric(14,2)",
        "INSERT INTO public.orders VALUES (101, 12.25, timestamp '2026-02-01')",
    )
    assert _run(shop).held
    [change] = _pending(shop)
    assert change.text == "amount (widened decimal(10,2) -> decimal(14,2))"
    [impact] = change.impact
    assert impact.uses == "column"
    assert impact.reaches == (
        "marts.amount -> pg:marts.orders_doubled",
        "marts.doubled -> pg:marts.orders_doubled",
    )
    approve_schema_change(shop.root, change.id, workspace=shop.workspace)
    assert _numeric("raw", "orders", "amount", shop) == (14, 2)

    back = rollback_schema_change(shop.root, change.id, by="luis", workspace=shop.workspace)
    assert back.change.status == "rolled_back" and back.change.fallback == "discard"
    assert [(a.action, a.actor) for a in back.change.actions] == [
        ("approve", back.change.actions[0].actor),
        ("rollback", "luis"),
    ]
    assert _numeric("raw", "orders", "amount", shop) == (10, 2)
    # from now on the fallback (discard) keeps the destination's type: the rows still arrive
    report = _run(shop)
    assert report.ok and report.destinations[0].rows >= 1, report.error
    assert shop.rows(ORDERS.format(table="raw.orders")) == shop.rows(
        ORDERS.format(table="public.orders")
    )


def test_rollback_refused_when_values_no_longer_fit(shop: Shop) -> None:
    _first_run(shop)
    shop.exec("ALTER TABLE public.orders ALTER COLUMN amount TYPE numeric(14,2)")
    _run(shop)
    [change] = _pending(shop, impact=False)
    approve_schema_change(shop.root, change.id, workspace=shop.workspace)
    shop.exec("INSERT INTO public.orders VALUES (101, 123456789012.5, timestamp '2026-02-01')")
    assert _run(shop).ok
    assert shop.rows("SELECT amount FROM raw.orders WHERE id = 101") == [
        (Decimal("123456789012.50"),)
    ]
    with pytest.raises(Exception, match="do not fit") as refused:
        rollback_schema_change(shop.root, change.id, workspace=shop.workspace)
    assert "amount" in str(refused.value)
    assert _numeric("raw", "orders", "amount", shop) == (14, 2)
    [still] = _pending(shop, status="approved", impact=False)
    assert still.id == change.id and [a.action for a in still.actions] == ["approve"]


def test_rollback_of_an_added_column(shop: Shop) -> None:
    _first_run(shop)
    _add_note(shop)
    _run(shop)
    [change] = _pending(shop, impact=False)
    approve_schema_change(shop.root, change.id, workspace=shop.workspace)
    back = rollback_schema_change(shop.root, change.id, workspace=shop.workspace)
    assert back.detail == "dropped column note (it held no value)"
    assert [c for c, _t in shop.columns("raw", "orders")] == ["id", "amount", "updated_at"]
    report = _run(shop)  # rejected now (discard): the rows arrive without the column
    assert report.ok and not _pending(shop, impact=False), report.error
    assert shop.rows(ORDERS.format(table="raw.orders")) == shop.rows(
        ORDERS.format(table="public.orders")
    )


def test_rollback_refused_once_values_arrived(shop: Shop) -> None:
    _first_run(shop)
    _add_note(shop)
    _run(shop)
    [change] = _pending(shop, impact=False)
    approve_schema_change(shop.root, change.id, run=True, workspace=shop.workspace)
    with pytest.raises(Exception, match=r"note \(25\)"):
        rollback_schema_change(shop.root, change.id, workspace=shop.workspace)
    assert shop.rows("SELECT count(note) FROM raw.orders") == [(25,)]


@pytest.mark.parametrize("fallback", ["discard", "freeze"])
def test_reject_leaves_the_destination_as_it_was(shop: Shop, fallback: str) -> None:
    cursor = _first_run(shop)
    _add_note(shop)
    _run(shop)
    before = shop.rows("SELECT * FROM raw.orders ORDER BY id")
    [change] = _pending(shop, impact=False)
    decision = reject_schema_change(
        shop.root, change.id, fallback=fallback, by="eva", workspace=shop.workspace
    )
    assert decision.change.status == "rejected" and decision.change.fallback == fallback
    assert decision.change.actions[-1].actor == "eva"
    assert shop.rows("SELECT * FROM raw.orders ORDER BY id") == before
    report = _run(shop)
    assert "note" not in [c for c, _t in shop.columns("raw", "orders")]
    if fallback == "freeze":
        assert report.status == "failed" and "note" in str(report.error)
        assert shop.rows("SELECT * FROM raw.orders ORDER BY id") == before
        status = sync_status(shop.root, "orders", workspace=shop.workspace)
        assert status.destinations[0].cursor == cursor
    else:
        assert report.ok, report.error
        assert shop.rows(ORDERS.format(table="raw.orders")) == shop.rows(
            ORDERS.format(table="public.orders")
        )
    with Repository(shop.meta) as repo, SyncStore(shop.meta) as store:
        sync = store.get_sync(repo.ensure_project("shop"), "orders")
        recorded = [(c.column, c.decision) for c in store.schema_changes(sync.id)]
    assert recorded == [("note", "refused" if fallback == "freeze" else "discarded")]


def test_rename_guess_is_approved_as_a_rename(shop: Shop) -> None:
    _first_run(shop)
    shop.exec("ALTER TABLE public.orders RENAME COLUMN amount TO total")
    _run(shop)
    [change] = _pending(shop)
    assert change.text == "total (renamed amount -> total)"
    assert change.impact[0].uses == "column"  # the old column's lineage: what reads it
    approve_schema_change(shop.root, change.id, workspace=shop.workspace)
    assert [c for c, _t in shop.columns("raw", "orders")] == ["id", "total", "updated_at"]
    shop.exec("UPDATE public.orders SET total = 7, updated_at = now() WHERE id = 3")
    assert _run(shop).ok
    assert shop.rows("SELECT id, total FROM raw.orders ORDER BY id") == shop.rows(
        "SELECT id, total FROM public.orders ORDER BY id"
    )
    rollback_schema_change(shop.root, change.id, workspace=shop.workspace)
    assert [c for c, _t in shop.columns("raw", "orders")] == ["id", "amount", "updated_at"]


def test_a_change_that_goes_away_is_withdrawn(shop: Shop) -> None:
    _first_run(shop)
    _add_note(shop)
    _run(shop)
    shop.exec("ALTER TABLE public.orders DROP COLUMN note")
    report = _run(shop)
    assert report.ok and report.destinations[0].status == "succeeded", report.error
    assert not _pending(shop, impact=False)
    [gone] = _pending(shop, status="withdrawn", impact=False)
    assert gone.column == "note" and gone.actions[0].action == "withdraw"
    with pytest.raises(SchemaInboxError, match="withdrawn, not pending"):
        approve_schema_change(shop.root, gone.id, workspace=shop.workspace)


def test_decisions_are_taken_once(shop: Shop) -> None:
    _first_run(shop)
    _add_note(shop)
    _run(shop)
    [change] = _pending(shop, impact=False)
    with pytest.raises(SchemaInboxError, match="pending, not approved"):
        rollback_schema_change(shop.root, change.id, workspace=shop.workspace)
    approve_schema_change(shop.root, change.id, workspace=shop.workspace)
    with pytest.raises(SchemaInboxError, match="approved, not pending"):
        approve_schema_change(shop.root, change.id, workspace=shop.workspace)
    with pytest.raises(SchemaInboxError, match="approved, not pending"):
        reject_schema_change(shop.root, change.id, workspace=shop.workspace)
    with pytest.raises(SchemaInboxError, match="no schema change 999"):
        approve_schema_change(shop.root, 999, workspace=shop.workspace)
    with pytest.raises(SchemaInboxError, match="unknown status"):
        _pending(shop, status="maybe")


def test_metadata_on_postgresql(tmp_path: Path, pg_db: dict[str, Any]) -> None:
    import uuid

    import psycopg

    admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    name = f"cauce_meta_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        shop = make_shop(tmp_path, pg_db, meta=f"postgresql+psycopg://postgres@127.0.0.1/{name}")
        _first_run(shop)
        _add_note(shop)
        _run(shop)
        _run(shop)
        [change] = _pending(shop, since=None, sync="orders")
        assert change.runs_held == 2
        approve_schema_change(shop.root, change.id, run=True, workspace=shop.workspace)
        assert shop.rows("SELECT count(*), count(note) FROM raw.orders") == [(120, 25)]
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _numeric(schema: str, table: str, column: str, shop: Shop) -> tuple[int, int]:
    [row] = shop.rows(
        "SELECT numeric_precision, numeric_scale FROM information_schema.columns "
        f"WHERE table_schema = '{schema}' AND table_name = '{table}' "
        f"AND column_name = '{column}'"
    )
    return int(row[0]), int(row[1])
