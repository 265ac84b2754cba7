"""Fixtures of the privacy tests: a secret store in memory, a workspace on it, and a copy of
the Chinook example project with ``Customer.Email`` tagged ``pii.email``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.services.privacy import set_tags
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver
from tests.conftest import REPO


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
