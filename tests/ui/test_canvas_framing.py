"""Canvas framing (issue #13, item 4): the window fits the screen and remembers its size; the
Chinook graph opens framed; Zoom to Fit and Auto-layout keep every node in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from .conftest import _destroy, shot

pytestmark = pytest.mark.gui


def _in_view(win) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the nodes not entirely inside the canvas's viewport."""
    viewer = win.bridge.graph.viewer()
    visible = viewer.viewport().rect()
    out = []
    for node in win.pipeline.nodes:
        rect = viewer.mapFromScene(win.bridge.view_of(node.id).view.sceneBoundingRect())
        if not visible.contains(rect.boundingRect()):
            out.append(node.name)
    return out


def _window(qtbot, settings: QSettings):  # type: ignore[no-untyped-def]
    from app.ui.main_window import MainWindow

    win = MainWindow(settings=settings)
    win.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    return win  # deleted by the test (_destroy), not by qtbot


def test_window_fits_the_screen_and_remembers_its_size(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = _window(qtbot, settings)
    area = QApplication.primaryScreen().availableGeometry()  # 800×800 offscreen
    assert win.height() < area.height() and win.width() < area.width()
    win.show()
    win.resize(700, 520)
    QApplication.processEvents()
    win.close()  # File > Quit and the window's × both close it
    _destroy(win)

    again = _window(qtbot, settings)
    again.show()
    QApplication.processEvents()
    assert (again.width(), again.height()) == (700, 520)
    shot(again, "editor-window-remembered-size")
    again.shutdown()
    _destroy(again)


def test_chinook_opens_framed_and_zoom_to_fit_fits(
    qtbot, tmp_path: Path, chinook_dir: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = _window(qtbot, settings)
    win.resize(1366, 740)  # a laptop screen
    assert win.open_project(chinook_dir, "revenue")  # before the window is shown, as at start
    win.show()
    qtbot.waitUntil(lambda: not win._frame_pending, timeout=5_000)
    assert _in_view(win) == []
    shot(win, "editor-chinook-framed")

    viewer = win.bridge.graph.viewer()
    centre = QPointF(viewer.viewport().rect().center())
    for _ in range(8):  # the user zooms in with the wheel, then asks to fit
        wheel = QWheelEvent(
            centre,
            QPointF(viewer.viewport().mapToGlobal(centre.toPoint())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewer.viewport(), wheel)
    assert _in_view(win) != []
    win.actions_by_name["zoom_fit"].trigger()
    assert _in_view(win) == []
    win.shutdown()
    _destroy(win)


def test_auto_layout_keeps_every_node_in_view(qtbot, window, chinook_dir: Path) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    far = {n.id: (5000.0 + 300 * i, -4000.0) for i, n in enumerate(win.pipeline.nodes)}
    win.bridge.move_nodes(far)
    win.actions_by_name["auto_layout"].trigger()
    assert _in_view(win) == []
    shot(win, "editor-auto-layout-in-view")
