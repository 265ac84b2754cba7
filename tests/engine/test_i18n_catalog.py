"""The Spanish catalog of the core is complete, consistent and compiled.

Fails when a message marked with ``_()``/``ngettext()``/``N_()`` in ``app/engine``,
``app/nodes``, ``app/connectors``, ``app/services``, ``app/storage`` or the CLI
(``app/cli*.py``) has no Spanish
translation in ``cauce.po`` (run ``resources/locale/update.sh``, translate, run it again), when
a translation loses or renames a ``{placeholder}`` (``.format`` would raise), or when
``cauce.mo`` is older than ``cauce.po``.
"""

from __future__ import annotations

import ast
import gettext
import string
from pathlib import Path

from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from app.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "app" / "model",
    ROOT / "app" / "engine",
    ROOT / "app" / "nodes",
    ROOT / "app" / "connectors",
    ROOT / "app" / "services",
    ROOT / "app" / "storage",
]
#: single modules scanned besides the directories (the CLI's own texts: every app/cli*.py)
MODULES = sorted((ROOT / "app").glob("cli*.py")) + [ROOT / "app" / "notebook.py"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _marked() -> dict[str | tuple[str, ...], str]:
    """Every marked message of the core -> where it is."""
    found: dict[str | tuple[str, ...], str] = {}
    for directory in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(directory), keywords=KEYWORDS, comment_tags=()
        ):
            found.setdefault(message, f"{directory.name}/{filename}:{lineno}")
    for module in MODULES:
        with open(module, "rb") as f:
            for lineno, message, _comments, _context in extract(
                "python", f, keywords=KEYWORDS, comment_tags=()
            ):
                found.setdefault(message, f"{module.name}:{lineno}")
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_the_core_marks_messages() -> None:
    marked = _marked()
    assert "is required" in marked
    assert "unknown column {column!r} (available: {available})" in marked
    assert "these ports are already connected" in marked  # app/model/pipeline.py
    assert "unsafe member name: '..' component" in marked  # app/storage/bundle_format.py
    assert "checksum mismatch: the member is not the one the manifest lists" in marked
    assert "error: {error}" in marked  # the CLI


def test_every_marked_message_is_translated() -> None:
    for lang in TRANSLATED:
        catalog = _catalog(lang)
        missing = []
        for message, where in sorted(_marked().items(), key=lambda item: item[1]):
            msgid = message[0] if isinstance(message, tuple) else message
            entry = catalog.get(msgid)
            strings = entry.string if entry is not None else ""
            strings = strings if isinstance(strings, tuple) else (strings,)
            if entry is None or entry.fuzzy or not all(strings):
                missing.append(f"{where}: {msgid!r}")
        assert not missing, (
            f"untranslated in {lang} (run resources/locale/update.sh and "
            "translate):\n" + "\n".join(missing)
        )


def test_translations_keep_the_placeholders() -> None:
    for lang in TRANSLATED:
        wrong = []
        for entry in _catalog(lang):
            if not entry.id:
                continue
            ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            wanted = set().union(*(_fields(i) for i in ids))
            wrong += [f"{ids[0]!r} -> {s!r}" for s in strings if s and _fields(s) != wanted]
        assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_compiled_catalog_matches_its_source() -> None:
    for lang in TRANSLATED:
        mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with open(mo, "rb") as f:
            compiled = gettext.GNUTranslations(f)
        stale = []
        for entry in _catalog(lang):
            if not entry.id or entry.fuzzy:
                continue
            if isinstance(entry.id, tuple):
                got = tuple(compiled.ngettext(entry.id[0], entry.id[1], n) for n in (1, 2))
                want = (entry.string[0], entry.string[1])
            else:
                got, want = compiled.gettext(entry.id), entry.string
            if got != want:
                stale.append(f"{entry.id!r}: {got!r} != {want!r}")
        assert not stale, f"{mo} is stale: run resources/locale/update.sh\n" + "\n".join(stale)


def test_marked_messages_are_string_literals() -> None:
    # Babel (like lupdate) reads the source: _(f"…") or _(variable) is silently not extracted;
    # a text marked with N_() elsewhere is translated with gettext(variable)
    bad = []
    for path in sorted([p for d in SOURCES for p in d.rglob("*.py")] + MODULES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext", "N_")
            ):
                args = node.args[:2] if node.func.id == "ngettext" else node.args[:1]
                if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, "translate string literals only:\n" + "\n".join(bad)
