"""Interface language: which translation is installed, and the application's settings.

Translations are Qt Linguist files in ``resources/i18n/``: ``cauce_<lang>.ts`` (the source,
produced by ``pyside6-lupdate`` over ``app/ui``) and ``cauce_<lang>.qm`` (compiled by
``pyside6-lrelease``). ``resources/i18n/update.sh`` re-runs both. Qt's own strings (standard
buttons, file dialogs) come from the ``qtbase_<lang>.qm`` shipped with PySide6.

Widgets that stay open while the language changes retranslate themselves on
``QEvent.Type.LanguageChange``.

Numbers shown to the user follow the interface language (:func:`format_int`,
:func:`format_decimal`: ``12,345`` and ``0.91`` in English, ``12.345`` and ``0,91`` in
Spanish), and so do the run statuses the core reports in English (:func:`status_text`).

The core's own messages (compiler problems, component errors) are translated by
``app.i18n`` with gettext catalogs (``resources/locale/``): :func:`install_translator` switches
its language too, and the editor re-checks the pipeline on the language change so that its
problems are shown again in the new language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from app import i18n as core_i18n
from app.services.texts import TextFormats

__all__ = [
    "LANGUAGES",
    "I18N_DIR",
    "app_settings",
    "current_language",
    "default_language",
    "format_decimal",
    "format_int",
    "install_translator",
    "status_text",
    "ui_locale",
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
    core_i18n.set_language(language)  # before Qt's LanguageChange: re-checks speak it already
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, directory in ((f"qtbase_{language}", qt_dir), (f"cauce_{language}", I18N_DIR)):
            translator = QTranslator(app)
            if _load(translator, name, directory):
                app.installTranslator(translator)
                _installed.append(translator)
    _current = language
    return language


#: the locale of each interface language (number formats)
_LOCALES = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
    "es": (QLocale.Language.Spanish, QLocale.Country.Spain),
}


def ui_locale() -> QLocale:
    """The locale of the interface language (not the OS's): how numbers are written."""
    return QLocale(*_LOCALES.get(_current, _LOCALES["en"]))


def format_int(value: int) -> str:
    """A count (rows, columns) with the language's digit grouping: ``12,345``/``12.345``."""
    return ui_locale().toString(int(value))


def format_decimal(value: float, decimals: int = 2) -> str:
    """A decimal number (seconds) with the language's decimal mark: ``0.91``/``0,91``."""
    return ui_locale().toString(float(value), "f", decimals)


# The statuses the engine and the metadata DB report (``app.storage.records.RunStatus``,
# ``app.engine.executor.NodeStatus``): a run's or a sync's under ``RunStatus``, a node's under
# ``NodeStatus`` (Spanish agrees in gender: *ejecución correcta*, *nodo correcto*).
_RUN_STATUSES = {
    "pending": QT_TRANSLATE_NOOP("RunStatus", "pending"),
    "running": QT_TRANSLATE_NOOP("RunStatus", "running"),
    "succeeded": QT_TRANSLATE_NOOP("RunStatus", "succeeded"),
    "failed": QT_TRANSLATE_NOOP("RunStatus", "failed"),
    "cancelled": QT_TRANSLATE_NOOP("RunStatus", "cancelled"),
    "skipped": QT_TRANSLATE_NOOP("RunStatus", "skipped"),
}
_NODE_STATUSES = {
    "pending": QT_TRANSLATE_NOOP("NodeStatus", "pending"),
    "running": QT_TRANSLATE_NOOP("NodeStatus", "running"),
    "succeeded": QT_TRANSLATE_NOOP("NodeStatus", "succeeded"),
    "failed": QT_TRANSLATE_NOOP("NodeStatus", "failed"),
    "cancelled": QT_TRANSLATE_NOOP("NodeStatus", "cancelled"),
    "skipped": QT_TRANSLATE_NOOP("NodeStatus", "skipped"),
}


def status_text(status: str, node: bool = False) -> str:
    """A run's (or, with ``node``, a node's) status in the interface language.

    An unknown status is shown as given.
    """
    table, context = (_NODE_STATUSES, "NodeStatus") if node else (_RUN_STATUSES, "RunStatus")
    source = table.get(str(status))
    return QCoreApplication.translate(context, source) if source else str(status)


def text_formats(word: Callable[[str], str] = str) -> TextFormats:
    """How :func:`app.services.texts.event_text` writes for the interface: numbers in the
    interface language's format, statuses as the interface shows them, ``word`` for a placement
    or a sync mode."""
    return TextFormats(
        count=format_int,
        decimal=format_decimal,
        status=status_text,
        node_status=lambda status: status_text(status, node=True),
        word=word,
    )
