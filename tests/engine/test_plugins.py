"""Entry-point registries: built-ins load, a broken plugin is reported not fatal, thread-safe."""

from __future__ import annotations

import threading
import time
from importlib.metadata import EntryPoint

import pytest

import app.plugins as plugins
from app.nodes.base import Component
from app.nodes.registry import node_registry


def test_every_builtin_component_loads() -> None:
    registry = node_registry()
    assert {"source", "filter", "join", "lookup", "aggregate", "destination"} <= set(
        registry.names()
    )
    assert registry.broken == {}


def fake_entry_points(slow: float = 0.0):  # type: ignore[no-untyped-def]
    good = EntryPoint(name="filter", value="app.nodes.filter:FilterNode", group="g")
    broken = EntryPoint(name="broken", value="app.nodes.no_such_module:Nope", group="g")

    def entry_points(group: str) -> list[EntryPoint]:
        time.sleep(slow)  # widen the window in which a second thread could see half a load
        return [broken, good]

    return entry_points


def test_a_broken_plugin_is_reported_and_the_rest_still_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plugins, "entry_points", fake_entry_points())
    registry = plugins.Registry("g", Component, "component")
    assert registry.get("filter").type_name == "filter"
    assert registry.names() == ["filter"]
    assert "no_such_module" in registry.broken["broken"]
    with pytest.raises(plugins.UnknownPlugin, match="unknown component type 'nope'"):
        registry.get("nope")


def test_looking_one_type_up_imports_only_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugins, "entry_points", fake_entry_points())
    registry = plugins.Registry("g", Component, "component")
    assert "filter" in registry
    assert registry.broken == {}  # the broken entry point was never imported
    with pytest.raises(plugins.UnknownPlugin):  # an unknown name tries them all, then says so
        registry.get("nope")
    assert "no_such_module" in registry.broken["broken"]


def test_a_type_registered_under_another_entry_point_name_is_still_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aliased = EntryPoint(name="filters", value="app.nodes.filter:FilterNode", group="g")
    monkeypatch.setattr(plugins, "entry_points", lambda group: [aliased])
    registry = plugins.Registry("g", Component, "component")
    assert registry.get("filter").type_name == "filter"


def test_concurrent_first_use_sees_a_complete_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugins, "entry_points", fake_entry_points(slow=0.05))
    registry = plugins.Registry("g", Component, "component")
    found, errors = [], []

    def look() -> None:
        try:
            found.append(registry.get("filter").type_name)
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=look) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and found == ["filter"] * 8


def test_a_registry_reads_its_entry_points_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each read scans every installed distribution: look-ups of several names share one."""
    reads: list[str] = []
    fake = fake_entry_points()

    def counting(group: str) -> list[EntryPoint]:
        reads.append(group)
        return fake(group)

    monkeypatch.setattr(plugins, "entry_points", counting)
    registry = plugins.Registry("g", Component, "component")
    assert registry.get("filter").type_name == "filter"
    assert "nothing_like_it" not in registry  # a miss loads the whole group
    assert registry.names() == ["filter"] and "broken" in registry.broken
    assert reads == ["g"]


def test_builtins_are_the_entry_points_pyproject_declares() -> None:
    """The built-in tables (found without reading package metadata) and the entry points a
    plugin author reads in ``pyproject.toml`` list the same types."""
    import tomllib

    from app.connectors.registry import BUILTIN_CONNECTORS
    from tests.conftest import REPO

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"]
    from app.nodes.registry import BUILTIN_COMPONENTS

    assert declared["cauce.nodes"] == BUILTIN_COMPONENTS
    assert declared["cauce.connectors"] == BUILTIN_CONNECTORS


def test_a_builtin_is_found_without_reading_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(group: str) -> list[EntryPoint]:
        raise AssertionError("entry points were read")

    monkeypatch.setattr(plugins, "entry_points", refuse)
    registry = plugins.Registry(
        "g", Component, "component", builtins={"filter": "app.nodes.filter:FilterNode"}
    )
    assert registry.get("filter").type_name == "filter"
    assert "filter" in registry


def test_a_plugin_cannot_replace_a_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    impostor = EntryPoint(name="filter", value="app.nodes.sort:SortNode", group="g")
    monkeypatch.setattr(plugins, "entry_points", lambda group: [impostor])
    registry = plugins.Registry(
        "g", Component, "component", builtins={"filter": "app.nodes.filter:FilterNode"}
    )
    assert registry.names() == ["filter"]  # the impostor is not loaded
    assert registry.get("filter").type_name == "filter"
