"""The components a pipeline can use (built-in and plugins): the editor's palette and forms.

Front ends read components here, never from :mod:`app.nodes` directly. The registry loads a
plugin's entry point only when its type is first looked up, except when it is listed.
"""

from __future__ import annotations

from app.nodes.base import Component, Port
from app.nodes.registry import node_registry
from app.plugins import Registry

__all__ = ["Component", "Port", "component_registry"]


def component_registry() -> Registry[Component]:
    """The registry of component types (``in``, ``get(type)``, ``types()``, ``names()``)."""
    return node_registry()
