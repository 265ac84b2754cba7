"""A run-time error marks the node whose SQL failed (issue #13, item 2).

A filter condition that is valid SQL but fails while it runs (``CAST(Country AS INTEGER)``)
must turn that filter red, leave the nodes that ran before it green, grey the nodes that did
not run, and say so in a notice whose text fits its box.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPlainTextEdit

from app.ui.canvas.view import STATUS_COLORS

from .conftest import node_id, shot, wait_validated

pytestmark = pytest.mark.gui
BAD = "CAST(Country AS INTEGER) > 0"


def _color(win, name: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    view = win.bridge.view_of(node_id(win, name))
    return tuple(view.get_property("color")[:3])


def _type_condition(qtbot, win, text: str) -> None:  # type: ignore[no-untyped-def]
    win.select_node(node_id(win, "paid_lines"))
    editor = win.properties.editor("condition").edit
    assert isinstance(editor, QPlainTextEdit)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    assert wait_validated(qtbot, win).problems == []


def _run(qtbot, win):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        qtbot.keyClick(win.bridge.graph.viewer(), Qt.Key.Key_F5)
    return done.args[0]


def test_a_bad_cast_marks_the_filter_and_greys_what_did_not_run(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    _type_condition(qtbot, win, BAD)
    report = _run(qtbot, win)
    assert report.status == "failed"

    status = {n.name: n.status for n in report.nodes}
    assert [n for n, s in status.items() if s == "failed"] == ["paid_lines"]
    assert {n for n, s in status.items() if s == "skipped"} == {
        "by_country_genre_year",
        "ordered",
        "mart",
    }
    assert status["amounts"] == status["invoices"] == "succeeded"
    # what the user sees on the canvas
    assert _color(win, "paid_lines") == STATUS_COLORS["failed"]
    for name in ("by_country_genre_year", "ordered", "mart"):
        assert _color(win, name) == STATUS_COLORS["skipped"]
    assert _color(win, "amounts") == STATUS_COLORS["succeeded"]

    banner = win.notifier.banners[-1]
    assert "paid_lines" in banner.message_label.text()
    assert "mart" not in banner.message_label.text()
    # the text fits: the label is as tall as its wrapped text, inside the banner
    label = banner.message_label
    needed = label.heightForWidth(label.width())
    assert label.height() >= needed
    assert label.geometry().bottom() <= banner.contentsRect().bottom()
    metrics = QFontMetrics(label.font())
    longest = max(label.text().replace("\u200b", " ").split(), key=metrics.horizontalAdvance)
    assert metrics.horizontalAdvance(longest) <= label.width()
    shot(win, "editor-run-failed-at-node")
    shot(banner, "editor-run-failed-banner")

    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    assert win.bridge.selected_ids() == [node_id(win, "paid_lines")]
