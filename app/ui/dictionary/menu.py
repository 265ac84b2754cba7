"""The main window's way into the dictionary: Tools > Data dictionary and Tools > Business
glossary, each opening one non-modal window for the open project (made again when another
project is opened); beside them Tools > Column tags (:mod:`app.ui.tags`).

:func:`install_dictionary_menu` is all the main window calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QDialog, QMenu

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["DICTIONARY_ACTIONS", "install_dictionary_menu", "open_dictionary", "open_glossary"]

#: (action name, menu text, shortcut)
DICTIONARY_ACTIONS = (
    ("dictionary", QT_TRANSLATE_NOOP("MainWindow", "Data &dictionary…"), "Ctrl+Shift+D"),
    ("glossary", QT_TRANSLATE_NOOP("MainWindow", "Business &glossary…"), "Ctrl+Shift+G"),
)
_WINDOWS = "dictionary_windows"


def _tools_menu(w: MainWindow) -> QMenu:
    from app.ui.actions import SOURCE_TEXT

    for action in w.menuBar().actions():
        menu = action.menu()
        if action.property(SOURCE_TEXT) == "&Tools" and isinstance(menu, QMenu):
            return menu
    raise LookupError("the main window has no Tools menu")


def install_dictionary_menu(w: MainWindow) -> None:
    """Add the two entries to the Tools menu, before Settings (their actions are in
    ``w.actions_by_name`` like every other, so a language switch retranslates them)."""
    from app.ui.actions import _action
    from app.ui.tags.menu import add_tags_action

    tools = _tools_menu(w)
    before = w.actions_by_name.get("settings")
    openers = {"dictionary": open_dictionary, "glossary": open_glossary}
    for name, text, shortcut in DICTIONARY_ACTIONS:
        action = _action(w, name, text, lambda n=name: openers[n](w), shortcut)
        tools.insertAction(before, action)
    add_tags_action(w, tools, before)  # Tools > Column tags…, beside the dictionary
    tools.insertSeparator(before)


def _window(w: MainWindow, key: str, make: Any) -> QDialog | None:
    doc = w.document
    if doc is None:
        return None
    windows: dict[str, QDialog] = w.__dict__.setdefault(_WINDOWS, {})
    dialog = windows.get(key)
    if dialog is not None and getattr(dialog, "doc", None) is not doc:
        dialog.close()
        dialog.deleteLater()
        dialog = None
    if dialog is None:
        dialog = make(doc)
        windows[key] = dialog
        dialog.finished.connect(lambda _r, k=key, d=dialog: _forget(w, k, d))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _forget(w: MainWindow, key: str, dialog: QDialog) -> None:
    windows: dict[str, QDialog] = w.__dict__.get(_WINDOWS, {})
    if windows.get(key) is dialog:
        del windows[key]
        dialog.deleteLater()


def open_dictionary(w: MainWindow) -> QDialog | None:
    """Show the Dictionary window of the open project."""
    from app.ui.dictionary.window import DictionaryWindow

    return _window(
        w,
        "dictionary",
        lambda doc: DictionaryWindow(
            doc, w, workspace=w.workspace, ensure_trusted=w.ensure_trusted
        ),
    )


def open_glossary(w: MainWindow) -> QDialog | None:
    """Show the Glossary window of the open project."""
    from app.ui.dictionary.glossary import GlossaryWindow

    def make(doc: Any) -> QDialog:
        window = GlossaryWindow(doc, w, workspace=w.workspace)
        window.saved.connect(lambda: _reload_dictionary(w))
        return window

    return _window(w, "glossary", make)


def _reload_dictionary(w: MainWindow) -> None:
    """A term changed: the open dictionary shows (and finds) it."""
    dictionary = w.__dict__.get(_WINDOWS, {}).get("dictionary")
    if dictionary is not None:
        dictionary.reload()
