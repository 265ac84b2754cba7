"""Exporting a project as a ``.cauce`` bundle and importing one, with a preview before writing.

Both run the same services as ``cauce export`` / ``cauce import`` (``app.services.bundles``),
on a worker thread behind a busy indicator. File pickers are injectable (``choose_*``
keyword arguments) so tests can drive the flow without native dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication as QCA
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.bundles import (
    ImportPreview,
    apply_preview,
    export_project,
    is_encrypted_bundle,
    preview_import,
)
from app.services.errors import USER_ERRORS, describe
from app.ui.dialogs.passphrase import PassphraseDialog
from app.ui.icons import icon
from app.ui.workers import run_busy

__all__ = [
    "ImportPreviewDialog",
    "export_bundle_interactive",
    "import_bundle_interactive",
    "show_message",
]

#: plan kind -> (icon, colour of the kind's text)
_KINDS = {
    "added": ("add", "#2da44e"),
    "changed": ("rename", "#d29922"),
    "layout only": ("pipeline", None),
    "removed": ("remove", "#e5534b"),
    "unchanged": ("success", None),
}


def _kind_label(kind: str) -> str:
    labels = {
        "added": QCA.translate("Bundles", "added"),
        "changed": QCA.translate("Bundles", "changed"),
        "layout only": QCA.translate("Bundles", "layout only"),
        "unchanged": QCA.translate("Bundles", "unchanged"),
        "removed": QCA.translate("Bundles", "removed"),
    }
    return labels.get(kind, kind)


def _item_label(item: str) -> str:
    labels = {
        "project": QCA.translate("Bundles", "Project"),
        "connection": QCA.translate("Bundles", "Connections"),
        "pipeline": QCA.translate("Bundles", "Pipelines"),
        "data": QCA.translate("Bundles", "Data files"),
    }
    return labels.get(item, item)


_OPEN: set[QMessageBox] = set()


def show_message(
    parent: QWidget | None, level: str, title: str, text: str, details: str = ""
) -> QMessageBox:
    """Show a message without blocking (window-modal when there is a parent)."""
    icons = {
        "info": QMessageBox.Icon.Information,
        "warning": QMessageBox.Icon.Warning,
        "error": QMessageBox.Icon.Critical,
    }
    box = QMessageBox(
        icons.get(level, QMessageBox.Icon.Information),
        title,
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    if details:
        box.setInformativeText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    _OPEN.add(box)
    box.finished.connect(lambda _r, b=box: _OPEN.discard(b))
    box.open()
    return box


# -- export -----------------------------------------------------------------------------------
def _choose_export_target(parent: QWidget | None, suggested: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        QCA.translate("Bundles", "Export project"),
        str(suggested),
        QCA.translate("Bundles", "Cauce bundles (*.cauce)"),
    )
    if not path:
        return None
    return Path(path) if path.endswith(".cauce") else Path(path + ".cauce")


def _ask_encryption(parent: QWidget | None) -> str | None:
    """The export's passphrase, ``""`` for none, ``None`` when cancelled."""
    dialog = PassphraseDialog(parent, confirm=True)
    try:
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def _ask_passphrase(parent: QWidget | None, bundle: Path) -> str | None:
    """An encrypted bundle's passphrase, ``None`` when cancelled."""
    dialog = PassphraseDialog(parent, confirm=False, bundle=bundle.name)
    try:
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def export_bundle_interactive(
    parent: QWidget | None,
    project_root: Path,
    *,
    choose_target: Callable[[QWidget | None, Path], Path | None] = _choose_export_target,
    ask_encryption: Callable[[QWidget | None], str | None] = _ask_encryption,
) -> Path | None:
    """Ask where to write the bundle and whether to encrypt it, export the project there, and
    say how it went.

    Returns:
        The bundle written, or ``None`` when cancelled or failed (the error was shown).
    """
    target = choose_target(parent, project_root.parent / f"{project_root.name}.cauce")
    if target is None:
        return None
    passphrase = ask_encryption(parent)
    if passphrase is None:
        return None
    try:
        summary = run_busy(
            parent,
            QCA.translate("Bundles", "Exporting…"),
            lambda: export_project(project_root, target, passphrase=passphrase or None),
        )
    except (*USER_ERRORS, OSError) as err:
        show_message(
            parent,
            "error",
            QCA.translate("Bundles", "Export failed"),
            QCA.translate("Bundles", "The project could not be exported."),
            describe(err),
        )
        return None
    show_message(
        parent,
        "info",
        QCA.translate("Bundles", "Project exported"),
        QCA.translate("Bundles", "The bundle was written to %1.").replace("%1", str(target)),
        summary,
    )
    return target


# -- import -----------------------------------------------------------------------------------
class ImportPreviewDialog(QDialog):
    """What an import would change, item by item; "Import" applies it, Cancel writes nothing."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(self.tr("Import %1").replace("%1", preview.bundle.name))
        self.setWindowIcon(icon("import"))
        where = (
            self.tr("It replaces the project in %1.")
            if preview.target_exists
            else self.tr("It creates %1.")
        ).replace("%1", str(preview.target))
        self.header = QLabel(
            self.tr("Importing project “%1”.").replace("%1", preview.project_name) + " " + where
        )
        self.header.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Item"), self.tr("Change"), self.tr("Details")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self._fill()
        order = list(_KINDS)
        counts = dict(
            sorted(
                preview.counts().items(),
                key=lambda kv: order.index(kv[0]) if kv[0] in order else 99,
            )
        )
        self.summary = QLabel(
            ", ".join(f"{n} {_kind_label(k)}" for k, n in counts.items())
            if preview.has_changes
            else self.tr("Nothing to import: the project is already up to date.")
        )
        # a project from elsewhere: what it would do, and whether this machine lets it run
        self.access = QLabel(
            self.tr("Once imported, this project would:")
            + "\n"
            + "\n".join("• " + line for line in preview.access)
        )
        self.access.setWordWrap(True)
        self.access.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trust_box = QCheckBox(self.tr("I trust this project: let it run on this machine"))
        self.trust_box.setToolTip(
            self.tr("Without this, the project is imported but asks again before it runs.")
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setIcon(icon("import"))
        self.apply_button.setEnabled(preview.has_changes)
        self.apply_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.access)
        layout.addWidget(self.trust_box)
        layout.addWidget(self.buttons)
        em = self.fontMetrics().averageCharWidth()
        self.resize(em * 96, self.fontMetrics().height() * 26)

    def _fill(self) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for entry in self.preview.items:
            group = groups.get(entry.item)
            if group is None:
                group = QTreeWidgetItem(self.tree, [_item_label(entry.item)])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                groups[entry.item] = group
            glyph, color = _KINDS.get(entry.kind, ("info", None))
            row = QTreeWidgetItem(group, [entry.name, _kind_label(entry.kind), entry.detail])
            row.setIcon(1, icon(glyph, color))
            row.setToolTip(2, entry.detail)
        for name in self.preview.kept:
            QTreeWidgetItem(
                self.tree,
                [name, self.tr("kept"), self.tr("not part of the project; left as it is")],
            )
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def rows(self) -> list[tuple[str, str, str]]:
        """(item group, name, change) of every row shown, for checks and tests."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            out += [
                (group.text(0), group.child(j).text(0), group.child(j).text(1))
                for j in range(group.childCount())
            ]
        return out


def _choose_bundle(parent: QWidget | None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(
        parent,
        QCA.translate("Bundles", "Import a bundle"),
        "",
        QCA.translate("Bundles", "Cauce bundles (*.cauce)"),
    )
    return Path(path) if path else None


def _choose_dir(parent: QWidget | None) -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, QCA.translate("Bundles", "Import into folder"))
    return Path(path) if path else None


def _confirm(dialog: ImportPreviewDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def import_bundle_interactive(
    parent: QWidget | None,
    *,
    choose_bundle: Callable[[QWidget | None], Path | None] = _choose_bundle,
    choose_dir: Callable[[QWidget | None], Path | None] = _choose_dir,
    confirm: Callable[[ImportPreviewDialog], bool] = _confirm,
    ask_passphrase: Callable[[QWidget | None, Path], str | None] = _ask_passphrase,
) -> Path | None:
    """Pick a bundle and a folder, preview the import, and apply it atomically if confirmed.

    The folder is the project directory when it is empty or a Cauce project; otherwise the
    project goes into a sub-folder named after it. A broken bundle is reported (naming the
    faulty member) and nothing is written.

    Returns:
        The imported project directory, or ``None`` (cancelled, nothing to do, or failed).
    """
    bundle = choose_bundle(parent)
    if bundle is None:
        return None
    destination = choose_dir(parent)
    if destination is None:
        return None
    passphrase: str | None = None
    if is_encrypted_bundle(bundle):
        passphrase = ask_passphrase(parent, bundle)
        if passphrase is None:
            return None
    try:
        preview = run_busy(
            parent,
            QCA.translate("Bundles", "Checking the bundle…"),
            lambda: preview_import(bundle, destination, passphrase=passphrase),
        )
    except (*USER_ERRORS, OSError) as err:
        show_message(
            parent,
            "error",
            QCA.translate("Bundles", "Cannot import this bundle"),
            QCA.translate("Bundles", "%1 failed its checks; nothing was written.").replace(
                "%1", bundle.name
            ),
            describe(err),
        )
        return None
    dialog = ImportPreviewDialog(preview, parent)
    try:
        if not confirm(dialog):
            return None
        trusted = dialog.trust_box.isChecked()
    finally:
        dialog.deleteLater()
    try:
        target = run_busy(
            parent,
            QCA.translate("Bundles", "Importing…"),
            lambda: apply_preview(preview, trusted=trusted),
        )
    except (*USER_ERRORS, OSError) as err:
        show_message(
            parent,
            "error",
            QCA.translate("Bundles", "Import failed"),
            QCA.translate("Bundles", "Nothing was changed."),
            describe(err),
        )
        return None
    show_message(
        parent,
        "info",
        QCA.translate("Bundles", "Project imported"),
        QCA.translate("Bundles", "Project “%1” is in %2.")
        .replace("%1", preview.project_name)
        .replace("%2", str(target)),
    )
    return Path(target)
