"""The core's messages (compiler problems) follow the interface language, live."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from .conftest import SHOTS, wait_validated

pytestmark = pytest.mark.gui

UNKNOWN_ES = "columna desconocida 'Totl'"


def _break_the_filter(qtbot, win, chinook_dir) -> str:  # type: ignore[no-untyped-def]
    win.open_project(chinook_dir, "revenue")
    paid = next(n.id for n in win.pipeline.nodes if n.name == "paid_lines")
    win.select_node(paid)
    win.properties.editor("condition").edit.setPlainText("Totl > 0")
    wait_validated(qtbot, win)
    return paid


def test_problems_panel_in_spanish(qtbot, spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    paid = _break_the_filter(qtbot, win, chinook_dir)
    texts = [win.problems.item(i).text() for i in range(win.problems.count())]
    assert len(texts) == 1, texts
    assert "nodo 'paid_lines', parámetro 'condition': " + UNKNOWN_ES in texts[0]
    assert "(disponibles: " in texts[0]
    assert win.problems_dock.windowTitle() == "Problemas (1)"
    assert UNKNOWN_ES in win.bridge.view_of(paid).view.toolTip()  # the node's marker
    assert UNKNOWN_ES in win.properties.errors["condition"].text()  # under the field
    win.problems_dock.raise_()
    QApplication.processEvents()
    SHOTS.mkdir(exist_ok=True)
    win.problems.grab().save(str(SHOTS / "problems-core-es.png"))
    win.grab().save(str(SHOTS / "editor-problems-es.png"))


def test_a_language_switch_checks_the_pipeline_again(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.i18n import install_translator

    win = window
    _break_the_filter(qtbot, win, chinook_dir)
    assert "unknown column 'Totl'" in win.problems.item(0).text()
    app = QApplication.instance()
    try:
        with qtbot.waitSignal(win.validation.validated, timeout=15_000):
            install_translator(app, "es")  # no edit: the switch alone re-checks
        assert UNKNOWN_ES in win.problems.item(0).text()
    finally:
        with qtbot.waitSignal(win.validation.validated, timeout=15_000):
            install_translator(app, "en")
    assert "node 'paid_lines', parameter 'condition': unknown column 'Totl'" in (
        win.problems.item(0).text()
    )
