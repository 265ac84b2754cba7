"""The dictionary in bundles: what an export ships (the project's descriptions and glossary
from the metadata DB, as ``dictionary.json``) and what an import does with it.

An imported bundle is untrusted: its ``dictionary.json`` was checked strictly when the bundle
was read (:mod:`app.storage.dictionary_format`); importing replaces the project's
descriptions and glossary with it, in one transaction, as the import replaces the project's
files. A bundle without one (from an older Cauce, or a project with no descriptions) leaves
the metadata DB as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import _
from app.services.dictionary_project import project_id
from app.services.workspace import Workspace
from app.storage.dictionary import DictionaryStore
from app.storage.dictionary_format import DICTIONARY_FILE, DictionaryDocument, dump_document

__all__ = ["DictionaryChange", "apply_dictionary", "dictionary_change", "project_dictionary"]


def project_dictionary(ws: Workspace, project: str) -> DictionaryDocument | None:
    """The project's dictionary for an export (None when it holds nothing)."""
    with ws.repository() as repo:
        known = {p.name: p.id for p in repo.list_projects()}
    if project not in known:
        return None
    with ws.open_store(DictionaryStore) as store:
        document = store.document(known[project])
    return None if document.is_empty else document


@dataclass(frozen=True)
class DictionaryChange:
    """What importing a bundle's dictionary changes: ``kind`` as an import preview's items
    (``added``, ``changed``, ``unchanged``)."""

    name: str
    kind: str
    detail: str

    def describe(self) -> str:
        symbol = {"added": "+", "changed": "~", "unchanged": "="}[self.kind]
        return f"{symbol} dictionary {self.name}: {self.kind} ({self.detail})"


def dictionary_change(
    ws: Workspace, project: str, incoming: DictionaryDocument | None
) -> DictionaryChange | None:
    """How importing ``incoming`` changes the project's dictionary (None: the bundle has none)."""
    if incoming is None:
        return None
    current = project_dictionary(ws, project)
    if current is None:
        kind = "added"
    elif dump_document(current) == dump_document(incoming):
        kind = "unchanged"
    else:
        kind = "changed"
    detail = incoming.summary()
    if current is not None and kind == "changed":
        detail = _("{new}; replaces {old}").format(new=detail, old=current.summary())
    return DictionaryChange(DICTIONARY_FILE, kind, detail)


def apply_dictionary(ws: Workspace, project: str, incoming: DictionaryDocument | None) -> None:
    """Make the project's dictionary the bundle's (nothing when the bundle has none)."""
    if incoming is None:
        return
    with ws.open_store(DictionaryStore) as store:
        store.replace_document(project_id(ws, project), incoming)
