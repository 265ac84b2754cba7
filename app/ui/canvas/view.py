"""The NodeGraphQt side of the canvas: one node class per component, and a graph whose user
gestures are handed to the bridge instead of NodeGraphQt's own undo stack.

NodeGraphQt is a view only (DESIGN rule 3). Each view node carries the model node's uuid in
its ``uuid`` property; NodeGraphQt's own ids change on every load.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from NodeGraphQt import BaseNode, NodeGraph
from NodeGraphQt.qgraphics.node_base import NodeItem
from Qt import QtCore, QtGui, QtWidgets

__all__ = ["CanvasGraph", "CanvasNodeItem", "CATEGORY_COLORS", "STATUS_COLORS", "node_class",
           "node_type_id"]

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
}
NORMAL_BORDER = (74, 84, 98, 255)
PROBLEM_BORDER = (235, 70, 70, 255)
_CLASSES: dict[str, type[BaseNode]] = {}


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
    """

    _placed = False

    def draw_node(self) -> None:
        if self._placed:
            super().draw_node()

    def post_init(self, viewer: Any = None, pos: Any = None) -> None:
        self._placed = True
        super().post_init(viewer, pos)


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

    cls = type(_class_name(name), (BaseNode,), {
        "__identifier__": IDENTIFIER, "NODE_NAME": component.label, "ITEM": CanvasNodeItem,
        "__init__": __init__})
    _CLASSES[name] = cls
    return cls


class CanvasGraph(NodeGraph):
    """A NodeGraph that reports user gestures to callbacks instead of editing itself.

    The bridge sets the ``on_*`` callbacks; every one receives view ports/nodes translated to
    model uuids by the bridge.
    """

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            super().__init__(parent)
        self.on_connection_changed: Callable[[list, list], None] | None = None
        self.on_nodes_moved: Callable[[dict], None] | None = None
        self.on_dropped: Callable[[str, tuple[float, float]], None] | None = None
        self.on_renamed: Callable[[str, str], None] | None = None
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

        Also without NodeGraphQt's cycle check, a walk downstream of the target with no
        visited set: exponential over a chain of diamonds (split, join, split...) when links
        arrive bottom-up, as when a pipeline loads or a deleted node comes back. The model is
        acyclic already.
        """
        acyclic = self.acyclic()
        self.set_acyclic(False)
        try:
            out_port.connect_to(in_port, push_undo=False, emit_signal=False)
        finally:
            self.set_acyclic(acyclic)

    # NodeGraphQt slots: route user gestures to the bridge (which pushes our undo commands)
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
        self.setBrush(QtGui.QColor(*Badge.color))
        font = self.font()
        font.setPointSizeF(8.5)
        self.setFont(font)

    def show_text(self, text: str, anchor: QtWidgets.QGraphicsItem | None = None) -> None:
        """Show ``text`` under the node, or above the link leaving ``anchor`` (a port)."""
        self.setText(text)
        if anchor is None:
            rect = self.parentItem().boundingRect()
            self.setPos(rect.left() + 4, rect.bottom() + 2)
        else:
            port = anchor.mapRectToParent(anchor.boundingRect())
            self.setPos(port.right() + 4, port.top() - self.boundingRect().height() + 2)
        self.setVisible(bool(text))


class UnknownNode(BaseNode):
    """Stands in for a component type that is not installed (its ports come from the links)."""

    __identifier__ = IDENTIFIER
    NODE_NAME = "Unknown component"

    ITEM = CanvasNodeItem

    def __init__(self) -> None:
        super().__init__(self.ITEM)
        self.create_property("uuid", "")
        self.create_property("component", "")
