"""The retention policy editor: which table and date column, how many days are kept, when it
runs, how it archives.

Each edit rebuilds the policy through :func:`app.services.retention.make_policy`; a field that
is wrong is named under the form and Save stays disabled. Save checks the policy against its
database (:func:`~app.services.retention.save_policy`, on a worker thread: the table must exist
and the column be a date or a timestamp) and reports a refusal in the same place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.retention import RetentionPolicy, make_policy, save_policy
from app.services.workspace import Workspace
from app.ui.workers import submit

__all__ = ["PolicyEditor"]

ERROR_STYLE = "color: #e5534b;"


class PolicyEditor(QDialog):
    """Define a new retention policy, or change one (its name then stays).

    Args:
        project_root: The project the policy belongs to.
        connections: The project's connection names.
        policy: The policy to change; None for a new one.
    """

    #: saved (the policy's name)
    saved = Signal(str)
    #: a save was answered (saved or refused): tests wait for it
    answered = Signal()

    def __init__(
        self,
        project_root: Path,
        connections: list[str],
        policy: RetentionPolicy | None = None,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = Path(project_root)
        self.workspace = workspace
        self.editing = policy
        self.policy: RetentionPolicy | None = None
        self.setWindowTitle(
            self.tr("Edit retention policy") if policy else self.tr("New retention policy")
        )
        self._build(connections)
        self._load(policy)
        self.refresh()

    def _build(self, connections: list[str]) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. old-invoices"))
        self.connection_combo = QComboBox()
        self.connection_combo.addItems(connections)
        self.table_edit = QLineEdit()
        self.table_edit.setPlaceholderText(self.tr("table or schema.table"))
        self.column_edit = QLineEdit()
        self.column_edit.setPlaceholderText(self.tr("a date or timestamp column"))
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 36_600)
        self.days_spin.setSuffix(self.tr(" days"))
        self.days_spin.setToolTip(
            self.tr("Rows dated before midnight (UTC) this many days ago are archived and deleted")
        )
        self.daily_box = QCheckBox(self.tr("Every day at"))
        self.time_edit = QTimeEdit(QTime(2, 30))
        self.time_edit.setDisplayFormat("HH:mm")
        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.addItems(sorted(available_timezones()))
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        when = QHBoxLayout()
        when.addWidget(self.daily_box)
        when.addWidget(self.time_edit)
        when.addWidget(self.zone_combo, 1)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 100_000)
        self.batch_spin.setSuffix(self.tr(" rows"))
        self.batch_spin.setToolTip(
            self.tr("Rows archived and deleted per transaction: small batches hold locks briefly")
        )
        self.encrypt_box = QCheckBox(self.tr("Encrypt the archive files (the project's key)"))
        self.archive_edit = QLineEdit()
        self.archive_edit.setPlaceholderText(self.tr("default: archives/ in the user data folder"))
        self.enabled_box = QCheckBox(self.tr("Enabled"))

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Connection:"), self.connection_combo)
        form.addRow(self.tr("&Table:"), self.table_edit)
        form.addRow(self.tr("&Date column:"), self.column_edit)
        form.addRow(self.tr("&Keep:"), self.days_spin)
        runs_label = QLabel(self.tr("&When:"))
        runs_label.setBuddy(self.daily_box)  # Alt+W focuses the row's first field
        form.addRow(runs_label, when)
        form.addRow(self.tr("&Batches of:"), self.batch_spin)
        form.addRow(self.tr("&Archive to:"), self.archive_edit)
        form.addRow("", self.encrypt_box)
        form.addRow("", self.enabled_box)
        self.error_label = QLabel()
        self.error_label.setObjectName("retentionError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.error_label)
        outer.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

        for edit in (self.name_edit, self.table_edit, self.column_edit, self.archive_edit):
            edit.textChanged.connect(self.refresh)
        self.connection_combo.currentIndexChanged.connect(self.refresh)
        self.zone_combo.currentTextChanged.connect(self.refresh)
        for spin in (self.days_spin, self.batch_spin):
            spin.valueChanged.connect(self.refresh)
        self.time_edit.timeChanged.connect(self.refresh)
        for box in (self.daily_box, self.encrypt_box, self.enabled_box):
            box.toggled.connect(self.refresh)
        self.daily_box.toggled.connect(self.time_edit.setEnabled)
        self.daily_box.toggled.connect(self.zone_combo.setEnabled)

    def _load(self, p: RetentionPolicy | None) -> None:
        if p is None:
            self.days_spin.setValue(365)
            self.batch_spin.setValue(1000)
            self.zone_combo.setCurrentText("UTC")
            self.enabled_box.setChecked(True)
            self.daily_box.setChecked(True)
            return
        self.name_edit.setText(p.name)
        self.name_edit.setReadOnly(True)
        self.connection_combo.setCurrentText(p.connection)
        self.table_edit.setText(p.table)
        self.column_edit.setText(p.date_column)
        self.days_spin.setValue(p.keep_days)
        self.daily_box.setChecked(p.run_at is not None)
        if p.run_at:
            self.time_edit.setTime(QTime.fromString(p.run_at, "HH:mm"))
        self.time_edit.setEnabled(p.run_at is not None)
        self.zone_combo.setEnabled(p.run_at is not None)
        self.zone_combo.setCurrentText(p.timezone)
        self.batch_spin.setValue(p.batch_rows)
        self.encrypt_box.setChecked(p.encrypt)
        self.archive_edit.setText(p.archive_dir or "")
        self.enabled_box.setChecked(p.enabled)

    def fields(self) -> dict[str, Any]:
        """The form as :func:`make_policy`'s arguments."""
        return {
            "name": self.name_edit.text().strip(),
            "connection": self.connection_combo.currentText(),
            "table": self.table_edit.text().strip(),
            "date_column": self.column_edit.text().strip(),
            "keep_days": self.days_spin.value(),
            "run_at": self.time_edit.time().toString("HH:mm")
            if self.daily_box.isChecked()
            else None,
            "timezone": self.zone_combo.currentText().strip() or "UTC",
            "batch_rows": self.batch_spin.value(),
            "encrypt": self.encrypt_box.isChecked(),
            "archive_dir": self.archive_edit.text().strip() or None,
            "enabled": self.enabled_box.isChecked(),
        }

    def _problem(self, text: str) -> None:
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setText(text)
        self.error_label.show()

    def refresh(self) -> None:
        """Rebuild the policy from the form; name what is wrong."""
        self.policy = None
        values = self.fields()
        missing = [
            label
            for key, label in (
                ("name", self.tr("a name")),
                ("connection", self.tr("a connection")),
                ("table", self.tr("a table")),
                ("date_column", self.tr("a date column")),
            )
            if not values[key]
        ]
        try:
            if missing:
                raise ValueError(self.tr("Give %1.").replace("%1", ", ".join(missing)))
            policy = make_policy(**values)
        except ValueError as err:
            self._problem(describe(err))
            self.save_button.setEnabled(False)
            return
        self.policy = policy
        self.error_label.clear()
        self.error_label.hide()
        self.save_button.setEnabled(True)

    def save(self) -> None:
        """Check the policy against its database and save it (off the GUI thread)."""
        policy = self.policy
        if policy is None:
            return
        root, ws, replace = self.project_root, self.workspace, self.editing is not None
        self.save_button.setEnabled(False)
        self.error_label.setStyleSheet("")
        self.error_label.setText(self.tr("Checking the table…"))
        self.error_label.show()

        def work() -> bool:
            return save_policy(root, policy, replace=replace, workspace=ws)

        submit(work, on_done=lambda _new: self._saved(policy), on_failed=self._refused, owner=self)

    def _saved(self, policy: RetentionPolicy) -> None:
        self.saved.emit(policy.name)
        self.answered.emit()
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._problem(describe(error))
        self.save_button.setEnabled(True)
        self.answered.emit()
