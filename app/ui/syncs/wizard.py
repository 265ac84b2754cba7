"""The sync wizard: source, destinations, mode and keys, columns, summary; Finish saves.

The wizard holds what the pages share (the project, its connections, the chosen source table
and, when editing, the definition being edited). Saving goes through
:func:`app.services.syncs.save_sync_definition` off the GUI thread; an invalid definition shows
the model's message on the summary page and the wizard stays open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget, QWizard

from app.services.catalog import CatalogTable, ConnectionRole
from app.services.errors import describe
from app.services.syncs import (
    SyncChoices,
    SyncDefinition,
    save_sync_definition,
    sync_choices,
    validate_sync_definition,
)
from app.ui.icons import icon
from app.ui.syncs.destinations_page import DestinationsPage
from app.ui.syncs.pages import ColumnsPage, OptionsPage, SummaryPage
from app.ui.syncs.source_page import SourcePage
from app.ui.workers import run_busy

__all__ = ["SyncWizard"]


class SyncWizard(QWizard):
    """Define a new sync, or edit ``existing``, of the project in ``project_root``.

    Args:
        project_root: The project directory (``syncs/<name>.json`` is written there).
        roles: The project's connections and what each can be (source, destination).
        existing: The sync to edit, or ``None`` for a new one.
        parent: Parent widget; it also owns the worker tasks (see :attr:`task_owner`).

    After ``exec()`` returns ``Accepted``, :attr:`saved_name` and :attr:`saved_path` say what
    was written.
    """

    #: the definition was written: (sync name, file path)
    saved = Signal(str, str)

    def __init__(
        self,
        project_root: Path,
        roles: list[ConnectionRole],
        existing: SyncDefinition | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = Path(project_root)
        self.roles = list(roles)
        #: per connection: the sync settings its connector has (reading options, enums)
        self.choices: dict[str, SyncChoices] = {r.name: sync_choices(r.type) for r in roles}
        self.existing = existing
        #: worker tasks report to this object, which outlives the wizard when it has a parent
        self.task_owner: QObject = parent or self
        self.source_connection = existing.source.connection if existing else ""
        self.source_table: CatalogTable | None = None
        self.saved_name: str | None = None
        self.saved_path: Path | None = None
        self.setWindowTitle(
            self.tr("Edit sync “%1”").replace("%1", existing.name)
            if existing
            else self.tr("New sync")
        )
        self.setWindowIcon(icon("pipeline"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.source_page = SourcePage(self)
        self.destinations_page = DestinationsPage(self)
        self.options_page = OptionsPage(self)
        self.columns_page = ColumnsPage(self)
        self.summary_page = SummaryPage(self)
        for page in (
            self.source_page,
            self.destinations_page,
            self.options_page,
            self.columns_page,
            self.summary_page,
        ):
            self.addPage(page)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.setMinimumSize(em * 110, line * 40)

    def set_source(self, connection: str, table: CatalogTable | None) -> None:
        """Called by the source page when the user moves on."""
        self.source_connection, self.source_table = connection, table

    def definition_data(self) -> dict[str, Any]:
        """The sync as the pages describe it now (a dict in the sync file's shape)."""
        table = self.source_table
        data: dict[str, Any] = {
            "name": self.source_page.name_edit.text().strip(),
            "source": {
                "connection": self.source_connection,
                "table": table.qualified if table else None,
                "read": self.source_page.read_choices(),
            },
            "destinations": self.destinations_page.destinations(),
            **self.options_page.options(),
            "columns": self.columns_page.columns(),
            "rename": self.columns_page.renames(),
            "masks": self.columns_page.masks.masks(),
        }
        if self.existing is not None:  # what the wizard does not edit stays as it was
            data["description"] = self.existing.description
            data["batch_rows"] = self.existing.batch_rows
            _keep_type_settings(data, self.existing)
        return data

    def source_columns(self) -> list[str] | None:
        table = self.source_table
        return [c.name for c in table.columns] if table and table.columns else None

    def problem(self, data: dict[str, Any]) -> str | None:
        """Why ``data`` cannot be saved, or ``None`` (a pure check, no files)."""
        try:
            validate_sync_definition(data, source_columns=self.source_columns())
        except ValueError as err:
            return _message(err)
        return None

    def accept(self) -> None:
        """Save the definition; on failure show why and stay open."""
        data = self.definition_data()
        previous = self.existing.name if self.existing else None
        root, columns = self.project_root, self.source_columns()
        try:
            path = run_busy(
                self,
                self.tr("Saving the sync…"),
                lambda: save_sync_definition(root, data, previous=previous, source_columns=columns),
            )
        except Exception as err:  # noqa: BLE001 - any failure is shown, the wizard stays open
            self.summary_page.show_problem(_message(err))
            return
        self.saved_name, self.saved_path = str(data["name"]), Path(path)
        self.saved.emit(self.saved_name, str(path))
        super().accept()


def _message(err: BaseException) -> str:
    """The problem without the file name a project error starts with (the user sees no file)."""
    problem = getattr(err, "problem", None)
    return str(problem) if problem else describe(err)


def _keep_type_settings(data: dict[str, Any], existing: SyncDefinition) -> None:
    """Keep the settings the wizard does not edit: ``lookback`` and the ``column_types`` of
    the columns still selected."""
    data["lookback"] = existing.lookback
    selected = data["columns"]
    data["column_types"] = {
        c: t for c, t in existing.column_types.items() if selected is None or c in selected
    }
