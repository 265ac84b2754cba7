"""Partial runs driven as a person: a node's right-click "Run up to here", and two nodes
selected with the mouse then Run > Run selected; a broken node elsewhere does not stop them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from app.ui.canvas.view import STATUS_COLORS

from .conftest import SHOTS, node_id, wait_validated
from .test_canvas_gestures import _click, _point, _right_click

pytestmark = pytest.mark.gui
Button, Mod = Qt.MouseButton, Qt.KeyboardModifier


def _with_broken_node(qtbot, win, chinook_dir: Path) -> str:  # type: ignore[no-untyped-def]
    """The revenue pipeline plus a filter connected to nothing with a bad condition."""
    win.open_project(chinook_dir, "revenue")
    broken = win.bridge.add_node("filter", (0.0, 600.0))
    win.bridge.set_param(broken, "condition", "NoSuchColumn = 1")
    result = wait_validated(qtbot, win)
    assert broken in {p.node_id for p in result.problems if p.severity == "error"}
    return str(broken)


def _rubber_band(win, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Drag a selection rectangle from empty canvas around the nodes ``ids`` (and only them)."""
    viewer = win.bridge.graph.viewer()
    rect = QRectF()
    for nid in ids:
        rect = rect.united(win.bridge.view_of(nid).view.sceneBoundingRect())
    rect = rect.adjusted(-30, -30, 30, 30)
    others = [v for v in win.bridge.graph.all_nodes() if v.get_property("uuid") not in ids]
    assert not [v for v in others if rect.intersects(v.view.sceneBoundingRect())]
    start, end = viewer.mapFromScene(rect.topLeft()), viewer.mapFromScene(rect.bottomRight())
    QTest.mousePress(viewer.viewport(), Button.LeftButton, Mod.NoModifier, start)
    QTest.mouseMove(viewer.viewport(), (start + end) / 2)
    QTest.mouseMove(viewer.viewport(), end)
    QTest.mouseRelease(viewer.viewport(), Button.LeftButton, Mod.NoModifier, end)


def _colour(win, nid: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return tuple(win.bridge.view_of(nid).get_property("color")[:3])


def _mart(tmp_path: Path) -> Path:
    return tmp_path / "out" / "chinook_mart.duckdb"


def test_whole_run_is_refused_by_a_broken_unconnected_node(
    qtbot, window, chinook_dir, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    win = window
    _with_broken_node(qtbot, win, chinook_dir)
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        win.actions_by_name["run"].trigger()
    assert isinstance(done.args[0], BaseException)  # not started: the problems are reported
    assert "'filter'" in str(done.args[0])  # the broken node, named
    assert not _mart(tmp_path).exists()


def test_run_up_to_here_from_the_node_menu(qtbot, window, chinook_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win = window
    broken = _with_broken_node(qtbot, win, chinook_dir)
    amounts = node_id(win, "amounts")
    win.bridge.graph.center_on([win.bridge.view_of(amounts)])
    QApplication.processEvents()
    actions = win.actions_by_name

    def in_menu(menu: QMenu) -> None:
        assert actions["run_to_here"] in menu.actions() and actions["run_to_here"].isEnabled()
        with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
            _click(menu, actions["run_to_here"])
        in_menu.report = done.args[0]  # type: ignore[attr-defined]

    _right_click(win, _point(win, win.bridge.view_of(amounts).view), in_menu)
    report = in_menu.report  # type: ignore[attr-defined]
    assert not isinstance(report, BaseException), report
    assert report.ok, report.error
    assert report.node("amounts").rows_out > 0
    assert not _mart(tmp_path).exists()  # amounts is not a destination: nothing written
    ran = {n.node_id for n in report.nodes}
    for node in win.pipeline.nodes:
        expected = "succeeded" if node.id in ran else "not_run"
        assert _colour(win, node.id) == STATUS_COLORS[expected], node.name
    assert _colour(win, broken) == STATUS_COLORS["not_run"]
    assert _colour(win, node_id(win, "mart")) == STATUS_COLORS["not_run"]
    SHOTS.mkdir(exist_ok=True)
    win.bridge.zoom_to_fit()
    QApplication.processEvents()
    win.grab().save(str(SHOTS / "partial-run-up-to-here.png"))


def test_select_two_nodes_with_the_mouse_and_run_selected(
    qtbot, window, chinook_dir, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    win = window
    broken = _with_broken_node(qtbot, win, chinook_dir)
    win.bridge.zoom_to_fit()
    QApplication.processEvents()
    run_selected = win.actions_by_name["run_selected"]
    win.bridge.select_ids(win.pipeline, [])
    QApplication.processEvents()
    assert not run_selected.isEnabled()
    ordered, grouped = node_id(win, "ordered"), node_id(win, "by_country_genre_year")
    _rubber_band(win, [ordered, grouped])
    QApplication.processEvents()
    assert set(win.bridge.selected_ids()) == {ordered, grouped}
    assert run_selected.isEnabled()
    from app.ui.dialogs.shortcuts import shortcut_rows

    rows = dict(shortcut_rows(win.actions_by_name.values()))  # Help > Keyboard shortcuts
    assert rows["Run selected"] == "Ctrl+F5" and rows["Run up to here"] == "Ctrl+Shift+F5"
    button = win.toolbar.widgetForAction(run_selected)
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        qtbot.mouseClick(button, Button.LeftButton)
    report = done.args[0]
    assert not isinstance(report, BaseException), report
    assert report.ok, report.error
    assert "mart" in {n.name for n in report.nodes}  # the destination fed by the selection
    import duckdb

    with duckdb.connect(str(_mart(tmp_path)), read_only=True) as con:
        assert con.sql("select count(*) from revenue_by_country_genre_year").fetchall()[0][0] > 0
    assert _colour(win, node_id(win, "mart")) == STATUS_COLORS["succeeded"]
    assert _colour(win, broken) == STATUS_COLORS["not_run"]
    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    win.grab().save(str(SHOTS / "partial-run-selected.png"))
