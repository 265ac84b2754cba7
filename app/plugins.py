"""Entry-point registries: how built-in and third-party components and connectors are found.

A plugin that fails to import is recorded in :attr:`Registry.broken` and logged, never fatal
(one bad marketplace package must not stop Cauce from starting).
"""

from __future__ import annotations

import logging
import threading
from importlib.metadata import entry_points
from typing import Generic, TypeVar

__all__ = ["Registry", "UnknownPlugin"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class UnknownPlugin(KeyError):
    def __init__(self, kind: str, name: str) -> None:
        super().__init__(name)
        self.kind, self.name = kind, name

    def __str__(self) -> str:
        return f"unknown {self.kind} type {self.name!r}"


class Registry(Generic[T]):
    """Classes of one kind (``base``) keyed by their ``type_name``."""

    def __init__(self, group: str, base: type[T], kind: str) -> None:
        self.group, self.base, self.kind = group, base, kind
        self._types: dict[str, type[T]] = {}
        self.broken: dict[str, str] = {}
        self._loaded = False
        self._lock = threading.RLock()  # compiles on worker threads may load it first

    def register(self, cls: type[T]) -> type[T]:
        self._types[cls.type_name] = cls  # type: ignore[attr-defined]
        return cls

    def load_entry_points(self) -> None:
        with self._lock:
            self._load_entry_points()

    def _load_entry_points(self) -> None:
        for ep in entry_points(group=self.group):
            try:
                cls = ep.load()
                if not (isinstance(cls, type) and issubclass(cls, self.base)):
                    raise TypeError(f"{ep.value} is not a {self.base.__name__} subclass")
                self.register(cls)
            except Exception as err:  # noqa: BLE001 - any plugin failure is reported
                self.broken[ep.name] = f"{type(err).__name__}: {err}"
                log.warning("%s plugin %r could not be loaded: %s", self.kind, ep.name, err)
        self._loaded = True  # only once every entry point has been tried

    def _ensure(self) -> None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._load_entry_points()

    def get(self, type_name: str) -> type[T]:
        self._ensure()
        try:
            return self._types[type_name]
        except KeyError:
            raise UnknownPlugin(self.kind, type_name) from None

    def __contains__(self, type_name: object) -> bool:
        self._ensure()
        return type_name in self._types

    def names(self) -> list[str]:
        self._ensure()
        return sorted(self._types)

    def types(self) -> list[type[T]]:
        self._ensure()
        return [self._types[n] for n in sorted(self._types)]
