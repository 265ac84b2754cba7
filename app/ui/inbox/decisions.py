"""Deciding a schema change from the inbox: Approve, Reject and Roll back, each after a
confirmation, on a worker thread; the context menu, which also copies the API request that
decides the change.

A mixin of :class:`~app.ui.inbox.schema.SchemaInbox`; decisions go through
:mod:`app.services.schema_inbox`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QAbstractButton, QMenu, QMessageBox

from app.services.schema_inbox import (
    approve_schema_change,
    reject_schema_change,
    rollback_schema_change,
)
from app.ui.curl import build_menu, copy_curl
from app.ui.i18n import format_int, status_text
from app.ui.workers import submit

if TYPE_CHECKING:
    from app.ui.inbox.schema import SchemaInbox as _Base
else:
    _Base = object

__all__ = ["DecisionsMixin"]


class DecisionsMixin(_Base):
    # -- the menu ---------------------------------------------------------------------------
    def context_menu(self) -> QMenu:
        """The selected change's menu: decide it here, or copy the API request that does."""
        item = self.selected()
        pending = item is not None and item.status == "pending"
        return build_menu(
            self,
            [
                ("approveChange", self.tr("&Approve…"), self.approve, pending),
                ("rejectChange", self.tr("Re&ject…"), self.reject_change, pending),
                None,
                ("copyApproveCurl", self.tr("Copy approve as c&url"), self._copy_approve, pending),
                ("copyRejectCurl", self.tr("Copy reject as cu&rl"), self._copy_reject, pending),
            ],
        )

    def _copy_approve(self) -> None:
        self._copy_curl("approve_schema_change")

    def _copy_reject(self) -> None:
        self._copy_curl("reject_schema_change")

    def _copy_curl(self, action: str) -> None:
        item = self.selected()
        if item is not None:
            copy_curl(action, change_id=item.id)
            self.status.setText(
                self.tr("Copied a curl command that decides change #%1 on the server.").replace(
                    "%1", str(item.id)
                )
            )

    # -- decisions --------------------------------------------------------------------------
    def _confirm(
        self, title: str, text: str, choices: list[tuple[str, Callable[[], None]]]
    ) -> None:
        """Ask before deciding; each choice is a button (Cancel closes)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        box.setObjectName("schemaChangeConfirmation")
        actions: dict[QAbstractButton, Callable[[], None]] = {}
        for label, action in choices:
            actions[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = action
        box.addButton(QMessageBox.StandardButton.Cancel)

        def clicked(button: QAbstractButton) -> None:
            self.confirmation = None
            action = actions.get(button)
            if action is not None:
                action()

        box.buttonClicked.connect(clicked)
        box.finished.connect(lambda _r: setattr(self, "confirmation", None))
        self.confirmation = box
        box.open()

    def _busy(self, busy: bool) -> None:
        for b in (self.approve_button, self.reject_button, self.rollback_button):
            b.setEnabled(not busy and b.isEnabled())
        if not busy:
            self._selected()

    def _decide(self, work: Callable[[], Any], doing: str) -> None:
        self.status.setText(doing)
        self._busy(True)

        def done(decision: Any) -> None:
            change = decision.change
            text = (
                self.tr("#%1 %2: %3.")
                .replace("%1", str(change.id))
                .replace("%2", self._state(change.status))
                .replace("%3", decision.detail)
            )
            if decision.waiting:
                text += " " + self.tr("%1 is still held by %2 pending change(s).").replace(
                    "%1", change.destination
                ).replace("%2", str(decision.waiting))
            if decision.run is not None:
                text += " " + self.tr("The sync ran: %1, %2 rows read.").replace(
                    "%1", status_text(decision.run.status)
                ).replace("%2", format_int(decision.run.rows_read))
            self.status.setText(text)
            self.decided.emit()
            self.reload()

        def failed(error: BaseException) -> None:
            self._failed(error)
            self.decided.emit()
            self.reload()

        submit(work, on_done=done, on_failed=failed, owner=self)

    def approve(self) -> None:
        item = self.selected()
        if item is None or item.status != "pending":
            return
        root, ws, change_id = self.project_root, self.workspace, item.id

        def go(run: bool) -> None:
            self._decide(
                lambda: approve_schema_change(
                    root, change_id, run=run, trigger="gui", workspace=ws
                ),
                self.tr("Applying the change to %1…").replace("%1", item.destination),
            )

        self._confirm(
            self.tr("Approve schema change"),
            self.tr(
                "Apply this change to %1: %2 %3? The rows held since it was detected arrive "
                "with the next run of %4."
            )
            .replace("%1", item.destination)
            .replace("%2", self._kind(item.kind))
            .replace("%3", self._change(item))
            .replace("%4", item.sync),
            [
                (self.tr("Approve"), lambda: go(False)),
                (self.tr("Approve and run now"), lambda: go(True)),
            ],
        )

    def reject_change(self) -> None:
        item = self.selected()
        if item is None or item.status != "pending":
            return
        root, ws, change_id = self.project_root, self.workspace, item.id

        def go(fallback: str) -> None:
            self._decide(
                lambda: reject_schema_change(root, change_id, fallback=fallback, workspace=ws),
                self.tr("Rejecting…"),
            )

        self._confirm(
            self.tr("Reject schema change"),
            self.tr(
                "Leave %1 as it is? Discard: the sync goes on without the change (a new "
                "column left out, a type kept). Freeze: the sync refuses to write %1 while "
                "the source differs."
            ).replace("%1", item.destination),
            [
                (self.tr("Reject and discard"), lambda: go("discard")),
                (self.tr("Reject and freeze"), lambda: go("freeze")),
            ],
        )

    def roll_back(self) -> None:
        item = self.selected()
        if item is None or item.status != "approved":
            return
        root, ws, change_id = self.project_root, self.workspace, item.id
        self._confirm(
            self.tr("Roll back schema change"),
            self.tr(
                "Undo %1 in %2? It is refused, with nothing changed, when data would be lost "
                "(a column that holds values, a value the old type cannot hold)."
            )
            .replace("%1", self._change(item))
            .replace("%2", item.destination),
            [
                (
                    self.tr("Roll back"),
                    lambda: self._decide(
                        lambda: rollback_schema_change(root, change_id, workspace=ws),
                        self.tr("Rolling back…"),
                    ),
                )
            ],
        )
