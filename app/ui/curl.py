"""Copy as curl: an action's REST API request, as a ``curl`` command, on the clipboard; and
the context menus of the lists that offer it (alerts, syncs, channels, schema changes).

The request comes from :func:`app.services.api_requests.curl_command` (one table for every
front end, checked against the API's OpenAPI document); the command names the server
(``CAUCE_API_URL``) and leaves the key to the shell, ``$CAUCE_API_KEY``: never a real key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QWidget

from app.services.api_requests import curl_command

__all__ = ["MenuEntry", "attach_menu", "build_menu", "copy_curl"]

#: (object name, text, slot, enabled); ``None``: a separator
MenuEntry = tuple[str, str, Callable[[], None], bool] | None


def copy_curl(
    action: str,
    *,
    name: str | None = None,
    alert_id: int | None = None,
    change_id: int | None = None,
) -> str:
    """Put the curl command of ``action`` (``run_pipeline``, ``run_sync``,
    ``acknowledge_alert``, ``resolve_alert``, ``test_channel``, ``approve_schema_change``…)
    on the clipboard; returns it."""
    text = curl_command(action, name=name, alert_id=alert_id, change_id=change_id)
    QApplication.clipboard().setText(text)
    return text


def build_menu(parent: QWidget, entries: Sequence[MenuEntry]) -> QMenu:
    """A context menu of ``entries``; each action is named, to be found by tests."""
    menu = QMenu(parent)
    for entry in entries:
        if entry is None:
            menu.addSeparator()
            continue
        name, text, slot, enabled = entry
        action = QAction(text, menu)
        action.setObjectName(name)
        action.setEnabled(enabled)
        action.triggered.connect(lambda _c=False, s=slot: s())
        menu.addAction(action)
    return menu


def attach_menu(view: QAbstractItemView, build: Callable[[], QMenu]) -> None:
    """Show the menu ``build`` makes on a right click in ``view``."""

    def show(pos: QPoint) -> None:
        menu = build()
        menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(show)
