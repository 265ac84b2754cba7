"""Add or edit one notification channel: kind, where to, which alerts, and its secret.

Secrets (a webhook's signing secret, a Slack or Teams URL, an SMTP password) go to the secret
store through the channels service and are never shown again: when a channel is edited, an
empty secret field keeps the stored one (:func:`app.services.notify_admin.edit_channel`).
A webhook added without a secret gets a generated one, shown once to give to the receiver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.alerts import AlertType, Severity
from app.services.channels import ChannelDefinition, add_channel
from app.services.errors import describe
from app.services.notify_admin import edit_channel
from app.services.workspace import Workspace
from app.ui.workers import run_busy

__all__ = ["ChannelForm"]

KINDS = ("webhook", "slack", "teams", "email")


class ChannelForm(QDialog):
    """The form of one channel; :attr:`generated_secret` holds a secret made on Save."""

    def __init__(
        self,
        project_root: Path,
        channel: ChannelDefinition | None = None,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root, self.channel = Path(project_root), channel
        self.workspace = workspace or Workspace.open()
        self.generated_secret: str | None = None
        self.setWindowTitle(self.tr("Edit channel") if channel else self.tr("New channel"))
        self.name_edit = QLineEdit()
        self.kind_combo = QComboBox()
        for kind, text in zip(
            KINDS, (self.tr("Webhook"), "Slack", "Microsoft Teams", self.tr("E-mail")), strict=True
        ):
            self.kind_combo.addItem(text, kind)
        self.url_edit = QLineEdit()
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.to_edit = QLineEdit()
        self.to_edit.setPlaceholderText(self.tr("ops@example.com, oncall@example.com"))
        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText(self.tr("cauce@example.com"))
        self.events_list = QListWidget()
        for t in AlertType:
            item = QListWidgetItem(t.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.events_list.addItem(item)
        self.events_list.setToolTip(self.tr("None checked: every alert type"))
        self.events_list.setFixedHeight(self.fontMetrics().lineSpacing() * 6)
        self.severity_combo = QComboBox()
        for s in Severity:
            self.severity_combo.addItem(s.value, s.value)
        self.form = QFormLayout()
        self.form.addRow(self.tr("&Name:"), self.name_edit)
        self.form.addRow(self.tr("&Kind:"), self.kind_combo)
        self.form.addRow(self.tr("&URL:"), self.url_edit)
        self.form.addRow(self.tr("&Secret:"), self.secret_edit)
        self.form.addRow(self.tr("&To:"), self.to_edit)
        self.form.addRow(self.tr("&From:"), self.sender_edit)
        self.form.addRow(self.tr("&Alert types:"), self.events_list)
        self.form.addRow(self.tr("&Least severity:"), self.severity_combo)
        self.error_label = QLabel()
        self.error_label.setObjectName("channelError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e5534b;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(self.form)
        outer.addWidget(self.error_label)
        outer.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._load(channel)
        self._kind_changed()

    def _load(self, c: ChannelDefinition | None) -> None:
        self.severity_combo.setCurrentIndex(self.severity_combo.findData("warning"))
        if c is None:
            return
        self.name_edit.setText(c.name)
        self.name_edit.setReadOnly(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(str(c.kind)))
        self.kind_combo.setEnabled(False)
        self.url_edit.setText(c.url)
        self.to_edit.setText(", ".join(c.to))
        self.sender_edit.setText(c.sender)
        wanted = {str(e) for e in c.events}
        for i in range(self.events_list.count()):
            item = self.events_list.item(i)
            if item.text() in wanted:
                item.setCheckState(Qt.CheckState.Checked)
        self.severity_combo.setCurrentIndex(self.severity_combo.findData(str(c.min_severity)))

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        editing = self.channel is not None
        email = kind == "email"
        for widget in (self.to_edit, self.sender_edit):
            widget.setVisible(email)
            self.form.labelForField(widget).setVisible(email)
        secret_label = self.form.labelForField(self.secret_edit)
        secret_shown = kind in ("webhook", "email")
        self.secret_edit.setVisible(secret_shown)
        secret_label.setVisible(secret_shown)
        if kind == "webhook":
            self.url_edit.setPlaceholderText(self.tr("https://hooks.example.com/cauce"))
            self.secret_edit.setPlaceholderText(
                self.tr("stored; leave empty to keep it")
                if editing
                else self.tr("whsec_… (leave empty to generate one)")
            )
        elif kind == "email":
            self.url_edit.setPlaceholderText(self.tr("smtp://alerts@smtp.example.com:587"))
            self.secret_edit.setPlaceholderText(
                self.tr("stored; leave empty to keep it") if editing else self.tr("SMTP password")
            )
        else:
            self.url_edit.setPlaceholderText(
                self.tr("stored in the secret store; leave empty to keep it")
                if editing
                else self.tr("https://hooks.slack.com/services/…")
            )

    def values(self) -> dict[str, Any]:
        events = [
            self.events_list.item(i).text()
            for i in range(self.events_list.count())
            if self.events_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        kind = self.kind_combo.currentData()
        return {
            "name": self.name_edit.text().strip(),
            "kind": kind,
            "url": self.url_edit.text().strip(),
            "secret": self.secret_edit.text() or None,
            "events": events,
            "min_severity": self.severity_combo.currentData(),
            "to": [t.strip() for t in self.to_edit.text().split(",") if t.strip()],
            "sender": self.sender_edit.text().strip(),
        }

    def save(self) -> None:
        v = self.values()
        name, kind = v.pop("name"), v.pop("kind")
        root, ws = self.project_root, self.workspace
        save = edit_channel if self.channel is not None else add_channel
        try:  # the URL is resolved to check it: off the GUI thread
            added = run_busy(
                self,
                self.tr("Checking the channel…"),
                lambda: save(root, name, kind, workspace=ws, **v),
            )
        except Exception as err:  # noqa: BLE001 - shown in the form
            self.error_label.setText(describe(err))
            self.error_label.show()
            return
        self.generated_secret = added.generated_secret
        self.accept()
