"""The catalog of connector types (entry-point group ``cauce.connectors``)."""

from __future__ import annotations

from app.connectors.base import Connector
from app.plugins import Registry, UnknownPlugin

__all__ = ["UnknownPlugin", "connector_registry"]

_REGISTRY: Registry[Connector] = Registry("cauce.connectors", Connector, "connector")


def connector_registry() -> Registry[Connector]:
    return _REGISTRY
