"""Registering a data-subject request: its kind, the subject's keys (a column tag and a value:
``pii.email`` = ``ana@example.com``), a note. The keys are checked by
:func:`app.services.gdpr.parse_keys` before the form closes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.gdpr import GdprError, parse_keys
from app.ui.icons import icon

__all__ = ["RequestForm"]

#: the tags offered first (others: the project's own tags, or typed)
COMMON_TAGS = ("pii.email", "pii.phone", "pii.name", "pii.national_id")


class RequestForm(QDialog):
    """A new request. After ``exec()`` returns Accepted: :attr:`kind`, :meth:`keys`,
    :attr:`note`."""

    def __init__(self, tags: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New request"))
        self.kind_combo = QComboBox()
        for value, text in (
            ("access", self.tr("Access (a copy of their data)")),
            ("portability", self.tr("Portability (their data, machine-readable)")),
            ("erasure", self.tr("Erasure (forget them)")),
            ("rectification", self.tr("Rectification (correct their data)")),
        ):
            self.kind_combo.addItem(text, value)
        self.tag_combo = QComboBox()
        self.tag_combo.setEditable(True)
        self.tag_combo.addItems(list(dict.fromkeys([*COMMON_TAGS, *sorted(tags)])))
        self.tag_combo.setToolTip(self.tr("The tag of the columns that hold this key"))
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText(self.tr("e.g. ana@example.com"))
        self.value_edit.returnPressed.connect(self.add_key)
        self.value_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.add_button = QPushButton(icon("add"), self.tr("&Add key"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_key)
        self.keys_list = QListWidget()
        self.keys_list.setObjectName("keysList")
        self.keys_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.remove_button = QPushButton(icon("remove"), self.tr("&Remove key"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_key)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("How the request arrived, reference…"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e5534b")

        key_row = QHBoxLayout()
        key_row.addWidget(self.tag_combo, 1)
        key_row.addWidget(QLabel("="))
        key_row.addWidget(self.value_edit, 2)
        key_row.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("Subject &key:"), key_row)
        form.addRow(self.tr("Keys:"), self.keys_list)
        form.addRow("", self.remove_button)
        form.addRow(self.tr("&Note:"), self.note_edit)
        for label, buddy in (
            (form.labelForField(self.kind_combo), self.kind_combo),
            (form.labelForField(key_row), self.tag_combo),
            (form.labelForField(self.note_edit), self.note_edit),
        ):
            if isinstance(label, QLabel):
                label.setBuddy(buddy)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Register"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.error_label)
        outer.addWidget(self.buttons)
        em = self.fontMetrics().averageCharWidth()
        self.resize(em * 80, self.sizeHint().height())

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def note(self) -> str:
        return self.note_edit.text().strip()

    def keys(self) -> list[str]:
        return [self.keys_list.item(i).text() for i in range(self.keys_list.count())]

    def add_key(self) -> None:
        """Add the key typed (tag = value) to the list."""
        text = f"{self.tag_combo.currentText().strip()}={self.value_edit.text().strip()}"
        try:
            parse_keys([text])
        except (GdprError, ValueError) as err:
            self.error_label.setText(describe(err))
            return
        if text not in self.keys():
            self.keys_list.addItem(text)
        self.value_edit.clear()
        self.error_label.clear()

    def remove_key(self) -> None:
        for item in self.keys_list.selectedItems():
            self.keys_list.takeItem(self.keys_list.row(item))

    def accept(self) -> None:
        if self.value_edit.text().strip():  # typed but not added yet: add it
            self.add_key()
        try:
            parse_keys(self.keys())
        except (GdprError, ValueError) as err:
            self.error_label.setText(describe(err))
            return
        super().accept()
