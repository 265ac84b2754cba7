"""Descriptions and the glossary travel in bundles: an export then an import into another
metadata DB gives the same dictionary; an imported ``dictionary.json`` is untrusted input,
refused whole when anything in it is wrong."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from app.services.bundles import apply_preview, export_project, import_bundle, preview_import
from app.services.dictionary import load_dictionary, set_description
from app.services.glossary import add_term, link_term, list_terms
from app.services.workspace import Workspace
from app.storage.bundles import BundleError
from app.storage.dictionary import DictionaryStore
from app.storage.dictionary_format import DICTIONARY_FILE

MART = "main.revenue_by_country_genre_year"


def _fill(chinook: Path, ws: Workspace) -> None:
    set_description(
        chinook, "chinook", "Invoice", description="One sale", owner="ops", workspace=ws
    )
    set_description(
        chinook, "chinook", "Invoice", "Total", description="Billed\nwith taxes", workspace=ws
    )
    add_term(
        chinook,
        "Revenue",
        definition="Money in",
        synonyms=["turnover", "ventas"],
        owner="finance",
        status="approved",
        workspace=ws,
    )
    add_term(chinook, "Customer", workspace=ws)
    link_term(chinook, "Revenue", "warehouse", MART, "Revenue", workspace=ws)
    link_term(chinook, "Revenue", "chinook", "Invoice", "Total", workspace=ws)


def _document(ws: Workspace) -> object:
    with ws.repository() as repo:
        [pid] = [p.id for p in repo.list_projects() if p.name == "chinook"]
    with ws.open_store(DictionaryStore) as store:
        return store.document(pid)


def test_export_then_import_round_trips_the_dictionary(
    chinook: Path, catalogued_sqlite: Workspace, tmp_path: Path, meta_url: str
) -> None:
    """From a SQLite metadata DB to another SQLite one, and to a PostgreSQL one."""
    catalogued = catalogued_sqlite
    _fill(chinook, catalogued)
    bundle = tmp_path / "chinook.cauce"
    summary = export_project(chinook, bundle, include_data=False, workspace=catalogued)
    assert summary.endswith("dictionary: 2 description(s), 2 term(s), 2 link(s)")
    with zipfile.ZipFile(bundle) as zf:
        assert DICTIONARY_FILE in zf.namelist()
    target_ws = Workspace.open(meta_url)
    lines = import_bundle(bundle, tmp_path / "copy", dry_run=True, workspace=target_ws)
    assert "  + dictionary dictionary.json: added (2 description(s), 2 term(s), 2 link(s))" in lines
    assert _document(target_ws).is_empty if _has_project(target_ws) else True
    import_bundle(bundle, tmp_path / "copy", workspace=target_ws)
    assert _document(target_ws) == _document(catalogued)
    assert not (tmp_path / "copy" / DICTIONARY_FILE).exists()  # the DB's, not a project file
    # the imported copy's dictionary reads the same, once its catalog is read
    copy_terms = list_terms(tmp_path / "copy", workspace=target_ws)
    assert copy_terms == list_terms(chinook, workspace=catalogued)
    # importing again changes nothing
    again = import_bundle(bundle, tmp_path / "copy", workspace=target_ws)
    assert (
        "  = dictionary dictionary.json: unchanged (2 description(s), 2 term(s), 2 link(s))"
        in again
    )


def _has_project(ws: Workspace) -> bool:
    with ws.repository() as repo:
        return any(p.name == "chinook" for p in repo.list_projects())


def test_the_import_dialogs_preview_lists_and_replaces_the_dictionary(
    chinook: Path, sqlite_meta: str, tmp_path: Path
) -> None:
    ws = Workspace.open(sqlite_meta)
    add_term(chinook, "Revenue", definition="Money in", workspace=ws)
    bundle = tmp_path / "chinook.cauce"
    export_project(chinook, bundle, include_data=False, workspace=ws)
    add_term(chinook, "Local only", workspace=ws)  # the bundle's dictionary will replace it
    preview = preview_import(bundle, tmp_path / "copy", workspace=ws)
    [item] = [i for i in preview.items if i.item == "dictionary"]
    assert (item.kind, item.detail) == (
        "changed",
        "0 description(s), 1 term(s), 0 link(s); replaces 0 description(s), 2 term(s), 0 link(s)",
    )
    apply_preview(preview)
    assert [t.name for t in list_terms(chinook, workspace=ws)] == ["Revenue"]


def test_a_bundle_without_a_dictionary_leaves_the_metadata_db_alone(
    chinook: Path, sqlite_meta: str, tmp_path: Path
) -> None:
    ws = Workspace.open(sqlite_meta)
    bundle = tmp_path / "plain.cauce"
    export_project(chinook, bundle, include_data=False, workspace=ws)  # nothing to ship
    with zipfile.ZipFile(bundle) as zf:
        assert DICTIONARY_FILE not in zf.namelist()
    add_term(chinook, "Revenue", workspace=ws)
    lines = import_bundle(bundle, tmp_path / "copy", workspace=ws)
    assert not any("dictionary" in line for line in lines)
    assert [t.name for t in list_terms(chinook, workspace=ws)] == ["Revenue"]


def _tampered(bundle: Path, out: Path, change: object) -> Path:
    """``bundle`` with its dictionary.json replaced by ``change(document)`` (bytes or a
    JSON object), the manifest's checksum updated to match (a careful attacker)."""
    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    document = json.loads(members[DICTIONARY_FILE])
    new = change(document)  # type: ignore[operator]
    raw = new if isinstance(new, bytes) else json.dumps(new).encode()
    members[DICTIONARY_FILE] = raw
    manifest = json.loads(members["manifest.json"])
    manifest["members"][DICTIONARY_FILE] = hashlib.sha256(raw).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def _entry(doc: dict, **changes: object) -> dict:
    doc["entries"][0].update(changes)
    return doc


ATTACKS = {
    "a NUL byte": (
        lambda d: _entry(d, description="ok\x00; DROP TABLE"),
        "entries.0.description: holds a control character",
    ),
    "an unknown key": (lambda d: _entry(d, run="rm -rf /"), "entries.0.run: Extra inputs"),
    "a huge text": (
        lambda d: _entry(d, description="x" * 20_001),
        "entries.0.description: String should have at most 20000 characters",
    ),
    "a bad status": (
        lambda d: {**d, "terms": [{**d["terms"][0], "status": "live"}]},
        "terms.0.status: Input should be 'draft' or 'approved'",
    ),
    "a term twice": (
        lambda d: {**d, "terms": [d["terms"][0], {**d["terms"][0], "name": "REVENUE"}]},
        "a term is listed twice",
    ),
    "too many entries": (
        lambda d: {
            **d,
            "entries": [
                {"connection": "c", "table": "t", "column": f"{i}"} for i in range(100_001)
            ],
        },
        "entries: List should have at most 100000 items",
    ),
    "too large": (
        lambda d: _entry(d, description="x" * 9_000_000),
        "more than the limit of 8388608",
    ),
    "a newer format": (lambda d: {**d, "format_version": 9}, "unknown dictionary format version 9"),
    "not JSON": (lambda d: b"{'entries': ", "invalid JSON"),
    "too deep": (lambda d: b"[" * 5000 + b"]" * 5000, "nested deeper than 64 levels"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_hostile_dictionary_is_refused_and_nothing_is_written(
    chinook: Path, sqlite_meta: str, tmp_path: Path, attack: str
) -> None:
    ws = Workspace.open(sqlite_meta)
    set_description(chinook, "chinook", "Invoice", description="One sale", workspace=ws)
    add_term(chinook, "Revenue", workspace=ws)
    bundle = export_project_quiet(chinook, tmp_path / "good.cauce", ws)
    change, message = ATTACKS[attack]
    bad = _tampered(bundle, tmp_path / "bad.cauce", change)
    other = Workspace.open(f"sqlite:///{(tmp_path / 'victim.db').as_posix()}")
    with pytest.raises(BundleError) as caught:
        import_bundle(bad, tmp_path / "copy", workspace=other)
    assert caught.value.member == DICTIONARY_FILE
    assert message in str(caught.value)
    assert not (tmp_path / "copy").exists()
    assert not _has_project(other) or _document(other).is_empty


def export_project_quiet(chinook: Path, out: Path, ws: Workspace) -> Path:
    export_project(chinook, out, include_data=False, workspace=ws)
    return out


def test_descriptions_reach_the_dictionary_of_the_imported_project(
    chinook: Path, catalogued: Workspace, tmp_path: Path
) -> None:
    """On the other machine, once the copy's catalog is read, each column shows what was
    written about it on this one."""
    from tests.dictionary.conftest import run_and_read_catalogs

    _fill(chinook, catalogued)
    bundle = tmp_path / "chinook.cauce"
    export_project(chinook, bundle, include_data=True, workspace=catalogued)
    other = Workspace.open(f"sqlite:///{(tmp_path / 'other.db').as_posix()}")
    import_bundle(bundle, tmp_path / "copy", trust=True, workspace=other)
    run_and_read_catalogs(tmp_path / "copy", other)
    invoice = load_dictionary(tmp_path / "copy", workspace=other).table("chinook", "Invoice")
    assert (invoice.description, invoice.owner) == ("One sale", "ops")
    assert invoice.column("Total").description == "Billed\nwith taxes"
    assert invoice.column("Total").terms == ["Revenue"]
