"""What the canvas shows on top of the graph: problem markers, run status colours, row-count
badges and port labels, the theme's colours, and framing ("zoom to fit").

:class:`CanvasDecorations` is a mixin of :class:`~app.ui.canvas.bridge.CanvasBridge`: it reads
the bridge's ``graph`` (the :class:`~app.ui.canvas.view.CanvasGraph`), ``pipeline`` and
``_views`` (node id -> view node, kept by :mod:`~app.ui.canvas.follow`) and owns ``_badges``
and ``_port_labels``. None of it edits the model or pushes an undo command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
from NodeGraphQt import BaseNode
from NodeGraphQt.constants import ViewerEnum
from PySide6.QtCore import QCoreApplication, QPointF, QRectF
from PySide6.QtGui import QColor

from app.model.types import type_name as arrow_type_name
from app.services.components import component_registry
from app.ui.canvas.view import (
    CATEGORY_COLORS,
    NORMAL_BORDER,
    PROBLEM_BORDER,
    STATUS_COLORS,
    WARNING_BORDER,
    Badge,
    unknown_component_text,
)
from app.ui.i18n import format_int

if TYPE_CHECKING:
    from app.model.pipeline import Pipeline
    from app.ui.canvas.view import CanvasGraph

__all__ = ["MIN_FIT_SCALE", "CanvasDecorations", "type_text"]

GRID_DOTS, GRID_LINES = ViewerEnum.GRID_DISPLAY_DOTS.value, ViewerEnum.GRID_DISPLAY_LINES.value
#: "zoom to fit" never goes below this scale: titles and ports stay readable; a wider graph
#: is centred on the selection (or its middle) and panned
MIN_FIT_SCALE = 0.3
#: scene pixels left around the nodes when framing them
FIT_MARGIN = 40.0


#: border colours of the nodes a version diff touches (the diff view's legend uses them)
DIFF_BORDERS = {
    "added": (46, 170, 90, 255),
    "changed": (240, 150, 30, 255),
    "moved": (90, 140, 230, 255),
}


class CanvasDecorations:
    """Markers, statuses, badges, colours and framing of the bridge's canvas."""

    graph: CanvasGraph
    pipeline: Pipeline
    _views: dict[str, BaseNode]

    def __init__(self) -> None:
        self._badges: dict[str, Badge] = {}
        #: where each node ran (the plan's placement): a badge above the node
        self._place_badges: dict[str, Badge] = {}
        self._port_labels: dict[tuple[str, str], Badge] = {}

    def zoom_to_fit(self) -> None:
        """Frame every node; below :data:`MIN_FIT_SCALE`, centre the selection instead."""
        if not self._views:
            return
        viewer = self.graph.viewer()
        # NodeGraphQt's zoom_to_nodes bounds the nodes through a temporary item group:
        # quadratic, 10 s for 500 nodes. The union of their rectangles is the same frame.
        viewer._scene_range = _bounds([v.view for v in self._views.values()]).adjusted(
            -FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN
        )
        viewer._update_scene()
        if viewer.transform().m11() >= MIN_FIT_SCALE:
            return
        centre = viewer._scene_range.center()
        size = viewer.viewport().size()
        width, height = size.width() / MIN_FIT_SCALE, size.height() / MIN_FIT_SCALE
        frame = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
        selected = [v.view for v in self.graph.selected_nodes()]
        if selected:  # slide the frame until the selection is inside it
            target = _bounds(selected)
            dx = max(0.0, target.right() + 40 - frame.right()) or min(
                0.0, target.left() - 40 - frame.left()
            )
            frame.translate(dx, 0.0)
        viewer._scene_range = frame
        viewer._update_scene()

    def nodes_rect(self) -> QRectF:
        """The scene rectangle around every node (empty without nodes)."""
        return _bounds([v.view for v in self._views.values()]) if self._views else QRectF()

    def visible_rect(self) -> QRectF:
        """The part of the scene the canvas shows now."""
        viewer = self.graph.viewer()
        return viewer.mapToScene(viewer.viewport().rect()).boundingRect()

    def center_at(self, point: QPointF) -> None:
        """Pan the canvas (zoom unchanged) so that scene ``point`` is in its centre."""
        viewer = self.graph.viewer()
        viewer._scene_range.translate(point - viewer._scene_range.center())
        viewer._update_scene()

    def scale(self) -> float:
        """The canvas's current zoom (1.0: one scene unit per pixel)."""
        return float(self.graph.viewer().transform().m11())

    def set_colors(self, scheme: str) -> None:
        """Canvas background and grid for the ``light`` or ``dark`` theme."""
        background, grid = (
            ((30, 33, 38), (44, 48, 56)) if scheme == "dark" else ((226, 229, 234), (208, 212, 219))
        )
        self.graph.set_background_color(*background)
        self.graph.set_grid_color(*grid)
        # NodeGraphQt draws every 8th grid line in the background darkened by half: far too
        # dark on a light canvas, so the light theme uses dots
        self.graph.set_grid_mode(GRID_LINES if scheme == "dark" else GRID_DOTS)
        Badge.color = (210, 220, 230) if scheme == "dark" else (40, 46, 56)
        for label in [*self._badges.values(), *self._port_labels.values()]:
            label.setBrush(QColor(*Badge.color))

    def mark_problems(self, problems: dict[str, list[str]], errors: set[str] | None = None) -> None:
        """A border and a tooltip listing the problems on each node that has some: red for
        the nodes in ``errors`` (all of them when not given), amber for warnings only."""
        for node_id, view in self._views.items():
            found = problems.get(node_id, [])
            failing = errors is None or node_id in errors
            view.view.border_color = (
                NORMAL_BORDER if not found else PROBLEM_BORDER if failing else WARNING_BORDER
            )
            node = self.pipeline.node(node_id)
            tip = f"{node.name} ({type_text(node.type)})"
            view.view.setToolTip(tip + "".join(f"\n• {p}" for p in found))
            view.view.update()

    def mark_changes(self, marks: dict[str, str]) -> None:
        """Colour the border of each node a version diff touches (``added``, ``changed``,
        ``moved``: :data:`DIFF_BORDERS`); every other node gets the normal border."""
        for node_id, view in self._views.items():
            view.view.border_color = DIFF_BORDERS.get(marks.get(node_id, ""), NORMAL_BORDER)
            view.view.update()

    def change_marker(self, node_id: str) -> str | None:
        """Which diff colour a node's border has (``None``: none)."""
        view = self._views.get(node_id)
        colour = tuple(view.view.border_color) if view is not None else None
        return next((k for k, v in DIFF_BORDERS.items() if v == colour), None)

    def has_marker(self, node_id: str) -> bool:
        view = self._views.get(node_id)
        return view is not None and tuple(view.view.border_color) == PROBLEM_BORDER

    def has_warning_marker(self, node_id: str) -> bool:
        view = self._views.get(node_id)
        return view is not None and tuple(view.view.border_color) == WARNING_BORDER

    def set_status(self, node_id: str, status: str | None) -> None:
        view = self._views.get(node_id)
        if view is None:
            return
        if status is None:
            category = _category(self.pipeline.node(node_id).type)
            rgb = CATEGORY_COLORS.get(category, CATEGORY_COLORS["Transform"])
        else:
            rgb = STATUS_COLORS.get(status, STATUS_COLORS["pending"])
        view.set_property("color", (*rgb, 255), push_undo=False)  # set_color would push

    def set_badge(self, node_id: str, text: str) -> None:
        view = self._views.get(node_id)
        if view is None:
            return
        badge = self._badges.get(node_id)
        if badge is None:
            badge = self._badges[node_id] = Badge(view.view)
        badge.show_text(text)

    def badge_text(self, node_id: str) -> str:
        badge = self._badges.get(node_id)
        return badge.text() if badge is not None and badge.isVisible() else ""

    def set_place_badge(self, node_id: str, text: str) -> None:
        """Show above a node where it runs (a connection's name, or the local engine)."""
        view = self._views.get(node_id)
        if view is None:
            return
        badge = self._place_badges.get(node_id)
        if badge is None:
            badge = self._place_badges[node_id] = Badge(view.view)
        badge.show_text(text, above=True)

    def show_places(self, texts: dict[str, str]) -> None:
        """Where each node will run (the plan of the latest check), above it; a node missing
        from ``texts`` shows nothing there (no plan while the pipeline has errors)."""
        for node_id in self._views:
            text = texts.get(node_id, "")
            if text or node_id in self._place_badges:
                self.set_place_badge(node_id, text)

    def place_badge_text(self, node_id: str) -> str:
        badge = self._place_badges.get(node_id)
        return badge.text() if badge is not None and badge.isVisible() else ""

    def set_port_rows(self, node_id: str, port: str, rows: int) -> None:
        """Label an output port (where its links start) with the rows it carried."""
        view = self._views.get(node_id)
        out = view.outputs().get(port) if view is not None else None
        if out is None:
            return
        label = self._port_labels.get((node_id, port))
        if label is None:
            label = self._port_labels[(node_id, port)] = Badge(view.view)
        label.show_text(format_int(rows), anchor=out.view)

    def port_rows_text(self, node_id: str, port: str) -> str:
        label = self._port_labels.get((node_id, port))
        return label.text() if label is not None and label.isVisible() else ""

    def show_port_schemas(
        self, outputs: dict[tuple[str, str], pa.Schema], inputs: dict[str, dict[str, pa.Schema]]
    ) -> None:
        """Hovering a port shows its columns and types (NodeGraphQt's tooltip said only
        "reject: (multi)")."""
        for node_id, view in self._views.items():
            for name, port in view.outputs().items():
                port.view.setToolTip(port_tooltip(name, outputs.get((node_id, name))))
            for name, port in view.inputs().items():
                port.view.setToolTip(port_tooltip(name, inputs.get(node_id, {}).get(name)))

    def clear_run_state(self) -> None:
        """Forget a run's colours and counts; where each node runs stays (the check's plan
        keeps it current, :meth:`show_places`)."""
        for node_id in self._views:
            self.set_status(node_id, None)
            if node_id in self._badges:
                self._badges[node_id].show_text("")
        for label in self._port_labels.values():
            label.show_text("")


def _bounds(items: list[Any]) -> QRectF:
    """The scene rectangle around graphics items, with a small margin."""
    rect = QRectF()
    for item in items:
        rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-40, -40, 40, 40)


def _category(type_name: str) -> str:
    return component_registry().get(type_name).category if type_name in component_registry() else ""


#: columns listed in a port's tooltip before "… and N more"
TOOLTIP_COLUMNS = 30


def port_tooltip(port: str, schema: pa.Schema | None) -> str:
    """``port``'s columns and their types, one a line (translated head)."""
    translate = QCoreApplication.translate
    if schema is None:
        return translate("CanvasBridge", "%1: columns not known (see Problems)").replace("%1", port)
    head = (
        translate("CanvasBridge", "%1: %2 column(s)")
        .replace("%1", port)
        .replace("%2", format_int(len(schema)))
    )
    lines = [f"{field.name}  {arrow_type_name(field.type)}" for field in schema]
    lines = lines[:TOOLTIP_COLUMNS]
    if len(schema) > TOOLTIP_COLUMNS:
        lines.append(
            translate("CanvasBridge", "… and %1 more").replace(
                "%1", format_int(len(schema) - TOOLTIP_COLUMNS)
            )
        )
    return "\n".join([head, *lines])


def type_text(type_name: str) -> str:
    """A node's component type for its tooltip, saying when it is not installed."""
    if type_name in component_registry():
        return type_name
    return f"{type_name}: {unknown_component_text()}"
