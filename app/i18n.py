"""The core's messages in the user's language: standard ``gettext`` catalogs, no Qt.

The compiler and the components (``app.engine``, ``app.nodes``) mark every message a user
reads with :func:`_` (or :func:`ngettext` when it counts something), with *named*
placeholders filled in after translation, so that a translation can reorder them::

    raise ctx.error(_("unknown column {column!r} (available: {available})").format(
        column=name, available=names), param)

:func:`_` looks the message up in the current language *when it is called*: set the language
once with :func:`set_language` (the GUI calls it together with its own Qt translator; the CLI
takes ``CAUCE_LANG`` from the environment) and every message created afterwards follows.
The language is process-wide, like the GUI's: compiles on worker threads see it too.

Catalogs are ``resources/locale/<lang>/LC_MESSAGES/cauce.po`` (the source, edited by
translators) and ``cauce.mo`` (compiled, what is loaded; committed, so running Cauce never
needs Babel). ``resources/locale/update.sh`` re-extracts, merges and compiles them with
Babel's ``pybabel``. English is the source language: it needs no catalog.

>>> set_language("en")
'en'
>>> _("is required")
'is required'
>>> set_language("es")
'es'
>>> _("is required")
'es obligatorio'
>>> ngettext("the pipeline has {count} problem(s):", "the pipeline has {count} problem(s):",
...          2).format(count=2)
'la canalización tiene 2 problemas:'
>>> set_language("xx")  # unknown codes fall back to English
'en'
"""

from __future__ import annotations

import gettext as _gettext
import logging
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "default_language",
    "gettext",
    "ngettext",
    "set_language",
]

DOMAIN = "cauce"
#: the languages Cauce speaks (English is the source language)
LANGUAGES = ("en", "es")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "resources" / "locale"
#: the environment variable that chooses the core's language (the CLI's, mainly)
ENV_VAR = "CAUCE_LANG"

_log = logging.getLogger(__name__)
_catalogs: dict[str, _gettext.NullTranslations] = {}


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language ``CAUCE_LANG`` asks for (``es``, ``es_ES.UTF-8``, ``en``…), else English.

    The OS locale (``LANG``) is deliberately not followed: scripts and logs that read the
    CLI's messages keep getting English unless ``CAUCE_LANG`` says otherwise. The GUI
    chooses its language itself (its setting, else the OS locale) and calls
    :func:`set_language`.

    >>> default_language({"CAUCE_LANG": "es_ES.UTF-8"}), default_language({"LANG": "es_ES"})
    ('es', 'en')
    """
    environ = os.environ if environ is None else environ
    return _normalise(environ.get(ENV_VAR, ""))


def _normalise(code: str) -> str:
    base = code.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return base if base in LANGUAGES else "en"


_current = default_language()


def _catalog(language: str) -> _gettext.NullTranslations:
    catalog = _catalogs.get(language)
    if catalog is None:
        if language == "en":
            catalog = _gettext.NullTranslations()
        else:
            try:
                catalog = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
            except OSError:  # a broken install: say so once, and speak English
                _log.warning("no %s catalog in %s: messages stay in English", language, LOCALE_DIR)
                catalog = _gettext.NullTranslations()
        _catalogs[language] = catalog
    return catalog


def set_language(language: str | None = None) -> str:
    """Use ``language`` (``en``/``es``; ``None``: :func:`default_language`) from now on.

    Unknown codes fall back to English. Returns the code now in use.
    """
    global _current
    _current = default_language() if language is None else _normalise(language)
    return _current


def current_language() -> str:
    """The code of the language messages are translated into now."""
    return _current


def gettext(message: str) -> str:
    """``message`` in the current language (as given when it has no translation)."""
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _catalog(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it (a table of texts that are
    translated where they are used, with ``gettext(text)``)."""
    return message


_ = gettext
