"""Notifications: the system tray when there is one, otherwise banners inside the window.

``QSystemTrayIcon.showMessage()`` silently does nothing where no tray exists (offscreen,
many Linux desktops, Xvfb), so :class:`Notifier` creates a tray icon only when
``QSystemTrayIcon.isSystemTrayAvailable()``; elsewhere it shows :class:`Banner` widgets
stacked in the window's bottom-right corner. Both call ``on_click`` when clicked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.icons import app_icon, icon

__all__ = ["LEVELS", "Banner", "Notifier"]

#: level -> (icon name, accent colour)
LEVELS = {
    "info": ("info", "#2f81f7"),
    "success": ("success", "#2da44e"),
    "warning": ("warning", "#d29922"),
    "error": ("error", "#e5534b"),
}
_TRAY_ICONS = {
    "info": QSystemTrayIcon.MessageIcon.Information,
    "success": QSystemTrayIcon.MessageIcon.Information,
    "warning": QSystemTrayIcon.MessageIcon.Warning,
    "error": QSystemTrayIcon.MessageIcon.Critical,
}
MARGIN, SPACING = 16, 8
#: a longer message is cut (the whole text is the tooltip)
MAX_CHARS = 400
_LONG_WORD = 24


def breakable(text: str) -> str:
    """``text`` with zero-width spaces after ``/ _ . , :`` in long words, where a word-wrapped
    label may then break them (a path or a quoted SQL name would otherwise overflow).

    >>> breakable("short words stay") == "short words stay"
    True
    >>> "\u200b" in breakable("'revenue_by_country_genre_year'")
    True
    """
    words = []
    for word in text.split(" "):
        if len(word) > _LONG_WORD:
            for mark in "/_.,:":
                word = word.replace(mark, mark + "\u200b")
        words.append(word)
    return " ".join(words)


class Banner(QFrame):
    """A small in-window notice: icon, title, message; click it to act, × to dismiss."""

    clicked = Signal()
    closed = Signal()

    def __init__(
        self, title: str, message: str, level: str, parent: QWidget, timeout_ms: int
    ) -> None:
        super().__init__(parent)
        name, accent = LEVELS.get(level, LEVELS["info"])
        self.setObjectName("CauceBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "#CauceBanner { background: palette(base); border: 1px solid palette(mid);"
            f" border-left: 4px solid {accent}; border-radius: 6px; }}"
        )
        glyph = QLabel(self)
        glyph.setPixmap(icon(name).pixmap(24, 24))
        glyph.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title_label = QLabel(title, self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        shown = message if len(message) <= MAX_CHARS else message[: MAX_CHARS - 1] + "…"
        self.message_label = QLabel(breakable(shown), self)
        self.message_label.setWordWrap(True)
        if shown != message:
            self.message_label.setToolTip(message)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.dismiss)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title_label)
        text.addWidget(self.message_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 6, 8)
        row.addWidget(glyph)
        row.addLayout(text, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        width = self.fontMetrics().averageCharWidth() * 42
        self.fit(min(width, max(parent.width() - 2 * MARGIN, 160)))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        if timeout_ms > 0:
            self.timer.start(timeout_ms)

    def fit(self, width: int) -> None:
        """Be ``width`` wide and as tall as the wrapped message needs (never cut off)."""
        self.setFixedWidth(width)
        layout = self.layout()
        layout.activate()
        self.setFixedHeight(max(self.heightForWidth(width), layout.minimumSize().height()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            self.dismiss()
        super().mouseReleaseEvent(event)

    def enterEvent(self, event: QEvent) -> None:  # noqa: N802
        # do not vanish under the pointer (Qt also sends enter events when a widget appears
        # where the pointer was last seen, so ask where it really is)
        if self.rect().contains(self.mapFromGlobal(QCursor.pos())):
            self.timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        self.timer.start(2500)
        super().leaveEvent(event)

    def dismiss(self) -> None:
        if self.property("dismissed"):
            return
        self.setProperty("dismissed", True)
        self.timer.stop()
        self.hide()
        self.closed.emit()
        self.deleteLater()


class Notifier(QObject):
    """Tells the user something happened, even when the window is not in front.

    Args:
        window: The main window (banners are drawn inside it).
        timeout_ms: How long a banner or tray message stays.
    """

    def __init__(self, window: QWidget, timeout_ms: int = 6000) -> None:
        super().__init__(window)
        self.window, self.timeout_ms = window, timeout_ms
        self.banners: list[Banner] = []
        self._on_click: Callable[[], None] | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.attach_tray(QSystemTrayIcon(app_icon(), self))
        window.installEventFilter(self)

    def attach_tray(self, tray: QSystemTrayIcon) -> None:
        """Send notifications to ``tray`` (clicking its message calls the notification's
        ``on_click``)."""
        self.tray = tray
        tray.setToolTip("Cauce")
        tray.messageClicked.connect(self._tray_clicked)
        tray.show()

    @property
    def available_tray(self) -> bool:
        """Whether notifications go to the system tray (else to in-window banners)."""
        return self.tray is not None

    def notify(
        self,
        title: str,
        message: str,
        on_click: Callable[[], None] | None = None,
        level: str = "info",
    ) -> None:
        """Show a notification; ``level`` is ``info``, ``success``, ``warning`` or ``error``."""
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self._on_click = on_click
            self.tray.showMessage(
                title, message, _TRAY_ICONS.get(level, _TRAY_ICONS["info"]), self.timeout_ms
            )
            return
        banner = Banner(title, message, level, self.window, self.timeout_ms)
        if on_click is not None:
            banner.clicked.connect(on_click)
        banner.closed.connect(lambda b=banner: self._forget(b))
        self.banners.append(banner)
        self._layout()  # placed before it appears, so it never flashes in the corner
        banner.show()
        banner.raise_()

    def _tray_clicked(self) -> None:
        callback, self._on_click = self._on_click, None
        if callback is not None:
            callback()

    def _forget(self, banner: Banner) -> None:
        if banner in self.banners:
            self.banners.remove(banner)
            self._layout()

    def _layout(self) -> None:
        """Stack the banners upwards from the bottom-right corner, newest at the bottom."""
        bottom = self.window.height() - MARGIN
        for banner in reversed(self.banners):
            banner.adjustSize()
            top = bottom - banner.height()
            banner.move(self.window.width() - MARGIN - banner.width(), top)
            bottom = top - SPACING

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self._layout()
        return False
