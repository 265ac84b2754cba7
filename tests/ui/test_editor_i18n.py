"""The main window in Spanish, and screenshots in both languages and themes."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from .conftest import SHOTS

pytestmark = pytest.mark.gui


def test_menus_and_docks_in_spanish(spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.theme import apply_theme

    win = window
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus == [
        "&Archivo",
        "&Edición",
        "&Ver",
        "&Ejecutar",
        "&Herramientas",
        "&Supervisión",
        "A&yuda",
    ]
    assert win.actions_by_name["new_pipeline"].text() == "Nueva &canalización"
    assert win.actions_by_name["syncs"].text() == "&Sincronizaciones…"
    assert win.problems_dock.windowTitle() == "Problemas"
    win.open_project(chinook_dir, "revenue")
    SHOTS.mkdir(exist_ok=True)
    for theme in ("dark", "light"):
        win.apply_scheme(apply_theme(QApplication.instance(), theme))
        QApplication.processEvents()
        win.grab().save(str(SHOTS / f"editor-es-{theme}.png"))
    from app.ui.i18n import install_translator

    install_translator(QApplication.instance(), "en")  # switching back retranslates
    QApplication.processEvents()
    assert win.menuBar().actions()[0].text() == "&File"
    assert win.problems_dock.windowTitle() == "Problems"


def test_every_message_is_translated() -> None:
    """Each message of every .ts (plural forms too) has a finished, non-empty translation.

    Run ``resources/i18n/update.sh`` after adding strings: this fails until they are translated.
    """
    import xml.etree.ElementTree as ET

    from app.ui.i18n import I18N_DIR

    files = sorted(I18N_DIR.glob("cauce_*.ts"))
    assert files
    missing: list[str] = []
    for ts in files:
        for context in ET.parse(ts).getroot().iter("context"):
            for message in context.iter("message"):
                translation = message.find("translation")
                forms = (
                    []
                    if translation is None
                    else (
                        [f.text for f in translation.iter("numerusform")]
                        if message.get("numerus") == "yes"
                        else [translation.text]
                    )
                )
                if (
                    translation is None
                    or translation.get("type") in ("unfinished", "vanished", "obsolete")
                    or not forms
                    or not all((f or "").strip() for f in forms)
                ):
                    missing.append(
                        f"{ts.name} {context.findtext('name')}: {message.findtext('source')!r}"
                    )
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_every_builtin_component_text_is_listed() -> None:
    """A built-in component's label, category and description are in component_texts."""
    from app.nodes.registry import node_registry
    from app.services.projects import load_plugins
    from app.ui.component_texts import KNOWN_TEXTS

    load_plugins()
    texts = {
        t
        for c in node_registry().types()
        if c.__module__.startswith("app.")
        for t in (c.label, c.category, c.description)
        if t
    }
    assert texts - KNOWN_TEXTS == set()


def test_every_builtin_parameter_text_is_listed() -> None:
    """A built-in component's field labels, descriptions and translated choices are listed."""
    from app.nodes.registry import node_registry
    from app.services.projects import load_plugins
    from app.ui.component_texts import (
        CHOICE_FIELDS,
        KNOWN_CHOICES,
        KNOWN_PARAMETER_TEXTS,
        field_label,
    )
    from app.ui.properties.schema import resolve

    load_plugins()
    missing: set[str] = set()

    def walk(key: str, schema: dict, root: dict) -> None:  # type: ignore[type-arg]
        for field, sub in schema.get("properties", {}).items():
            resolved, _ = resolve(sub, root)
            texts = {field_label(field), sub.get("description") or resolved.get("description")}
            missing.update(t for t in texts if t and t not in KNOWN_PARAMETER_TEXTS)
            if f"{key}.{field}" in CHOICE_FIELDS:
                missing.update(
                    str(v) for v in resolved.get("enum", []) if str(v) not in KNOWN_CHOICES
                )
            if resolved.get("type") == "array":
                walk(f"{key}.{field}", resolve(resolved.get("items", {}), root)[0], root)

    builtin = [c for c in node_registry().types() if c.__module__.startswith("app.")]
    for component in builtin:
        root = component.Params.model_json_schema()
        walk(component.type_name, root, root)
    assert missing == set()
    keys = {
        f"{c.type_name}.{f}"
        for c in builtin
        for f in c.Params.model_json_schema().get("properties", {})
    }
    assert keys >= CHOICE_FIELDS  # a renamed field is not silently left untranslated


def test_palette_and_properties_in_spanish(spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    items = win.palette.items()
    assert items["filter"].text(0) == "Filtro"
    assert items["source"].text(0) == "Origen de tabla"
    assert items["source"].parent().text(0) == "Orígenes"
    assert items["aggregate"].toolTip(0) == "Agrupa filas y calcula medidas por grupo."
    win.palette.search.setText("filtro")
    assert not items["filter"].isHidden() and items["source"].isHidden()
    win.open_project(chinook_dir, "revenue")
    paid = next(n.id for n in win.pipeline.nodes if n.name == "paid_lines")
    win.select_node(paid)
    from PySide6.QtWidgets import QLabel

    title = win.properties.findChild(QLabel, "componentTitle")
    assert "Filtro" in title.text() and "Transformación" in title.text()


def test_unknown_component_text_falls_back(spanish) -> None:  # type: ignore[no-untyped-def]
    from app.ui.component_texts import translated

    assert translated("Filter") == "Filtro"
    assert translated("My plugin step") == "My plugin step"


def test_live_switch_retranslates_undo_redo_and_palette(qapp, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.i18n import install_translator

    win = window
    win.open_project(chinook_dir, "revenue")
    undo, redo = win.actions_by_name["undo"], win.actions_by_name["redo"]
    assert undo.text() == "&Undo" and redo.text() == "&Redo"
    win.bridge.auto_layout()
    assert undo.text() == "&Undo Auto-layout"
    try:
        install_translator(qapp, "es")
        QApplication.processEvents()
        assert undo.text() == "&Deshacer: Organizar automáticamente" and redo.text() == "&Rehacer"
        assert win.palette.items()["filter"].text(0) == "Filtro"
        undo.trigger()
        assert undo.text() == "&Deshacer" and redo.text() == "&Rehacer: Organizar automáticamente"
    finally:
        install_translator(qapp, "en")
        QApplication.processEvents()
    assert undo.text() == "&Undo" and redo.text() == "&Redo Auto-layout"
    assert win.palette.items()["filter"].text(0) == "Filter"
