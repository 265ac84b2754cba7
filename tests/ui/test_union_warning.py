"""A union of inputs with different columns: the NULLs it fills in are a warning on the union
node (amber border, its tooltip and the Problems list name the columns each input lacks), drawn
with the mouse as a user would. Screenshots go to ``/tmp/cauce-shots``."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from .conftest import node_id, shot, wait_validated
from .test_build_pipeline import add
from .test_canvas_gestures import _drag

pytestmark = pytest.mark.gui


def test_union_of_mismatched_inputs_warns_on_the_node(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    genres, tracks = node_id(win, "genres"), node_id(win, "tracks")
    both = add(win, "union", "both")
    win.bridge.graph.center_on([win.bridge.view_of(n) for n in (genres, tracks, both)])
    QApplication.processEvents()
    into = win.bridge.view_of(both).inputs()["in"].view
    for source in (genres, tracks):
        _drag(win, win.bridge.view_of(source).outputs()["out"].view, into)
    assert len(win.pipeline.incoming(both)) == 2
    result = wait_validated(qtbot, win)
    warnings = [p for p in result.problems if p.node_id == both]
    assert [p.severity for p in warnings] == ["warning"]
    text = warnings[0].message
    assert text == (
        "input 1 (genres) has no TrackId, AlbumId, MediaTypeId, Composer, "
        "Milliseconds, Bytes, UnitPrice: filled with NULL"
    )  # tracks lacks none
    assert not win.bridge.has_marker(both) and win.bridge.has_warning_marker(both)
    assert not win.bridge.has_warning_marker(genres)
    tip = win.bridge.view_of(both).view.toolTip()
    assert "⚠ " + text in tip
    listed = [win.problems.item(i).text() for i in range(win.problems.count())]
    assert any(line.startswith("⚠") and text in line for line in listed), listed
    next(d for d in win.docks if d.widget() is win.problems).raise_()
    win.bridge.graph.viewer().scale(2.0, 2.0)
    win.bridge.graph.center_on([win.bridge.view_of(both)])
    shot(win, "union-warning")
