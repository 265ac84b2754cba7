"""The wizard's first page: the sync's name, its source connection and table, from the catalog,
and the sync's own reading choices for some columns (``source.read``).

The catalog is read (and, when none is stored yet or on "Refresh", refreshed) by
:mod:`app.services.catalog` on a worker thread; the page is busy meanwhile. The reading
choices shown are those the source's connector has (a SQLite source: "Read loosely"; a
MariaDB/MySQL source: "Booleans"), each a list of the chosen table's columns to tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QObject, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.services.catalog import CatalogTable, read_catalog, refresh_catalog
from app.services.errors import describe
from app.ui.icons import icon
from app.ui.syncs.models import CatalogModel
from app.ui.syncs.widgets import ColumnPicks
from app.ui.workers import emitter, submit

if TYPE_CHECKING:
    from app.ui.syncs.wizard import SyncWizard

__all__ = ["SourcePage"]


class _Progress(QObject):
    """Carries a refresh's progress from the worker thread to the page."""

    progress = Signal(int, int)


class SourcePage(QWizardPage):
    """Name the sync, pick the source connection and browse its catalog for the table."""

    #: a catalog load finished: number of tables listed (-1: it failed)
    catalog_loaded = Signal(int)

    def __init__(self, wizard: SyncWizard) -> None:
        super().__init__()
        self.state = wizard
        self.setTitle(self.tr("Source"))
        self.setSubTitle(self.tr("Name the sync and choose the table it reads."))
        self._serial = 0
        self._busy = False
        self._name_touched = wizard.existing is not None
        self._want = wizard.existing.source.table if wizard.existing else None
        #: reading choices to tick when the table is listed (the edited sync's)
        self._read_wanted: dict[str, list[str]] = (
            wizard.existing.source.read.model_dump() if wizard.existing else {}
        )
        self._picks_for: str | None = None
        # not a child of the page: a worker may still report progress after the page is gone
        self._relay = _Progress(wizard.task_owner)
        self._relay.progress.connect(self._progress)
        self._build()

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. invoices"))
        self.name_edit.textEdited.connect(self._name_edited)
        self.name_edit.textChanged.connect(self.completeChanged)
        self.connection_combo = QComboBox()
        self.connection_combo.currentIndexChanged.connect(self._connection_changed)
        self.refresh_button = QPushButton(icon("connection"), self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the connection's tables and columns again"))
        self.refresh_button.clicked.connect(lambda: self.load(refresh=True))
        self.busy = QProgressBar()
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.busy.hide()
        row = QHBoxLayout()
        row.addWidget(self.connection_combo, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.busy)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Connection"), row)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter tables"))
        self.filter_edit.setClearButtonEnabled(True)
        self.model = CatalogModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(CatalogModel.TABLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.tables = QTableView()
        self.tables.setModel(self.proxy)
        self.tables.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tables.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tables.setSortingEnabled(True)
        self.tables.sortByColumn(CatalogModel.TABLE, Qt.SortOrder.AscendingOrder)
        self.tables.verticalHeader().hide()
        self.tables.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        self.tables.setAlternatingRowColors(True)
        header = self.tables.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CatalogModel.TABLE, QHeaderView.ResizeMode.Stretch)
        self.tables.selectionModel().selectionChanged.connect(self._table_selected)
        self.status_icon = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status, 1)

        # one list per reading option any source connection of the project has
        self.picks: dict[str, ColumnPicks] = {}
        self.read_panel = QWidget()
        panel = QVBoxLayout(self.read_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        options = sorted({o for c in self.state.choices.values() for o in c.read})
        for option in options:
            self.picks[option] = ColumnPicks(option)
            panel.addWidget(self.picks[option])
        self.read_panel.hide()

        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.filter_edit)
        box.addWidget(self.tables, 1)
        box.addWidget(self.read_panel)
        box.addLayout(status_row)

    # -- QWizardPage ------------------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802
        if self.connection_combo.count():
            return  # coming back: keep the choice and the catalog
        existing = self.state.existing
        if existing is not None:
            self.name_edit.setText(existing.name)
        self.connection_combo.blockSignals(True)
        for role in self.state.roles:
            if role.source:
                self.connection_combo.addItem(
                    icon("connection"), f"{role.name}  ({role.label})", role.name
                )
        wanted = existing.source.connection if existing else None
        at = self.connection_combo.findData(wanted) if wanted else 0
        self.connection_combo.setCurrentIndex(max(at, 0))
        self.connection_combo.blockSignals(False)
        self._show_read_options()
        if self.connection_combo.count():
            self.load()
        else:
            self._set_status(
                "warning",
                self.tr(
                    "This project has no connection a sync can "
                    "read from. Add one under Connections."
                ),
            )

    def isComplete(self) -> bool:  # noqa: N802
        return (
            not self._busy
            and bool(self.name_edit.text().strip())
            and self.selected_table() is not None
        )

    def validatePage(self) -> bool:  # noqa: N802
        table = self.selected_table()
        self.state.set_source(self.connection(), table)
        return table is not None

    # -- state ------------------------------------------------------------------------------
    def connection(self) -> str:
        return str(self.connection_combo.currentData() or "")

    def read_options(self) -> tuple[str, ...]:
        """The reading options the chosen connection's connector has."""
        choices = self.state.choices.get(self.connection())
        return choices.read if choices else ()

    def read_choices(self) -> dict[str, list[str]]:
        """The sync's reading choices (``source.read``) as ticked, for the options that apply."""
        return {option: self.picks[option].ticked() for option in self.read_options()}

    def selected_table(self) -> CatalogTable | None:
        rows = self.tables.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_table(self, qualified: str) -> bool:
        """Select the table ``qualified`` (``schema.table``) if the catalog lists it."""
        row = self.model.row_of(qualified)
        if row < 0:
            return False
        self.filter_edit.clear()
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.tables.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tables.scrollTo(index)
        return True

    @property
    def is_busy(self) -> bool:
        return self._busy

    # -- loading the catalog ----------------------------------------------------------------
    def _connection_changed(self) -> None:
        existing = self.state.existing
        same = existing is not None and existing.source.connection == self.connection()
        self._read_wanted = existing.source.read.model_dump() if existing and same else {}
        self._picks_for = None
        for picks in self.picks.values():
            picks.list.clear()
        self._show_read_options()
        self.model.set_rows([])
        self.completeChanged.emit()
        self.load()

    def load(self, *, refresh: bool = False) -> None:
        """Read the connection's catalog on a worker thread (refresh it first if asked, or
        if none is stored yet)."""
        name, root = self.connection(), self.state.project_root
        if not name:
            return
        self._serial += 1
        report = emitter(self._relay, self._relay.progress)

        def work() -> list[CatalogTable]:
            tables = [] if refresh else read_catalog(root, name)
            if not tables:
                refresh_catalog(root, name, progress=report)
                tables = read_catalog(root, name)
            return tables

        self._set_busy(True)
        self._set_status(
            "info",
            (
                self.tr("Reading the tables of “%1”…")
                if refresh
                else self.tr("Loading the catalog of “%1”…")
            ).replace("%1", name),
        )
        serial = self._serial
        submit(
            work,
            on_done=lambda tables: self._loaded(serial, tables),
            on_failed=lambda error: self._failed(serial, error),
            owner=self,
        )

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self.busy.setRange(0, total)
        self.busy.setValue(done)

    def _loaded(self, serial: int, tables: object) -> None:
        if serial != self._serial:
            return  # a newer load was started
        assert isinstance(tables, list)
        keep = self.selected_table()
        self.model.set_rows(tables)
        self._set_busy(False)
        refreshed = max((t.refreshed_at for t in tables if t.refreshed_at), default=None)
        when = refreshed.astimezone().strftime("%Y-%m-%d %H:%M") if refreshed else "—"
        self._set_status(
            "info",
            self.tr("%1 tables and views; catalog read %2.")
            .replace("%1", str(len(tables)))
            .replace("%2", when),
        )
        wanted = keep.qualified if keep else self._want
        if wanted:
            self.select_table(wanted)
        self.catalog_loaded.emit(len(tables))

    def _failed(self, serial: int, error: object) -> None:
        if serial != self._serial:
            return
        self._set_busy(False)
        message = describe(error) if isinstance(error, BaseException) else str(error)
        self._set_status("error", message)
        self.catalog_loaded.emit(-1)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setRange(0, 0)
        self.busy.setVisible(busy)
        self.refresh_button.setEnabled(not busy)
        self.connection_combo.setEnabled(not busy)
        self.completeChanged.emit()

    def _set_status(self, level: str, text: str) -> None:
        self.status.setText(text)
        self.status_icon.setPixmap(icon(level).pixmap(18, 18) if level else QPixmap())

    # -- naming -----------------------------------------------------------------------------
    def _name_edited(self) -> None:
        self._name_touched = True

    def _table_selected(self) -> None:
        table = self.selected_table()
        if table is not None and not self._name_touched:
            self.name_edit.setText(table.name.lower())
        if table is not None and table.qualified != self._picks_for:
            self._list_columns(table)
        self.completeChanged.emit()

    # -- reading choices --------------------------------------------------------------------
    def _show_read_options(self) -> None:
        applies = self.read_options()
        for option, picks in self.picks.items():
            picks.setVisible(option in applies)
        self.read_panel.setVisible(bool(applies))

    def _list_columns(self, table: CatalogTable) -> None:
        """List the table's columns in each option's list, keeping the ticks of columns it
        also has (the edited sync's choices the first time)."""
        first = self._picks_for is None
        self._picks_for = table.qualified
        for option, picks in self.picks.items():
            ticked = self._read_wanted.get(option, []) if first else picks.ticked()
            picks.set_columns(table.columns, ticked)
