"""Fixtures of the dictionary suite: the Chinook example run once per test (its mart
written), and a metadata DB on SQLite or PostgreSQL holding both connections' catalogs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.services.dictionary import refresh_catalogs
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conftest import REPO

CHINOOK = REPO / "resources" / "examples" / "chinook"
DIALECTS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pg_url(dbname: object) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"


@pytest.fixture(params=DIALECTS)
def meta_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty metadata DB: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'meta.db').as_posix()}"
    return pg_url(request.getfixturevalue("pg_db")["dbname"])


@pytest.fixture
def sqlite_meta(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'meta.db').as_posix()}"


@pytest.fixture
def chinook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Chinook example, its output directory in the test's temporary one."""
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    return target


def run_and_read_catalogs(project: Path, ws: Workspace) -> None:
    """Run the example (writing its mart) and read the catalogs of its two local
    connections into the metadata DB."""
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    found = refresh_catalogs(project, ["chinook", "warehouse"], workspace=ws)
    assert [r.problems for r in found] == [[], []]


@pytest.fixture
def catalogued(chinook: Path, meta_url: str, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The example run and both catalogs read, in a metadata DB of each dialect."""
    monkeypatch.setenv("CAUCE_DB_URL", meta_url)
    ws = Workspace.open(meta_url)
    run_and_read_catalogs(chinook, ws)
    return ws


@pytest.fixture
def catalogued_sqlite(chinook: Path, tmp_path: Path) -> Workspace:
    """The example run and both catalogs read, in a SQLite metadata DB of its own."""
    ws = Workspace.open(f"sqlite:///{(tmp_path / 'source-meta.db').as_posix()}")
    run_and_read_catalogs(chinook, ws)
    return ws
