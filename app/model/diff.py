"""Semantic diff of two pipelines: what a reviewer needs, not what the JSON text says.

Nodes are matched by their stable id, so a rename is a rename (not a removal and an addition),
and an edge is rewired only when the ports it joins change. Canvas positions are left out
unless asked (``with_layout=True``); a diff that holds nothing but moves is *layout-only*.

Schemas of output ports and the compiled SQL need the compiler: :mod:`app.services.versions`
adds them. Everything here is plain data and fast (two 500-node pipelines: a few ms).

>>> old = Pipeline(name="p")
>>> a = old.add_node("source", name="orders", params={"table": "orders"})
>>> new = Pipeline.model_validate(old.model_dump())
>>> new.rename_node(a.id, "sales")
>>> new.set_params(a.id, {"table": "sales"})
>>> print("\\n".join(diff_pipelines(old, new).lines()))
~ node renamed: orders -> sales
~ sales.table: "orders" -> "sales"
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from app.i18n import _
from app.model.pipeline import Edge, Pipeline

__all__ = ["NodeRef", "ParamChange", "PipelineDiff", "diff_pipelines", "flatten_params"]


@dataclass(frozen=True)
class NodeRef:
    id: str
    name: str
    type: str


@dataclass(frozen=True)
class ParamChange:
    """One changed value of a node: ``path`` such as ``measures[0].name``; ``None`` for a
    value that is absent on one side (see ``added``/``removed``)."""

    node_id: str
    node: str
    path: str
    old: Any
    new: Any
    added: bool = False
    removed: bool = False


@dataclass(frozen=True)
class Rename:
    node_id: str
    old: str
    new: str


@dataclass(frozen=True)
class Move:
    node_id: str
    node: str
    old: tuple[float, float] | None
    new: tuple[float, float] | None


@dataclass
class PipelineDiff:
    """What changed between two versions of one pipeline."""

    name: tuple[str, str] | None = None
    description: tuple[str, str] | None = None
    added: list[NodeRef] = field(default_factory=list)
    removed: list[NodeRef] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    retyped: list[tuple[str, str, str]] = field(default_factory=list)
    params: list[ParamChange] = field(default_factory=list)
    edges_added: list[str] = field(default_factory=list)
    edges_removed: list[str] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    #: positions differ (``moved`` lists them only when the diff was asked ``with_layout``)
    layout_changed: bool = False

    @property
    def semantic(self) -> bool:
        """True when anything but positions changed."""
        return bool(
            self.name
            or self.description
            or self.added
            or self.removed
            or self.renamed
            or self.retyped
            or self.params
            or self.edges_added
            or self.edges_removed
        )

    @property
    def layout_only(self) -> bool:
        return not self.semantic and self.layout_changed

    @property
    def empty(self) -> bool:
        return not self.semantic and not self.layout_changed

    def changed_node_ids(self) -> dict[str, str]:
        """Node id -> how it changed (``added``, ``changed``, ``removed``, ``moved``): what the
        canvas colours."""
        marks: dict[str, str] = {m.node_id: "moved" for m in self.moved}
        for p in self.params:
            marks[p.node_id] = "changed"
        for r in self.renamed:
            marks[r.node_id] = "changed"
        for node_id, _old, _new in self.retyped:
            marks[node_id] = "changed"
        marks.update({n.id: "added" for n in self.added})
        marks.update({n.id: "removed" for n in self.removed})
        return marks

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["semantic"], data["layout_only"] = self.semantic, self.layout_only
        return data

    def lines(self) -> list[str]:
        """The diff for people, one change a line (``+`` added, ``-`` removed, ``~`` changed)."""
        out: list[str] = []
        if self.name:
            out.append(
                "~ "
                + _("pipeline renamed: {old} -> {new}").format(old=self.name[0], new=self.name[1])
            )
        if self.description:
            out.append(
                "~ "
                + _("description: {old} -> {new}").format(
                    old=_show(self.description[0]), new=_show(self.description[1])
                )
            )
        out += [
            "+ " + _("node added: {name} ({type})").format(name=n.name, type=n.type)
            for n in self.added
        ]
        out += [
            "- " + _("node removed: {name} ({type})").format(name=n.name, type=n.type)
            for n in self.removed
        ]
        out += [
            "~ " + _("node renamed: {old} -> {new}").format(old=r.old, new=r.new)
            for r in self.renamed
        ]
        out += [
            "~ " + _("{node}: type {old} -> {new}").format(node=node, old=old, new=new)
            for node, old, new in self.retyped
        ]
        for p in self.params:
            if p.added:
                out.append(f"+ {p.node}.{p.path} = {_show(p.new)}")
            elif p.removed:
                out.append(f"- {p.node}.{p.path} = {_show(p.old)}")
            else:
                out.append(f"~ {p.node}.{p.path}: {_show(p.old)} -> {_show(p.new)}")
        out += ["+ " + _("edge {edge}").format(edge=e) for e in self.edges_added]
        out += ["- " + _("edge {edge}").format(edge=e) for e in self.edges_removed]
        for m in self.moved:
            out.append(
                "~ "
                + _("{node} moved: {old} -> {new}").format(
                    node=m.node, old=_xy(m.old), new=_xy(m.new)
                )
            )
        return out


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _xy(pos: tuple[float, float] | None) -> str:
    return "-" if pos is None else f"({pos[0]:g}, {pos[1]:g})"


def flatten_params(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf values by path (``a.b[0].c``); an empty dict or list is a leaf.

    >>> flatten_params({"keys": [{"left": "a"}], "kind": "inner"})
    {'keys[0].left': 'a', 'kind': 'inner'}
    """
    out: dict[str, Any] = {}
    if isinstance(value, dict) and value:
        for k in sorted(value):
            out.update(flatten_params(value[k], f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            out.update(flatten_params(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def _edge_text(edge: Edge, names: dict[str, str]) -> str:
    src, dst = edge.source, edge.target
    return (
        f"{names.get(src.node, src.node)}.{src.port} -> {names.get(dst.node, dst.node)}.{dst.port}"
    )


def _edge_key(edge: Edge) -> tuple[str, str, str, str]:
    return (edge.source.node, edge.source.port, edge.target.node, edge.target.port)


def diff_pipelines(old: Pipeline, new: Pipeline, *, with_layout: bool = False) -> PipelineDiff:
    """The semantic diff from ``old`` to ``new``. Positions are listed only ``with_layout``;
    without it a layout-only change is still flagged (:attr:`PipelineDiff.layout_only`)."""
    d = PipelineDiff()
    if old.name != new.name:
        d.name = (old.name, new.name)
    if old.description != new.description:
        d.description = (old.description, new.description)
    before = {n.id: n for n in old.nodes}
    after = {n.id: n for n in new.nodes}
    d.added = sorted(
        (NodeRef(n.id, n.name, n.type) for i, n in after.items() if i not in before),
        key=lambda r: r.name,
    )
    d.removed = sorted(
        (NodeRef(n.id, n.name, n.type) for i, n in before.items() if i not in after),
        key=lambda r: r.name,
    )
    for node_id in sorted(before.keys() & after.keys(), key=lambda i: after[i].name):
        a, b = before[node_id], after[node_id]
        if a.name != b.name:
            d.renamed.append(Rename(node_id, a.name, b.name))
        if a.type != b.type:
            d.retyped.append((node_id, a.type, b.type))
        if a.params != b.params:
            d.params.extend(_param_changes(node_id, b.name, a.params, b.params))
        if a.description != b.description:
            d.params.append(
                ParamChange(node_id, b.name, "description", a.description, b.description)
            )
    old_names = {n.id: n.name for n in old.nodes}
    new_names = {n.id: n.name for n in new.nodes}
    old_edges = {_edge_key(e): e for e in old.edges}
    new_edges = {_edge_key(e): e for e in new.edges}
    d.edges_added = sorted(
        _edge_text(e, new_names) for k, e in new_edges.items() if k not in old_edges
    )
    d.edges_removed = sorted(
        _edge_text(e, old_names) for k, e in old_edges.items() if k not in new_edges
    )
    for node_id in sorted(before.keys() & after.keys(), key=lambda i: after[i].name):
        pa, pb = old.layout.get(node_id), new.layout.get(node_id)
        ta = (pa.x, pa.y) if pa else None
        tb = (pb.x, pb.y) if pb else None
        if ta != tb:
            d.layout_changed = True
            if not with_layout:
                break
            d.moved.append(Move(node_id, after[node_id].name, ta, tb))
    return d


def _param_changes(
    node_id: str, node: str, old: dict[str, Any], new: dict[str, Any]
) -> list[ParamChange]:
    a, b = flatten_params(old), flatten_params(new)
    changes: list[ParamChange] = []
    for path in sorted(a.keys() | b.keys()):
        if path not in b:
            changes.append(ParamChange(node_id, node, path, a[path], None, removed=True))
        elif path not in a:
            changes.append(ParamChange(node_id, node, path, None, b[path], added=True))
        elif a[path] != b[path]:
            changes.append(ParamChange(node_id, node, path, a[path], b[path]))
    return changes
