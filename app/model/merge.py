"""Three-way merge of pipeline files, node by node and parameter by parameter (git's merge
driver for ``pipelines/*.json``, see docs/versions.md).

Nodes are matched by id. A value changed on one side only is taken from that side; a value
changed on both sides to the same thing is taken once; a value changed on both sides
differently is a *conflict*. Edges merge as sets (an edge added on either side is kept, one
removed on either side is dropped). Positions never conflict: ours wins.

A conflicting value is written as ``{"<<<<<<< conflict": {"base": …, "ours": …, "theirs": …}}``
so the file no longer loads until someone resolves it (and a text search finds it).

>>> base = Pipeline(name="p")
>>> n = base.add_node("filter", name="f", params={"condition": "a > 1", "keep": True})
>>> ours, theirs = base.canonical(), base.canonical()
>>> ours["nodes"][0]["params"]["condition"] = "a > 2"
>>> theirs["nodes"][0]["params"]["keep"] = False
>>> merged, conflicts = merge_pipelines(base.canonical(), ours, theirs)
>>> merged["nodes"][0]["params"], conflicts
({'condition': 'a > 2', 'keep': False}, [])
"""

from __future__ import annotations

from typing import Any

from app.model.pipeline import Pipeline

__all__ = ["CONFLICT_KEY", "merge_documents", "merge_pipelines"]

CONFLICT_KEY = "<<<<<<< conflict"
_ABSENT: Any = object()


def _conflict(base: Any, ours: Any, theirs: Any) -> dict[str, Any]:
    def show(v: Any) -> Any:
        return None if v is _ABSENT else v

    return {CONFLICT_KEY: {"base": show(base), "ours": show(ours), "theirs": show(theirs)}}


def _merge_value(base: Any, ours: Any, theirs: Any, path: str, conflicts: list[str]) -> Any:
    """Three-way merge of one value (dicts key by key); ``_ABSENT`` for a missing key."""
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if (
        isinstance(ours, dict)
        and isinstance(theirs, dict)
        and (base is _ABSENT or isinstance(base, dict))
    ):
        base_d = base if isinstance(base, dict) else {}
        out: dict[str, Any] = {}
        for key in sorted(base_d.keys() | ours.keys() | theirs.keys()):
            value = _merge_value(
                base_d.get(key, _ABSENT),
                ours.get(key, _ABSENT),
                theirs.get(key, _ABSENT),
                f"{path}.{key}",
                conflicts,
            )
            if value is not _ABSENT:
                out[key] = value
        return out
    conflicts.append(path)
    return _conflict(base, ours, theirs)


def _edge_key(e: dict[str, Any]) -> tuple[str, str, str, str]:
    return (e["source"]["node"], e["source"]["port"], e["target"]["node"], e["target"]["port"])


def merge_pipelines(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Merge two pipelines' canonical JSON (dicts) descending from ``base``.

    Returns the merged canonical dict and the paths in conflict (``node 'f'.params.x``); no
    conflict means the result is a valid pipeline.
    """
    conflicts: list[str] = []
    merged: dict[str, Any] = {}
    for key in ("format_version", "id", "name", "description"):
        value = _merge_value(
            base.get(key, _ABSENT), ours.get(key, _ABSENT), theirs.get(key, _ABSENT), key, conflicts
        )
        if value is not _ABSENT:
            merged[key] = value
    nodes_b = {n["id"]: n for n in base.get("nodes", [])}
    nodes_o = {n["id"]: n for n in ours.get("nodes", [])}
    nodes_t = {n["id"]: n for n in theirs.get("nodes", [])}
    nodes: list[dict[str, Any]] = []
    for node_id in sorted(nodes_b.keys() | nodes_o.keys() | nodes_t.keys()):
        b = nodes_b.get(node_id, _ABSENT)
        o = nodes_o.get(node_id, _ABSENT)
        t = nodes_t.get(node_id, _ABSENT)
        label = next(n["name"] for n in (o, t, b) if n is not _ABSENT)
        value = _merge_value(b, o, t, f"node {label!r}", conflicts)
        if value is not _ABSENT and CONFLICT_KEY in value and "id" not in value:
            # removed on one side, changed on the other: keep the changed node, say so
            kept = o if o is not _ABSENT else t
            value = dict(kept)
        if value is not _ABSENT:
            nodes.append(value)
    merged["nodes"] = nodes
    alive = {n["id"] for n in nodes}
    edges_b = {_edge_key(e): e for e in base.get("edges", [])}
    edges_o = {_edge_key(e): e for e in ours.get("edges", [])}
    edges_t = {_edge_key(e): e for e in theirs.get("edges", [])}
    keep = {
        k: e
        for k, e in {**edges_b, **edges_o, **edges_t}.items()
        if (
            (k in edges_o and k in edges_t) or (k not in edges_b and (k in edges_o or k in edges_t))
        )
        and k[0] in alive
        and k[2] in alive
    }
    merged["edges"] = [keep[k] for k in sorted(keep)]
    layout: dict[str, Any] = {}
    lb, lo, lt = base.get("layout", {}), ours.get("layout", {}), theirs.get("layout", {})
    for node_id in sorted(alive):
        pos = lo.get(node_id) if lo.get(node_id) != lb.get(node_id) else lt.get(node_id)
        if pos is None:
            pos = lo.get(node_id, lt.get(node_id))
        if pos is not None:
            layout[node_id] = pos
    merged["layout"] = layout
    names = [n.get("name") for n in nodes]
    for name in sorted({n for n in names if isinstance(n, str) and names.count(n) > 1}):
        conflicts.append(f"node name {name!r} is used twice")
    if not conflicts:
        merged = Pipeline.model_validate(merged).canonical()
    return merged, conflicts


def merge_documents(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Merge any project JSON file: a pipeline node by node, anything else (a sync, a
    connection, a schedule) key by key."""
    if all("nodes" in d and "edges" in d for d in (ours, theirs)):
        return merge_pipelines(base, ours, theirs)
    conflicts: list[str] = []
    merged = _merge_value(base, ours, theirs, "$", conflicts)
    return (merged if isinstance(merged, dict) else {}), conflicts
