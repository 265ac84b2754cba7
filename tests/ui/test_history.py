"""The history panel and the version diff, driven as a person does: save, edit, press
"Compare with canvas" (changed nodes coloured on the canvas), press "Roll back…" and confirm,
tag. Screenshots of the panel and the diff view go to docs/images/ (English and Spanish)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from app.services import version_ops
from tests.ui.conftest import REPO, node_id

IMAGES = REPO / "docs" / "images"


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("CAUCE_SHOTS") == "1":
        widget.grab().save(str(IMAGES / name))


def _open_history(qtbot, win, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win.open_project(chinook_dir, "revenue")
    assert win.save()  # version 1
    win.history_dock.show()
    win.history_dock.raise_()
    qtbot.waitUntil(lambda: len(win.history.entries) == 1, timeout=10000)


def _versions(win) -> list[str]:  # type: ignore[no-untyped-def]
    return [win.history.versions.item(i).text() for i in range(win.history.versions.count())]


def test_compare_rollback_and_tag_with_the_buttons(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    _open_history(qtbot, win, chinook_dir)
    paid = node_id(win, "paid_lines")
    win.pipeline.set_params(paid, {"condition": "Amount > 1"})
    win.pipeline.rename_node(node_id(win, "ordered"), "sorted_rows")
    assert win.save()
    qtbot.waitUntil(lambda: len(win.history.entries) == 2, timeout=10000)
    assert _versions(win)[0].startswith("v2")
    # filter by message: nothing matches "zzz"
    qtbot.keyClicks(win.history.filter, "zzz")
    assert "No saved versions yet" in _versions(win)[0]
    win.history.filter.clear()
    # compare version 1 with the canvas
    win.history.select_number(1)
    qtbot.mouseClick(win.history.diff_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.history_controller.dialog is not None, timeout=20000)
    dialog = win.history_controller.dialog
    cells = [
        dialog.table.item(r, c).text() for r in range(dialog.table.rowCount()) for c in range(3)
    ]
    assert "paid_lines.condition" in cells and '"Amount > 1"' in cells
    assert win.bridge.change_marker(paid) == "changed"
    assert win.bridge.change_marker(node_id(win, "mart")) is None
    assert '"Amount" > 1' in dialog.sql.toPlainText()
    _shot(dialog, "version-diff.png")
    _shot(win, "history-canvas.png")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.history_controller.dialog is None)
    assert win.bridge.change_marker(paid) is None
    # roll back to version 1: a preview, then the button
    win.history.select_number(1)
    qtbot.mouseClick(win.history.rollback_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.history_controller.dialog is not None, timeout=20000)
    preview = win.history_controller.dialog
    assert preview.rollback_button is not None
    qtbot.mouseClick(preview.rollback_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(win.history.entries) == 3, timeout=20000)
    assert win.pipeline.node_by_name("paid_lines").params["condition"] == "Amount > 0"
    assert win.pipeline.node_by_name("ordered")
    assert "rollback of revenue to 1" in _versions(win)[0]
    # tag
    qtbot.keyClicks(win.history.tag_name, "release-2026-12")
    qtbot.keyClicks(win.history.tag_message, "December")
    qtbot.mouseClick(win.history.tag_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "release-2026-12" in _versions(win)[0], timeout=10000)
    assert [t.name for t in version_ops.tags(win.document)] == ["release-2026-12"]
    _shot(win.history, "history-panel.png")


def test_history_panel_in_spanish(qtbot, window, chinook_dir: Path, spanish) -> None:  # type: ignore[no-untyped-def]
    win = window
    _open_history(qtbot, win, chinook_dir)
    assert win.history.diff_button.text() == "Comparar con el lienzo"
    assert win.history_dock.windowTitle() == "Historial"
    win.history.select_number(1)
    qtbot.mouseClick(win.history.diff_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.history_controller.dialog is not None, timeout=20000)
    dialog = win.history_controller.dialog
    assert dialog.summary.text() == "Sin cambios."
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    _shot(win.history, "history-panel-es.png")
