"""Query plans as one tree model, whichever engine made them: the JSON of DuckDB's and
PostgreSQL's ``EXPLAIN (FORMAT JSON)`` (:mod:`app.engine.statements` captures them) read into
:class:`PlanNode`, with each operator's share of the work and the costly ones flagged.

The work an operator does *itself* (``own``) is, in PostgreSQL, its total cost minus its
children's (the planner's cost units); DuckDB's plan has no costs, only estimated
cardinalities, so there it is the rows the operator takes in (its children's estimated rows;
a scan's own rows), a tenth of it for the operators that only pass rows on
(:data:`DUCKDB_LIGHT`: projections, filters, limits). An operator is *costly* when it does at
least :data:`COSTLY_SHARE` of the plan's work.

>>> tree = parse_plan("postgres", [{"Plan": {"Node Type": "Hash Join", "Total Cost": 100.0,
...     "Plan Rows": 10, "Join Type": "Inner", "Plans": [
...         {"Node Type": "Seq Scan", "Relation Name": "orders", "Total Cost": 80.0,
...          "Plan Rows": 1000},
...         {"Node Type": "Hash", "Total Cost": 5.0, "Plan Rows": 50}]}}])
>>> [(n.operator, n.own, n.costly) for n in tree.walk()]
[('Hash Join', 15.0, False), ('Seq Scan', 80.0, True), ('Hash', 5.0, False)]
>>> tree.children[0].detail
'orders'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.i18n import _

__all__ = ["COSTLY_SHARE", "DUCKDB_LIGHT", "FORMATS", "PlanError", "PlanNode", "parse_plan"]

#: the share of a plan's work at which an operator is flagged as costly
COSTLY_SHARE = 0.3
#: DuckDB operators that pass each row on without building anything (no hash table, no sort):
#: their work counts a tenth of the rows they take in
DUCKDB_LIGHT = frozenset(
    {
        "PROJECTION",
        "FILTER",
        "LIMIT",
        "STREAMING_LIMIT",
        "RESULT_COLLECTOR",
        "CTE",
        "CTE_SCAN",
        "DUMMY_SCAN",
        "UNION",
    }
)
_LIGHT_WEIGHT = 0.1
FORMATS = ("duckdb", "postgres")
#: PostgreSQL fields shown as an operator's detail, in this order
_PG_DETAIL = (
    "Operation",
    "Relation Name",
    "CTE Name",
    "Index Name",
    "Join Type",
    "Strategy",
    "Hash Cond",
    "Merge Cond",
    "Index Cond",
    "Filter",
    "Group Key",
    "Sort Key",
)
#: PostgreSQL fields already in the model (not repeated among the properties)
_PG_OWN = {"Node Type", "Plans", "Total Cost", "Plan Rows"}
_DUCKDB_DETAIL = (
    "Table",
    "Function",
    "Join Type",
    "Conditions",
    "Filters",
    "Groups",
    "Aggregates",
    "Order By",
)
_DUCKDB_ROWS = "Estimated Cardinality"


class PlanError(ValueError):
    """A plan that is not the JSON its format's ``EXPLAIN`` prints."""


@dataclass
class PlanNode:
    """One operator of a plan."""

    operator: str
    #: one line: the table, join or condition it works on
    detail: str = ""
    #: the rows it is estimated to return
    rows: float | None = None
    #: PostgreSQL's total cost (itself and everything under it); None for DuckDB
    cost: float | None = None
    #: the work it does itself (see the module's docstring)
    own: float = 0.0
    #: ``own`` as a share of the whole plan's
    share: float = 0.0
    costly: bool = False
    #: every other field the engine reported, as text
    properties: dict[str, str] = field(default_factory=dict)
    children: list[PlanNode] = field(default_factory=list)

    def walk(self) -> Iterator[PlanNode]:
        """This operator and every one under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        return {
            "operator": self.operator,
            "detail": self.detail,
            "rows": self.rows,
            "cost": self.cost,
            "own": self.own,
            "share": self.share,
            "costly": self.costly,
            "properties": dict(self.properties),
            "children": [c.to_dict() for c in self.children],
        }


def parse_plan(fmt: str, data: Any) -> PlanNode:
    """The tree of ``data``, the JSON of ``EXPLAIN (FORMAT JSON)`` in format ``fmt``
    (``duckdb`` or ``postgres``), with shares and costly operators set."""
    if fmt == "postgres":
        root = _postgres(data)
    elif fmt == "duckdb":
        root = _duckdb(data)
    else:
        raise PlanError(
            _("no plan reader for {format!r} (known: {known})").format(
                format=fmt, known=", ".join(FORMATS)
            )
        )
    total = sum(n.own for n in root.walk())
    for node in root.walk():
        node.share = node.own / total if total > 0 else 0.0
        node.costly = total > 0 and node.share >= COSTLY_SHARE
    return root


def _postgres(data: Any) -> PlanNode:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("Plan"), dict):
        raise PlanError(_("a PostgreSQL plan is a list holding one object with a 'Plan'"))
    return _pg_node(data["Plan"])


def _pg_node(raw: dict[str, Any]) -> PlanNode:
    if not isinstance(raw.get("Node Type"), str):
        raise PlanError(_("a PostgreSQL plan node without 'Node Type'"))
    children = [_pg_node(c) for c in raw.get("Plans", []) if isinstance(c, dict)]
    cost = _number(raw.get("Total Cost"))
    below = sum(c.cost or 0.0 for c in children)
    return PlanNode(
        operator=raw["Node Type"],
        detail=_detail(raw, _PG_DETAIL),
        rows=_number(raw.get("Plan Rows")),
        cost=cost,
        own=max((cost or 0.0) - below, 0.0),
        properties={k: _text(v) for k, v in raw.items() if k not in _PG_OWN},
        children=children,
    )


def _duckdb(data: Any) -> PlanNode:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise PlanError(_("a DuckDB plan is a list holding one operator object"))
    return _duckdb_node(data)


def _duckdb_node(raw: dict[str, Any]) -> PlanNode:
    if not isinstance(raw.get("name"), str):
        raise PlanError(_("a DuckDB plan node without 'name'"))
    children = [_duckdb_node(c) for c in raw.get("children", []) if isinstance(c, dict)]
    info = raw.get("extra_info") or {}
    if not isinstance(info, dict):
        info = {}
    rows = _number(info.get(_DUCKDB_ROWS))
    taken = [c.rows for c in children if c.rows is not None]
    own = sum(taken) if children else (rows or 0.0)
    if raw["name"] in DUCKDB_LIGHT:
        own *= _LIGHT_WEIGHT
    shown = {k: v for k, v in info.items() if v != raw["name"]}  # not "Function: <its name>"
    return PlanNode(
        operator=raw["name"],
        detail=_detail(shown, _DUCKDB_DETAIL),
        rows=rows,
        own=float(own),
        properties={k: _text(v) for k, v in info.items() if k != _DUCKDB_ROWS},
        children=children,
    )


def _detail(raw: dict[str, Any], keys: tuple[str, ...]) -> str:
    parts = [_text(raw[k]) for k in keys if raw.get(k) not in (None, "", [])]
    return "; ".join(p for p in parts if p)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value).strip()


def _number(value: Any) -> float | None:
    """A count or cost, also from DuckDB's text (``"1234"``, ``"~1234"``); None when absent."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().lstrip("~").replace(",", ""))
    except ValueError:
        return None
