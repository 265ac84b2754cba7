"""Edits of a pipeline the editor's undo commands make: restore a node, copy and paste a
fragment, lay the graph out. Plain model operations, no I/O."""

from __future__ import annotations

import copy
from typing import Any

from app.i18n import _
from app.model.pipeline import Edge, GraphError, Node, Pipeline, Position

__all__ = ["auto_layout", "copy_fragment", "paste_fragment", "restore_node"]

#: auto-layout spacing between layers (x) and rows (y), in scene units
LAYER_GAP_X, ROW_GAP_Y = 250.0, 150.0


def restore_node(
    pipeline: Pipeline, node: Node, edges: list[Edge], position: Position | None
) -> None:
    """Put back a node removed by :meth:`Pipeline.remove_node`, with its position and those of
    its edges whose other end is in the pipeline (the pipeline tells its listeners of each)."""
    if any(n.name == node.name for n in pipeline.nodes):
        raise GraphError(_("a node named {name!r} already exists").format(name=node.name), node.id)
    pipeline.insert_node(node, position)
    known = {n.id for n in pipeline.nodes}
    for edge in edges:
        if edge.source.node in known and edge.target.node in known and edge not in pipeline.edges:
            pipeline.add_edge(edge)


def copy_fragment(pipeline: Pipeline, node_ids: list[str]) -> dict[str, Any]:
    """The selected nodes, the edges between them and their positions, as plain data."""
    chosen = set(node_ids)
    nodes = [n.model_dump(mode="json") for n in pipeline.nodes if n.id in chosen]
    edges = [
        e.model_dump(mode="json")
        for e in pipeline.edges
        if e.source.node in chosen and e.target.node in chosen
    ]
    layout = {nid: pipeline.layout[nid].model_dump() for nid in chosen if nid in pipeline.layout}
    return {"format": "cauce-fragment", "nodes": nodes, "edges": edges, "layout": layout}


def paste_fragment(
    pipeline: Pipeline, fragment: dict[str, Any], *, offset: tuple[float, float] = (40.0, 40.0)
) -> tuple[list[Node], list[Edge]]:
    """Add a copied fragment with new uuids and unique names; returns what was added."""
    if fragment.get("format") != "cauce-fragment":
        raise ValueError(_("the clipboard does not hold Cauce nodes"))
    new_ids: dict[str, str] = {}
    nodes: list[Node] = []
    for raw in fragment["nodes"]:
        old = raw["id"]
        pos = fragment.get("layout", {}).get(old)
        position = (pos["x"] + offset[0], pos["y"] + offset[1]) if pos else None
        node = pipeline.insert_node(
            Node(
                type=raw["type"],
                name=pipeline.unique_name(raw["name"]),
                params=copy.deepcopy(raw.get("params", {})),
                description=raw.get("description", ""),
            ),
            Position(x=position[0], y=position[1]) if position else None,
        )
        new_ids[old] = node.id
        nodes.append(node)
    edges = [
        pipeline.connect(
            new_ids[e["source"]["node"]],
            e["source"]["port"],
            new_ids[e["target"]["node"]],
            e["target"]["port"],
        )
        for e in fragment["edges"]
        if e["source"]["node"] in new_ids and e["target"]["node"] in new_ids
    ]
    return nodes, edges


def auto_layout(
    pipeline: Pipeline, *, origin: tuple[float, float] = (0.0, 0.0)
) -> dict[str, tuple[float, float]]:
    """Positions layered by topological depth, left to right (does not change the model).

    >>> p = Pipeline(name="x")
    >>> a, b = p.add_node("source"), p.add_node("filter")
    >>> _ = p.connect(a.id, "out", b.id, "in")
    >>> auto_layout(p)[b.id]
    (250.0, 0.0)
    """
    depth: dict[str, int] = {}
    for node in pipeline.topological_order():
        parents = [depth[e.source.node] for e in pipeline.incoming(node.id)]
        depth[node.id] = 1 + max(parents) if parents else 0
    rows: dict[int, int] = {}
    positions: dict[str, tuple[float, float]] = {}
    for node in sorted(pipeline.nodes, key=lambda n: (depth[n.id], _y_of(pipeline, n.id))):
        layer = depth[node.id]
        row = rows.get(layer, 0)
        rows[layer] = row + 1
        positions[node.id] = (origin[0] + layer * LAYER_GAP_X, origin[1] + row * ROW_GAP_Y)
    return positions


def _y_of(pipeline: Pipeline, node_id: str) -> float:
    pos = pipeline.layout.get(node_id)
    return pos.y if pos else 0.0
