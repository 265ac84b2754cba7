"""Fixtures of the API tests: a server on a fresh metadata DB (SQLite by default; the
cross-organization tests use PostgreSQL), keys of two organizations, the Chinook example
registered as a hosted project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.conftest import REPO

pytest.importorskip("fastapi", reason="the server extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402

from app.api.app import create_app  # noqa: E402
from app.api.settings import ServerSettings  # noqa: E402
from app.services import access  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

EXAMPLE = REPO / "resources" / "examples" / "chinook"
JWT_SECRET = "test-secret-" + "s" * 40


@dataclass
class Server:
    client: TestClient
    workspace: Workspace
    settings: ServerSettings
    keys: dict[str, str]
    chinook: Path

    def h(self, who: str = "admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def key(self, who: str, **options: object) -> str:
        """A new key (``org``: its organization, default ``default``)."""
        org = str(options.pop("org", "default"))
        made = access.create_credential(self.workspace.for_organization(org), **options)  # type: ignore[arg-type]
        self.keys[who] = made.secret
        return made.secret


def make_server(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, **settings: object
) -> Iterator[Server]:
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_MASTER_KEY", Fernet.generate_key().decode())
    chinook = tmp_path / "projects-src" / "chinook"
    shutil.copytree(EXAMPLE, chinook)
    workspace = Workspace.open(db_url)
    config = ServerSettings.from_env(
        db_url=db_url,
        jwt_secret=JWT_SECRET,
        projects_dir=tmp_path / "hosted",
        backups_dir=tmp_path / "backups",
        **settings,
    )
    server = Server(TestClient(create_app(config)), workspace, config, {}, chinook)
    server.key("admin", user="ana", name="admin", scopes=list(access.API_SCOPES), role="admin")
    server.key("viewer", user="vic", name="viewer", scopes=["read", "write"], role="viewer")
    with server.client:
        yield server


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    yield from make_server(tmp_path, f"sqlite:///{tmp_path / 'meta.db'}", monkeypatch)


@pytest.fixture
def pg_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_db: dict[str, object]
) -> Iterator[Server]:
    url = f"postgresql+psycopg://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    yield from make_server(tmp_path, url, monkeypatch)


def register(server: Server, who: str = "admin", path: Path | None = None) -> int:
    response = server.client.post(
        "/api/v1/projects",
        headers=server.h(who),
        json={"path": str(path or server.chinook), "trust": True},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])
