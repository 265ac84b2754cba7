"""Placement: where each node of a pipeline runs — a pure pass over the graph.

A node runs in a database (its *place*, a connection) when the data it reads is already
there and its SQL means the same in that database's dialect; otherwise on the local engine
(DuckDB). The rules are data:

- a connector declares whether it runs pipeline SQL (``Capabilities.elt``) and its dialect;
- :data:`PUSHABLE` lists, per dialect, the node kinds whose compiled SQL gives the same rows
  and types there as on the local engine (proven on a real engine by ``tests/conformance``
  and ``tests/engine/test_pushdown_*``); a node kind missing from a dialect's set runs locally.

From the places follow the stages (:mod:`app.engine.plan`):

- a destination whose input is placed in its own database runs there as one statement
  (``INSERT … SELECT``, ``CREATE TABLE AS``, ``MERGE``): whole-graph pushdown;
- otherwise it runs locally, and each pushed node feeding a local node (a *frontier*) is folded
  into its source's scan query: filters, projections, joins and aggregates run in the source
  database and only their result crosses the network (the split case). A database the local
  engine attaches (a DuckDB file) is not folded: the local engine reads it in place, and
  DuckDB pushes filters and projections into that scan itself.

``execution="local"`` (the pipeline's setting, ``cauce run --local``) places everything on the
local engine.

>>> PUSHABLE["postgres"] >= {"filter", "aggregate"}
True
>>> "custom_sql" in PUSHABLE["bigquery"]
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.engine.provider import ConnectorProvider
from app.engine.run_state import LOCAL_ENGINE
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.nodes.registry import node_registry

__all__ = [
    "EXECUTION_MODES",
    "LOCAL_ENGINE",
    "FOLDABLE",
    "PUSHABLE",
    "Placement",
    "place_nodes",
]


#: a pipeline's ``execution`` setting: ``auto`` pushes down where it can, ``local`` never
EXECUTION_MODES = ("auto", "local")

#: node kinds whose SQL keeps its meaning in every dialect Cauce renders (types pinned by the
#: compiler, NULL ordering explicit, integer division and rounding rewritten)
_PORTABLE = frozenset(
    {"source", "filter", "select", "derive", "join", "aggregate", "union", "dedupe", "sort"}
)

#: per dialect, the node kinds that may run in a database of that dialect. ``custom_sql`` is
#: DuckDB SQL typed by the user: transpiled, it may mean something else, so it runs locally
#: outside DuckDB. ``file_source`` is never pushed: a database cannot open the user's files.
PUSHABLE: Mapping[str, frozenset[str]] = {
    "duckdb": _PORTABLE | {"lookup", "window", "custom_sql"},
    "postgres": _PORTABLE | {"lookup", "window"},
    "redshift": _PORTABLE | {"lookup"},
    "snowflake": _PORTABLE | {"lookup", "window"},
    "bigquery": _PORTABLE | {"lookup"},
}

#: node kinds whose output may become a source's scan query in the split case (one output
#: port whose rows do not depend on an order the stream would lose)
FOLDABLE = frozenset({"filter", "select", "derive", "join", "aggregate", "union", "dedupe"})


@dataclass(frozen=True)
class Place:
    """A database a node can run in: a connection (its representative name) and dialect."""

    connection: str
    dialect: str
    #: the local engine attaches this database and reads it in place (a DuckDB file)
    native: bool = False


@dataclass
class Placement:
    """The result of :func:`place_nodes`."""

    #: node id -> its place (absent: the local engine)
    places: dict[str, Place] = field(default_factory=dict)
    #: destination id -> the connection its whole stage runs in (whole-graph pushdown)
    pushed: dict[str, str] = field(default_factory=dict)
    #: pushed nodes whose output a local node reads: folded into a source's scan query
    frontier: list[str] = field(default_factory=list)

    def runs_on(self, node_id: str) -> str | None:
        """The connection ``node_id`` runs in, or ``None`` for the local engine."""
        place = self.places.get(node_id)
        return place.connection if place else None


def _capabilities(type_name: str) -> Any:
    from app.connectors.registry import connector_registry

    return connector_registry().get(type_name).capabilities


def _place_of_connection(
    provider: ConnectorProvider, name: object, known: dict[str, Place]
) -> Place | None:
    """The place of a connection that runs pipeline SQL; connections reaching one database
    (same type and settings) share one place, named by the first seen."""
    if not isinstance(name, str) or not name:
        return None
    if name in known:
        return known[name]
    try:
        connection = provider.connection(name)
        capabilities = _capabilities(connection.type)
    except KeyError:
        return None
    if capabilities is None or not getattr(capabilities, "elt", False):
        return None
    for other, place in known.items():
        if _same_database(provider, other, connection):
            known[name] = place
            return place
    known[name] = Place(
        name, capabilities.dialect, native=bool(getattr(capabilities, "duckdb_native", False))
    )
    return known[name]


def _same_database(provider: ConnectorProvider, name: str, target: Connection) -> bool:
    try:
        other = provider.connection(name)
    except KeyError:
        return False
    return other.type == target.type and other.params == target.params


def place_nodes(
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    execution: str = "auto",
    demoted: frozenset[str] = frozenset(),
) -> Placement:
    """Where each node of ``pipeline`` runs. ``demoted``: nodes forced onto the local engine
    (their SQL could not be rendered in their place's dialect)."""
    result = Placement()
    if execution == "local":
        return result
    registry = node_registry()
    connections: dict[str, Place] = {}
    for node in pipeline.topological_order():
        if node.id in demoted:
            continue
        if node.type == "source":
            place = _place_of_connection(provider, node.params.get("connection"), connections)
            if place is not None:
                result.places[node.id] = place
            continue
        is_destination = node.type in registry and registry.get(node.type).is_destination
        inputs = {result.places.get(e.source.node) for e in pipeline.incoming(node.id)}
        if len(inputs) != 1 or None in inputs:
            continue
        [place] = inputs
        assert place is not None
        if is_destination:
            own = _place_of_connection(provider, node.params.get("connection"), connections)
            if own == place:
                result.places[node.id] = place
                result.pushed[node.id] = str(node.params["connection"])
            continue
        if node.type == "mask":
            if _mask_pushable(node.params.get("rules") or (), place.dialect):
                result.places[node.id] = place
            continue
        if node.type in PUSHABLE.get(place.dialect, ()):
            result.places[node.id] = place
    _find_frontier(pipeline, result)
    return result


def _mask_pushable(rules: Any, dialect: str) -> bool:
    """A ``mask`` runs in the database only when the dialect expresses each of its methods
    without a key the local engine alone holds (:func:`~app.engine.privacy.methods.
    rules_pushable`), and each rule names its column: rules by tag follow the tags' lineage,
    which only the local compile is given, so such a mask always runs locally."""
    from app.engine.privacy.methods import rules_pushable

    chosen = list(rules)
    by_column = all(
        (r.get("column") if isinstance(r, Mapping) else getattr(r, "column", None)) for r in chosen
    )
    return by_column and rules_pushable(chosen, dialect)


def _find_frontier(pipeline: Pipeline, result: Placement) -> None:
    """Settle the places: a node whose input runs locally runs locally; a pushed node read
    by a local node must be foldable into a scan query (or be a source), else it runs
    locally too. Then list the frontier and drop places no pushed stage or scan uses.

    A database the local engine attaches (``Place.native``) keeps only the nodes of its
    pushed stages: the local engine runs the same DuckDB SQL over the attached tables, so
    folding the others into a scan query would only render it, parse it back and describe
    it again."""
    order = pipeline.topological_order()
    staged: set[str] = set()
    for dest in result.pushed:
        staged |= {dest, *pipeline.upstream(dest)}
    for node in order:
        place = result.places.get(node.id)
        if place is not None and place.native and node.type != "source" and node.id not in staged:
            del result.places[node.id]
    changed = True
    while changed:
        changed = False
        for node in order:
            if node.id not in result.places:
                continue
            local_input = any(
                e.source.node not in result.places for e in pipeline.incoming(node.id)
            )
            local_reader = any(
                e.target.node not in result.places or e.source.port != "out"
                for e in pipeline.outgoing(node.id)
            )
            unfoldable = node.type not in FOLDABLE and node.type != "source"
            if local_input or (local_reader and unfoldable and node.id not in result.pushed):
                del result.places[node.id]
                result.pushed.pop(node.id, None)
                changed = True
    useful = set(result.pushed)
    for node in order:
        if node.id in result.places and any(
            e.target.node not in result.places for e in pipeline.outgoing(node.id)
        ):
            if node.type != "source":
                result.frontier.append(node.id)
            useful.add(node.id)
    needed: set[str] = set()
    for node_id in useful:
        needed |= {node_id, *pipeline.upstream(node_id)}
    for node_id in list(result.places):
        if node_id not in needed:
            del result.places[node_id]
