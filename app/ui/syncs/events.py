"""Sync events as log lines: by ``kind`` and ``to_dict()`` (the shape every event shares)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from app.ui.i18n import format_decimal, format_int, status_text

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
        }
        return words.get(str(value), str(value))

    def line(self, event: object) -> str | None:
        """The log line of ``event`` (``None`` for progress, which goes to the status)."""
        kind = str(getattr(event, "kind", ""))
        to_dict = getattr(event, "to_dict", None)
        data: dict[str, Any] = to_dict() if callable(to_dict) else {}
        if kind == "sync_progress":
            self.progress_text = (
                self.tr("%1 rows read in %2 s")
                .replace("%1", format_int(data.get("rows", 0)))
                .replace("%2", format_decimal(data.get("seconds", 0), 1))
            )
            return None
        text = self._text(kind, data)
        at = data.get("at")
        stamp = datetime.fromtimestamp(at).strftime("%H:%M:%S") if isinstance(at, float) else ""
        return f"{stamp}  {text}" if stamp else text

    def _text(self, kind: str, d: dict[str, Any]) -> str:
        if kind == "sync_started":
            return (
                self.tr("Started “%1” (%2) → %3")
                .replace("%1", str(d.get("sync")))
                .replace("%2", self._word(d.get("mode")))
                .replace("%3", ", ".join(d.get("destinations") or ()))
            )
        if kind == "schema_change_detected":
            return (
                self.tr("%1: column %2 %3 (%4 → %5): %6")
                .replace("%1", str(d.get("destination")))
                .replace("%2", str(d.get("column")))
                .replace("%3", self._word(d.get("change")))
                .replace("%4", str(d.get("old_type") or "—"))
                .replace("%5", str(d.get("new_type") or "—"))
                .replace("%6", self._word(d.get("decision")))
            )
        if kind == "destination_retry":
            return (
                self.tr("%1: attempt %2 failed (%3); retrying in %4 s")
                .replace("%1", str(d.get("destination")))
                .replace("%2", str(d.get("attempt")))
                .replace("%3", str(d.get("error")))
                .replace("%4", format_decimal(d.get("delay", 0), 0))
            )
        if kind == "destination_finished":
            text = (
                self.tr("%1: %2 rows written in %3 s")
                .replace("%1", str(d.get("destination")))
                .replace("%2", format_int(d.get("rows", 0)))
                .replace("%3", format_decimal(d.get("seconds", 0)))
            )
            if d.get("deleted"):
                text += self.tr(", %1 deleted").replace("%1", format_int(d["deleted"]))
            return text
        if kind == "sync_failed":
            where = d.get("destination") or d.get("sync")
            if d.get("status") == "cancelled":
                return self.tr("%1: cancelled").replace("%1", str(where))
            return (
                self.tr("%1 failed: %2")
                .replace("%1", str(where))
                .replace("%2", str(d.get("error")))
            )
        if kind == "sync_finished":
            return (
                self.tr("Finished: %1 in %2 s, %3 rows read")
                .replace("%1", status_text(str(d.get("status"))))
                .replace("%2", format_decimal(d.get("seconds", 0)))
                .replace("%3", format_int(d.get("rows_read", 0)))
            )
        return kind.replace("_", " ")
