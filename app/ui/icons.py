"""Icons: monochrome line drawings in ``resources/icons/`` (24×24 viewBox, ``currentColor``).

:func:`icon` renders an SVG at whatever size and device-pixel ratio is asked for, in the
palette's text colour at paint time, so icons stay sharp on HiDPI screens and follow the
light/dark theme without being reloaded. :func:`app_icon` is the coloured application icon.

To add an icon, draw ``resources/icons/<name>.svg`` in the same style (``fill="none"``,
``stroke="currentColor"``, stroke width 1.8, round caps and joins) and add ``<name>`` to
:data:`ICON_NAMES`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

__all__ = ["ICON_DIR", "ICON_NAMES", "app_icon", "icon"]

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
ICON_NAMES: tuple[str, ...] = (
    # editing and running
    "run",
    "run_selected",
    "cancel",
    "save",
    "open",
    "new",
    "undo",
    "redo",
    "preview",
    "sql",
    "connection",
    "pipeline",
    "settings",
    "export",
    "import",
    "about",
    # components
    "source",
    "filter",
    "join",
    "lookup",
    "aggregate",
    "derive",
    "sort",
    "union",
    "dedupe",
    "window",
    "custom_sql",
    "destination",
    # states
    "info",
    "success",
    "warning",
    "error",
    # list editing
    "add",
    "remove",
    "duplicate",
    "rename",
    "test",
    # brand
    "logo",
)
#: fixed colours for the icons that carry a meaning of their own
STATE_COLORS = {"success": "#2da44e", "warning": "#d29922", "error": "#e5534b"}


@cache
def _svg(name: str) -> str:
    if name not in ICON_NAMES:
        raise KeyError(f"no icon named {name!r}; known: {', '.join(ICON_NAMES)}")
    return (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")


class _SvgIconEngine(QIconEngine):
    """Paints one SVG tinted with a fixed colour or the current palette's text colour."""

    def __init__(self, name: str, color: str | None = None) -> None:
        super().__init__()
        self._name, self._color = name, color

    def _tint(self, mode: QIcon.Mode) -> QColor:
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        if mode == QIcon.Mode.Selected:
            return palette.color(QPalette.ColorRole.HighlightedText)
        if self._color:
            return QColor(self._color)
        return palette.color(QPalette.ColorRole.WindowText)

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        text = _svg(self._name).replace("currentColor", self._tint(mode).name())
        return QSvgRenderer(QByteArray(text.encode("utf-8")))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        square = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        self._renderer(mode).render(painter, square)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def scaledPixmap(
        self,
        size: QSize,
        mode: QIcon.Mode,
        state: QIcon.State,  # noqa: N802
        scale: float,
    ) -> QPixmap:
        pixmap = self.pixmap(size * scale, mode, state)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def actualSize(
        self,
        size: QSize,
        mode: QIcon.Mode,  # noqa: N802
        state: QIcon.State,
    ) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._name, self._color)

    def isNull(self) -> bool:  # noqa: N802
        return not self._renderer(QIcon.Mode.Normal).isValid()

    def key(self) -> str:
        return "cauce-svg"


def icon(name: str, color: str | None = None) -> QIcon:
    """The icon ``name`` (one of :data:`ICON_NAMES`).

    Args:
        name: File stem in ``resources/icons``.
        color: A fixed colour (``"#rrggbb"``); by default the palette's text colour, except
            ``success``, ``warning`` and ``error``, which keep their own colours.

    Raises:
        KeyError: Unknown name (a typo should fail loudly, not draw nothing).
    """
    _svg(name)
    return QIcon(_SvgIconEngine(name, color or STATE_COLORS.get(name)))


def app_icon() -> QIcon:
    """The coloured application icon, at the usual window and task-bar sizes."""
    path = str(ICON_DIR / "cauce.svg")
    result = QIcon()
    renderer = QSvgRenderer(path)
    for side in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result
