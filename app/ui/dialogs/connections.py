"""The connections manager: a list of a project's connections and a form for the selected one.

Secret fields are typed into password fields and, on OK, go to the secret store
(``app.services.secrets.store_connection_secret``); they never enter ``Connection.params``.
"Test connection" runs ``app.services.connections.test_connection`` on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.connections import (
    Connection,
    ConnectorType,
    TransportSecurity,
    connector_types,
    test_connection,
    transport_policy,
)
from app.services.errors import describe
from app.services.secrets import store_connection_secret
from app.ui.dialogs.connection_form import ConnectionForm, field_title
from app.ui.dialogs.transport import TransportInfo
from app.ui.icons import icon
from app.ui.workers import submit

__all__ = ["ConnectionsDialog", "unique_name"]

MASK = "•••"


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base 2``, ``base 3``… whichever is not taken.

    >>> unique_name("db", {"db", "db 2"})
    'db 3'
    """
    if base not in taken:
        return base
    n = 2
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"


@dataclass
class _Entry:
    connection: Connection
    #: secret values typed in this session, by field (saved to the store on OK)
    secrets: dict[str, str] = field(default_factory=dict)
    #: the connection existed when the dialog opened (its secrets may be stored already)
    existing: bool = False


class ConnectionsDialog(QDialog):
    """Add, duplicate, delete, rename, edit and test a project's connections.

    Args:
        connections: The project's connections by name (not modified; see :attr:`connections`).
        project_name: The project, under which secrets are stored.
        parent: Parent widget.
        project_dir: What ``${PROJECT_DIR}`` means when testing (default: working directory).

    After ``exec()`` returns ``Accepted``, :attr:`connections` holds the edited connections.
    """

    #: a test finished: (connection name, succeeded, message shown)
    tested = Signal(str, bool, str)

    def __init__(
        self,
        connections: dict[str, Connection],
        project_name: str,
        parent: QWidget | None = None,
        *,
        project_dir: Path | None = None,
        variables: Collection[str] = (),
        confirm_reach: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        #: asked before Test connection contacts anything (False: the user declined)
        self.confirm_reach = confirm_reach
        self.project_name = project_name
        self.project_dir = project_dir or Path.cwd()
        self.variables = tuple(variables)  # the ${NAME}s the project declares
        self.connections: dict[str, Connection] = dict(connections)
        self.types: dict[str, ConnectorType] = {t.type_name: t for t in connector_types()}
        self._entries = [
            _Entry(c.model_copy(deep=True), existing=True) for c in connections.values()
        ]
        self._current = -1
        self._test_serial = 0
        self._typed_under_test: dict[str, str] = {}
        self._status_text = ""
        self.setWindowTitle(self.tr("Connections — %1").replace("%1", project_name))
        self.setWindowIcon(icon("connection"))
        self._build()
        for entry in self._entries:
            self._add_item(entry.connection.name)
        if self._entries:
            self.list.setCurrentRow(0)
        self._update_enabled()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._select)
        self.add_button = self._tool("add", self.tr("Add a connection"), self._add)
        self.duplicate_button = self._tool("duplicate", self.tr("Duplicate"), self._duplicate)
        self.delete_button = self._tool("remove", self.tr("Delete"), self._delete)
        tools = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            tools.addWidget(button)
        tools.addStretch(1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(QLabel(self.tr("Connections")))
        left_box.addWidget(self.list, 1)
        left_box.addLayout(tools)

        self.name_edit = QLineEdit()
        self.name_edit.editingFinished.connect(self._rename)
        self.name_edit.installEventFilter(self)  # Enter renames, it does not close the dialog
        self.type_combo = QComboBox()
        for ctype in self.types.values():
            self.type_combo.addItem(ctype.label, ctype.type_name)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText(self.tr("What this connection is for"))
        head = QFormLayout()
        head.addRow(self.tr("Name"), self.name_edit)
        head.addRow(self.tr("Type"), self.type_combo)
        head.addRow(self.tr("Description"), self.description_edit)
        self.form = ConnectionForm()
        self.form.changed.connect(self._show_policy)
        self.transport = TransportInfo()
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.settings_box = QGroupBox(self.tr("Settings"))
        QVBoxLayout(self.settings_box).addWidget(scroll)

        self.test_button = QPushButton(icon("test"), self.tr("Test connection"))
        self.test_button.clicked.connect(self.start_test)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        self.busy.hide()
        self.status_icon = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.busy)
        test_row.addStretch(1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status, 1)

        self.editor = QWidget()
        right_box = QVBoxLayout(self.editor)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addLayout(head)
        right_box.addWidget(self.settings_box, 1)
        right_box.addWidget(self.transport)
        right_box.addLayout(test_row)
        right_box.addLayout(status_row)
        self.empty_label = QLabel(self.tr("No connection yet. Add one with +."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget()
        right_stack = QVBoxLayout(right)
        right_stack.addWidget(self.editor)
        right_stack.addWidget(self.empty_label)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 440])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.buttons)
        em = self.fontMetrics().averageCharWidth()
        self.resize(em * 100, self.fontMetrics().height() * 36)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.name_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._rename()
            return True
        return super().eventFilter(watched, event)

    def _tool(self, name: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(slot)
        return button

    def _add_item(self, name: str) -> None:
        self.list.addItem(QListWidgetItem(icon("connection"), name))

    def _update_enabled(self) -> None:
        has = self._current >= 0
        self.editor.setVisible(has)
        self.empty_label.setVisible(not has)
        self.duplicate_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # -- selection and editing --------------------------------------------------------------
    def _commit(self) -> None:
        """Write the form into the current entry."""
        if self._current < 0:
            return
        entry = self._entries[self._current]
        entry.connection = Connection(
            name=entry.connection.name,
            type=str(self.type_combo.currentData()),
            params=self.form.params(),
            description=self.description_edit.text().strip(),
        )
        entry.secrets.update(self.form.typed_secrets())

    def _select(self, row: int) -> None:
        self._commit()
        self._current = row
        self._update_enabled()
        self._set_status("", "")
        if row < 0:
            return
        conn = self._entries[row].connection
        self.name_edit.setText(conn.name)
        self.description_edit.setText(conn.description)
        self.type_combo.blockSignals(True)
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(conn.type), 0))
        self.type_combo.blockSignals(False)
        self._build_form(conn.params)

    def _build_form(self, params: dict[str, object]) -> None:
        entry = self._entries[self._current]
        ctype = self.types[str(self.type_combo.currentData())]
        self.form.build(ctype, dict(params), stored_secrets=entry.existing)
        self._show_policy()

    def _show_policy(self) -> None:
        """The TLS setting as the form stands now (the tested state is forgotten)."""
        current = Connection(
            name="-", type=str(self.type_combo.currentData()), params=self.form.params()
        )
        self.transport.show_policy(transport_policy(current))

    def _type_changed(self) -> None:
        if self._current >= 0:
            self._entries[self._current].secrets.clear()
            self._build_form({})

    def _rename(self) -> None:
        if self._current < 0:
            return
        entry = self._entries[self._current]
        new = self.name_edit.text().strip()
        if new == entry.connection.name:
            return
        taken = {e.connection.name for i, e in enumerate(self._entries) if i != self._current}
        if not new or new in taken:
            problem = (
                self.tr("A connection needs a name.")
                if not new
                else self.tr("There is already a connection named “%1”.").replace("%1", new)
            )
            self._set_status("error", problem)
            self.name_edit.setText(entry.connection.name)
            return
        entry.connection = entry.connection.model_copy(update={"name": new})
        entry.existing = False  # stored secrets are filed under the old name
        self.list.item(self._current).setText(new)
        self._build_form(self.form.params())

    def _add(self) -> None:
        self._commit()
        taken = {e.connection.name for e in self._entries}
        ctype = str(self.type_combo.currentData() or next(iter(self.types)))
        name = unique_name(self.tr("new connection"), taken)
        self._append(_Entry(Connection(name=name, type=ctype)))
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _duplicate(self) -> None:
        self._commit()
        source = self._entries[self._current]
        taken = {e.connection.name for e in self._entries}
        name = unique_name(self.tr("%1 copy").replace("%1", source.connection.name), taken)
        self._append(
            _Entry(
                source.connection.model_copy(update={"name": name}, deep=True),
                secrets=dict(source.secrets),
            )
        )

    def _append(self, entry: _Entry) -> None:
        self._entries.append(entry)
        self._add_item(entry.connection.name)
        self.list.setCurrentRow(len(self._entries) - 1)

    def _delete(self) -> None:
        row = self._current
        self._current = -1  # nothing to commit: it is going away
        del self._entries[row]
        self.list.takeItem(row)
        if not self._entries:
            self._select(-1)
        else:
            self.list.setCurrentRow(min(row, len(self._entries) - 1))

    # -- testing -------------------------------------------------------------------------------
    def start_test(self) -> None:
        """Test the selected connection on a worker thread; :attr:`tested` reports the outcome."""
        if self._current < 0:
            return
        if self.confirm_reach is not None and not self.confirm_reach():
            return  # an untrusted project, and the user said no: nothing is contacted
        self._commit()
        entry = self._entries[self._current]
        conn, typed = entry.connection, dict(entry.secrets)
        self._test_serial += 1
        serial = self._test_serial
        self.test_button.setEnabled(False)
        self.busy.show()
        self._set_status("info", self.tr("Testing “%1”…").replace("%1", conn.name))
        self._typed_under_test = typed
        name = conn.name
        submit(
            lambda: test_connection(
                conn,
                project=self.project_name,
                project_dir=self.project_dir,
                secrets=typed,
                variables=self.variables,
            ),
            on_done=lambda result: self._tested(serial, name, None, result),
            on_failed=lambda error: self._tested(
                serial, name, error if isinstance(error, BaseException) else None
            ),
            owner=self,
        )

    def _tested(
        self,
        serial: int,
        name: str,
        error: BaseException | None,
        security: TransportSecurity | None = None,
    ) -> None:
        if serial != self._test_serial:
            return  # a newer test was started
        self.test_button.setEnabled(True)
        self.busy.hide()
        self.transport.show_state(security if isinstance(security, TransportSecurity) else None)
        if error is None:
            message = self.tr("Connection “%1” works.").replace("%1", name)
        else:
            message = describe(error)
            for value in self._typed_under_test.values():
                message = message.replace(value, MASK)
        self._set_status("success" if error is None else "error", message)
        self.tested.emit(name, error is None, message)

    @property
    def status_text(self) -> str:
        """The status line as plain text (what the last action or test reported)."""
        return self._status_text

    def _set_status(self, level: str, text: str) -> None:
        self._status_text = text
        # let long paths wrap after each separator
        self.status.setText(text.replace("/", "/\u200b").replace("\\", "\\\u200b"))
        self.status_icon.setPixmap(icon(level).pixmap(20, 20) if level else QPixmap())

    # -- closing --------------------------------------------------------------------------------
    def accept(self) -> None:
        """Check every connection, save typed secrets to the store, then close."""
        self._commit()
        for row, entry in enumerate(self._entries):
            missing = self._missing(entry)
            if missing:
                self.list.setCurrentRow(row)
                self._set_status(
                    "error",
                    self.tr("“%1” needs: %2")
                    .replace("%1", entry.connection.name)
                    .replace("%2", ", ".join(missing)),
                )
                return
        try:
            for entry in self._entries:
                for field_name, value in entry.secrets.items():
                    store_connection_secret(
                        self.project_name, entry.connection.name, field_name, value
                    )
        except Exception as err:  # noqa: BLE001 - any store failure keeps the dialog open
            self._secret_store_failed(err)
            return
        self.connections = {e.connection.name: e.connection for e in self._entries}
        super().accept()

    def _missing(self, entry: _Entry) -> list[str]:
        ctype = self.types.get(entry.connection.type)
        if ctype is None:
            return []
        required = [n for n in ctype.schema.get("required", []) if n not in ctype.secrets]
        props = ctype.schema.get("properties", {})
        return [
            field_title(n, props.get(n, {}))
            for n in required
            if entry.connection.params.get(n) in (None, "")
        ]

    def _secret_store_failed(self, err: BaseException) -> None:
        text = self.tr(
            "The password could not be saved, so nothing was saved yet.\n\n"
            "Cauce keeps secrets in the operating system's keyring. Where there is none "
            "(servers, some Linux desktops), set the environment variable CAUCE_MASTER_KEY "
            "to a passphrase before starting Cauce: secrets are then kept encrypted in "
            "Cauce's data folder. A secret can also be given at run time in an environment "
            "variable CAUCE_SECRET_<CONNECTION>_<FIELD>."
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Secret store unavailable"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setInformativeText(describe(err))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._set_status("error", self.tr("The password could not be saved."))
