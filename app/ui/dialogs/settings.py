"""Preferences: interface language and theme, kept in QSettings and applied live."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import LANGUAGE_KEY, LANGUAGES, app_settings, current_language, install_translator
from app.ui.icons import icon
from app.ui.theme import THEME_KEY, THEMES, apply_theme, current_theme

__all__ = ["SettingsDialog"]


class SettingsDialog(QDialog):
    """Language (English, Español) and theme (follow the system, light, dark).

    Apply and OK save the choice (organization "Cauce", application "Cauce") and switch the
    running application at once; Cancel keeps what was applied last.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowIcon(icon("settings"))
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)  # each language in its own words
        self.theme_combo = QComboBox()
        for mode in THEMES:
            self.theme_combo.addItem("", mode)
        settings = app_settings()
        language = str(settings.value(LANGUAGE_KEY, current_language()) or current_language())
        theme = str(settings.value(THEME_KEY, current_theme()[0]) or "system")
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(language), 0))
        self.theme_combo.setCurrentIndex(max(self.theme_combo.findData(theme), 0))
        self.language_label = QLabel()
        self.theme_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        self.theme_label.setBuddy(self.theme_combo)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.theme_label, self.theme_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)

    def retranslate(self) -> None:
        """Set every text again in the current language."""
        self.setWindowTitle(self.tr("Settings"))
        self.language_label.setText(self.tr("&Language"))
        self.theme_label.setText(self.tr("&Theme"))
        names = {
            "system": self.tr("Follow system"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for i in range(self.theme_combo.count()):
            self.theme_combo.setItemText(i, names[self.theme_combo.itemData(i)])
        self.note.setText(self.tr("Changes apply at once to every open window."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def theme(self) -> str:
        return str(self.theme_combo.currentData())

    def apply(self) -> None:
        """Save the choices and switch the running application to them."""
        settings = app_settings()
        settings.setValue(LANGUAGE_KEY, self.language())
        settings.setValue(THEME_KEY, self.theme())
        settings.sync()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_translator(app, self.language())
            apply_theme(app, self.theme())

    def accept(self) -> None:
        self.apply()
        super().accept()
