"""Column lineage: where a column of a node's output comes from, node by node, down to the
columns the sources read.

Computed from the compiled plan, not from the components' parameters: each node's output is a
query over its inputs' CTEs (:class:`~app.engine.compiler.CompiledPipeline`), and sqlglot's
``lineage`` follows one output column of that query to the input columns its expression
references. Each of those is an output column of an upstream node, traced the same way, until
a source (whose query reads a table, not a CTE). Identifiers are matched case-insensitively,
as Cauce matches columns; names are reported as the schemas spell them.

>>> import pyarrow as pa
>>> from sqlglot import exp
>>> from app.engine.compiler import SourceBinder, compile_pipeline
>>> from app.model.pipeline import Pipeline
>>> from app.nodes.base import Relation
>>> p = Pipeline(name="demo")
>>> src = p.add_node("source", name="orders", params={"connection": "db", "table": "orders"})
>>> calc = p.add_node("derive", name="calc", params={"columns": [
...     {"name": "total", "expression": "price * qty"}]})
>>> _ = p.connect(src.id, "out", calc.id, "in")
>>> schema = pa.schema([("price", pa.float64()), ("qty", pa.int64())])
>>> binder = SourceBinder(lambda node, params: Relation(exp.to_table("t"), schema))
>>> compiled = compile_pipeline(p, binder=binder)
>>> step = trace_column(compiled, calc.id, "total")
>>> step.node_name, step.column, step.expression
('calc', 'total', 'price * qty')
>>> [(s.node_name, s.column, s.origin) for s in step.inputs]
[('orders', 'price', 'orders'), ('orders', 'qty', 'orders')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import lineage

from app.engine.compiler import CompiledPipeline
from app.model.sql_types import to_sql_type

__all__ = ["LineageStep", "column_tracer", "trace_column"]

PortKey = tuple[str, str]
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class LineageStep:
    """One column at one node, and the input columns its values are computed from."""

    node_id: str
    node_name: str
    node_type: str
    port: str
    column: str
    #: the SQL computing it at this node; empty when it is passed on unchanged
    expression: str = ""
    inputs: tuple[LineageStep, ...] = field(default_factory=tuple)
    #: for a source node, what it reads (its table, query or file)
    origin: str = ""
    #: False when this node's SQL could not be followed (custom SQL sqlglot cannot trace)
    traced: bool = True

    def walk(self) -> list[LineageStep]:
        """This step and every step under it, depth first (a column reached twice, twice)."""
        return [self, *(s for step in self.inputs for s in step.walk())]


class _Where(TypedDict):
    """The fields of a :class:`LineageStep` saying where it is (the rest say what)."""

    node_id: str
    node_name: str
    node_type: str
    port: str
    column: str


def trace_column(
    compiled: CompiledPipeline, node_id: str, column: str, port: str = "out"
) -> LineageStep:
    """The lineage of ``column`` of ``node_id``'s output ``port``.

    Raises:
        KeyError: the port has no compiled output, or no such column.
    """
    return _Tracer(compiled).step((node_id, port), column)


def column_tracer(compiled: CompiledPipeline) -> Callable[[PortKey, str], LineageStep]:
    """:func:`trace_column` for many columns of one plan: ``(key, column) -> step``, each
    column traced once (tag propagation asks for every column of every node)."""
    return _Tracer(compiled).step


class _Tracer:
    def __init__(self, compiled: CompiledPipeline) -> None:
        self.state = compiled.state
        self.pipeline = compiled.pipeline
        self.by_cte = {name.lower(): key for key, name in self.state.cte_names.items()}
        self.sql_schema = {
            name: {
                f.name: to_sql_type(f.type).sql("duckdb") for f in self.state.outputs[key].schema
            }
            for key, name in self.state.cte_names.items()
            if key in self.state.outputs
        }
        self.done: dict[tuple[PortKey, str], LineageStep] = {}

    def step(self, key: PortKey, column: str) -> LineageStep:
        output = self.state.outputs[key]
        name = _spelled(output.schema.names, column)
        if name is None:
            raise KeyError(column)
        memo = (key, name.lower())
        if memo not in self.done:
            self.done[memo] = self._trace(key, name)
        return self.done[memo]

    def _trace(self, key: PortKey, column: str) -> LineageStep:
        node = self.pipeline.node(key[0])
        base: _Where = {
            "node_id": node.id,
            "node_name": node.name,
            "node_type": node.type,
            "port": key[1],
            "column": column,
        }
        query = self.state.outputs[key].query
        try:
            root = lineage(column, query, schema=self.sql_schema, dialect="duckdb")
        except (SqlglotError, KeyError, ValueError, AttributeError):
            return LineageStep(**base, expression=_projection(query, column), traced=False)
        inputs: list[LineageStep] = []
        reads_table = False
        for leaf in root.walk():
            if not isinstance(leaf.expression, exp.Table):
                continue
            upstream = self.by_cte.get(leaf.expression.name.lower())
            if upstream is None or upstream == key:
                # a table, not a CTE (a source named after its table reads the table, not
                # itself): this node is where the column enters
                reads_table = True
                continue
            upstream_column = _column_of(leaf.name)
            try:
                step = self.step(upstream, upstream_column)
            except KeyError:
                continue
            if step not in inputs:
                inputs.append(step)
        order = _references(query, column)
        inputs.sort(key=lambda s: (order.get(s.column.lower(), len(order)), s.node_name))
        origin = _origin(node.params) if reads_table and not inputs else ""
        return LineageStep(
            **base, expression=_projection(query, column), inputs=tuple(inputs), origin=origin
        )


def _spelled(names: list[str], column: str) -> str | None:
    """``column`` as the schema spells it (names match case-insensitively)."""
    wanted = column.lower()
    return next((n for n in names if n.lower() == wanted), None)


def _column_of(reference: str) -> str:
    """The column of a lineage node's name (``tbl."Col"`` -> ``Col``)."""
    try:
        parsed = sqlglot.parse_one(reference, read="duckdb")
    except SqlglotError:
        return reference.rsplit(".", 1)[-1].strip('"')
    return parsed.name if isinstance(parsed, exp.Column) else reference


def _references(query: exp.Query, column: str) -> dict[str, int]:
    """The columns the expression of ``column`` names, lower case, by first appearance (the
    order the inputs are listed in: ``UnitPrice * Quantity`` lists UnitPrice first)."""
    found = _find_projection(query, column)
    names = [c.name.lower() for c in found.find_all(exp.Column, bfs=False)] if found else []
    return {name: i for i, name in enumerate(dict.fromkeys(names))}


def _find_projection(query: exp.Query, column: str) -> exp.Expression | None:
    select = query
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return None
    return next((p for p in select.expressions if p.alias_or_name.lower() == column.lower()), None)


def _projection(query: exp.Query, column: str) -> str:
    """The SQL of the expression naming ``column`` in the query's (first) SELECT list; empty
    when it is a plain reference to a column of the same name (passed on unchanged)."""
    projection = _find_projection(query, column)
    if projection is None:
        return ""
    inner = projection.this if isinstance(projection, exp.Alias) else projection
    if isinstance(inner, exp.Column) and inner.name.lower() == column.lower():
        return ""
    return _readable(inner)


def _readable(tree: exp.Expression) -> str:
    """SQL as a user writes it: plain names unquoted (display only)."""
    tree = tree.copy()
    for ident in tree.find_all(exp.Identifier):
        if _PLAIN.fullmatch(ident.name):
            ident.set("quoted", False)
    return tree.sql("duckdb")


def _origin(params: dict[str, object]) -> str:
    """What a source node reads, in a few words."""
    for key in ("table", "path", "query"):
        value = params.get(key)
        if value:
            text = " ".join(str(value).split())
            return text if len(text) <= 80 else text[:79] + "…"
    return ""
