"""The compliance panel: the project's data-subject requests (kind, state, deadline, subject)
and, for the one selected, where the subject is (rows per table, found by tags and lineage),
an export of their data, and their erasure after a confirmation.

Every action calls :mod:`app.services.gdpr` (the CLI's ``cauce gdpr``) on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.gdpr import (
    close_request,
    erase_subject,
    export_subject,
    find_subject,
    list_requests,
    register_request,
    verify_audit,
)
from app.services.privacy import list_tags
from app.services.workspace import Workspace
from app.ui.compliance.request_form import RequestForm
from app.ui.icons import icon
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.workers import submit

__all__ = ["ComplianceDialog"]

#: request states -> the colours of the monitoring lists (open requests wait: amber)
_STATE_COLORS = {"open": "open", "in_progress": "running", "done": "succeeded", "overdue": "failed"}


class ComplianceDialog(QDialog):
    """The data-subject requests of the project in ``project_root``.

    Signals:
        loaded: the list of requests was (re)loaded.
        acted: an action (register, find, export, erase, close, verify) ended and the list
            was reloaded; the status line says how it went.
    """

    loaded = Signal()
    acted = Signal()

    def __init__(
        self,
        project_root: Path,
        project_name: str,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root, self.project_name = Path(project_root), project_name
        self.workspace = workspace or Workspace.open()
        self.found: Any = None
        self.form: RequestForm | None = None
        #: where an export goes (a file dialog; tests give their own)
        self.ask_archive: Callable[[int], str] = self._ask_archive
        #: the confirmation before erasing (tests may answer it themselves)
        self.confirm_erase: Callable[[str], bool] = self._confirm_erase
        self.setWindowTitle(self.tr("Compliance — %1").replace("%1", project_name))
        self.setWindowIcon(icon("warning"))
        self._build()
        self.reload()

    # -- layout -------------------------------------------------------------------------------
    def _texts(self) -> tuple[dict[str, str], dict[str, str]]:
        kinds = {
            "access": self.tr("access"),
            "portability": self.tr("portability"),
            "erasure": self.tr("erasure"),
            "rectification": self.tr("rectification"),
        }
        states = {
            "open": self.tr("open"),
            "in_progress": self.tr("in progress"),
            "done": self.tr("done"),
            "overdue": self.tr("overdue"),
        }
        return kinds, states

    def _build(self) -> None:
        kinds, states = self._texts()
        self.model = RowsModel(
            [
                Column("#", lambda r: str(r.id), align_right=True),
                Column(self.tr("Kind"), lambda r: kinds.get(r.kind, r.kind)),
                Column(
                    self.tr("State"),
                    lambda r: states.get(r.state, r.state),
                    lambda r: _STATE_COLORS.get(r.state, ""),
                ),
                Column(self.tr("Due"), lambda r: local_time(r.due_at)[:10]),
                Column(self.tr("Subject"), lambda r: ", ".join(r.subject)),
                Column(self.tr("Registered"), lambda r: local_time(r.created_at)),
                Column(self.tr("Note"), lambda r: r.note),
            ],
            self,
        )
        self.view = table_view(self.model, stretch=4)
        self.view.setObjectName("requestsView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.empty_label = QLabel(self.tr("No request yet. “New request…” registers one."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_button = self._button("add", self.tr("&New request…"), self.new_request)
        self.find_button = self._button("preview", self.tr("&Find"), self.find)
        self.export_button = self._button("export", self.tr("E&xport…"), self.export)
        self.erase_button = self._button("remove", self.tr("&Erase…"), self.erase)
        self.close_button = self._button("success", self.tr("&Close request…"), self.close_request)
        self.verify_button = self._button("test", self.tr("&Verify audit"), self.verify)
        self.refresh_button = self._button("run", self.tr("Re&fresh"), lambda: self.reload())
        self.erase_button.setToolTip(
            self.tr("Delete or anonymise the subject everywhere; later runs leave them out")
        )
        actions = QHBoxLayout()
        for b in (self.new_button, self.find_button, self.export_button, self.erase_button):
            actions.addWidget(b)
        actions.addWidget(self.close_button)
        actions.addStretch(1)
        actions.addWidget(self.verify_button)
        actions.addWidget(self.refresh_button)
        upper = QWidget()
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        upper_box.addWidget(self.view, 1)
        upper_box.addWidget(self.empty_label)
        upper_box.addLayout(actions)

        self.found_model = RowsModel(
            [
                Column(self.tr("Connection"), lambda t: t.connection),
                Column(self.tr("Table"), lambda t: t.table),
                Column(
                    self.tr("Rows"),
                    lambda t: t.error or str(t.rows),
                    lambda t: "error" if t.error else ("warning" if t.rows else ""),
                    align_right=True,
                ),
                Column(self.tr("Columns"), lambda t: ", ".join(t.columns)),
                Column(self.tr("Written by"), lambda t: ", ".join(t.via)),
                Column(self.tr("On erasure"), lambda t: self._policy_text(t.policy)),
            ],
            self,
        )
        self.found_view = table_view(self.found_model, stretch=3)
        self.found_view.setObjectName("foundView")
        self.found_title = QLabel(self.tr("Where the subject is: select a request and “Find”."))
        lower = QWidget()
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        lower_box.addWidget(self.found_title)
        lower_box.addWidget(self.found_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 150, line * 34)
        self._selected()

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(icon(name), text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _policy_text(self, policy: str) -> str:
        return self.tr("anonymise") if policy == "anonymise" else self.tr("delete")

    # -- the list -----------------------------------------------------------------------------
    def reload(self, then: Callable[[], None] | None = None) -> None:
        root, ws = self.project_root, self.workspace

        def loaded(requests: list[Any]) -> None:
            self._loaded(requests)
            if then is not None:
                then()

        submit(
            lambda: list_requests(root, workspace=ws),
            on_done=loaded,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, requests: list[Any]) -> None:
        chosen = self.selected()
        self.model.set_rows(requests)
        self.empty_label.setVisible(not requests)
        for row, request in enumerate(requests):
            if chosen is not None and request.id == chosen.id:
                self.view.selectRow(row)
        self._selected()
        self.loaded.emit()

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        request = self.selected()
        open_ = request is not None and request.state != "done"
        for b in (self.find_button, self.export_button, self.close_button):
            b.setEnabled(open_)
        self.erase_button.setEnabled(open_ and request.kind == "erasure")
        if self.found is not None and (request is None or self.found.request.id != request.id):
            self.found = None
            self.found_model.set_rows([])
            self.found_title.setText(self.tr("Where the subject is: select a request and “Find”."))

    # -- actions ------------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for b in (self.find_button, self.export_button, self.erase_button, self.close_button):
            b.setEnabled(False)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        def ok(result: Any) -> None:
            done(result)
            self.reload(then=self.acted.emit)

        submit(work, on_done=ok, on_failed=self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self._selected()
        self.loaded.emit()
        self.acted.emit()

    def new_request(self) -> None:
        try:
            tags = sorted({t.tag for t in list_tags(self.project_root, workspace=self.workspace)})
        except Exception as err:  # noqa: BLE001 - the form still works with the usual tags
            self.status.setText(describe(err))
            tags = []
        self.form = RequestForm(tags, self)
        self.form.accepted.connect(self._register)
        self.form.open()

    def _register(self) -> None:
        form, root, ws = self.form, self.project_root, self.workspace
        assert form is not None
        kind, keys, note = form.kind, form.keys(), form.note
        self._busy(self.tr("Registering…"))
        self._run(
            lambda: register_request(root, kind, keys, note=note, workspace=ws),
            lambda r: self.status.setText(
                self.tr("Request #%1 registered, due %2.")
                .replace("%1", str(r.id))
                .replace("%2", local_time(r.due_at)[:10])
            ),
        )

    def find(self) -> None:
        request = self.selected()
        if request is None:
            return
        root, ws = self.project_root, self.workspace
        self._busy(self.tr("Looking for the subject in every table the project writes…"))
        self._run(lambda: find_subject(root, request.id, workspace=ws), self._show_found)

    def _show_found(self, found: Any) -> None:
        self.found = found
        self.found_model.set_rows(list(found.tables))
        tables = sum(1 for t in found.tables if t.rows)
        self.found_title.setText(
            self.tr("Request #%1: %2 row(s) in %3 table(s).")
            .replace("%1", str(found.request.id))
            .replace("%2", str(found.total))
            .replace("%3", str(tables))
        )
        self.status.setText("; ".join(found.problems))

    def export(self) -> None:
        request = self.selected()
        if request is None:
            return
        target = self.ask_archive(request.id)
        if not target:
            return
        root, ws = self.project_root, self.workspace
        self._busy(self.tr("Exporting…"))
        self._run(
            lambda: export_subject(root, request.id, Path(target), workspace=ws),
            lambda done: self.status.setText(
                self.tr("%1 row(s) of %2 table(s) written to %3")
                .replace("%1", str(done.total))
                .replace("%2", str(len(done.tables)))
                .replace("%3", str(done.archive))
            ),
        )

    def _ask_archive(self, request_id: int) -> str:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the subject's data"),
            str(Path.home() / self.tr("request-%1.zip").replace("%1", str(request_id))),
            self.tr("Zip archives (*.zip)"),
        )
        return name

    def erase(self) -> None:
        request = self.selected()
        if request is None:
            return
        found = (
            self.found if self.found is not None and self.found.request.id == request.id else None
        )
        question = (
            self.tr(
                "Erase the subject of request #%1 from %2 row(s) in %3 table(s)? This cannot be "
                "undone; later syncs and runs will leave them out."
            )
            .replace("%2", str(found.total))
            .replace("%3", str(sum(1 for t in found.tables if t.rows)))
            if found is not None
            else self.tr(
                "Erase the subject of request #%1 from every table the project writes? This "
                "cannot be undone; later syncs and runs will leave them out."
            )
        ).replace("%1", str(request.id))
        if not self.confirm_erase(question):
            return
        root, ws = self.project_root, self.workspace
        self._busy(self.tr("Erasing…"))
        self._run(lambda: erase_subject(root, request.id, workspace=ws), self._erased)

    def _confirm_erase(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Erase the subject"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _erased(self, done: Any) -> None:
        if done.ok:
            self.status.setText(
                self.tr("Request #%1 done: %2 row(s) erased; nothing of the subject is left.")
                .replace("%1", str(done.request.id))
                .replace("%2", str(done.rows))
            )
        else:
            self.status.setText(
                self.tr("Request #%1 is not finished: %2")
                .replace("%1", str(done.request.id))
                .replace("%2", done.request.last_error or "")
            )
        self.found = None
        self.found_model.set_rows(list(done.remaining))
        self.found_title.setText(
            self.tr("Still found after the erasure:")
            if done.remaining
            else self.tr("Searched again after the erasure: nothing of the subject is found.")
        )

    def close_request(self) -> None:
        request = self.selected()
        if request is None:
            return
        note, ok = QInputDialog.getText(
            self, self.tr("Close the request"), self.tr("What was done (kept in the audit):")
        )
        if not ok or not note.strip():
            return
        root, ws = self.project_root, self.workspace
        self._run(
            lambda: close_request(root, request.id, note, workspace=ws),
            lambda r: self.status.setText(self.tr("Request #%1 done.").replace("%1", str(r.id))),
        )

    def verify(self) -> None:
        root, ws = self.project_root, self.workspace

        def show(check: Any) -> None:
            if check.ok:
                self.status.setText(
                    self.tr("%1 audit entries, all signatures valid.").replace(
                        "%1", str(check.entries)
                    )
                )
            else:
                self.status.setText(
                    self.tr("The audit does not verify: %1").replace(
                        "%1", "; ".join(check.problems)
                    )
                )

        self._run(lambda: verify_audit(root, workspace=ws), show)
