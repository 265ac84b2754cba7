"""``app.storage``'s errors are worded in the current language where they are raised: bundles,
the metadata database's schema, lookups and run states; English stays the default."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.storage.migrate as migrate
from app import i18n
from app.services.errors import USER_ERRORS, describe
from app.storage.bundle_format import BundleLimits
from app.storage.bundle_reader import inspect_bundle
from app.storage.db import make_engine
from app.storage.migrate import SchemaOutdated, init_db

PROJECT = (
    b'{"format_version": 1, "id": "6f1c2a3e-0000-4000-8000-000000000001", '
    b'"name": "shop", "description": ""}'
)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _bundle(
    tmp_path: Path, *, digest: str = "0" * 64, version: int = 1, project: bytes = PROJECT
) -> Path:
    path = tmp_path / "shop.cauce"
    manifest = {
        "format_version": version,
        "created_at": "2026-01-31T12:00:00Z",
        "cauce_version": "0.1.0",
        "members": {"project.json": digest},
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("project.json", project)
    return path


def _inspect(path: Path, limits: BundleLimits | None = None) -> str:
    with pytest.raises(USER_ERRORS) as err:
        inspect_bundle(path, limits=limits) if limits else inspect_bundle(path)
    return describe(err.value)


def test_a_checksum_mismatch(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    assert _inspect(bundle) == (
        "project.json: checksum mismatch: the member is not the one the manifest lists"
    )
    i18n.set_language("es")
    assert _inspect(bundle) == (
        "project.json: la suma de comprobación no coincide: el miembro "
        "no es el que figura en el manifiesto"
    )


def test_a_bundle_over_the_size_limit(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    limits = BundleLimits(max_total_bytes=10)
    with zipfile.ZipFile(bundle) as z:
        total = sum(info.file_size for info in z.infolist())
    assert _inspect(bundle, limits) == (
        f"manifest.json: members declare {total} bytes in all, more than the limit of 10"
    )
    i18n.set_language("es")
    assert _inspect(bundle, limits) == (
        f"manifest.json: los miembros declaran {total} bytes en total, más que el límite de 10"
    )


def test_a_corrupt_zip(tmp_path: Path) -> None:
    bundle = tmp_path / "broken.cauce"
    bundle.write_bytes(b"PK\x03\x04 this is not a zip")
    assert _inspect(bundle).startswith("broken.cauce: not a readable zip file (")
    i18n.set_language("es")
    assert _inspect(bundle).startswith("broken.cauce: no es un archivo zip legible (")


def test_an_unknown_format_version(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, version=7)
    assert "unknown bundle format version 7 (this Cauce reads version 1)" in _inspect(bundle)
    i18n.set_language("es")
    assert "versión de formato de paquete desconocida 7 (este Cauce lee la versión 1)" in _inspect(
        bundle
    )


def test_invalid_json_in_a_project_file(tmp_path: Path) -> None:
    import hashlib

    raw = b"{not json"
    bundle = _bundle(tmp_path, digest=hashlib.sha256(raw).hexdigest(), project=raw)
    assert _inspect(bundle).startswith("project.json: invalid JSON: ")
    i18n.set_language("es")
    assert _inspect(bundle).startswith("project.json: JSON no válido: ")


def _outdated(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn, pytest.raises(SchemaOutdated) as err:
            migrate.check_schema(conn, url)
    finally:
        engine.dispose()
    return describe(err.value)


def test_a_database_that_needs_an_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{(tmp_path / 'cauce.db').as_posix()}"
    init_db(url)
    monkeypatch.setattr(migrate, "head_revision", lambda: "9999_next")
    english = _outdated(url)
    assert (
        "older than this Cauce ('9999_next'): run `cauce db upgrade` (it backs up first)" in english
    )
    i18n.set_language("es")
    spanish = _outdated(url)
    assert spanish.startswith("la base de datos de metadatos ")
    assert (
        "anterior a la de este Cauce ('9999_next'): ejecute `cauce db upgrade` (hace "
        "primero una copia de seguridad)"
    ) in spanish


def test_metadata_lookups_and_state_changes(tmp_path: Path) -> None:
    from app.storage.repository import Repository
    from app.storage.unit_of_work import InvalidTransition, NotFound

    url = f"sqlite:///{tmp_path / 'meta.db'}"
    init_db(url)
    with Repository(url) as repo:
        project = repo.ensure_project("shop")
        i18n.set_language("es")
        with pytest.raises(NotFound) as missing:
            repo.get_connection(project, "warehouse")
        assert str(missing.value) == f"no hay ninguna conexión 'warehouse' en el proyecto {project}"
        with pytest.raises(InvalidTransition) as wrong:
            repo.finish_run(1, "running")  # type: ignore[arg-type]
        assert str(wrong.value) == "running no es un estado final"
        i18n.set_language("en")
        with pytest.raises(NotFound, match="no connection 'warehouse' in project"):
            repo.get_connection(project, "warehouse")
