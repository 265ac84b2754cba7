"""Edit menu of the main window: copy, cut, paste, duplicate, delete, select all.

A mixin of :class:`~app.ui.main_window.MainWindow`. The clipboard carries a Cauce fragment
(``application/x-cauce-fragment``, also as text); every change goes through the canvas
bridge's user-action API, so each is one undo step.

Pasting the same fragment again lands further down and to the right each time (the second
paste landed exactly on the first); Duplicate pastes the selection beside itself without
touching the clipboard.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["FRAGMENT_MIME", "PASTE_STEP", "EditingMixin"]

FRAGMENT_MIME = "application/x-cauce-fragment"
#: how far each paste of the same fragment lands from the previous one (scene pixels)
PASTE_STEP = 40.0


class EditingMixin(_Base):
    _pasted: tuple[str, int] = ("", 0)  # the fragment pasted last, and how many times

    def copy_selection(self) -> None:
        ids = self.bridge.selected_ids()
        if not ids:
            return
        text = json.dumps(self.bridge.copy(ids))
        data = QMimeData()
        data.setData(FRAGMENT_MIME, text.encode())
        data.setText(text)
        QApplication.clipboard().setMimeData(data)
        self._pasted = (text, 0)

    def cut_selection(self) -> None:
        """Copy the selection, then delete it (one undo step brings it back)."""
        ids = self.bridge.selected_ids()
        if ids:
            self.copy_selection()
            self.bridge.delete_nodes(ids)

    def paste(self) -> None:
        data = QApplication.clipboard().mimeData()
        raw = (
            bytes(data.data(FRAGMENT_MIME)).decode()
            if data.hasFormat(FRAGMENT_MIME)
            else (data.text() if data.hasText() else "")
        )
        fragment = _fragment(raw)
        if fragment is None:
            return
        text, times = self._pasted
        times = times + 1 if text == raw else 1
        self._pasted = (raw, times)
        self.bridge.paste(fragment, (PASTE_STEP * times, PASTE_STEP * times))

    def duplicate_selection(self) -> None:
        """A copy of the selected nodes (and the links between them) beside them."""
        ids = self.bridge.selected_ids()
        if ids:
            self.bridge.paste(self.bridge.copy(ids), (PASTE_STEP, PASTE_STEP))

    def delete_selection(self) -> None:
        self.bridge.delete_nodes(self.bridge.selected_ids())

    def select_all(self) -> None:
        self.bridge.select_ids(self.pipeline, [n.id for n in self.pipeline.nodes])


def _fragment(raw: str) -> dict[str, Any] | None:
    """The Cauce fragment in ``raw`` clipboard text, or None."""
    try:
        fragment = json.loads(raw) if raw else None
    except ValueError:
        return None
    if isinstance(fragment, dict) and fragment.get("format") == "cauce-fragment":
        return fragment
    return None
