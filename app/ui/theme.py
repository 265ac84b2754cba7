"""Light and dark themes: the Fusion style with a palette for each.

The theme follows the operating system by default (``QStyleHints.colorScheme()``) and keeps
following it while the application runs; "light" or "dark" force one. Fonts are left to the
platform (no pixel sizes), so HiDPI scaling works unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from app.ui.i18n import app_settings

__all__ = ["THEMES", "CauceStyle", "apply_theme", "current_theme", "palette_for", "system_scheme"]

#: setting value -> label (translated where shown)
THEMES = ("system", "light", "dark")
THEME_KEY = "ui/theme"

_state = {"mode": "system", "scheme": "light", "following": False}

_ROLES = QPalette.ColorRole
_GROUPS = QPalette.ColorGroup
_LIGHT = {
    _ROLES.Window: "#f3f4f6",
    _ROLES.WindowText: "#1f2328",
    _ROLES.Base: "#ffffff",
    _ROLES.AlternateBase: "#f6f8fa",
    _ROLES.ToolTipBase: "#ffffff",
    _ROLES.ToolTipText: "#1f2328",
    _ROLES.PlaceholderText: "#6e7781",
    _ROLES.Text: "#1f2328",
    _ROLES.Button: "#eaecef",
    _ROLES.ButtonText: "#1f2328",
    _ROLES.BrightText: "#cf222e",
    _ROLES.Light: "#ffffff",
    _ROLES.Midlight: "#e1e4e8",
    _ROLES.Mid: "#c4c9cf",
    _ROLES.Dark: "#8c959f",
    _ROLES.Shadow: "#6e7781",
    _ROLES.Highlight: "#0b6bcb",
    _ROLES.HighlightedText: "#ffffff",
    _ROLES.Link: "#0b62b8",
    _ROLES.LinkVisited: "#6f42c1",
    _ROLES.Accent: "#0b6bcb",
}
_DARK = {
    _ROLES.Window: "#1e2227",
    _ROLES.WindowText: "#e6e8eb",
    _ROLES.Base: "#16191d",
    _ROLES.AlternateBase: "#22272e",
    _ROLES.ToolTipBase: "#2d333b",
    _ROLES.ToolTipText: "#e6e8eb",
    _ROLES.PlaceholderText: "#8b949e",
    _ROLES.Text: "#e6e8eb",
    _ROLES.Button: "#2d333b",
    _ROLES.ButtonText: "#e6e8eb",
    _ROLES.BrightText: "#ff7b72",
    _ROLES.Light: "#3d444d",
    _ROLES.Midlight: "#343a42",
    _ROLES.Mid: "#262b31",
    _ROLES.Dark: "#111316",
    _ROLES.Shadow: "#000000",
    _ROLES.Highlight: "#2f81f7",
    _ROLES.HighlightedText: "#ffffff",
    _ROLES.Link: "#58a6ff",
    _ROLES.LinkVisited: "#bc8cff",
    _ROLES.Accent: "#2f81f7",
}
_DISABLED = {"light": "#8c959f", "dark": "#6e7681"}


def palette_for(scheme: str) -> QPalette:
    """The palette of the ``light`` or ``dark`` scheme."""
    palette = QPalette()
    for role, color in (_DARK if scheme == "dark" else _LIGHT).items():
        palette.setColor(role, QColor(color))
    muted = QColor(_DISABLED["dark" if scheme == "dark" else "light"])
    for role in (_ROLES.WindowText, _ROLES.Text, _ROLES.ButtonText, _ROLES.HighlightedText):
        palette.setColor(_GROUPS.Disabled, role, muted)
    palette.setColor(_GROUPS.Disabled, _ROLES.Highlight, muted)
    return palette


class CauceStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons outlined so that they show on a dark base.

    Fusion outlines an indicator with the window colour darkened: on the dark palette that is
    almost the colour of the indicator's own background, and an unchecked box vanished.
    """

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,  # noqa: N802
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        kinds = (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        )
        if element not in kinds or option.palette.color(_ROLES.Window).lightness() >= 128:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(DARK_INDICATOR_EDGE), 1.0))
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2.0, 2.0)
        painter.restore()


#: the outline of check boxes and radio buttons on the dark palette
DARK_INDICATOR_EDGE = "#8b949e"


def system_scheme() -> str:
    """``dark`` when the OS asks for a dark colour scheme, else ``light``."""
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def current_theme() -> tuple[str, str]:
    """The mode applied last (``system``, ``light``, ``dark``) and the scheme it resolved to."""
    return _state["mode"], _state["scheme"]


def _on_system_change(_scheme: Qt.ColorScheme) -> None:
    app = QApplication.instance()
    if _state["mode"] == "system" and isinstance(app, QApplication):
        _apply(app, "system")


def _apply(app: QApplication, mode: str) -> str:
    scheme = system_scheme() if mode == "system" else mode
    app.setStyle(CauceStyle())
    app.setPalette(palette_for(scheme))
    _state.update(mode=mode, scheme=scheme)
    return scheme


def apply_theme(app: QApplication, mode: str | None = None) -> str:
    """Apply ``mode`` (``system``, ``light``, ``dark``; the saved setting when ``None``).

    Returns:
        The colour scheme now in use: ``light`` or ``dark``.
    """
    if mode is None:
        mode = str(app_settings().value(THEME_KEY, "system") or "system")
    if mode not in THEMES:
        mode = "system"
    if not _state["following"]:
        QGuiApplication.styleHints().colorSchemeChanged.connect(_on_system_change)
        _state["following"] = True
    return _apply(app, mode)
