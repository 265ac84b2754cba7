"""The retention window: a project's policies (table, days kept, when, last run, next run and
what it will remove) and the proof records of the selected policy's runs.

Lists come from :mod:`app.services.retention` on a worker thread; "will remove" is a dry-run
count asked of each policy's database afterwards (:func:`preview_policies`, at the policy's next
daily run, or now for an on-demand one). Run now asks first, then runs the policy through
:func:`app.services.retention_runs.run_policies` — the code ``cauce retention run`` runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.retention import (
    Preview,
    list_policies,
    list_runs,
    preview_policies,
    remove_policy,
)
from app.services.retention_runs import run_policies
from app.services.workspace import Workspace
from app.ui.icons import icon
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.retention.editor import PolicyEditor
from app.ui.workers import submit

__all__ = ["RetentionDialog"]


class RetentionDialog(QDialog):
    """The retention policies of the project in ``project_root``."""

    #: the policies and runs were (re)loaded
    loaded = Signal()
    #: the "will remove" counts arrived
    previewed = Signal()
    #: a run started from here ended (or failed to start)
    ran = Signal()

    def __init__(
        self,
        project_root: Path,
        project_name: str,
        connections: list[str],
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root, self.project_name = Path(project_root), project_name
        self.connections = connections
        self.workspace = workspace or Workspace.open()
        self.runs: list[Any] = []
        self.previews: dict[str, Preview | None] = {}
        self.editor: PolicyEditor | None = None
        self.running = False
        #: what the status line says once the lists are loaded (a run's outcome)
        self.notice = ""
        self.setWindowTitle(self.tr("Retention — %1").replace("%1", project_name))
        self.setWindowIcon(icon("remove"))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.model = RowsModel(
            [
                Column(self.tr("Policy"), self._name_text),
                Column(self.tr("Table"), self._table_text),
                Column(self.tr("Keeps"), self._keep_text),
                Column(self.tr("When"), self._when_text),
                Column(self.tr("Next run"), self._next_text),
                Column(self.tr("Next run removes"), self._removes_text, self._removes_status),
                Column(self.tr("Last run"), self._last_text, self._last_status, self._last_tip),
            ],
            self,
        )
        self.view = table_view(self.model, stretch=6)
        self.view.setObjectName("policiesView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(self.edit_policy)
        self.empty_label = QLabel(self.tr("No retention policy yet. “New…” defines one."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_button = self._button("add", self.tr("&New…"), self.new_policy)
        self.edit_button = self._button("rename", self.tr("&Edit…"), self.edit_policy)
        self.delete_button = self._button("remove", self.tr("&Delete"), self.delete_policy)
        self.run_button = self._button("run", self.tr("R&un now"), self.run_now)
        self.refresh_button = self._button("preview", self.tr("&Refresh"), self.reload)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button, self.run_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.addWidget(self.view, 1)
        top_box.addWidget(self.empty_label)
        top_box.addLayout(buttons)

        self.run_model = RowsModel(
            [
                Column(self.tr("Run"), lambda r: str(r.id), align_right=True),
                Column(self.tr("Started"), lambda r: local_time(r.started_at)),
                Column(self.tr("By"), self._by_text),
                Column(self.tr("Cutoff"), lambda r: r.cutoff.date().isoformat()),
                Column(self.tr("Archived"), lambda r: str(r.rows_archived), align_right=True),
                Column(self.tr("Deleted"), lambda r: str(r.rows_deleted), align_right=True),
                Column(self.tr("Files"), lambda r: str(len(r.files)), align_right=True),
                Column(self.tr("Status"), lambda r: r.status, lambda r: r.status),
                Column(self.tr("Archive / error"), self._detail_text, tooltip=self._files_tip),
            ],
            self,
        )
        self.run_view = table_view(self.run_model)
        self.run_view.setObjectName("retentionRunsView")
        self.runs_title = QLabel(self.tr("Runs"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        bottom = QWidget()
        bottom_box = QVBoxLayout(bottom)
        bottom_box.setContentsMargins(0, 0, 0, 0)
        bottom_box.addWidget(self.runs_title)
        bottom_box.addWidget(self.run_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 150, line * 34)
        self._update_enabled()

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(icon(name), text)
        button.clicked.connect(lambda _c=False: slot())
        button.setAutoDefault(False)
        return button

    # -- texts --------------------------------------------------------------------------------
    def _name_text(self, s: Any) -> str:
        return (
            s.policy.name
            if s.policy.enabled
            else self.tr("%1 (disabled)").replace("%1", s.policy.name)
        )

    def _table_text(self, s: Any) -> str:
        p = s.policy
        return f"{p.connection} · {p.table} · {p.date_column}"

    def _keep_text(self, s: Any) -> str:
        text = self.tr("%1 days").replace("%1", str(s.policy.keep_days))
        return text + (" 🔒" if s.policy.encrypt else "")

    def _when_text(self, s: Any) -> str:
        p = s.policy
        if p.run_at is None:
            return self.tr("on demand")
        return self.tr("daily %1 %2").replace("%1", p.run_at).replace("%2", p.timezone)

    def _last_text(self, s: Any) -> str:
        r = s.last_run
        if r is None:
            return self.tr("never")
        return self.tr("%1, %2 deleted").replace("%1", r.status).replace("%2", str(r.rows_deleted))

    def _last_tip(self, s: Any) -> str:
        r = s.last_run
        if r is None:
            return self.tr("never")
        return (
            self.tr("Run %1, started %2")
            .replace("%1", str(r.id))
            .replace("%2", local_time(r.started_at))
        )

    def _last_status(self, s: Any) -> str:
        return s.last_run.status if s.last_run else ""

    def _next_text(self, s: Any) -> str:
        return s.next_run.astimezone().strftime("%Y-%m-%d %H:%M") if s.next_run else "—"

    def _removes_text(self, s: Any) -> str:
        if s.policy.name not in self.previews:
            return self.tr("counting…")
        found = self.previews[s.policy.name]
        if found is None or found.error:
            return self.tr("cannot count: %1").replace("%1", (found.error or "") if found else "")
        return (
            self.tr("%1 rows before %2")
            .replace("%1", str(found.rows))
            .replace("%2", found.cutoff.date().isoformat())
        )

    def _removes_status(self, s: Any) -> str:
        found = self.previews.get(s.policy.name)
        return "error" if found is not None and found.error else ""

    def _by_text(self, r: Any) -> str:
        trigger = self.tr("scheduler") if r.trigger == "schedule" else self.tr("by hand")
        return f"{r.requested_by} ({trigger})"

    def _detail_text(self, r: Any) -> str:
        return r.error or r.archive_dir

    def _files_tip(self, r: Any) -> str:
        lines = [r.archive_dir] + [f"{f.file_name}  {f.rows}  sha256:{f.sha256}" for f in r.files]
        return "\n".join(lines + ([r.error] if r.error else []))

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        root, ws = self.project_root, self.workspace

        def load() -> tuple[list[Any], list[Any]]:
            return list_policies(root, workspace=ws), list_runs(root, limit=500, workspace=ws)

        self.status.setText(self.tr("Loading…"))
        submit(load, on_done=self._loaded, on_failed=self._failed, owner=self)

    def _loaded(self, result: tuple[list[Any], list[Any]]) -> None:
        chosen = self.selected_name()
        policies, self.runs = result
        self.previews = {}
        self.model.set_rows(policies)
        self.empty_label.setVisible(not policies)
        self.status.setText(self.notice)
        for row, s in enumerate(policies):
            if s.policy.name == chosen:
                self.view.selectRow(row)
        self._selected()
        self.loaded.emit()
        self._count(policies)

    def _count(self, policies: list[Any]) -> None:
        """Ask each policy's database what its next run would remove."""
        root, ws = self.project_root, self.workspace
        asks = [(s.policy.name, s.next_run) for s in policies]

        def count() -> dict[str, Preview | None]:
            found: dict[str, Preview | None] = {}
            for name, at in asks:
                [found[name]] = preview_policies(root, [name], now=at, workspace=ws)
            return found

        if asks:
            submit(count, on_done=self._counted, on_failed=self._count_failed, owner=self)

    def _counted(self, found: dict[str, Preview | None]) -> None:
        self.previews = found
        top, bottom = self.model.index(0, 5), self.model.index(len(self.model.rows) - 1, 5)
        self.model.dataChanged.emit(top, bottom, [])
        self.previewed.emit()

    def _count_failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.previewed.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    def selected_name(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).policy.name if rows else None

    def _selected(self) -> None:
        name = self.selected_name()
        self.run_model.set_rows([r for r in self.runs if name is None or r.policy == name])
        self.runs_title.setText(
            self.tr("Runs of “%1”").replace("%1", name) if name else self.tr("Runs (all policies)")
        )
        self._update_enabled()

    def _update_enabled(self) -> None:
        chosen = self.selected_name() is not None
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(chosen)
        self.run_button.setEnabled(chosen and not self.running)

    # -- actions ------------------------------------------------------------------------------
    def _open_editor(self, policy: Any | None) -> None:
        self.editor = PolicyEditor(
            self.project_root, self.connections, policy, self, workspace=self.workspace
        )
        self.editor.saved.connect(lambda _n: self.reload())
        self.editor.open()

    def new_policy(self) -> None:
        self._open_editor(None)

    def edit_policy(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._open_editor(self.model.row_at(rows[0].row()).policy)

    def ask(self, title: str, text: str) -> bool:
        """Ask the user to confirm (tests answer for them)."""
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def delete_policy(self) -> None:
        name = self.selected_name()
        if name is None or not self.ask(
            self.tr("Delete retention policy"),
            self.tr("Delete the policy “%1”? Its runs and archives stay.").replace("%1", name),
        ):
            return
        try:
            remove_policy(self.project_root, name, workspace=self.workspace)
        except Exception as err:  # noqa: BLE001 - shown where the user is looking
            self.status.setText(describe(err))
            return
        self.reload()

    def run_now(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        found = self.previews.get(name)
        rows = str(found.rows) if found is not None and not found.error else "?"
        question = (
            self.tr(
                "Run “%1” now? Rows older than its cutoff (%2 counted) are archived, then deleted."
            )
            .replace("%1", name)
            .replace("%2", rows)
        )
        if not self.ask(self.tr("Run retention now"), question):
            return
        root, ws = self.project_root, self.workspace
        self.running = True
        self._update_enabled()
        self.status.setText(self.tr("Running “%1”…").replace("%1", name))

        def work() -> Any:
            return run_policies(root, [name], now=datetime.now(UTC), workspace=ws)[0]

        submit(work, on_done=self._ran, on_failed=self._run_failed, owner=self)

    def _ran(self, report: Any) -> None:
        self.running = False
        if report.ok:
            text = (
                self.tr("“%1”: %2 rows archived and deleted.")
                .replace("%1", report.policy)
                .replace("%2", str(report.rows_deleted))
            )
        else:
            text = (
                self.tr("“%1” %2: %3")
                .replace("%1", report.policy)
                .replace("%2", report.status)
                .replace("%3", report.error or "")
            )
        self.notice = text
        self.reload()
        self.ran.emit()

    def _run_failed(self, error: BaseException) -> None:
        self.running = False
        self._update_enabled()
        self.status.setText(describe(error))
        self.ran.emit()
