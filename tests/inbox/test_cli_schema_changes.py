"""``cauce schema-changes`` as a user types it, against real PostgreSQL; and ``cauce sync
run`` exiting 3 while a destination is held."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from app.cli import cli
from tests.inbox.conftest import Shop


def _cauce(shop: Shop, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", shop.meta, *args], catch_exceptions=False)


def _held(shop: Shop) -> None:
    assert _cauce(shop, "sync", "run", "orders", "--project", str(shop.root)).exit_code == 0
    shop.exec(
        "ALTER TABLE public.orders ADD COLUMN note text",
        "ALTER TABLE public.orders ADD COLUMN tax numeric(6,2)",
        "INSERT INTO public.orders VALUES (101, 2.5, timestamp '2026-02-01', 'late', 0.5)",
    )
    held = _cauce(shop, "sync", "run", "orders", "--project", str(shop.root))
    assert held.exit_code == 3, held.output
    assert "held" in held.output and "note (added)" in held.output


def test_list_approve_reject_rollback(shop: Shop) -> None:
    _held(shop)
    listed = _cauce(shop, "schema-changes", "list", str(shop.root))
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert any("pending" in line and "note (added)" in line for line in lines)
    assert any("tax (added)" in line for line in lines)
    assert "pipeline doubled: uses the table" in listed.output
    changes = json.loads(_cauce(shop, "schema-changes", "list", str(shop.root), "--json").output)
    ids = {c["column"]: c["id"] for c in changes}
    assert {c["status"] for c in changes} == {"pending"} and set(ids) == {"note", "tax"}

    rejected = _cauce(
        shop, "schema-changes", "reject", str(shop.root), str(ids["tax"]), "--by", "eva"
    )
    assert rejected.exit_code == 0, rejected.output
    assert "rejected" in rejected.output and "still held by 1 pending change" in rejected.output
    approved = _cauce(
        shop, "schema-changes", "approve", str(shop.root), str(ids["note"]), "--run", "--json"
    )
    assert approved.exit_code == 0, approved.output
    decision = json.loads(approved.output)
    assert decision["change"]["status"] == "approved" and decision["waiting"] == 0
    assert decision["run"]["status"] == "succeeded"
    assert shop.rows("SELECT note FROM raw.orders WHERE id = 101") == [("late",)]
    assert "tax" not in [c for c, _t in shop.columns("raw", "orders")]  # rejected: discarded

    again = _cauce(shop, "schema-changes", "approve", str(shop.root), str(ids["note"]))
    assert again.exit_code == 2 and "approved, not pending" in again.output
    refused = _cauce(shop, "schema-changes", "rollback", str(shop.root), str(ids["note"]))
    assert refused.exit_code == 2 and "hold values" in refused.output
    everything = _cauce(
        shop, "schema-changes", "list", str(shop.root), "--status", "all", "--since", "1d"
    )
    assert "approved" in everything.output and "by eva" in everything.output
    none = _cauce(shop, "schema-changes", "list", str(shop.root), "--no-impact")
    assert none.output.strip() == "no schema change to show"
    bad = _cauce(shop, "schema-changes", "list", str(shop.root), "--since", "yesterday")
    assert bad.exit_code == 2 and "is not a date" in bad.output
    unknown = _cauce(shop, "schema-changes", "list", str(shop.root), "--sync", "nope")
    assert unknown.exit_code == 2 and "no sync named 'nope'" in unknown.output
