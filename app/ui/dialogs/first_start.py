"""The first start: where the metadata database lives, then initialise it or restore a backup.

Shown by :func:`app.ui.main.main` when the metadata database has not been set up (no SQLite
file, or no schema). The steps are those of ``cauce db init`` and ``cauce backup restore``:
choose a SQLite file or a PostgreSQL URL, *Test* it, then *Initialise* (optionally with the
Chinook example project) or *Restore* an archive (with its passphrase, if it holds secrets).
Every action calls :mod:`app.services.setup` or :mod:`app.services.backups` on the editor's
thread pool (:func:`app.ui.workers.submit`): while it works the dialog shows a busy bar and
keeps repainting, its fields and buttons are disabled and it cannot be closed; a failure is
shown under the buttons and leaves no half-initialised database (see
:func:`app.services.setup.initialise`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services import setup as setup_service
from app.services.backups import restore_backup
from app.services.errors import USER_ERRORS, describe
from app.services.workspace import Workspace
from app.ui.workers import submit

__all__ = ["FirstStartDialog"]

_OK, _BAD = "#1b7f3b", "#b3261e"
Work = Callable[[], str | None]  # runs on the pool: None when done, else why not


class FirstStartDialog(QDialog):
    """Choose the metadata database and set it up; ``db_url`` holds the choice once accepted."""

    def __init__(self, parent: QWidget | None = None, *, example_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_start")
        self.setWindowTitle(self.tr("Welcome to Cauce"))
        self.db_url: str | None = None
        self.example_dir = example_dir
        #: True while a test, an initialisation or a restore runs off the GUI thread
        self.working = False
        intro = QLabel(
            self.tr(
                "Cauce keeps pipelines, versions and runs in a metadata database. Choose where "
                "it lives, test it, then initialise it or restore a backup."
            )
        )
        intro.setWordWrap(True)

        where = QGroupBox(self.tr("Metadata database"))
        self.use_sqlite = QRadioButton(self.tr("A SQLite file on this computer"))
        self.use_postgres = QRadioButton(self.tr("A PostgreSQL server (for teams)"))
        self.use_sqlite.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_sqlite)
        group.addButton(self.use_postgres)
        self.sqlite_file = QLineEdit(str(setup_service.default_database_url()).split("///", 1)[-1])
        self.sqlite_file.setObjectName("sqlite_file")
        self.postgres_url = QLineEdit()
        self.postgres_url.setObjectName("postgres_url")
        self.postgres_url.setPlaceholderText(self.tr("postgresql://user@host:5432/cauce"))
        form = QFormLayout(where)
        form.addRow(self.use_sqlite)
        form.addRow(self.tr("File:"), self.sqlite_file)
        form.addRow(self.use_postgres)
        form.addRow(self.tr("URL:"), self.postgres_url)
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.setObjectName("test_button")
        form.addRow(self.test_button)

        start = QGroupBox(self.tr("Start with"))
        self.with_example = QCheckBox(self.tr("Add the Chinook example project"))
        self.init_button = QPushButton(self.tr("Initialise a new database"))
        self.init_button.setObjectName("init_button")
        self.backup_file = QLineEdit()
        self.backup_file.setObjectName("backup_file")
        self.backup_file.setPlaceholderText(self.tr("backup archive (.cauce-backup)"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("passphrase of its secrets (optional)"))
        self.restore_button = QPushButton(self.tr("Restore from this backup"))
        self.restore_button.setObjectName("restore_button")
        pick = QHBoxLayout()
        pick.addWidget(self.backup_file, 1)
        pick.addWidget(browse)
        box = QVBoxLayout(start)
        box.addWidget(self.with_example)
        box.addWidget(self.init_button)
        box.addLayout(pick)
        box.addWidget(self.passphrase)
        box.addWidget(self.restore_button)

        self.busy = QProgressBar()
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # indeterminate: migrations report no progress
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.where_box, self.start_box = where, start
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addWidget(start)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)

        self.test_button.clicked.connect(self.test)
        self.init_button.clicked.connect(self.initialise)
        self.restore_button.clicked.connect(self.restore)
        self.use_sqlite.toggled.connect(self._sync_enabled)
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        self.sqlite_file.setEnabled(self.use_sqlite.isChecked())
        self.postgres_url.setEnabled(self.use_postgres.isChecked())

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Backup archive"), "", self.tr("Cauce backups (*.cauce-backup)")
        )
        if chosen:
            self.backup_file.setText(chosen)

    def chosen_url(self) -> str:
        if self.use_postgres.isChecked():
            return self.postgres_url.text().strip()
        return setup_service.default_database_url(Path(self.sqlite_file.text().strip()))

    def _say(self, text: str, ok: bool | None) -> None:
        """Show ``text`` under the buttons: green when ``ok``, red when not, plain for news."""
        self.status.setText(text)
        colour = "" if ok is None else f"color: {_OK if ok else _BAD};"
        self.status.setStyleSheet(colour)

    # -- work off the GUI thread -------------------------------------------------------------
    def _run(self, label: str, work: Work, done: Callable[[], None]) -> None:
        """Run ``work`` on the pool behind the busy bar; ``done`` runs when it returns None."""
        self._set_working(True)
        self._say(label, None)

        def finished(problem: Any) -> None:
            self._set_working(False)
            if problem:
                self._say(str(problem), False)
            else:
                done()

        submit(work, on_done=finished, on_failed=self._failed, owner=self)

    def _failed(self, err: BaseException) -> None:
        self._set_working(False)
        if isinstance(err, USER_ERRORS):
            self._say(describe(err), False)
        else:  # a bug or an unexpected failure: still said, never a frozen or vanished dialog
            self._say(self.tr("Failed: %1").replace("%1", describe(err)), False)

    def _set_working(self, working: bool) -> None:
        self.working = working
        self.where_box.setEnabled(not working)
        self.start_box.setEnabled(not working)
        self.busy.setVisible(working)

    def reject(self) -> None:
        if not self.working:  # Escape while the database is being set up: keep waiting
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.working:
            event.ignore()
            return
        super().closeEvent(event)

    # -- the buttons ---------------------------------------------------------------------------
    def _url_or_say(self) -> str | None:
        url = self.chosen_url()
        if not url:
            self._say(self.tr("Enter a PostgreSQL URL first."), False)
            return None
        return url

    def test(self) -> None:
        """Can the chosen database be reached? The answer is shown under the buttons."""
        url = self._url_or_say()
        if url is None:
            return
        self._run(
            self.tr("Connecting…"),
            lambda: setup_service.test_database(url),
            lambda: self._say(self.tr("Connected."), True),
        )

    def initialise(self) -> None:
        """Test the database, then create its schema (and copy the example when ticked)."""
        url = self._url_or_say()
        if url is None:
            return
        example = self.example_dir if self.with_example.isChecked() else None

        def work() -> str | None:
            problem = setup_service.test_database(url)
            if problem is None:
                setup_service.initialise(Workspace.open(url), example=example)
            return problem

        self._run(self.tr("Initialising the metadata database…"), work, lambda: self._done(url))

    def restore(self) -> None:
        """Test the database, then restore the chosen backup archive into it."""
        archive = self.backup_file.text().strip()
        if not archive:
            self._say(self.tr("Choose a backup archive first."), False)
            return
        url = self._url_or_say()
        if url is None:
            return
        passphrase = self.passphrase.text() or None

        def work() -> str | None:
            problem = setup_service.test_database(url)
            if problem is None:
                restore_backup(Path(archive), passphrase=passphrase, workspace=Workspace.open(url))
            return problem

        self._run(self.tr("Restoring the backup…"), work, lambda: self._done(url))

    def _done(self, url: str) -> None:
        self.db_url = url
        self.accept()
