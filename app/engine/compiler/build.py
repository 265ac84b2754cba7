"""Pass 2 — build: compile every node, in dependency order, into a query and a schema.

Each output port becomes one CTE. A node whose inputs failed is skipped silently (its upstream
problem is already reported); a node that raises :class:`NodeError` adds a problem naming it.

Results of non-source nodes are memoised by everything a compile depends on (the node's id,
name, type and parameters, and its inputs' references and schemas), so the editor's
recompile after an edit redoes only the edited node and what is downstream of it.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from functools import lru_cache

import pyarrow as pa
from sqlglot import exp
from sqlglot.errors import SqlglotError

from app.connectors.base import ConnectionError_
from app.engine.compiler.context import CompileContext, clear_caches
from app.engine.compiler.order import carry_order
from app.engine.compiler.problems import Problem
from app.engine.compiler.state import CompileState, cte_ref
from app.i18n import _, current_language
from app.model.pipeline import Node
from app.model.types import schema_to_dict
from app.nodes.base import Inputs, NodeError, Output, Relation

__all__ = ["build_nodes", "clear_cache"]


def build_nodes(state: CompileState) -> None:
    # a CTE never takes the name of a table a source reads: ``WITH orders AS (SELECT … FROM
    # orders)`` is a circular reference in some engines (BigQuery's stand-in, DuckDB's binder)
    taken: set[str] = {
        str(n.params["table"]).rsplit(".", 1)[-1].strip('"`[]').lower()
        for n in state.pipeline.nodes
        if n.type == "source" and isinstance(n.params.get("table"), str)
    }
    for node in state.order:
        if node.id in state.failed or node.id not in state.components:
            continue
        inputs = _inputs_of(state, node)
        if inputs is None:
            state.failed.add(node.id)  # blocked by an upstream problem, already reported
            continue
        component = state.components[node.id]
        key = None if component.is_source else _cache_key(node, inputs)
        cached = _CACHE.get(key) if key else None
        if cached is not None:
            outputs, warnings = cached
        else:
            ctx = CompileContext(node=node, binder=state.binder)
            try:
                outputs = component.compile(ctx, state.params[node.id], inputs)
            except NodeError as err:
                state.problem(Problem(err.message, node.id, node.name, err.param))
                continue
            except SqlglotError as err:
                state.problem(
                    Problem(_("cannot build SQL: {detail}").format(detail=err), node.id, node.name)
                )
                continue
            except (ConnectionError_, OSError) as err:
                state.problem(
                    Problem(
                        _("cannot read the source: {detail}").format(detail=err), node.id, node.name
                    )
                )
                continue
            warnings = list(ctx.warnings)
            if key:
                _CACHE.put(key, (outputs, warnings))
        for warning in warnings:
            state.warnings.append(Problem(warning, node.id, node.name, severity="warning"))
        outputs = carry_order(state, node, component, outputs)
        for port, output in outputs.items():
            port_key = (node.id, port)
            state.outputs[port_key] = output
            state.cte_names[port_key] = _cte_name(node, port, taken)
            state.ports_of.setdefault(node.id, []).append(port_key)


def _inputs_of(state: CompileState, node: Node) -> Inputs | None:
    by_port: dict[str, list[Relation]] = {}
    for edge in state.incoming(node.id):
        key = (edge.source.node, edge.source.port)
        if key not in state.outputs:
            if edge.source.node not in state.failed:
                src = state.node(edge.source.node)
                state.problem(
                    Problem(
                        _("output port {port!r} produced no data").format(port=edge.source.port),
                        src.id,
                        src.name,
                    )
                )
            return None  # upstream failed: already reported
        src = state.node(edge.source.node)
        schema = state.outputs[key].schema
        if key in state.column_tags:
            schema = _tagged(schema, state.column_tags[key])
        by_port.setdefault(edge.target.port, []).append(
            Relation(ref=cte_ref(state.cte_names[key]), schema=schema, name=src.name)
        )
    return Inputs(by_port)


def _tagged(schema: pa.Schema, tags: dict[str, frozenset[str]]) -> pa.Schema:
    """``schema`` with each column's tags as field metadata (``cauce.tags``)."""
    return pa.schema(
        [
            f.with_metadata({b"cauce.tags": ",".join(sorted(tags[f.name])).encode()})
            if tags.get(f.name)
            else f
            for f in schema
        ]
    )


def _cte_name(node: Node, port: str, taken: set[str]) -> str:
    base = re.sub(r"[^0-9a-zA-Z_]+", "_", node.name).strip("_").lower() or "node"
    if base[0].isdigit():
        base = f"n_{base}"
    if port != "out":
        base = f"{base}__{port}"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


class _OutputCache:
    """A small thread-safe LRU of compiled node outputs (their trees are never mutated)."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[str, tuple[dict[str, Output], list[str]]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[dict[str, Output], list[str]] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, value: tuple[dict[str, Output], list[str]]) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CACHE = _OutputCache()


def clear_cache() -> None:
    """Forget every memoised node output, parse and type: the next compile is cold, as in a
    new process (benchmarks measure cold compiles with it)."""
    _CACHE.clear()
    _schema_key.cache_clear()
    clear_caches()


def _cache_key(node: Node, inputs: Inputs) -> str | None:
    try:
        ports = {
            port: [
                [_ref_key(rel), rel.name, _schema_key(rel.schema), _tags_key(rel.schema)]
                for rel in rels
            ]
            for port, rels in inputs.by_port.items()
        }
        # the language too: the cached warnings are messages in the language of their compile
        return json.dumps(
            [node.id, node.name, node.type, node.params, ports, current_language()], sort_keys=True
        )
    except (TypeError, ValueError):  # parameters that are not JSON: do not cache
        return None


@lru_cache(maxsize=4096)
def _schema_key(schema: pa.Schema) -> str:
    # schemas are immutable and hashable: a node's many downstream keys share one rendering
    return json.dumps(schema_to_dict(schema))


def _tags_key(schema: pa.Schema) -> list[str]:
    # not in _schema_key's cache: schemas compare equal whatever their metadata
    if not any(f.metadata for f in schema):
        return []
    return [(f.metadata or {}).get(b"cauce.tags", b"").decode() for f in schema]


def _ref_key(rel: Relation) -> str:
    # inputs are CTE references (a bare table name): no need to render SQL for the key
    if isinstance(rel.ref, exp.Table) and not rel.ref.args.get("db"):
        return rel.ref.name
    return rel.ref.sql("duckdb")
