"""The masks of a sync, on the wizard's columns page: pick a column (or a tag), a method, and
Add; the list shows what will be masked before rows reach the destinations, Remove takes a
rule out. The rules are the sync file's ``masks`` (``docs/privacy.md``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.sync_masks import SYNC_MASK_METHODS, suggested_tags

__all__ = ["MasksEditor"]

ROLE = Qt.ItemDataRole.UserRole


class MasksEditor(QGroupBox):
    """Edits a list of masking rules (dicts in the sync file's shape)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Masks (applied before rows reach the destinations)"))
        self.rules: list[dict[str, Any]] = []
        self.target_combo = QComboBox()
        self.target_combo.setToolTip(self.tr("A column, or every column carrying a tag"))
        self.method_combo = QComboBox()
        for method in SYNC_MASK_METHODS:
            self.method_combo.addItem(self.method_text(method), method)
        self.add_button = QPushButton(self.tr("Add mask"))
        self.add_button.clicked.connect(self._add)
        self.rules_list = QListWidget()
        self.rules_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.rules_list.currentRowChanged.connect(self._update)
        self.remove_button = QPushButton(self.tr("Remove mask"))
        self.remove_button.clicked.connect(self._remove)
        self.hint = QLabel(
            self.tr(
                "Tokenize keeps the format (FF3-1, for test copies); vault tokens can be "
                "turned back by whoever may detokenize; hash and tokenize need the project's "
                "masking key."
            )
        )
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.target_combo, 2)
        row.addWidget(self.method_combo, 1)
        row.addWidget(self.add_button)
        listed = QHBoxLayout()
        listed.addWidget(self.rules_list, 1)
        listed.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self)
        box.addLayout(row)
        box.addLayout(listed)
        box.addWidget(self.hint)
        self._update()

    def method_text(self, method: str) -> str:
        texts = {
            "redact": self.tr("Redact"),
            "partial": self.tr("Keep the last characters"),
            "hash": self.tr("Keyed hash (HMAC)"),
            "tokenize": self.tr("Tokenize, keeping the format (FF3-1)"),
            "vault": self.tr("Vault token (reversible)"),
            "generalise": self.tr("Generalise"),
            "null": self.tr("Null"),
        }
        return texts.get(method, method)

    def set_columns(self, columns: list[str]) -> None:
        """Offer ``columns`` (the source's), then the personal-data tags."""
        self.target_combo.clear()
        for column in columns:
            self.target_combo.addItem(column, {"column": column})
        for tag in suggested_tags():
            self.target_combo.addItem(self.tr("tag %1").replace("%1", tag), {"tag": tag})
        self._update()

    def set_rules(self, rules: list[dict[str, Any]]) -> None:
        self.rules = [dict(r) for r in rules]
        self._show()

    def masks(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rules]

    def rule_text(self, rule: dict[str, Any]) -> str:
        target = (
            rule["column"]
            if rule.get("column") is not None
            else self.tr("tag %1").replace("%1", str(rule.get("tag")))
        )
        return f"{target} → {self.method_text(str(rule['method']))}"

    def _add(self) -> None:
        target = self.target_combo.currentData()
        if not target:
            return
        rule = {**target, "method": self.method_combo.currentData()}
        key = ("column", target["column"]) if "column" in target else ("tag", target["tag"])
        self.rules = [r for r in self.rules if (key[0], r.get(key[0])) != key] + [rule]
        self._show()

    def _remove(self) -> None:
        row = self.rules_list.currentRow()
        if 0 <= row < len(self.rules):
            del self.rules[row]
            self._show()

    def _show(self) -> None:
        self.rules_list.clear()
        for rule in self.rules:
            item = QListWidgetItem(self.rule_text(rule))
            item.setData(ROLE, rule)
            self.rules_list.addItem(item)
        self._update()

    def _update(self) -> None:
        self.add_button.setEnabled(self.target_combo.count() > 0)
        self.remove_button.setEnabled(self.rules_list.currentRow() >= 0)
