"""The NodeGraphQt side of the canvas: one node class per component, and a graph whose user
gestures are handed to the bridge instead of NodeGraphQt's own undo stack.

NodeGraphQt is a view only (DESIGN rule 3). Each view node carries the model node's uuid in
its ``uuid`` property; NodeGraphQt's own ids change on every load. Its own context menu, its
Undo/Redo actions (and their Ctrl+Z) and its cycle walk are left out (:class:`CanvasViewer`):
the bridge shows Cauce's menu and checks links against the model.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from NodeGraphQt import BaseNode, NodeGraph
from NodeGraphQt.constants import NodeEnum
from NodeGraphQt.qgraphics.node_abstract import AbstractNodeItem
from NodeGraphQt.qgraphics.node_base import NodeItem
from NodeGraphQt.qgraphics.pipe import PipeItem
from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from Qt import QtCore, QtGui, QtWidgets

from app.ui.canvas.lod import (
    Detail,
    DragBatch,
    ZoomGesture,
    detail_for,
    set_item_detail,
    set_pipe_detail,
)

__all__ = [
    "CanvasGraph",
    "CanvasNodeItem",
    "CanvasViewer",
    "CATEGORY_COLORS",
    "STATUS_COLORS",
    "node_class",
    "node_type_id",
    "unknown_component_text",
]

IDENTIFIER = "cauce"
CATEGORY_COLORS: dict[str, tuple[int, int, int]] = {
    "Sources": (38, 92, 122),
    "Destinations": (120, 76, 36),
    "Transform": (52, 62, 76),
}
STATUS_COLORS: dict[str, tuple[int, int, int]] = {
    "pending": (70, 70, 78),
    "running": (40, 110, 170),
    "succeeded": (46, 125, 70),
    "failed": (160, 50, 50),
    "cancelled": (140, 110, 40),
    "skipped": (90, 90, 90),
    "not_run": (118, 118, 118),  # outside a partial run: a lighter, neutral grey
}
NORMAL_BORDER = (74, 84, 98, 255)
PROBLEM_BORDER = (235, 70, 70, 255)
#: a node whose only problems are warnings (a union filling gaps with NULLs, a narrowing cast)
WARNING_BORDER = (210, 153, 34, 255)
UNKNOWN_COMPONENT = QT_TRANSLATE_NOOP("CanvasView", "Unknown component")
_CLASSES: dict[str, type[BaseNode]] = {}
_BAND = QtGui.QColor(0, 0, 0, 80)  # NodeGraphQt's title band
_SELECTED = QtGui.QColor(*NodeEnum.SELECTED_COLOR.value)
#: zoomed out (:attr:`Detail.TITLE`), a node's name is drawn this many pixels high on screen
TITLE_PX = 9


def node_type_id(component_type: str) -> str:
    """NodeGraphQt's type id of the view class of a component type."""
    return f"{IDENTIFIER}.{_class_name(component_type)}"


def _class_name(component_type: str) -> str:
    return "".join(part.title() for part in component_type.split("_")) + "Node"


class CanvasNodeItem(NodeItem):
    """NodeGraphQt's node item, laid out only once it has been added to a scene.

    NodeGraphQt lays a node out again (size, label, ports, tooltip) whenever its layout
    direction or a custom property is set: twice before the node reaches the scene, where
    ``post_init`` lays it out anyway. Until then there is nothing to lay out for. (A flag
    rather than ``self.scene()``: fewer calls into PySide, each one costs.)

    Zoomed out it paints less (:mod:`app.ui.canvas.lod`): its :attr:`detail` is set by the
    viewer when the scale crosses a threshold.
    """

    _placed = False
    #: how much of the node is painted (:class:`~app.ui.canvas.lod.Detail`)
    detail = Detail.FULL

    def draw_node(self) -> None:
        if self._placed:
            super().draw_node()

    def post_init(self, viewer: Any = None, pos: Any = None) -> None:
        self._placed = True
        super().post_init(viewer, pos)
        if viewer is not None:
            self.set_detail(viewer.detail)

    def set_detail(self, detail: Detail) -> None:
        """Paint with ``detail`` from now on (its children paint only at full detail)."""
        if detail is self.detail:
            return
        self.detail = detail
        set_item_detail(self, detail)
        self.update()

    def paint(
        self,
        painter: QtGui.QPainter,
        option: QtWidgets.QStyleOptionGraphicsItem,
        widget: QtWidgets.QWidget | None = None,
    ) -> None:
        if self.detail is Detail.FULL:
            super().paint(painter, option, widget)
            return
        # zoomed out: a rounded rectangle, its title band and (at TITLE) its name, readable
        rect = self.boundingRect().adjusted(1.0, 1.0, -1.0, -1.0)
        selected = self.isSelected()
        border = NodeEnum.SELECTED_BORDER_COLOR.value if selected else self.border_color
        painter.setPen(QtGui.QPen(QtGui.QColor(*border), 1.2 if selected else 0.8))
        painter.setBrush(QtGui.QColor(*self.color))
        painter.drawRoundedRect(rect, 4.0, 4.0)
        title = self._text_item.boundingRect()
        band = QtCore.QRectF(
            rect.left() + 3.0, rect.top() + 2.0, rect.width() - 4.0, title.height() - 4.0
        )
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(_SELECTED if selected else _BAND)
        painter.drawRoundedRect(band, 3.0, 3.0)
        if self.detail is Detail.TITLE:
            self._paint_title(painter, rect)

    def _paint_title(self, painter: QtGui.QPainter, rect: QtCore.QRectF) -> None:
        """The name across the node, :data:`TITLE_PX` pixels high on screen, elided.

        Drawn in device pixels with one font for every node and scale, so its glyphs are
        rasterised once, not again at every zoom step.
        """
        transform = painter.worldTransform()
        area = transform.mapRect(rect).adjusted(3.0, 0.0, -3.0, 0.0)
        text = _elided(self.name, int(area.width()))
        painter.setWorldTransform(QtGui.QTransform())
        painter.setFont(_title_font())
        painter.setPen(QtGui.QColor(*self.text_color))
        painter.drawText(area, QtCore.Qt.AlignmentFlag.AlignCenter, text)
        painter.setWorldTransform(transform)


@functools.cache
def _title_font() -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPixelSize(TITLE_PX)
    return font


@functools.lru_cache(maxsize=4096)
def _elided(name: str, width: int) -> str:
    """``name`` cut to ``width`` pixels of the zoomed-out title font, with an ellipsis in the
    middle: names often differ at the end (``filter_101``, ``filter_103``), so both ends stay."""
    metrics = QtGui.QFontMetricsF(_title_font())
    return metrics.elidedText(name, QtCore.Qt.TextElideMode.ElideMiddle, width)


def node_class(component: Any) -> type[BaseNode]:
    """The NodeGraphQt class for a component type (ports from its inputs and outputs).

    Its ``ITEM`` is the graphics item class it draws with (:class:`CanvasNodeItem`).
    """
    name = component.type_name
    if name in _CLASSES:
        return _CLASSES[name]

    def __init__(self: BaseNode) -> None:  # noqa: N807 - NodeGraphQt constructor
        BaseNode.__init__(self, type(self).ITEM)
        for port in component.inputs:
            self.add_input(port.name, multi_input=port.multiple)
        for port in component.outputs:
            self.add_output(port.name, multi_output=True)
        self.create_property("uuid", "")
        self.create_property("component", name)
        self.set_color(*CATEGORY_COLORS.get(component.category, CATEGORY_COLORS["Transform"]))

    cls = type(
        _class_name(name),
        (BaseNode,),
        {
            "__identifier__": IDENTIFIER,
            "NODE_NAME": component.label,
            "ITEM": CanvasNodeItem,
            "__init__": __init__,
        },
    )
    _CLASSES[name] = cls
    return cls


class CanvasViewer(NodeViewer):
    """NodeGraphQt's viewer without its context menus, Undo/Redo actions or cycle walk.

    Built without an undo stack, NodeGraphQt's viewer makes no Undo/Redo actions: it bound
    them, with Ctrl+Z and Ctrl+Y, to NodeGraphQt's internal stack, which would change the
    view behind the model's back. A right-click calls ``on_context_menu(view node id or None,
    global position)`` instead of showing NodeGraphQt's menus.

    ``acyclic_check`` lets every user-drawn link through to the bridge, which refuses one that
    would close a cycle with the model's own check (linear, with a visited set); NodeGraphQt's
    walked every downstream path: exponential over a chain of diamonds.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        #: what nodes and links paint now (:mod:`app.ui.canvas.lod`); set before NodeGraphQt
        #: frames its first view
        self.detail = Detail.FULL
        self._drag: DragBatch | None = None
        super().__init__(parent, undo_stack=None)
        self._zoom = ZoomGesture(self)
        self._zooming = False
        self.on_context_menu: Callable[[str | None, QtCore.QPoint], None] | None = None

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:  # noqa: N802 - Qt
        self.RMB_state = False  # as NodeGraphQt's: the press started no zoom drag
        if self.on_context_menu is None:
            event.ignore()
            return
        scene_pos = self.mapToScene(event.pos())
        nodes = [i for i in self.scene().items(scene_pos) if isinstance(i, AbstractNodeItem)]
        event.accept()
        self.on_context_menu(nodes[0].id if nodes else None, event.globalPos())

    @staticmethod
    def acyclic_check(start_port: Any, end_port: Any) -> bool:
        """Always true: the bridge checks the link against the model (see the class doc)."""
        return True

    # level of detail and drags (app.ui.canvas.lod)
    def _update_scene(self) -> None:
        """NodeGraphQt's pan and zoom end here: switch the items' detail at a threshold."""
        super()._update_scene()
        detail = detail_for(self.transform().m11())
        if detail is not self.detail:
            self.set_detail(detail)

    def set_detail(self, detail: Detail) -> None:
        """Paint every node and link with ``detail`` (antialiased only at full detail)."""
        self.detail = detail
        self.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, detail is Detail.FULL)
        for item in self.scene().items():
            if isinstance(item, CanvasNodeItem):
                item.set_detail(detail)
            elif isinstance(item, PipeItem) and item.input_port is not None:
                set_pipe_detail(item, detail)

    def establish_connection(self, start_port: Any, end_port: Any) -> None:
        super().establish_connection(start_port, end_port)
        for pipe in start_port.connected_pipes:
            set_pipe_detail(pipe, self.detail)

    def _set_viewer_zoom(self, value: float, sensitivity: Any = None, pos: Any = None) -> None:
        """NodeGraphQt's zoom step (wheel, trackpad, keys): painted without the items'
        device caches while the gesture lasts (:class:`~app.ui.canvas.lod.ZoomGesture`)."""
        self._zoom.step()
        self._zooming = True  # a zoom about the pointer pans too: that pan is the zoom's
        try:
            super()._set_viewer_zoom(value, sensitivity, pos)
        finally:
            self._zooming = False

    def _set_viewer_pan(self, pos_x: float, pos_y: float) -> None:
        if not self._zooming:
            self._zoom.end()  # a pan keeps the scale: the caches serve it
        super()._set_viewer_pan(pos_x, pos_y)

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt
        self._zoom.end()  # a click or a drag starts: caches back first
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt
        if self._drag is None and self._dragging_nodes():
            self._drag = DragBatch(self.selected_nodes())
        super().mouseMoveEvent(event)
        if self._drag is not None:
            self._drag.follow()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt
        drag, self._drag = self._drag, None
        if drag is not None:
            drag.follow()
            drag.end()
        super().mouseReleaseEvent(event)

    def _dragging_nodes(self) -> bool:
        """Whether the left button is moving the selected nodes (it pressed one of them)."""
        if not self.LMB_state or self.ALT_state or self._LIVE_PIPE.isVisible():
            return False
        grabber = self.scene().mouseGrabberItem()
        return isinstance(grabber, AbstractNodeItem) and grabber.isSelected()


class CanvasGraph(NodeGraph):
    """A NodeGraph that reports user gestures to callbacks instead of editing itself.

    The bridge sets the ``on_*`` callbacks; every one receives view ports/nodes translated to
    model uuids by the bridge. NodeGraphQt's internal undo stack (still fed by some of its
    setters) keeps one command at most and no action of the interface reaches it.
    """

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        internal = QtGui.QUndoStack()
        internal.setUndoLimit(1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            super().__init__(parent, viewer=CanvasViewer(), undo_stack=internal)
        self.on_connection_changed: Callable[[list, list], None] | None = None
        self.on_nodes_moved: Callable[[dict], None] | None = None
        self.on_dropped: Callable[[str, tuple[float, float]], None] | None = None
        self.on_renamed: Callable[[str, str], None] | None = None
        self.on_context_menu: Callable[[str | None, QtCore.QPoint], None] | None = None
        self.viewer().on_context_menu = self._on_context_menu
        self.set_background_color(30, 33, 38)
        self.set_grid_color(44, 48, 56)
        self._bulk = False

    def get_unique_name(self, name: str) -> str:
        """``name`` as it is: the model keeps node names unique, the view shows them exactly.

        NodeGraphQt's version lists every node's name on each call (quadratic over a load) and
        collapses runs of spaces, so a model name like ``"a  b"`` was shown as another name.
        """
        return name

    def place(self, node: BaseNode, name: str, pos: tuple[float, float]) -> None:
        """Add a new view ``node`` (not in any graph yet) named ``name`` at ``pos``.

        What ``create_node(type, name=name, pos=pos, selected=False, push_undo=False)`` does,
        for a node object built beforehand: no undo command, no ``node_created`` signal. The
        current selection is cleared, as ``create_node`` does, except inside :meth:`bulk`.
        """
        node.NODE_NAME = name
        node.model.pos = [float(pos[0]), float(pos[1])]
        if not self._bulk:
            for other in self.selected_nodes():
                other.set_property("selected", False, push_undo=False)
        self.add_node(node, pos=node.model.pos, selected=False, push_undo=False)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Add or remove many nodes and links at once (loading a pipeline).

        The viewport does not repaint, the scene does not index items one by one and the graph
        emits no signal until the block ends. Then everything is as before, and the scene
        indexes all the items in one go.
        """
        viewer, scene = self.viewer(), self.scene()
        index, updates = scene.itemIndexMethod(), viewer.updatesEnabled()
        viewer.setUpdatesEnabled(False)
        scene.setItemIndexMethod(QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)
        blocked = self.blockSignals(True)
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
            self.blockSignals(blocked)
            scene.setItemIndexMethod(index)
            viewer.setUpdatesEnabled(updates)

    def link(self, out_port: Any, in_port: Any) -> None:
        """Connect two view ports the model has linked: no undo command, no signal.

        ``acyclic`` is off meanwhile: NodeGraphQt's ``connect_to`` reads ``acyclic_check``
        the other way round (a true result drops a single output's link). The model is
        acyclic already.
        """
        acyclic = self.acyclic()
        self.set_acyclic(False)
        try:
            out_port.connect_to(in_port, push_undo=False, emit_signal=False)
        finally:
            self.set_acyclic(acyclic)

    # NodeGraphQt slots: route user gestures to the bridge (which pushes our undo commands)
    def _on_context_menu(self, view_id: str | None, global_pos: QtCore.QPoint) -> None:
        if self.on_context_menu:
            self.on_context_menu(view_id, global_pos)

    def _on_connection_changed(self, disconnected: list, connected: list) -> None:
        if self.on_connection_changed and (disconnected or connected):
            self.on_connection_changed(list(disconnected), list(connected))

    def _on_connection_sliced(self, ports: list) -> None:
        if self.on_connection_changed and ports:
            self.on_connection_changed(list(ports), [])

    def _on_nodes_moved(self, node_data: dict) -> None:
        if self.on_nodes_moved:
            self.on_nodes_moved(dict(node_data))

    def _on_insert_node(self, pipe: Any, node_id: str, prev_node_pos: dict) -> None:
        self._on_nodes_moved(prev_node_pos)

    def _on_node_name_changed(self, node_id: str, name: str) -> None:
        if self.on_renamed:
            self.on_renamed(node_id, name)

    def _on_search_triggered(self, node_type: str, pos: Any) -> None:
        if self.on_dropped:
            type_name = node_type.rsplit(".", 1)[-1]
            self.on_dropped(type_name, (float(pos[0]), float(pos[1])))

    def _on_node_data_dropped(self, mimedata: QtCore.QMimeData, pos: QtCore.QPoint) -> None:
        text = mimedata.text() if mimedata.hasText() else ""
        if text.startswith("cauce:") and self.on_dropped:
            self.on_dropped(text.removeprefix("cauce:"), (float(pos.x()), float(pos.y())))


def set_node_tooltip(node: BaseNode, text: str) -> None:
    node.view.setToolTip(text)


def set_border(node: BaseNode, rgba: tuple[int, int, int, int]) -> None:
    node.view.border_color = rgba
    node.view.update()


class Badge(QtWidgets.QGraphicsSimpleTextItem):
    """A small label under a node, or right of an output port (row counts after a run)."""

    #: text colour, set by the canvas theme (light text on the dark canvas, dark on light)
    color: tuple[int, int, int] = (210, 220, 230)

    def __init__(self, parent: QtWidgets.QGraphicsItem) -> None:
        super().__init__(parent)
        set_item_detail(parent, getattr(parent, "detail", Detail.FULL))  # zoomed out: no text
        self.setBrush(QtGui.QColor(*Badge.color))
        font = self.font()
        font.setPointSizeF(8.5)
        self.setFont(font)

    def show_text(
        self, text: str, anchor: QtWidgets.QGraphicsItem | None = None, *, above: bool = False
    ) -> None:
        """Show ``text`` under the node (``above`` it: where it runs), or above the link
        leaving ``anchor`` (a port)."""
        self.setText(text)
        if above:
            rect = self.parentItem().boundingRect()
            self.setPos(rect.left() + 4, rect.top() - self.boundingRect().height() - 2)
        elif anchor is None:
            rect = self.parentItem().boundingRect()
            self.setPos(rect.left() + 4, rect.bottom() + 2)
        else:
            port = anchor.mapRectToParent(anchor.boundingRect())
            self.setPos(port.right() + 4, port.top() - self.boundingRect().height() + 2)
        self.setVisible(bool(text))


def unknown_component_text() -> str:
    """ "Unknown component" in the interface language (a type that is not installed)."""
    return QCoreApplication.translate("CanvasView", UNKNOWN_COMPONENT)


class UnknownNode(BaseNode):
    """Stands in for a component type that is not installed (its ports come from the links).

    Its default name is "Unknown component" in the interface language when it is made.
    """

    __identifier__ = IDENTIFIER
    NODE_NAME = UNKNOWN_COMPONENT

    ITEM = CanvasNodeItem

    def __init__(self) -> None:
        self.NODE_NAME = unknown_component_text()
        super().__init__(self.ITEM)
        self.create_property("uuid", "")
        self.create_property("component", "")
