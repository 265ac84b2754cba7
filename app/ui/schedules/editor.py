"""The schedule editor: what runs, when, in which time zone, and its explicit policies.

Each edit rebuilds the definition through :func:`app.services.schedules.make_definition` and
asks :func:`~app.services.schedules.preview_schedule` for the next five runs (the service the
CLI's ``--dry-run`` uses; no time arithmetic here). An invalid field is named under the form
and Save stays disabled; Save writes ``schedules/<name>.json`` through
:func:`~app.services.schedules.add_schedule`, which checks it against the project again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.schedules import (
    ScheduleDefinition,
    add_schedule,
    make_definition,
    preview_schedule,
)
from app.ui.i18n import ui_locale

__all__ = ["ScheduleEditor"]

TRIGGERS = ("cron", "every", "at", "after")
ERROR_STYLE = "color: #e5534b;"


def _every_text(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


class ScheduleEditor(QDialog):
    """Define a new schedule, or change one (its name then stays).

    Args:
        project_root: The project directory the schedule is saved in.
        pipelines, syncs: What can be scheduled (names).
        schedules: The other schedules (for "after").
        definition: The schedule to change; None for a new one.
    """

    saved = Signal(str)

    def __init__(
        self,
        project_root: Path,
        pipelines: list[str],
        syncs: list[str],
        schedules: list[str],
        definition: ScheduleDefinition | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = Path(project_root)
        self.pipelines, self.syncs = pipelines, syncs
        self.editing = definition
        self.definition: ScheduleDefinition | None = None
        self.setWindowTitle(self.tr("Edit schedule") if definition else self.tr("New schedule"))
        self._build(schedules, definition)
        self._load(definition)
        self.refresh()

    # -- layout -------------------------------------------------------------------------------
    def _build(self, schedules: list[str], definition: ScheduleDefinition | None) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("default: the pipeline's or sync's name"))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Pipeline"), "pipeline")
        self.kind_combo.addItem(self.tr("Sync"), "sync")
        self.target_combo = QComboBox()
        target_row = QHBoxLayout()
        target_row.addWidget(self.kind_combo)
        target_row.addWidget(self.target_combo, 1)

        self.trigger_combo = QComboBox()
        for value, text in zip(
            TRIGGERS,
            (
                self.tr("Cron expression"),
                self.tr("Every (interval)"),
                self.tr("Once, at"),
                self.tr("After another schedule"),
            ),
            strict=True,
        ):
            self.trigger_combo.addItem(text, value)
        self.cron_edit = QLineEdit("0 2 * * *")
        self.cron_edit.setToolTip(self.tr("Five fields: minute hour day month weekday"))
        self.every_edit = QLineEdit("1h")
        self.every_edit.setToolTip(self.tr("30s, 5m, 2h or 1d"))
        self.at_edit = QLineEdit("2026-12-31T23:00")
        self.at_edit.setToolTip(self.tr("An ISO date and time, read in the time zone"))
        self.after_combo = QComboBox()
        others = [s for s in schedules if definition is None or s != definition.name]
        self.after_combo.addItems(others)
        self.trigger_stack = QStackedWidget()
        for widget in (self.cron_edit, self.every_edit, self.at_edit, self.after_combo):
            self.trigger_stack.addWidget(widget)
        trigger_row = QHBoxLayout()
        trigger_row.addWidget(self.trigger_combo)
        trigger_row.addWidget(self.trigger_stack, 1)

        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.addItems(sorted(available_timezones()))
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.grace_spin = QSpinBox()
        self.grace_spin.setRange(1, 366 * 86400)
        self.grace_spin.setSuffix(self.tr(" s"))
        self.grace_spin.setToolTip(self.tr("How late a run may start and still count as on time"))
        self.catch_combo = QComboBox()
        self.catch_combo.addItem(self.tr("Skip: late runs are recorded missed"), "skip")
        self.catch_combo.addItem(self.tr("One: missed runs are coalesced into one"), "one")
        self.catch_combo.addItem(self.tr("All: every missed run, up to the cap"), "all")
        self.cap_spin = QSpinBox()
        self.cap_spin.setRange(1, 1000)
        self.cap_spin.setPrefix(self.tr("cap "))
        catch_row = QHBoxLayout()
        catch_row.addWidget(self.catch_combo, 1)
        catch_row.addWidget(self.cap_spin)
        self.overlap_combo = QComboBox()
        self.overlap_combo.addItem(self.tr("Skip the new run (recorded skipped)"), "skip")
        self.overlap_combo.addItem(self.tr("Queue it until the previous one ends"), "queue")
        self.overlap_combo.addItem(self.tr("Allow it to run alongside"), "allow")
        self.enabled_box = QCheckBox(self.tr("Enabled"))
        self.description_edit = QLineEdit()

        self.trigger_stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.trigger_stack.setFixedHeight(self.cron_edit.sizeHint().height())
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self._label(self.tr("&Runs:"), self.kind_combo), target_row)
        form.addRow(self._label(self.tr("&When:"), self.trigger_combo), trigger_row)
        form.addRow(self.tr("&Time zone:"), self.zone_combo)
        form.addRow(self.tr("&Grace:"), self.grace_spin)
        form.addRow(self._label(self.tr("&Catch-up:"), self.catch_combo), catch_row)
        form.addRow(self.tr("&Overlap:"), self.overlap_combo)
        form.addRow(self.tr("&Description:"), self.description_edit)
        form.addRow("", self.enabled_box)
        self.error_label = QLabel()
        self.error_label.setObjectName("scheduleError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_title = QLabel(self.tr("Next runs:"))
        self.preview_list = QListWidget()
        self.preview_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        line = self.fontMetrics().lineSpacing()
        self.preview_list.setFixedHeight(line * 6 + 12)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.error_label)
        outer.addWidget(self.preview_title)
        outer.addWidget(self.preview_list)
        outer.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)

        self.kind_combo.currentIndexChanged.connect(self._fill_targets)
        self.trigger_combo.currentIndexChanged.connect(self.trigger_stack.setCurrentIndex)
        for edit in (self.name_edit, self.cron_edit, self.every_edit, self.at_edit):
            edit.textChanged.connect(self.refresh)
        self.description_edit.textChanged.connect(self.refresh)
        for combo in (
            self.kind_combo,
            self.target_combo,
            self.trigger_combo,
            self.after_combo,
            self.catch_combo,
            self.overlap_combo,
        ):
            combo.currentIndexChanged.connect(self.refresh)
        self.zone_combo.currentTextChanged.connect(self.refresh)
        self.grace_spin.valueChanged.connect(self.refresh)
        self.cap_spin.valueChanged.connect(self.refresh)
        self.enabled_box.toggled.connect(self.refresh)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)  # Alt+letter focuses the row's first field
        return label

    def _fill_targets(self) -> None:
        names = self.pipelines if self.kind_combo.currentData() == "pipeline" else self.syncs
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(names)
        self.target_combo.blockSignals(False)

    def _load(self, d: ScheduleDefinition | None) -> None:
        new = d is None
        # a new schedule starts from the model's defaults (every policy explicit)
        d = d or ScheduleDefinition(name="new", pipeline="-", cron="0 2 * * *")
        kind, target = ("pipeline" if self.pipelines else "sync", "") if new else d.target
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self._fill_targets()
        if target:
            self.target_combo.setCurrentIndex(max(0, self.target_combo.findText(target)))
        if self.editing is not None:
            self.name_edit.setText(d.name)
            self.name_edit.setReadOnly(True)
        trigger = d.trigger_kind if self.editing is not None else "cron"
        self.trigger_combo.setCurrentIndex(max(0, TRIGGERS.index(trigger)))
        self.trigger_stack.setCurrentIndex(self.trigger_combo.currentIndex())
        if d.cron:
            self.cron_edit.setText(d.cron)
        if d.every_seconds:
            self.every_edit.setText(_every_text(d.every_seconds))
        if d.at:
            self.at_edit.setText(d.at.isoformat())
        if d.after:
            self.after_combo.setCurrentText(d.after)
        self.zone_combo.setCurrentText(d.timezone)
        self.grace_spin.setValue(d.grace_seconds)
        self.catch_combo.setCurrentIndex(max(0, self.catch_combo.findData(str(d.catch_up))))
        self.cap_spin.setValue(d.catch_up_cap)
        self.overlap_combo.setCurrentIndex(max(0, self.overlap_combo.findData(str(d.overlap))))
        self.enabled_box.setChecked(d.enabled)
        self.description_edit.setText(d.description)

    # -- the definition, its preview, saving -------------------------------------------------
    def fields(self) -> dict[str, Any]:
        """The form as :func:`make_definition`'s arguments."""
        kind, target = self.kind_combo.currentData(), self.target_combo.currentText()
        trigger = self.trigger_combo.currentData()
        values: dict[str, Any] = {
            "name": self.name_edit.text().strip() or target,
            kind: target,
            "timezone": self.zone_combo.currentText().strip(),
            "grace_seconds": self.grace_spin.value(),
            "catch_up": self.catch_combo.currentData(),
            "catch_up_cap": self.cap_spin.value(),
            "overlap": self.overlap_combo.currentData(),
            "enabled": self.enabled_box.isChecked(),
            "description": self.description_edit.text(),
        }
        if trigger == "cron":
            values["cron"] = self.cron_edit.text()
        elif trigger == "every":
            values["every"] = self.every_edit.text()
        elif trigger == "at":
            values["at"] = self.at_edit.text().strip()
        else:
            values["after"] = self.after_combo.currentText() or None
        return values

    def refresh(self) -> None:
        """Rebuild the definition from the form, name what is wrong, preview the next runs."""
        self.preview_list.clear()
        self.definition = None
        try:
            if not self.target_combo.currentText():
                raise ValueError(self.tr("Choose what the schedule runs."))
            definition = make_definition(**self.fields())
            runs = preview_schedule(definition, 5)
        except Exception as err:  # noqa: BLE001 - every refusal is shown, inline
            self.error_label.setText(describe(err))
            self.error_label.show()
            self.save_button.setEnabled(False)
            return
        self.definition = definition
        self.error_label.clear()
        self.error_label.hide()
        self.save_button.setEnabled(True)
        if definition.after:
            self.preview_list.addItem(
                self.tr("Runs when “%1” succeeds.").replace("%1", definition.after)
            )
        elif not runs:
            self.preview_list.addItem(self.tr("No run to come (the time has passed)."))
        locale = ui_locale()  # the day's name in the interface language, not the C locale's
        for t in runs:
            day = locale.dayName(t.isoweekday(), QLocale.FormatType.ShortFormat)
            self.preview_list.addItem(f"{t.strftime('%Y-%m-%d %H:%M:%S %Z')} ({day})")

    def save(self) -> None:
        if self.definition is None:
            return
        try:
            add_schedule(self.project_root, self.definition, replace=self.editing is not None)
        except Exception as err:  # noqa: BLE001 - shown where the user is looking
            self.error_label.setText(describe(err))
            self.error_label.show()
            return
        self.saved.emit(self.definition.name)
        self.accept()
