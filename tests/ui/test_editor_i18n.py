"""The main window in Spanish, and screenshots in both languages and themes."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from .conftest import SHOTS

pytestmark = pytest.mark.gui


@pytest.fixture
def spanish(qapp):  # type: ignore[no-untyped-def]
    from app.ui.i18n import install_translator

    install_translator(qapp, "es")
    yield
    install_translator(qapp, "en")


def test_menus_and_docks_in_spanish(spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.theme import apply_theme

    win = window
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus == ["&Archivo", "&Edición", "&Ver", "&Ejecutar", "&Herramientas", "A&yuda"]
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
