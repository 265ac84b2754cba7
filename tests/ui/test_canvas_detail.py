"""Level of detail and drags on a large canvas (issue #13): zoomed out, nodes paint as boxes
with their title and their ports, labels and arrows paint nothing; zoomed in again, all of it
comes back. A dragged selection's links follow it and end where NodeGraphQt would draw them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsItem

from app.ui.canvas.lod import FULL_DETAIL_SCALE, TITLE_SCALE, Detail, detail_for

from .conftest import node_id, shot

pytestmark = pytest.mark.gui

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def _zoom(win, scale: float) -> None:  # type: ignore[no-untyped-def]
    """Zoom the canvas to ``scale`` about its centre, as the mouse wheel does."""
    viewer = win.bridge.graph.viewer()
    factor = scale / viewer.transform().m11()
    viewer.scale(factor, factor)
    QApplication.processEvents()
    assert viewer.transform().m11() == pytest.approx(scale)


def _painted(item: Any) -> bool:
    return not item.flags() & NO_CONTENTS


def _render(win, rect: QRectF) -> QImage:  # type: ignore[no-untyped-def]
    """The scene's ``rect`` as the canvas paints it now (its items' current detail)."""
    image = QImage(200, 120, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    win.bridge.graph.scene().render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def _colours(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(image.height())}


def test_detail_follows_the_scale() -> None:
    assert detail_for(1.0) is Detail.FULL
    assert detail_for(FULL_DETAIL_SCALE) is Detail.FULL
    assert detail_for(FULL_DETAIL_SCALE - 0.01) is Detail.TITLE
    assert detail_for(TITLE_SCALE - 0.01) is Detail.BOX


def test_zoomed_out_nodes_paint_as_boxes_and_zoomed_in_their_detail_returns(
    qtbot, window, chinook_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    bridge = win.bridge
    item = bridge.view_of(node_id(win, "invoices")).view
    pipes = [p for port in item.outputs for p in port.connected_pipes]
    assert pipes
    _zoom(win, 1.0)
    assert item.detail is Detail.FULL
    assert all(_painted(child) for child in item.childItems())
    assert all(_painted(p._dir_pointer) for p in pipes)
    full = _render(win, item.sceneBoundingRect())

    _zoom(win, 0.3)
    assert item.detail is Detail.TITLE
    assert not any(_painted(child) for child in item.childItems())  # ports, labels, icon
    assert not any(_painted(p._dir_pointer) for p in pipes)  # arrows
    assert all(port.isVisible() for port in item.outputs)  # links still see their ports
    assert all(p.isVisible() for p in pipes)
    titled = _render(win, item.sceneBoundingRect())
    assert QColor(*item.color[:3]).rgb() in {QColor(c).rgb() for c in _colours(titled)}
    shot(win, "canvas-zoomed-out-title")

    _zoom(win, 0.1)
    assert item.detail is Detail.BOX
    boxed = _render(win, item.sceneBoundingRect())
    assert boxed != titled  # the title is gone
    (
        boxed.save("/tmp/cv/boxed.png"),
        full.save("/tmp/cv/full.png"),
    )

    _zoom(win, 1.0)
    assert item.detail is Detail.FULL
    assert all(_painted(child) for child in item.childItems())
    assert all(_painted(p._dir_pointer) for p in pipes)
    assert _render(win, item.sceneBoundingRect()) == full  # exactly as before


def test_a_badge_made_while_zoomed_out_paints_nothing_until_zoomed_in(
    qtbot, window, chinook_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    node = node_id(win, "invoices")
    _zoom(win, 0.3)
    win.bridge.set_badge(node, "1,234 rows")
    assert win.bridge.badge_text(node) == "1,234 rows"  # still there, only not painted
    badge = win.bridge._badges[node]
    assert not _painted(badge)
    _zoom(win, 1.0)
    assert _painted(badge)


def _path_ends(pipe: Any) -> tuple[QPointF, QPointF]:
    path = pipe.mapToScene(pipe.path())
    return path.pointAtPercent(0.0), path.pointAtPercent(1.0)


def test_a_dragged_selection_brings_its_links_along(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    graph = win.bridge.graph
    viewer = graph.viewer()
    nodes = graph.all_nodes()
    moved = nodes[: len(nodes) // 2]  # some links inside the selection, some leaving it
    graph.clear_selection()
    for node in moved:
        node.set_selected(True)
    before = {n.get_property("uuid"): win.pipeline.layout[n.get_property("uuid")] for n in moved}
    grip = moved[0].view.sceneBoundingRect()
    start = viewer.mapFromScene(QPointF(grip.center().x(), grip.top() + 8))
    viewport = viewer.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + type(start)(12 * step, 6 * step))
    end = start + type(start)(60, 30)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    QApplication.processEvents()

    for uuid, was in before.items():  # the model has the move (one undoable command)
        now = win.pipeline.layout[uuid]
        assert (now.x, now.y) != (was.x, was.y)
    pipes = {p for n in nodes for port in n.view.outputs for p in port.connected_pipes}
    drawn = {pipe: _path_ends(pipe) for pipe in pipes}
    for pipe in pipes:  # what NodeGraphQt draws for the ports where they are now
        assert pipe.pos() == QPointF()
        pipe.draw_path(pipe.input_port, pipe.output_port)
        for a, b in zip(drawn[pipe], _path_ends(pipe), strict=True):
            assert (a - b).manhattanLength() < 0.01
    # the ports follow single moves again (a move from the model redraws their links)
    port = moved[0].view.outputs[0]
    assert port.flags() & QGraphicsItem.GraphicsItemFlag.ItemSendsScenePositionChanges


def test_a_zoom_gesture_paints_without_device_caches_until_it_rests(
    qtbot, window, chinook_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """Each zoom step would throw every item's device cache away: while a gesture lasts they
    paint straight to the screen; the caches come back when the zoom rests, or at once when a
    click starts (a drag moves cached images) — and the wheel really zooms."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    win = window
    assert win.open_project(chinook_dir, "revenue")
    viewer = win.bridge.graph.viewer()
    qtbot.waitUntil(lambda: not viewer._zoom.active, timeout=3000)  # the framing at open
    device = QGraphicsItem.CacheMode.DeviceCoordinateCache
    node = viewer.scene().items()[0].topLevelItem()
    cached = [i for i in viewer.scene().items() if i.cacheMode() == device]
    assert cached
    scale = viewer.transform().m11()
    centre = viewer.viewport().rect().center()
    for _ in range(3):  # three steps of a wheel, as a user turns it
        event = QWheelEvent(
            QPointF(centre), QPointF(viewer.viewport().mapToGlobal(centre)), QPoint(0, 0),
            QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(viewer.viewport(), event)
    assert viewer.transform().m11() > scale
    assert all(i.cacheMode() != device for i in cached)
    qtbot.waitUntil(lambda: all(i.cacheMode() == device for i in cached), timeout=3000)
    viewer._set_viewer_zoom(15)  # another gesture, then a click: caches back at once
    assert all(i.cacheMode() != device for i in cached)
    at = viewer.mapFromScene(node.sceneBoundingRect().center())
    QTest.mousePress(
        viewer.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )
    assert all(i.cacheMode() == device for i in cached)
    QTest.mouseRelease(
        viewer.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )
