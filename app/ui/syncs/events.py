"""Sync events as log lines: the sentences of :func:`app.services.texts.event_text` (the CLI's),
written with the interface's numbers and words."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject

from app.model.events import Event
from app.model.sync_events import SyncProgress
from app.services.texts import event_text
from app.ui.i18n import format_decimal, format_int, text_formats

__all__ = ["EventFormatter"]


class EventFormatter(QObject):
    """Turns the events of one run into translated log lines; keeps the latest progress."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress_text = ""

    def reset(self) -> None:
        self.progress_text = ""

    def _word(self, value: object) -> str:
        """A sync mode, schema change or policy decision of the engine, translated."""
        words = {
            "full": self.tr("full"),
            "incremental": self.tr("incremental"),
            "append": self.tr("append"),
            "merge": self.tr("merge"),
            "added": self.tr("added"),
            "widened": self.tr("widened"),
            "changed": self.tr("changed"),
            "removed": self.tr("removed"),
            "applied": self.tr("applied"),
            "refused": self.tr("refused"),
            "discarded": self.tr("discarded"),
            "kept": self.tr("kept"),
            "held": self.tr("held"),
            "renamed": self.tr("renamed"),
        }
        return words.get(str(value), str(value))

    def line(self, event: Event) -> str | None:
        """The log line of ``event`` (``None`` for progress, which goes to the status)."""
        if isinstance(event, SyncProgress):
            self.progress_text = (
                self.tr("%1 rows read in %2 s")
                .replace("%1", format_int(event.rows))
                .replace("%2", format_decimal(event.seconds, 1))
            )
            return None
        text = event_text(event, text_formats(self._word))
        if text is None:
            return None
        stamp = datetime.fromtimestamp(event.at).strftime("%H:%M:%S")
        return f"{stamp}  {text.strip()}"
