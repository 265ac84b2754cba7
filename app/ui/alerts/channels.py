"""The notification channels window: list, add, edit, remove; "Send test" (a real delivery
through the outbox, its result shown); the webhook allow-list an administrator sets; and the
rule simulator (the last N alerts through the current channels: who would have been told,
and why not the others).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.alerts import simulate
from app.services.channels import list_channels, remove_channel, send_test
from app.services.errors import describe
from app.services.notify_admin import allowed_hosts, set_allowed_hosts
from app.services.workspace import Workspace
from app.ui.alerts.channel_form import ChannelForm
from app.ui.curl import attach_menu, build_menu, copy_curl
from app.ui.icons import icon
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.workers import run_busy, submit

__all__ = ["ALLOW_HOSTS_KEY", "ChannelsDialog", "apply_allowed_hosts"]

#: the desktop's copy of CAUCE_WEBHOOK_ALLOW_HOSTS, in the application settings
ALLOW_HOSTS_KEY = "admin/webhook_allow_hosts"


def apply_allowed_hosts(settings: QSettings) -> None:
    """Put the saved allow-list in force (at start-up); an invalid one is ignored."""
    saved = str(settings.value(ALLOW_HOSTS_KEY, "") or "")
    if saved:
        with contextlib.suppress(ValueError):
            set_allowed_hosts(saved)


class ChannelsDialog(QDialog):
    """Channels of the project in ``project_root``."""

    loaded = Signal()
    #: a test delivery ended: its status (delivered, pending, dead)
    tested = Signal(str)
    simulated = Signal()

    def __init__(
        self,
        project_root: Path,
        project_name: str,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = Path(project_root)
        self.workspace = workspace or Workspace.open()
        self.settings = settings
        self.form: ChannelForm | None = None
        self.setWindowTitle(self.tr("Notification channels — %1").replace("%1", project_name))
        self.setWindowIcon(icon("connection"))
        tabs = QTabWidget()
        tabs.addTab(self._channels_page(), self.tr("&Channels"))
        tabs.addTab(self._simulator_page(), self.tr("Rule &simulator"))
        self.tabs = tabs
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(tabs, 1)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 130, line * 34)
        self.reload()

    # -- the channels page --------------------------------------------------------------------
    def _channels_page(self) -> QWidget:
        self.model = RowsModel(
            [
                Column(self.tr("Name"), lambda c: c.name),
                Column(self.tr("Kind"), lambda c: str(c.kind)),
                Column(
                    self.tr("Where"),
                    lambda c: c.url or self.tr("(in the secret store)"),
                ),
                Column(
                    self.tr("Alert types"),
                    lambda c: ", ".join(str(e) for e in c.events) or self.tr("all"),
                ),
                Column(self.tr("Least severity"), lambda c: str(c.min_severity)),
            ],
            self,
        )
        self.view = table_view(self.model, stretch=2)
        self.view.setObjectName("channelsView")
        self.view.selectionModel().selectionChanged.connect(self._update_enabled)
        self.view.doubleClicked.connect(self.edit_channel)
        attach_menu(self.view, self.context_menu)
        self.empty_label = QLabel(self.tr("No channel yet. “Add…” defines one."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = self._button("add", self.tr("&Add…"), self.add_channel)
        self.edit_button = self._button("rename", self.tr("&Edit…"), self.edit_channel)
        self.remove_button = self._button("remove", self.tr("&Remove"), self.remove_channel)
        self.test_button = self._button("test", self.tr("Send &test"), self.send_test)
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.test_button)
        self.result_label = QLabel()
        self.result_label.setObjectName("testResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        admin = QGroupBox(self.tr("Administrator: internal hosts webhooks may reach"))
        self.hosts_edit = QLineEdit(", ".join(allowed_hosts()))
        self.hosts_edit.setPlaceholderText(self.tr("hooks.internal, 10.1.0.0/16"))
        self.hosts_edit.setToolTip(
            self.tr(
                "Host names, addresses or CIDR blocks (as CAUCE_WEBHOOK_ALLOW_HOSTS on servers); "
                "everything else that is not public is refused"
            )
        )
        self.hosts_button = QPushButton(self.tr("A&pply"))
        self.hosts_button.setAutoDefault(False)
        self.hosts_button.clicked.connect(lambda _c=False: self.apply_hosts())
        self.hosts_label = QLabel()
        self.hosts_label.setWordWrap(True)
        self.hosts_label.hide()  # until Apply has something to say
        admin_row = QHBoxLayout()
        admin_row.addWidget(self.hosts_edit, 1)
        admin_row.addWidget(self.hosts_button)
        admin_box = QVBoxLayout(admin)
        admin_box.addLayout(admin_row)
        admin_box.addWidget(self.hosts_label)

        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.view, 1)
        box.addWidget(self.empty_label)
        box.addLayout(row)
        box.addWidget(self.result_label)
        box.addWidget(admin)
        self._update_enabled()
        return page

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(icon(name), text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def reload(self) -> None:
        root = self.project_root
        submit(
            lambda: list_channels(root), on_done=self._loaded, on_failed=self._failed, owner=self
        )

    def _loaded(self, channels: list[Any]) -> None:
        self.model.set_rows(channels)
        self.empty_label.setVisible(not channels)
        self._update_enabled()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.result_label.setText(describe(error))
        self.loaded.emit()

    def context_menu(self) -> QMenu:
        """The selected channel's menu: send a test, or copy the API request that sends it."""
        chosen = self.selected() is not None
        return build_menu(
            self,
            [
                ("sendTest", self.tr("Send &test"), self.send_test, chosen),
                ("copyTestCurl", self.tr("Copy test as c&url"), self._copy_curl, chosen),
            ],
        )

    def _copy_curl(self) -> None:
        channel = self.selected()
        if channel is not None:
            copy_curl("test_channel", name=channel.name)
            self.result_label.setText(
                self.tr("Copied a curl command that sends a test through “%1”.").replace(
                    "%1", channel.name
                )
            )

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, name: str) -> None:
        for row, channel in enumerate(self.model.rows):
            if channel.name == name:
                self.view.selectRow(row)

    def _update_enabled(self) -> None:
        chosen = self.selected() is not None
        for b in (self.edit_button, self.remove_button, self.test_button):
            b.setEnabled(chosen)

    def _open_form(self, channel: Any | None) -> None:
        self.form = ChannelForm(self.project_root, channel, self, workspace=self.workspace)
        self.form.accepted.connect(self._form_saved)
        self.form.open()

    def _form_saved(self) -> None:
        assert self.form is not None
        name = self.form.name_edit.text().strip()
        secret = self.form.generated_secret
        self.result_label.setText(
            self.tr(
                "Channel “%1” saved. Its signing secret, shown only now (give it to the "
                "receiver): %2"
            )
            .replace("%1", name)
            .replace("%2", secret)
            if secret
            else self.tr("Channel “%1” saved.").replace("%1", name)
        )
        self.reload()

    def add_channel(self) -> None:
        self._open_form(None)

    def edit_channel(self) -> None:
        channel = self.selected()
        if channel is not None:
            self._open_form(channel)

    def remove_channel(self) -> None:
        channel = self.selected()
        if channel is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove channel"),
            self.tr("Remove the channel “%1” and forget its secrets?").replace("%1", channel.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        root, ws, name = self.project_root, self.workspace, channel.name
        try:
            run_busy(self, self.tr("Removing…"), lambda: remove_channel(root, name, workspace=ws))
        except Exception as err:  # noqa: BLE001
            self.result_label.setText(describe(err))
            return
        self.result_label.setText(self.tr("Channel “%1” removed.").replace("%1", name))
        self.reload()

    def send_test(self) -> None:
        channel = self.selected()
        if channel is None:
            return
        root, ws, name = self.project_root, self.workspace, channel.name
        self.test_button.setEnabled(False)
        self.result_label.setText(self.tr("Sending a test to “%1”…").replace("%1", name))
        submit(
            lambda: send_test(root, name, workspace=ws),
            on_done=lambda r: self._tested(name, r),
            on_failed=lambda e: self._tested(name, e),
            owner=self,
        )

    def _tested(self, name: str, result: Any) -> None:
        self._update_enabled()
        if isinstance(result, BaseException):
            self.result_label.setText(describe(result))
            self.tested.emit("error")
            return
        code = "" if result.status_code is None else f" (HTTP {result.status_code})"
        if result.status == "delivered":
            text = self.tr("Test delivered to “%1”%2.")
        else:
            text = self.tr("Test not delivered to “%1”%2: %3 (it stays queued for retries)")
        self.result_label.setText(
            text.replace("%1", name).replace("%2", code).replace("%3", result.error or "")
        )
        self.tested.emit(result.status)

    def apply_hosts(self) -> None:
        text = self.hosts_edit.text()
        try:
            items = set_allowed_hosts(text)
        except ValueError as err:
            self.hosts_label.setText(describe(err))
            self.hosts_label.show()
            return
        if self.settings is not None:
            self.settings.setValue(ALLOW_HOSTS_KEY, ",".join(items))
        self.hosts_label.setText(
            self.tr("Allowed: %1").replace("%1", ", ".join(items))
            if items
            else self.tr("No internal host is allowed.")
        )
        self.hosts_label.show()

    # -- the simulator ------------------------------------------------------------------------
    def _simulator_page(self) -> QWidget:
        self.last_spin = QSpinBox()
        self.last_spin.setRange(1, 1000)
        self.last_spin.setValue(20)
        label = QLabel(self.tr("Replay the &last"))
        label.setBuddy(self.last_spin)
        self.simulate_button = QPushButton(icon("run"), self.tr("Si&mulate"))
        self.simulate_button.setAutoDefault(False)
        self.simulate_button.clicked.connect(lambda _c=False: self.run_simulation())
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.last_spin)
        row.addWidget(QLabel(self.tr("alerts through the current channels (nothing is sent)")))
        row.addStretch(1)
        row.addWidget(self.simulate_button)
        self.sim_model = RowsModel(
            [
                Column("#", lambda e: str(e.alert.id), align_right=True),
                Column(self.tr("When"), lambda e: local_time(e.alert.created_at)),
                Column(self.tr("Severity"), lambda e: e.alert.severity, lambda e: e.alert.severity),
                Column(self.tr("Type"), lambda e: e.alert.type),
                Column(self.tr("Subject"), lambda e: e.alert.subject),
                Column(self.tr("Told"), lambda e: ", ".join(e.told) or "—"),
                Column(
                    self.tr("Not told, and why"),
                    lambda e: "; ".join(f"{k}: {v}" for k, v in sorted(e.skipped.items())),
                ),
            ],
            self,
        )
        self.sim_view = table_view(self.sim_model)
        self.sim_view.setObjectName("simulatorView")
        self.sim_label = QLabel(self.tr("Press Simulate to replay the latest alerts."))
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(row)
        box.addWidget(self.sim_view, 1)
        box.addWidget(self.sim_label)
        return page

    def run_simulation(self) -> None:
        root, ws, last = self.project_root, self.workspace, self.last_spin.value()
        submit(
            lambda: simulate(root, last=last, workspace=ws),
            on_done=self._simulated,
            on_failed=lambda e: self.sim_label.setText(describe(e)),
            owner=self,
        )

    def _simulated(self, events: list[Any]) -> None:
        self.sim_model.set_rows(list(reversed(events)))  # newest first, as every list here
        self.sim_label.setText(
            self.tr("%1 alert(s) replayed.").replace("%1", str(len(events)))
            if events
            else self.tr("No alert recorded for this project yet.")
        )
        self.simulated.emit()
