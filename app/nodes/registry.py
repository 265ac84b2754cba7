"""The catalog of component types (entry-point group ``cauce.nodes``; built-ins are declared
there too, and in :data:`BUILTIN_COMPONENTS`, so that finding one reads no package metadata)."""

from __future__ import annotations

from app.nodes.base import Component
from app.plugins import Registry, UnknownPlugin

__all__ = ["BUILTIN_COMPONENTS", "UnknownPlugin", "node_registry"]

#: the built-in components, as in ``pyproject.toml``'s ``cauce.nodes`` entry points
BUILTIN_COMPONENTS = {
    "source": "app.nodes.source:SourceNode",
    "file_source": "app.nodes.file_source:FileSourceNode",
    "filter": "app.nodes.filter:FilterNode",
    "select": "app.nodes.select:SelectNode",
    "derive": "app.nodes.derive:DeriveNode",
    "join": "app.nodes.join:JoinNode",
    "lookup": "app.nodes.lookup:LookupNode",
    "aggregate": "app.nodes.aggregate:AggregateNode",
    "union": "app.nodes.union:UnionNode",
    "sort": "app.nodes.sort:SortNode",
    "dedupe": "app.nodes.dedupe:DedupeNode",
    "window": "app.nodes.window:WindowNode",
    "custom_sql": "app.nodes.custom_sql:CustomSqlNode",
    "mask": "app.nodes.mask:MaskNode",
    "destination": "app.nodes.destination:DestinationNode",
}

_REGISTRY: Registry[Component] = Registry(
    "cauce.nodes", Component, "component", builtins=BUILTIN_COMPONENTS
)


def node_registry() -> Registry[Component]:
    return _REGISTRY
