"""The wizard's pages after the destinations: mode and keys, columns, summary.

Each page rebuilds what depends on the source table only when the table changed since it was
last shown, so going back and forth keeps the user's edits.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWizardPage,
)

from app.ui.syncs.masks import MasksEditor
from app.ui.syncs.models import ColumnChoice, ColumnChoiceModel
from app.ui.syncs.widgets import read_option_texts, show_status, status_row

if TYPE_CHECKING:
    from app.ui.syncs.wizard import SyncWizard

__all__ = ["ColumnsPage", "OptionsPage", "SummaryPage"]

ROLE = Qt.ItemDataRole.UserRole


MODES = ("full", "append", "merge")
POLICIES = ("evolve", "freeze", "discard", "review")
FALLBACKS = ("discard", "freeze")


class OptionsPage(QWizardPage):
    """Mode, key, cursor, hard deletes and schema policy."""

    def __init__(self, wizard: SyncWizard) -> None:
        super().__init__()
        self.state = wizard
        self._built_for: str | None = None
        self.setTitle(self.tr("How to sync"))
        self.setSubTitle(self.tr("Choose how rows are copied and how schema changes are met."))
        modes = {
            "full": self.tr("Full — reload the whole table every run"),
            "append": self.tr("Append — add rows above the cursor"),
            "merge": self.tr("Merge — insert or update rows by key"),
        }
        self.mode_combo = QComboBox()
        for mode in MODES:
            self.mode_combo.addItem(modes[mode], mode)
        self.mode_combo.currentIndexChanged.connect(self._update)
        self.keys = QListWidget()
        self.keys.setToolTip(self.tr("The columns that identify a row (merge mode)"))
        self.keys.setMinimumHeight(self.fontMetrics().lineSpacing() * 9)
        self.cursor_combo = QComboBox()
        self.cursor_combo.setToolTip(self.tr("A column that grows with every new or changed row"))
        self.hard_deletes = QCheckBox(self.tr("Delete destination rows whose key left the source"))
        policies = {
            "evolve": self.tr("Evolve — add new columns, widen types"),
            "freeze": self.tr("Freeze — fail when the source's columns change"),
            "discard": self.tr("Discard — drop new columns, keep the destination's types"),
            "review": self.tr("Review — hold each change until someone approves it"),
        }
        self.policy_combo = QComboBox()
        for policy in POLICIES:
            self.policy_combo.addItem(policies[policy], policy)
        self.policy_combo.setToolTip(
            self.tr(
                "Review: the destination waits, its rows kept in the source, until the change "
                "is approved or rejected in Monitor > Schema changes"
            )
        )
        self.fallback_combo = QComboBox()
        fallbacks = {
            "discard": self.tr("Discard it — go on without the change"),
            "freeze": self.tr("Freeze — keep refusing to write while the source differs"),
        }
        for fallback in FALLBACKS:
            self.fallback_combo.addItem(fallbacks[fallback], fallback)
        self.policy_combo.currentIndexChanged.connect(self._update)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Mode"), self.mode_combo)
        form.addRow("", self.hint)
        form.addRow(self.tr("Key columns"), self.keys)
        form.addRow(self.tr("Cursor"), self.cursor_combo)
        form.addRow("", self.hard_deletes)
        form.addRow(self.tr("Schema changes"), self.policy_combo)
        form.addRow(self.tr("When rejected"), self.fallback_combo)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        table = self.state.source_table
        key = table.qualified if table else ""
        if key == self._built_for:
            return
        first = self._built_for is None
        self._built_for = key
        columns = list(table.columns) if table else []
        existing = self.state.existing if first else None
        pk = [
            c.name
            for c in sorted((c for c in columns if c.pk_position), key=lambda c: c.pk_position or 0)
        ]
        keys = existing.primary_key if existing else pk
        self.keys.clear()
        for column in sorted(
            columns, key=lambda c: (c.name not in keys, keys.index(c.name) if c.name in keys else 0)
        ):
            item = QListWidgetItem(f"{column.name}  ({column.canonical_type})")
            item.setData(ROLE, column.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if column.name in keys else Qt.CheckState.Unchecked
            )
            self.keys.addItem(item)
        self.cursor_combo.clear()
        self.cursor_combo.addItem(self.tr("(none)"), None)
        for column in columns:
            self.cursor_combo.addItem(f"{column.name}  ({column.canonical_type})", column.name)
        if existing is not None:
            self._choose(self.mode_combo, existing.mode.value)
            self._choose(self.cursor_combo, existing.cursor)
            self._choose(self.policy_combo, existing.schema_policy.value)
            self._choose(self.fallback_combo, existing.review_fallback or "discard")
            self.hard_deletes.setChecked(existing.hard_deletes)
        elif first:
            self._choose(self.mode_combo, "merge" if pk else "full")
        self._update()

    @staticmethod
    def _choose(combo: QComboBox, value: object) -> None:
        combo.setCurrentIndex(max(combo.findData(value), 0))

    def mode(self) -> str:
        return str(self.mode_combo.currentData())

    def options(self) -> dict[str, Any]:
        """Mode, keys, cursor, hard deletes and policy as in the sync file."""
        mode = self.mode()
        keys = [
            str(self.keys.item(i).data(ROLE))
            for i in range(self.keys.count())
            if self.keys.item(i).checkState() == Qt.CheckState.Checked
        ]
        policy = str(self.policy_combo.currentData())
        return {
            "mode": mode,
            "primary_key": keys if mode == "merge" else [],
            "cursor": self.cursor_combo.currentData() if mode != "full" else None,
            "hard_deletes": mode == "merge" and self.hard_deletes.isChecked(),
            "schema_policy": policy,
            "review_fallback": self.fallback_combo.currentData() if policy == "review" else None,
        }

    def _update(self) -> None:
        mode = self.mode()
        self.keys.setEnabled(mode == "merge")
        self.hard_deletes.setEnabled(mode == "merge")
        self.cursor_combo.setEnabled(mode != "full")
        self.fallback_combo.setEnabled(self.policy_combo.currentData() == "review")
        hints = {
            "full": self.tr(
                "Every run copies the whole source into a staging table and swaps it in."
            ),
            "append": self.tr("Needs a cursor that only grows (an id or a commit time)."),
            "merge": self.tr(
                "Needs key columns. With a cursor, only rows at or above the "
                "last value are read; without one, every row is read."
            ),
        }
        self.hint.setText(hints[mode])


class ColumnsPage(QWizardPage):
    """Which source columns to copy, and their names in the destinations."""

    def __init__(self, wizard: SyncWizard) -> None:
        super().__init__()
        self.state = wizard
        self._built_for: str | None = None
        self.setTitle(self.tr("Columns"))
        self.setSubTitle(
            self.tr(
                "Untick the columns to leave out; double-click a destination "
                "name to rename a column."
            )
        )
        self.model = ColumnChoiceModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ColumnChoiceModel.TARGET, QHeaderView.ResizeMode.Stretch)
        all_button = QPushButton(self.tr("Select all"))
        all_button.clicked.connect(lambda: self.model.set_all(True))
        none_button = QPushButton(self.tr("Select none"))
        none_button.clicked.connect(lambda: self.model.set_all(False))
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        self.masks = MasksEditor(self)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addLayout(buttons)
        box.addWidget(self.masks)

    def initializePage(self) -> None:  # noqa: N802
        table = self.state.source_table
        key = table.qualified if table else ""
        if key == self._built_for:
            return
        existing = self.state.existing if self._built_for is None else None
        self._built_for = key
        self.masks.set_columns([c.name for c in (table.columns if table else ())])
        self.masks.set_rules(
            [m.model_dump(mode="json", exclude_defaults=True) for m in existing.masks]
            if existing
            else []
        )
        chosen = existing.columns if existing else None
        renames = existing.rename if existing else {}
        self.model.set_rows(
            [
                ColumnChoice(
                    c.name,
                    c.canonical_type,
                    chosen is None or c.name in chosen,
                    renames.get(c.name, c.name),
                )
                for c in (table.columns if table else ())
            ]
        )

    def columns(self) -> list[str] | None:
        """The selected columns (``None``: all of them, including future ones)."""
        rows = self.model.rows
        if all(c.selected for c in rows):
            return None
        return [c.source for c in rows if c.selected]

    def renames(self) -> dict[str, str]:
        return {
            c.source: c.target.strip()
            for c in self.model.rows
            if c.selected and c.target.strip() != c.source
        }


class SummaryPage(QWizardPage):
    """What will be saved, and why it cannot be when it is invalid."""

    def __init__(self, wizard: SyncWizard) -> None:
        super().__init__()
        self.state = wizard
        self.setTitle(self.tr("Summary"))
        self.setSubTitle(self.tr("Check the sync, then Finish saves it into the project."))
        self.text = QTextBrowser()
        status, self.error_icon, self.error = status_row(self)
        box = QVBoxLayout(self)
        box.addWidget(self.text, 1)
        box.addLayout(status)

    def initializePage(self) -> None:  # noqa: N802
        data = self.state.definition_data()
        self.text.setHtml(self._html(data))
        self.show_problem(self.state.problem(data))

    def show_problem(self, message: str | None) -> None:
        """Show why the sync cannot be saved (``None``: it can)."""
        show_status(self.error_icon, self.error, "error" if message else "", message or "")

    @property
    def problem_text(self) -> str:
        return self.error.text()

    def _html(self, data: dict[str, Any]) -> str:
        def esc(value: object) -> str:
            return html.escape(str(value))

        created = self.tr("(enums: the same type)")
        dests = "<br>".join(
            esc(f"{d['connection']} → {d['table']}")
            + (" " + esc(created) if d.get("enums") == "create" else "")
            for d in data["destinations"]
        )
        table = self.state.source_table
        total = len(table.columns) if table else 0
        columns = data["columns"]
        chosen = (
            self.tr("all %1").replace("%1", str(total))
            if columns is None
            else self.tr("%1 of %2").replace("%1", str(len(columns))).replace("%2", str(total))
        )
        renames = ", ".join(f"{k} → {v}" for k, v in data["rename"].items()) or "—"
        modes = {"full": self.tr("full"), "append": self.tr("append"), "merge": self.tr("merge")}
        policies = {
            "evolve": self.tr("evolve"),
            "freeze": self.tr("freeze"),
            "discard": self.tr("discard"),
            "review": self.tr("review"),
        }
        policy = esc(policies.get(data["schema_policy"], data["schema_policy"]))
        if data.get("review_fallback"):
            policy += " " + esc(
                self.tr("(rejected: %1)").replace(
                    "%1", policies.get(data["review_fallback"], data["review_fallback"])
                )
            )
        rows = [
            (self.tr("Name"), esc(data["name"])),
            (self.tr("Source"), esc(f"{data['source']['connection']} : {data['source']['table']}")),
            (self.tr("Destinations"), dests or "—"),
            (self.tr("Mode"), esc(modes.get(data["mode"], data["mode"]))),
            (self.tr("Key columns"), esc(", ".join(data["primary_key"]) or "—")),
            (self.tr("Cursor"), esc(data["cursor"] or "—")),
            (self.tr("Hard deletes"), self.tr("yes") if data["hard_deletes"] else self.tr("no")),
            (self.tr("Schema changes"), policy),
            (self.tr("Columns"), esc(chosen)),
            (self.tr("Renamed"), esc(renames)),
            (
                self.tr("Masked"),
                esc(", ".join(self.state.columns_page.masks.rule_text(m) for m in data["masks"]))
                or "—",
            ),
        ]
        for option, columns in data["source"].get("read", {}).items():
            rows.append((esc(read_option_texts(option)[0]), esc(", ".join(columns) or "—")))
        body = "".join(
            f"<tr><td style='padding:2px 12px 2px 0'><b>{k}</b></td>"
            f"<td style='padding:2px 0'>{v}</td></tr>"
            for k, v in rows
        )
        return f"<table>{body}</table>"
