"""About Cauce: version, the Qt and Python it runs on, licence, and where the docs are."""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import app
from app.ui.icons import app_icon

__all__ = ["DOCS_DIR", "LICENCE", "AboutDialog"]

LICENCE = "Apache-2.0"
#: the documentation shipped with the sources
DOCS_DIR = Path(__file__).resolve().parents[3] / "docs"


class AboutDialog(QDialog):
    """Name, version, Qt/PySide6 and Python versions, licence, and a link to the docs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Cauce"))
        self.setWindowIcon(app_icon())
        logo = QLabel()
        side = self.fontMetrics().height() * 4
        logo.setPixmap(app_icon().pixmap(side, side))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(f"<h2>Cauce {app.__version__}</h2>")
        self.tagline = QLabel(
            self.tr(
                "A desktop studio to draw data pipelines, compile them "
                "to SQL and run them locally or in the warehouse."
            )
        )
        self.tagline.setWordWrap(True)
        self.versions = QLabel(
            self.tr("Qt %1 · PySide6 %2 · Python %3")
            .replace("%1", qVersion())
            .replace("%2", PySide6.__version__)
            .replace("%3", platform.python_version())
        )
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licence = QLabel(self.tr("Licensed under the %1 licence.").replace("%1", LICENCE))
        self.docs = QLabel()
        self.docs.setOpenExternalLinks(True)
        if DOCS_DIR.is_dir():
            url = QUrl.fromLocalFile(str(DOCS_DIR)).toString()
            link = self.tr("Documentation")
            self.docs.setText(f'<a href="{url}">{link}</a>')
        else:
            self.docs.setText(self.tr("Documentation: the docs folder of the Cauce sources."))
        text = QVBoxLayout()
        for label in (self.title, self.tagline, self.versions, self.licence, self.docs):
            text.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(logo)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        row.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
