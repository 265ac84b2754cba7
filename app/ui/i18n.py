"""Interface language: which translation is installed, and the application's settings.

Translations are Qt Linguist files in ``resources/i18n/``: ``cauce_<lang>.ts`` (the source,
produced by ``pyside6-lupdate`` over ``app/ui``) and ``cauce_<lang>.qm`` (compiled by
``pyside6-lrelease``). ``resources/i18n/update.sh`` re-runs both. Qt's own strings (standard
buttons, file dialogs) come from the ``qtbase_<lang>.qm`` shipped with PySide6.

Widgets that stay open while the language changes retranslate themselves on
``QEvent.Type.LanguageChange``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

__all__ = [
    "LANGUAGES",
    "I18N_DIR",
    "app_settings",
    "current_language",
    "default_language",
    "install_translator",
]

#: language code -> its name in that language (what a language menu shows)
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"
SETTINGS_ORG = SETTINGS_APP = "Cauce"
LANGUAGE_KEY = "ui/language"

_installed: list[QTranslator] = []
_current = "en"


def app_settings() -> QSettings:
    """Cauce's user settings (organization "Cauce", application "Cauce")."""
    return QSettings(SETTINGS_ORG, SETTINGS_APP)


def default_language(locale: QLocale | None = None) -> str:
    """Spanish when the OS locale is Spanish, otherwise English."""
    locale = locale or QLocale.system()
    return "es" if locale.language() == QLocale.Language.Spanish else "en"


def current_language() -> str:
    """The code of the language installed last (``en`` before any)."""
    return _current


def _load(translator: QTranslator, name: str, directory: Path | str) -> bool:
    return translator.load(name, str(directory))


def install_translator(app: QCoreApplication, language: str | None = None) -> str:
    """Install the translation for ``language`` (saved setting, else the OS default).

    Removes the previously installed translators first, so calling it again switches the
    language of a running application. Unknown codes fall back to English.

    Returns:
        The language code now in use.
    """
    global _current
    if language is None:
        saved = app_settings().value(LANGUAGE_KEY)
        language = str(saved) if saved else default_language()
    if language not in LANGUAGES:
        language = "en"
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, directory in ((f"qtbase_{language}", qt_dir),
                                (f"cauce_{language}", I18N_DIR)):
            translator = QTranslator(app)
            if _load(translator, name, directory):
                app.installTranslator(translator)
                _installed.append(translator)
    _current = language
    return language
