"""The syncs window: a project's syncs with their last run; new, edit, delete, run, cancel.

Loading the list, saving, deleting and running all happen on worker threads; a run's events
arrive through a signal and are written to the log while the window stays responsive.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.catalog import ConnectionRole, connection_roles
from app.services.errors import describe
from app.services.sync_status import sync_overview
from app.services.syncs import (
    CancelToken,
    delete_sync_definition,
    load_sync_definition,
    run_sync,
)
from app.services.workspace import Workspace
from app.ui.curl import attach_menu, build_menu, copy_curl
from app.ui.i18n import format_int
from app.ui.icons import icon
from app.ui.syncs.events import EventFormatter
from app.ui.syncs.models import SyncListModel
from app.ui.syncs.wizard import SyncWizard
from app.ui.workers import emitter, run_busy, submit

__all__ = ["SyncsDialog"]


class _Relay(QObject):
    """Carries a run's events from the worker thread to the dialog."""

    happened = Signal(object)


class SyncsDialog(QDialog):
    """The syncs of the project in ``project_root``: list, define, run.

    Args:
        project_root: The project directory.
        project_name: Shown in the title.
        parent: Parent widget.
    """

    #: the list was (re)loaded from the project and the metadata DB
    loaded = Signal()
    #: a run ended: (sync name, status: succeeded, failed or cancelled)
    run_finished = Signal(str, str)

    def __init__(
        self,
        project_root: Path,
        project_name: str,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = Path(project_root)
        self.project_name = project_name
        #: where runs are recorded: the editor's metadata DB (``cauce --db``), not the default
        self.workspace = workspace or Workspace.open()
        self.roles: list[ConnectionRole] = []
        self.running: str | None = None
        self._token: CancelToken | None = None
        self._close_after_run = False
        self._select_after_load: str | None = None
        #: the wizard open now, if any
        self.wizard: SyncWizard | None = None
        self._relay = _Relay(self)
        self.formatter = EventFormatter(self)
        self._relay.happened.connect(self._event)
        self.setWindowTitle(self.tr("Syncs — %1").replace("%1", project_name))
        self.setWindowIcon(icon("pipeline"))
        self._build()
        self._update_enabled()
        self.reload()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.model = SyncListModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SyncListModel.ROUTE, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._update_enabled)
        self.view.doubleClicked.connect(self.edit_sync)
        attach_menu(self.view, self.context_menu)
        self.empty_label = QLabel(self.tr("No sync yet. “New…” defines one."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.new_button = self._button("add", self.tr("New…"), self.new_sync)
        self.edit_button = self._button("rename", self.tr("Edit…"), self.edit_sync)
        self.delete_button = self._button("remove", self.tr("Delete"), self.delete_sync)
        self.run_button = self._button("run", self.tr("Run now"), self.run_selected)
        self.cancel_button = self._button("cancel", self.tr("Cancel"), self.cancel_run)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.addWidget(self.view, 1)
        top_box.addWidget(self.empty_label)
        top_box.addLayout(buttons)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.progress.hide()
        self.status_icon = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignTop)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setPlaceholderText(self.tr("The events of a run appear here."))
        self.log.setMaximumBlockCount(5_000)
        bottom = QWidget()
        bottom_box = QVBoxLayout(bottom)
        bottom_box.setContentsMargins(0, 0, 0, 0)
        bottom_box.addLayout(status_row)
        bottom_box.addWidget(self.log, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.buttons)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 120, line * 34)

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(icon(name), text)
        button.clicked.connect(slot)
        button.setAutoDefault(False)
        return button

    def selected_name(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).name if rows else None

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.view.selectRow(row)

    def _update_enabled(self) -> None:
        chosen = self.selected_name() is not None
        idle = self.running is None
        self.edit_button.setEnabled(chosen and idle)
        self.delete_button.setEnabled(chosen and idle)
        self.run_button.setEnabled(chosen and idle)
        self.new_button.setEnabled(idle)
        self.cancel_button.setEnabled(
            not idle and self._token is not None and not self._token.cancelled
        )
        has_rows = self.model.rowCount() > 0
        self.empty_label.setVisible(not has_rows)

    def set_status(self, level: str, text: str) -> None:
        self.status.setText(text)
        self.status_icon.setPixmap(icon(level).pixmap(18, 18) if level and text else QPixmap())

    def context_menu(self) -> QMenu:
        """The selected sync's menu: run it, or copy the API request that runs it."""
        name = self.selected_name()
        return build_menu(
            self,
            [
                ("runSync", self.tr("&Run"), self.run_selected, name is not None),
                ("copyRunCurl", self.tr("Copy run as c&url"), self._copy_curl, name is not None),
            ],
        )

    def _copy_curl(self) -> None:
        name = self.selected_name()
        if name is not None:
            copy_curl("run_sync", name=name)
            self.set_status(
                "info",
                self.tr("Copied a curl command that runs “%1” on the server.").replace("%1", name),
            )

    @property
    def status_text(self) -> str:
        return self.status.text()

    # -- loading ----------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Read the syncs, their last runs and the project's connections on a worker thread."""
        self._select_after_load = select or self.selected_name()
        root = self.project_root
        submit(
            lambda: (sync_overview(root, workspace=self.workspace), connection_roles(root)),
            on_done=self._loaded,
            on_failed=self._load_failed,
            owner=self,
        )

    def _loaded(self, result: object) -> None:
        assert isinstance(result, tuple)
        overview, self.roles = result
        self.model.set_rows(overview)
        if self._select_after_load:
            self.select(self._select_after_load)
        elif overview:
            self.view.selectRow(0)
        self._update_enabled()
        self.loaded.emit()

    def _load_failed(self, error: object) -> None:
        self.set_status(
            "error", describe(error) if isinstance(error, BaseException) else str(error)
        )
        self.loaded.emit()

    # -- defining ---------------------------------------------------------------------------
    def new_sync(self) -> None:
        """Open the wizard for a new sync."""
        self._open_wizard(SyncWizard(self.project_root, self.roles, None, self))

    def edit_sync(self) -> None:
        """Open the wizard on the selected sync."""
        name = self.selected_name()
        if name is None or self.running is not None:
            return
        root = self.project_root
        try:
            definition = run_busy(
                self, self.tr("Opening the sync…"), lambda: load_sync_definition(root, name)
            )
        except Exception as err:  # noqa: BLE001 - shown, nothing changes
            self.set_status("error", describe(err))
            return
        self._open_wizard(SyncWizard(self.project_root, self.roles, definition, self))

    def _open_wizard(self, wizard: SyncWizard) -> None:
        self.wizard = wizard
        wizard.saved.connect(self._saved)
        wizard.finished.connect(self._wizard_closed)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()

    @Slot(int)
    def _wizard_closed(self, _result: int) -> None:
        self.wizard = None

    @Slot(str, str)
    def _saved(self, name: str, path: str) -> None:
        self.set_status(
            "success", self.tr("Saved “%1” to %2.").replace("%1", name).replace("%2", path)
        )
        self.reload(select=name)

    def delete_sync(self) -> None:
        """Delete the selected sync's file after asking."""
        name = self.selected_name()
        if name is None:
            return
        answer = self.ask_delete(name)
        if answer != QMessageBox.StandardButton.Yes:
            return
        root = self.project_root
        try:
            run_busy(self, self.tr("Deleting…"), lambda: delete_sync_definition(root, name))
        except Exception as err:  # noqa: BLE001 - shown, nothing changes
            self.set_status("error", describe(err))
            return
        self.set_status("info", self.tr("Deleted “%1”.").replace("%1", name))
        self.reload()

    def ask_delete(self, name: str) -> QMessageBox.StandardButton:
        """Ask whether to delete ``name`` (tests replace this)."""
        return QMessageBox.question(
            self,
            self.tr("Delete sync"),
            self.tr(
                "Delete the sync “%1”? Its file is removed from the project; the tables "
                "it wrote are kept."
            ).replace("%1", name),
        )

    # -- running ----------------------------------------------------------------------------
    def run_selected(self) -> None:
        """Run the selected sync on a worker thread; its events go to the log."""
        name = self.selected_name()
        if name is None or self.running is not None:
            return
        self.running, self._token = name, CancelToken()
        token, root = self._token, self.project_root
        forward = emitter(self._relay, self._relay.happened)
        self.model.set_running(name)
        self.log.clear()
        self.formatter.reset()
        self.progress.show()
        self.set_status("info", self.tr("Running “%1”…").replace("%1", name))
        self.destroyed.connect(token.cancel)  # a window destroyed mid-run stops its run
        self._started = time.monotonic()
        submit(
            lambda: run_sync(
                root,
                name,
                trigger="gui",
                cancel=token,
                on_event=forward,
                workspace=self.workspace,
            ),
            on_done=self._run_done,
            on_failed=self._run_failed,
            owner=self,
        )
        self._update_enabled()

    def cancel_run(self) -> None:
        """Ask the running sync to stop (it rolls back the write in progress)."""
        if self._token is not None and not self._token.cancelled:
            self._token.cancel()
            self.set_status(
                "warning", self.tr("Cancelling “%1”…").replace("%1", self.running or "")
            )
            self._update_enabled()

    @Slot(object)
    def _event(self, event: object) -> None:
        line = self.formatter.line(event)
        if line:
            self.log.appendPlainText(line)
        progress = self.formatter.progress_text
        if progress and self.running:
            self.set_status(
                "info",
                self.tr("Running “%1”: %2").replace("%1", self.running).replace("%2", progress),
            )

    def _run_done(self, report: object) -> None:
        status = str(getattr(report, "status", "failed"))
        error = getattr(report, "error", None)
        rows = int(getattr(report, "rows_read", 0) or 0)
        held = len(getattr(report, "held", ()) or ())
        if status == "succeeded" and held:
            self._finish_run(
                status,
                "warning",
                self.tr(
                    "“%1”: %2 destination(s) held by schema changes waiting for review "
                    "(Monitor > Schema changes)."
                )
                .replace("%1", self.running or "")
                .replace("%2", str(held)),
            )
            return
        level = {"succeeded": "success", "cancelled": "warning"}.get(status, "error")
        text = {
            "succeeded": self.tr("“%1” succeeded: %2 rows read."),
            "cancelled": self.tr("“%1” was cancelled; nothing of the interrupted write was kept."),
        }.get(status, self.tr("“%1” failed: %3"))
        self._finish_run(
            status,
            level,
            text.replace("%1", self.running or "")
            .replace("%2", format_int(rows))
            .replace("%3", str(error or "")),
        )

    def _run_failed(self, error: object) -> None:
        message = describe(error) if isinstance(error, BaseException) else str(error)
        self.log.appendPlainText(message)
        self._finish_run(
            "failed",
            "error",
            self.tr("“%1” could not run: %2")
            .replace("%1", self.running or "")
            .replace("%2", message),
        )

    def _finish_run(self, status: str, level: str, text: str) -> None:
        name = self.running or ""
        self.running, self._token = None, None
        self.model.set_running(None)
        self.progress.hide()
        self.set_status(level, text)
        self._update_enabled()
        self.reload(select=name)
        self.run_finished.emit(name, status)
        if self._close_after_run:
            super().reject()

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Close; a running sync is cancelled first and the window closes when it stops."""
        if self.running is not None:
            self._close_after_run = True
            self.cancel_run()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.running is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
