"""How the schema-changes inbox words a change: its state, kind and change in the list, what
reads it, and the detail pane (its impact and its history).

A mixin of :class:`~app.ui.inbox.schema.SchemaInbox`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from app.ui.monitor.table import local_time

if TYPE_CHECKING:
    from app.ui.inbox.schema import SchemaInbox as _Base
else:
    _Base = object

__all__ = ["ChangeTextsMixin"]


class ChangeTextsMixin(_Base):
    # -- words ----------------------------------------------------------------------------
    def _state(self, status: str) -> str:
        return {
            "pending": self.tr("pending"),
            "approved": self.tr("approved"),
            "rejected": self.tr("rejected"),
            "rolled_back": self.tr("rolled back"),
            "withdrawn": self.tr("withdrawn"),
        }.get(status, status)

    def _kind(self, kind: str) -> str:
        return {
            "added": self.tr("added"),
            "widened": self.tr("widened"),
            "changed": self.tr("type changed"),
            "removed": self.tr("removed"),
            "renamed": self.tr("renamed?"),
        }.get(kind, kind)

    def _change(self, item: Any) -> str:
        if item.renamed_from:
            return self.tr("%1 → %2").replace("%1", item.renamed_from).replace("%2", item.column)
        if item.old_type and item.new_type:
            return (
                self.tr("%1: %2 → %3")
                .replace("%1", item.column)
                .replace("%2", item.old_type)
                .replace("%3", item.new_type)
            )
        return f"{item.column} ({item.new_type or item.old_type})"

    def _used_by(self, item: Any) -> str:
        return ", ".join(i.name for i in item.impact)

    def _describe(self, item: Any) -> str:
        esc = html.escape
        parts = [
            f"<h3>{esc(item.sync)} → {esc(item.destination)}: "
            f"{esc(self._kind(item.kind))} {esc(self._change(item))}</h3>",
            "<p>"
            + esc(
                self.tr("State: %1. Detected %2; held the destination for %3 run(s).")
                .replace("%1", self._state(item.status))
                .replace("%2", local_time(item.detected_at))
                .replace("%3", str(item.runs_held))
            )
            + "</p>",
            "<p><b>" + esc(self.tr("Impact")) + "</b></p>",
        ]
        if not item.impact:
            parts.append(
                "<p>" + esc(self.tr("No pipeline or sync of this project reads it.")) + "</p>"
            )
        rows = []
        for impact in item.impact:
            what = self.tr("pipeline %1") if impact.kind == "pipeline" else self.tr("sync %1")
            uses = {
                "column": self.tr("uses the column"),
                "table": self.tr("reads the table (not the column yet)"),
                "all columns": self.tr("copies every column"),
            }.get(impact.uses, impact.uses)
            reaches = "<br>".join(esc(r) for r in impact.reaches) or "—"
            note = f"<br><i>{esc(impact.note)}</i>" if impact.note else ""
            rows.append(
                f"<tr><td>{esc(what.replace('%1', impact.name))}</td>"
                f"<td>{esc(', '.join(impact.nodes))}</td><td>{esc(uses)}{note}</td>"
                f"<td>{reaches}</td></tr>"
            )
        if rows:
            head = "".join(
                f"<th align='left'>{esc(h)}</th>"
                for h in (
                    self.tr("Reader"),
                    self.tr("Reading nodes"),
                    self.tr("How"),
                    self.tr("Reaches"),
                )
            )
            parts.append(f"<table cellspacing='6'><tr>{head}</tr>{''.join(rows)}</table>")
        parts.append("<p><b>" + esc(self.tr("History")) + "</b></p>")
        history = [
            esc(
                self.tr("%1 by %2 at %3")
                .replace("%1", self._action(a.action))
                .replace("%2", a.actor)
                .replace("%3", local_time(a.at))
            )
            + (f": {esc(a.detail)}" if a.detail else "")
            for a in item.actions
        ]
        parts.append("<br>".join(history) or esc(self.tr("No decision yet.")))
        return "".join(parts)

    def _action(self, action: str) -> str:
        return {
            "approve": self.tr("Approved"),
            "reject": self.tr("Rejected"),
            "rollback": self.tr("Rolled back"),
            "withdraw": self.tr("Withdrawn"),
        }.get(action, action)
