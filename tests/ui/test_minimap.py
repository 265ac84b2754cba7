"""The minimap, driven as a user would: Ctrl+M (View > Minimap) shows it in the canvas's
corner with the whole graph and a rectangle where the canvas looks; zooming the canvas shrinks
the rectangle; a click or a drag in the minimap moves the canvas there. Screenshots go to
``/tmp/cauce-shots``."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from .conftest import node_id, shot

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
NO = Qt.KeyboardModifier.NoModifier


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _close(a: QPointF, b: QPointF, tolerance: float) -> bool:
    return abs(a.x() - b.x()) <= tolerance and abs(a.y() - b.y()) <= tolerance


def test_minimap_shows_the_graph_and_pans_the_canvas(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    minimap, viewer = win.minimap, win.bridge.graph.viewer()
    assert not minimap.isVisible() and not win.actions_by_name["minimap"].isChecked()
    qtbot.keyClick(viewer, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    _settle()
    assert minimap.isVisible() and win.actions_by_name["minimap"].isChecked()
    # in the canvas's bottom-right corner, showing every node
    corner = minimap.geometry().bottomRight()
    assert viewer.rect().right() - corner.x() < 20 and viewer.rect().bottom() - corner.y() < 20
    area = minimap.viewport().rect()
    for view in win.bridge.graph.all_nodes():
        assert area.contains(minimap.mapFromScene(view.view.sceneBoundingRect().center()))
    assert minimap.shown[1] == win.bridge.visible_rect()

    win.bridge.zoom_to_fit()
    viewer.scale(3.0, 3.0)  # zoomed in: a smaller rectangle
    _settle()
    assert minimap.shown[1] == win.bridge.visible_rect()
    assert minimap.visible_area().width() < area.width() / 2

    # a click on a node in the minimap centres the canvas on it
    mart = win.bridge.view_of(node_id(win, "mart")).view.sceneBoundingRect().center()
    where = minimap.mapFromScene(mart)
    target = minimap.mapToScene(where)  # (the minimap refits once the canvas moved)
    QTest.mouseClick(minimap.viewport(), LEFT, NO, where)
    _settle()
    assert _close(win.bridge.visible_rect().center(), target, 2.0)
    assert _close(win.bridge.visible_rect().center(), mart, 20.0)
    assert viewer.itemAt(viewer.viewport().rect().center()) is not None  # mart under the centre
    shot(win, "minimap")

    # a drag moves the canvas along
    start = minimap.mapFromScene(win.bridge.visible_rect().center())
    end = start - QPoint(60, 0)
    target = minimap.mapToScene(end)
    QTest.mousePress(minimap.viewport(), LEFT, NO, start)
    QTest.mouseMove(minimap.viewport(), start - QPoint(30, 0))
    QTest.mouseMove(minimap.viewport(), end)
    QTest.mouseRelease(minimap.viewport(), LEFT, NO, end)
    _settle()
    assert _close(win.bridge.visible_rect().center(), target, 2.0)
    assert win.bridge.visible_rect().center().x() < mart.x() - 100
    assert minimap.shown[1] == win.bridge.visible_rect()
    assert win.stack.count() == 0  # the scene was not edited

    # View > Minimap again hides it, and the choice is remembered
    win.actions_by_name["minimap"].trigger()
    assert not minimap.isVisible()
    assert win.settings.value("view/minimap", type=bool) is False
