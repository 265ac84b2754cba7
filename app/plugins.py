"""Entry-point registries: how built-in and third-party components and connectors are found.

A plugin that fails to import is recorded in :attr:`Registry.broken` and logged, never fatal
(one bad marketplace package must not stop Cauce from starting).

Looking one type up (:meth:`Registry.get`, ``in``) imports only the entry point of that name
(a sync between two PostgreSQL databases does not import the SQL Server or DuckDB connectors);
listing (:meth:`Registry.names`, :meth:`Registry.types`) imports them all.

The built-in types are also declared to their registry (``builtins``: the same
``module:attribute`` as their entry points in ``pyproject.toml``, which a test keeps equal), so
looking one of them up reads no package metadata: scanning every installed distribution's
entry points costs a run up to a tenth of a second. A plugin cannot replace a built-in type.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["Registry", "UnknownPlugin"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def entry_points(group: str) -> list[EntryPoint]:
    """The installed distributions' entry points of ``group`` (``importlib.metadata`` is
    imported on the first call, not with this module)."""
    from importlib.metadata import entry_points as installed

    return list(installed(group=group))


class UnknownPlugin(KeyError):
    def __init__(self, kind: str, name: str) -> None:
        super().__init__(name)
        self.kind, self.name = kind, name

    def __str__(self) -> str:
        return f"unknown {self.kind} type {self.name!r}"


class Registry(Generic[T]):
    """Classes of one kind (``base``) keyed by their ``type_name``."""

    def __init__(
        self, group: str, base: type[T], kind: str, builtins: Mapping[str, str] | None = None
    ) -> None:
        self.group, self.base, self.kind = group, base, kind
        #: built-in type name -> ``module:attribute``, found without reading package metadata
        self.builtins: Mapping[str, str] = dict(builtins or {})
        self._types: dict[str, type[T]] = {}
        self.broken: dict[str, str] = {}
        self._loaded = False
        self._entry_points: list[EntryPoint] | None = None
        self._lock = threading.RLock()  # compiles on worker threads may load it first

    def register(self, cls: type[T]) -> type[T]:
        self._types[cls.type_name] = cls  # type: ignore[attr-defined]
        return cls

    def load_entry_points(self) -> None:
        with self._lock:
            self._load_entry_points()

    def _group(self) -> list[EntryPoint]:
        """The group's entry points, read once: reading them scans the metadata of every
        installed distribution (a look-up of each new type name would scan them again)."""
        if self._entry_points is None:
            self._entry_points = list(entry_points(group=self.group))
        return self._entry_points

    def _load_entry_points(self) -> None:
        for name in self.builtins:
            if name not in self._types and name not in self.broken:
                self._load_builtin(name)
        for ep in self._group():
            if ep.name not in self.builtins and ep.name not in self.broken:
                self._load(ep.name, ep.value, ep.load)
        self._loaded = True  # only once every entry point has been tried

    def _load_builtin(self, name: str) -> None:
        value = self.builtins[name]
        module, _, attribute = value.partition(":")
        self._load(name, value, lambda: getattr(importlib.import_module(module), attribute))

    def _load(self, name: str, value: str, load: Callable[[], object]) -> None:
        try:
            cls = load()
            if not (isinstance(cls, type) and issubclass(cls, self.base)):
                raise TypeError(f"{value} is not a {self.base.__name__} subclass")
            self.register(cls)
        except Exception as err:  # noqa: BLE001 - any plugin failure is reported
            self.broken[name] = f"{type(err).__name__}: {err}"
            log.warning("%s plugin %r could not be loaded: %s", self.kind, name, err)

    def _ensure(self) -> None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._load_entry_points()

    def _find(self, type_name: str) -> type[T] | None:
        """The class of ``type_name``: its own entry point first, every entry point if need be.

        An entry point named differently from its class's ``type_name`` is still found, by the
        full load.
        """
        found = self._types.get(type_name)
        if found is not None or self._loaded:
            return found
        with self._lock:
            if type_name in self.builtins:
                if type_name not in self._types and type_name not in self.broken:
                    self._load_builtin(type_name)
                return self._types.get(type_name)
            if type_name not in self._types and not self._loaded:
                for ep in self._group():
                    if ep.name == type_name and ep.name not in self.broken:
                        self._load(ep.name, ep.value, ep.load)
            if type_name not in self._types and not self._loaded:
                self._load_entry_points()
            return self._types.get(type_name)

    def get(self, type_name: str) -> type[T]:
        found = self._find(type_name)
        if found is None:
            raise UnknownPlugin(self.kind, type_name)
        return found

    def __contains__(self, type_name: object) -> bool:
        return isinstance(type_name, str) and self._find(type_name) is not None

    def names(self) -> list[str]:
        self._ensure()
        return sorted(self._types)

    def types(self) -> list[type[T]]:
        self._ensure()
        return [self._types[n] for n in sorted(self._types)]
