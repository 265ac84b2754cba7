"""Pipelines run pushed down and on the local engine, and their rows compared (issue #14.5).

One data set (customers, orders: decimals, NULLs, text) loaded through each engine's own
connector, and pipelines built over it. :func:`run_both` runs a pipeline twice — placement
``auto`` and ``local`` — and returns both destination tables' rows, sorted, for comparison
with :func:`tests.conformance.engines.differences` (decimals and integers exact).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from app.connectors.base import Connector, WriteMode
from app.engine.executor import RunReport, run_pipeline
from app.model.connection import Connection
from app.model.pipeline import Node, Pipeline
from app.services.connections import project_provider

D = decimal.Decimal

AMOUNTS = "12.50 8.00 99.99 10.01 10.00 250.25 40.10 0.01 15.75 33.33 5.00 77.70"
CUSTOMERS = pa.table(
    {
        "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
        "name": ["Ana", "Bo", "Cy", "Di", None],
        "country": ["ES", "US", "ES", None, "FR"],
    }
)
ORDERS = pa.table(
    {
        "order_id": pa.array(range(1, 13), pa.int64()),
        "customer_id": pa.array([1, 1, 2, 3, 3, 3, 4, 5, 2, 1, 9, 5], pa.int64()),
        "amount": pa.array(
            [
                D(x)
                for x in [
                    "12.50",
                    "8.00",
                    "99.99",
                    "10.01",
                    "10.00",
                    "250.25",
                    "40.10",
                    "0.01",
                    "15.75",
                    "33.33",
                    "5.00",
                    "77.70",
                ]
            ],
            pa.decimal128(10, 2),
        ),
        "qty": pa.array([1, 2, 3, None, 5, 6, 7, 8, 9, 10, 11, 12], pa.int64()),
    }
)


def load(connector: Connector) -> None:
    """The two tables, written through the connector's own bulk path."""
    for name, table in (("customers", CUSTOMERS), ("orders", ORDERS)):
        connector.write(name, table.to_reader(), mode=WriteMode.REPLACE)


def sales_pipeline(source: str, dest: str, *, table: str = "sales_by_country") -> Pipeline:
    """orders ⋈ customers → filter → aggregate (sum of a decimal, count, max) → dest."""
    p = Pipeline(name="sales")
    customers = p.add_node(
        "source", name="customers", params={"connection": source, "table": "customers"}
    )
    orders = p.add_node("source", name="orders", params={"connection": source, "table": "orders"})
    joined = p.add_node(
        "join",
        name="joined",
        params={"kind": "inner", "keys": [{"left": "customer_id", "right": "id"}]},
    )
    kept = p.add_node("filter", name="big", params={"condition": "amount > 10"})
    grouped = p.add_node(
        "aggregate",
        name="by_country",
        params={
            "group_by": ["country"],
            "measures": [
                {"function": "sum", "column": "amount", "name": "total"},
                {"function": "count", "name": "orders"},
                {"function": "max", "column": "qty", "name": "top_qty"},
            ],
        },
    )
    out = p.add_node(
        "destination", name="out", params={"connection": dest, "table": table, "mode": "replace"}
    )
    p.connect(orders.id, "out", joined.id, "left")
    p.connect(customers.id, "out", joined.id, "right")
    p.connect(joined.id, "out", kept.id, "in")
    p.connect(kept.id, "out", grouped.id, "in")
    p.connect(grouped.id, "out", out.id, "in")
    return p


def with_local_step(p: Pipeline, expression: str = "total * 2") -> Node:
    """A derive after the aggregate, with the custom SQL the planner keeps local: the
    aggregate becomes the frontier folded into the source scan."""
    grouped = p.node_by_name("by_country")
    out = p.node_by_name("out")
    [edge] = p.incoming(out.id)
    p.disconnect(edge)
    local = p.add_node(
        "custom_sql",
        name="local_step",
        params={
            "sql": "SELECT country, total, orders, top_qty, total * 2 AS doubled FROM by_country"
        },
    )
    p.connect(grouped.id, "out", local.id, "in")
    p.connect(local.id, "out", out.id, "in")
    return local


def mart(tmp_path: Path) -> Connection:
    """A DuckDB file: a destination in another place than the sources (the split case)."""
    return Connection(name="mart", type="duckdb", params={"path": str(tmp_path / "mart.duckdb")})


def provider(
    tmp_path: Path,
    connections: dict[str, Connection],
    stand_in: Callable[[Connection], Connector | None] | None = None,
) -> Any:
    """A provider of ``connections``; ``stand_in`` opens those a stand-in serves (fakesnow,
    Redshift's SQL on PostgreSQL), returning None for the others."""
    made = project_provider(connections, project_dir=tmp_path, secrets=lambda c, f, **_: None)
    if stand_in is not None:
        default = made._opener
        made._opener = lambda c: stand_in(c) or default(c)
    return made


def run(p: Pipeline, prov: Any, execution: str) -> RunReport:
    report = run_pipeline(p, prov, execution=execution)
    assert report.ok, report.error
    return report


def rows(connector: Connector, table: str) -> list[tuple[Any, ...]]:
    data = connector.read(table=table).read_all()
    return sorted(
        (tuple(r.values()) for r in data.to_pylist()),
        key=lambda r: tuple((v is None, str(v)) for v in r),
    )


def runs_on(report: RunReport) -> dict[str, str]:
    assert report.plan is not None
    return {n["name"]: n["runs_on"] for n in report.plan["nodes"]}
