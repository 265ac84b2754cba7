"""The catalog of component types (entry-point group ``cauce.nodes``; built-ins use it too)."""

from __future__ import annotations

from app.nodes.base import Component
from app.plugins import Registry, UnknownPlugin

__all__ = ["UnknownPlugin", "node_registry"]

_REGISTRY: Registry[Component] = Registry("cauce.nodes", Component, "component")


def node_registry() -> Registry[Component]:
    return _REGISTRY
