"""Level of detail and cheap drags: what keeps the canvas fast with hundreds of nodes.

NodeGraphQt paints every port, port label, icon and arrow at any zoom, and redraws each link
once per port of every node a drag moves. Here:

- :func:`detail_for` picks a :class:`Detail` from the canvas's scale. Below
  :data:`FULL_DETAIL_SCALE` a node paints itself as a rounded rectangle with its title
  (:attr:`Detail.TITLE`), below :data:`TITLE_SCALE` without text (:attr:`Detail.BOX`); its
  ports, labels, icon and badges keep their place and their state but paint nothing
  (``ItemHasNoContents``), and links lose their arrows. The viewer switches every item when
  the scale crosses a threshold (:meth:`~app.ui.canvas.view.CanvasViewer._update_scene`),
  never during a paint.
- :class:`DragBatch` moves the links of a dragged selection once per mouse move: a link between
  two moved nodes is translated (its cached image is reused), only the links that leave the
  selection are drawn again.
- :class:`ZoomGesture`: while the scale changes step after step (a trackpad or wheel zoom),
  items paint straight to the screen instead of through their device cache, which every new
  scale throws away (each step would paint every item twice: into a new cache image, then
  that image); the caches come back once the zoom rests, or at the next pan or click.

At :attr:`Detail.FULL` nothing differs from NodeGraphQt's own painting.
"""

from __future__ import annotations

import enum
from typing import Any

from Qt import QtCore, QtWidgets

__all__ = [
    "FULL_DETAIL_SCALE",
    "TITLE_SCALE",
    "Detail",
    "DragBatch",
    "ZoomGesture",
    "detail_for",
    "set_item_detail",
    "set_pipe_detail",
]

#: at and above this scale the canvas draws everything (ports, labels, icons, arrows)
FULL_DETAIL_SCALE = 0.4
#: at and above this scale (and below :data:`FULL_DETAIL_SCALE`) nodes keep their title
TITLE_SCALE = 0.2

_NO_CONTENTS = QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
_SENDS_MOVES = QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemSendsScenePositionChanges
_NO_CACHE = QtWidgets.QGraphicsItem.CacheMode.NoCache


class Detail(enum.IntEnum):
    """How much of a node the canvas draws (more is higher)."""

    BOX = 0
    TITLE = 1
    FULL = 2


def detail_for(scale: float) -> Detail:
    """The level of detail at a canvas ``scale``.

    >>> detail_for(1.0).name, detail_for(0.3).name, detail_for(0.1).name
    ('FULL', 'TITLE', 'BOX')
    """
    if scale >= FULL_DETAIL_SCALE:
        return Detail.FULL
    return Detail.TITLE if scale >= TITLE_SCALE else Detail.BOX


def set_item_detail(item: QtWidgets.QGraphicsItem, detail: Detail) -> None:
    """Let a node's child items (ports, labels, icon, badges) paint only at full detail.

    They stay visible (links check their ports' visibility) and hit-testable; Qt only skips
    their painting.
    """
    hidden = detail is not Detail.FULL
    for child in item.childItems():
        child.setFlag(_NO_CONTENTS, hidden)


def set_pipe_detail(pipe: Any, detail: Detail) -> None:
    """A link's arrow is painted only at full detail."""
    pipe._dir_pointer.setFlag(_NO_CONTENTS, detail is not Detail.FULL)


class DragBatch:
    """The links of the nodes a mouse drag moves, kept up to date once per mouse move.

    While it lasts, the moved nodes' ports do not redraw their links on every position change
    (NodeGraphQt's way: each link twice per move). :meth:`follow` translates the links between
    two moved nodes by the drag's step and redraws the others; :meth:`end` puts things back.
    Meanwhile the scene keeps no index: it would be updated for each moved item at each move.
    """

    def __init__(self, nodes: list[Any]) -> None:
        self.anchor = nodes[0]
        self.start = self.anchor.pos()
        moved = set(nodes)
        self.ports = [port for node in nodes for port in (*node.inputs, *node.outputs)]
        pipes = {pipe: None for port in self.ports for pipe in port.connected_pipes}
        #: links with both ends moving: translated as a whole
        self.inner = [p for p in pipes if _ends(p) <= moved]
        #: links leaving the selection: drawn again
        self.outer = [p for p in pipes if not _ends(p) <= moved]
        for port in self.ports:
            port.setFlag(_SENDS_MOVES, False)
        self.scene = self.anchor.scene()
        self.index = self.scene.itemIndexMethod()
        self.scene.setItemIndexMethod(QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)

    def follow(self) -> None:
        """Bring the links along after the nodes moved (call once per mouse move)."""
        offset = self.anchor.pos() - self.start
        for pipe in self.inner:
            pipe.setPos(offset)
        for pipe in self.outer:
            pipe.draw_path(pipe.input_port, pipe.output_port)

    def end(self) -> None:
        """Give the translated links their final path (at the origin, as NodeGraphQt draws
        them) and let the ports follow their moves again."""
        for pipe in self.inner:
            offset = pipe.pos()
            if offset.isNull():
                continue
            pipe.setPos(QtCore.QPointF())
            pipe.setPath(pipe.path().translated(offset))
            pipe._dir_pointer.moveBy(offset.x(), offset.y())
        for port in self.ports:
            port.setFlag(_SENDS_MOVES, True)
        self.scene.setItemIndexMethod(self.index)


def _ends(pipe: Any) -> set[Any]:
    ends = set()
    for port in (pipe.input_port, pipe.output_port):
        if port is not None:
            ends.add(port.node)
    return ends


class ZoomGesture:
    """The items' device caches switched off while a zoom gesture lasts (see the module doc).

    Measured on the 500-node bench graph at the editor's framing scale (``bench/canvas.py
    --interact``, idle machine): 21–24 ms a zoom step with the caches, 14–15 ms without; a
    pan, whose scale does not change, keeps them (5 ms with, 14 ms without).
    """

    #: a zoom that rests this long has ended
    IDLE_MS = 250

    def __init__(self, view: QtWidgets.QGraphicsView) -> None:
        self.view = view
        #: (item, its cache mode) while a gesture lasts — a list: PySide's graphics items do
        #: not hash as distinct objects
        self.saved: (
            list[tuple[QtWidgets.QGraphicsItem, QtWidgets.QGraphicsItem.CacheMode]] | None
        ) = None
        self.timer = QtCore.QTimer(view)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.IDLE_MS)
        self.timer.timeout.connect(self.end)

    @property
    def active(self) -> bool:
        return self.saved is not None

    def step(self) -> None:
        """A zoom step: switch the caches off (at the first step) and wait for rest."""
        if self.saved is None:
            self.saved = []
            scene = self.view.scene()
            for item in scene.items() if scene is not None else ():
                mode = item.cacheMode()
                if mode != _NO_CACHE:
                    self.saved.append((item, mode))
                    item.setCacheMode(_NO_CACHE)
        self.timer.start()

    def end(self) -> None:
        """Give the items their caches back (a no-op when no zoom is going on)."""
        self.timer.stop()
        saved, self.saved = self.saved, None
        for item, mode in saved or ():
            try:
                item.setCacheMode(mode)
            except RuntimeError:  # removed from the scene (and deleted) meanwhile
                continue
