"""Fixtures for data-subject requests: a secret store in memory, a workspace, and the Chinook
example project writing to a DuckDB warehouse (a pipeline) and a SQLite copy (a sync)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.model.pipeline import Pipeline
from app.services.privacy import set_tags
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver
from tests.conftest import REPO

#: Chinook's first customer
EMAIL, CUSTOMER = "luisg@embraer.com.br", 1


class MemoryStore:
    """A secret store in memory (the keyring's stand-in)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, ref: str) -> str | None:
        return self.values.get(ref)

    def set(self, ref: str, value: str) -> None:
        self.values[ref] = value

    def delete(self, ref: str) -> None:
        self.values.pop(ref, None)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ws(tmp_path: Path, store: MemoryStore) -> Workspace:
    return Workspace(
        f"sqlite:///{tmp_path / 'meta.db'}",
        SecretResolver(store, environ={}),  # type: ignore[arg-type]
    )


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def revenue_pipeline(source: str, dest: str, table: str = "customer_revenue") -> Pipeline:
    """Customers joined to their invoices, summed: e-mail, name and total per customer."""
    p = Pipeline(name="customer_revenue")
    customers = p.add_node(
        "source", name="customers", params={"connection": source, "table": "Customer"}
    )
    invoices = p.add_node(
        "source", name="invoices", params={"connection": source, "table": "Invoice"}
    )
    join = p.add_node(
        "join",
        name="join",
        params={"kind": "inner", "keys": [{"left": "CustomerId", "right": "CustomerId"}]},
    )
    agg = p.add_node(
        "aggregate",
        name="per_customer",
        params={
            "group_by": ["CustomerId", "Email", "FirstName"],
            "measures": [{"name": "Total", "function": "sum", "column": "Total"}],
        },
    )
    out = p.add_node(
        "destination",
        name="out",
        params={"connection": dest, "table": table, "mode": "replace"},
    )
    p.connect(customers.id, "out", join.id, "left")
    p.connect(invoices.id, "out", join.id, "right")
    p.connect(join.id, "out", agg.id, "in")
    p.connect(agg.id, "out", out.id, "in")
    return p


@pytest.fixture
def project(tmp_path: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Chinook (SQLite) synced to a SQLite copy (customers, invoices) and summed by a
    pipeline into the DuckDB warehouse; Customer and Invoice tagged."""
    root = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", root)
    (root / "pipelines" / "revenue.json").unlink()
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.delenv("CAUCE_UNMASK", raising=False)
    write_json(
        root / "connections" / "copy.json",
        {"name": "copy", "type": "sqlite", "params": {"path": str(tmp_path / "copy.sqlite")}},
    )
    for name, table in (("customers", "Customer"), ("invoices", "Invoice")):
        write_json(
            root / "syncs" / f"{name}.json",
            {
                "name": name,
                "source": {"connection": "chinook", "table": table},
                "destinations": [{"connection": "copy", "table": table.lower()}],
                "mode": "full",
            },
        )
    pipeline = revenue_pipeline("chinook", "warehouse")
    (root / "pipelines" / f"{pipeline.name}.json").write_text(pipeline.to_json())
    for table, column, tags in (
        ("Customer", "Email", ["pii.email"]),
        ("Customer", "FirstName", ["pii.name"]),
        ("Customer", "LastName", ["pii.name"]),
        ("Customer", "CustomerId", ["id.customer"]),
        ("Invoice", "CustomerId", ["id.customer"]),
        ("Invoice", "BillingAddress", ["pii.address"]),
    ):
        set_tags(root, "chinook", table, column, tags, workspace=ws)
    return root


def warehouse(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


def copy_rows(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "copy.sqlite") as con:
        return con.execute(sql).fetchall()
