"""Fixtures of the privacy tests: a secret store in memory, a workspace on it, and a copy of
the Chinook example project with ``Customer.Email`` tagged ``pii.email``, and Chinook in
PostgreSQL read and written by two of its connections (``pgsrc``, ``pgdst``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.services.privacy import set_tags
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver
from tests.conftest import REPO
from tests.retention.conftest import CHINOOK_PG, add_connection, pg_exec


class MemoryStore:
    """A secret store in memory (the keyring's stand-in)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, ref: str) -> str | None:
        return self.values.get(ref)

    def set(self, ref: str, value: str) -> None:
        self.values[ref] = value

    def delete(self, ref: str) -> None:
        self.values.pop(ref, None)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ws(tmp_path: Path, store: MemoryStore) -> Workspace:
    return Workspace(
        f"sqlite:///{tmp_path / 'meta.db'}",
        SecretResolver(store, environ={}),  # type: ignore[arg-type]
    )


@pytest.fixture
def project(tmp_path: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", target)
    (target / "pipelines" / "revenue.json").unlink()
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.delenv("CAUCE_UNMASK", raising=False)
    set_tags(target, "chinook", "Customer", "Email", ["pii.email"], workspace=ws)
    return target


@pytest.fixture
def chinook_pg(pg_db: dict[str, Any]) -> dict[str, Any]:
    text = CHINOOK_PG.read_text(encoding="utf-8")
    pg_exec(pg_db, text.split("\\c chinook;", 1)[1])
    return pg_db


@pytest.fixture
def pg_project(project: Path, chinook_pg: dict[str, Any], ws: Workspace) -> Path:
    params = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
    for name in ("pgsrc", "pgdst"):
        add_connection(project, name, "postgres", {**params, "database": chinook_pg["dbname"]})
    set_tags(project, "pgsrc", "public.customer", "email", ["pii.email"], workspace=ws)
    return project
