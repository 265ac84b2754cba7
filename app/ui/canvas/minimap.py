"""The minimap: the whole graph in a small corner of the canvas, with a rectangle for the part
the canvas shows; a click or a drag in it pans the canvas there (View > Minimap, Ctrl+M).

It is a second ``QGraphicsView`` on the canvas's own scene (nothing is copied), framed with
``fitInView`` around the nodes and the visible area. It never edits the scene: it is not
interactive, and its mouse only moves the canvas (:meth:`CanvasDecorations.center_at`). It
follows the canvas by watching its viewport repaint (pan, zoom, moves all repaint it) and
refits at most once per event-loop turn, only when the frame or the visible area changed
(not during a drag: the map holds still under the mouse until it is released).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGraphicsView

if TYPE_CHECKING:
    from app.ui.canvas.bridge import CanvasBridge

__all__ = ["Minimap"]

SIZE = (240, 160)
MARGIN = 12
FRAME_COLOR = QColor(255, 140, 0)


class Minimap(QGraphicsView):
    """An overview of the bridge's canvas, in the canvas's bottom-right corner."""

    def __init__(self, bridge: CanvasBridge) -> None:
        viewer = bridge.graph.viewer()
        super().__init__(viewer.scene(), viewer)
        self.bridge, self.viewer = bridge, viewer
        self.setObjectName("minimap")
        self.setInteractive(False)
        self.setFrameShape(QFrame.Shape.Box)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("The whole pipeline: click or drag to move the canvas there"))
        self.resize(*SIZE)
        #: what is drawn now: (the frame fitted, the canvas's visible area)
        self.shown: tuple[QRectF, QRectF] = (QRectF(), QRectF())
        self._dragging = False
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        viewer.installEventFilter(self)
        viewer.viewport().installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.viewer and event.type() == QEvent.Type.Resize:
            self._place()
        elif event.type() == QEvent.Type.Paint and self.isVisible():
            self._pending.start()
        return False

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self._place()
        self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def _place(self) -> None:
        area = self.viewer.rect()
        self.move(
            QPoint(area.right() - self.width() - MARGIN, area.bottom() - self.height() - MARGIN)
        )

    def refresh(self) -> None:
        """Fit the nodes and the visible area, and draw the visible area's rectangle."""
        visible = self.bridge.visible_rect()
        frame = (
            self.shown[0]
            if self._dragging  # the map holds still under the mouse
            else self.bridge.nodes_rect().united(visible)
        )
        if (frame, visible) == self.shown:
            return
        self.shown = (frame, visible)
        self.setSceneRect(frame)
        self.fitInView(frame, Qt.AspectRatioMode.KeepAspectRatio)
        self.viewport().update()

    def visible_area(self) -> QRectF:
        """Where the canvas's visible area is drawn, in the minimap's viewport coordinates."""
        return self.mapFromScene(self.shown[1]).boundingRect().toRectF()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt
        painter.fillRect(rect, self.scene().backgroundBrush())  # the canvas's colour, no grid

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt
        pen = QPen(FRAME_COLOR, 2.0)
        pen.setCosmetic(True)  # two pixels at any scale
        painter.setPen(pen)
        painter.setBrush(QColor(FRAME_COLOR.red(), FRAME_COLOR.green(), FRAME_COLOR.blue(), 40))
        painter.drawRect(self.shown[1])

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self._pan_to(event)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pan_to(event)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self._dragging:
            self._dragging = False
            self.refresh()  # now refit around the nodes and where the canvas looks
        event.accept()

    def wheelEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        pass  # the minimap keeps its frame; zoom in the canvas

    def _pan_to(self, event: QMouseEvent) -> None:
        self.bridge.center_at(self.mapToScene(event.position().toPoint()))
        self.refresh()
