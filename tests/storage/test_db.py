"""Where the metadata database lives and how its connections are configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.storage.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    data_dir,
    database_url,
    display_url,
    make_engine,
    normalize_url,
    sqlite_path,
)


def test_default_url_is_cauce_db_under_cauce_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUCE_HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home"
    assert (tmp_path / "home").is_dir()
    assert database_url() == f"sqlite:///{(tmp_path / 'home' / 'cauce.db').as_posix()}"


def test_default_data_dir_is_platformdirs_when_cauce_home_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAUCE_HOME")
    seen: list[str] = []

    def fake_user_data_dir(appname: str, appauthor: object = None) -> str:
        seen.append(appname)
        return str(tmp_path / "platform")

    monkeypatch.setattr("app.storage.paths.platformdirs.user_data_dir", fake_user_data_dir)
    assert data_dir() == tmp_path / "platform"
    assert seen == ["Cauce"]


def test_env_url_beats_default_and_argument_beats_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCE_DB_URL", "postgresql://u@h/env")
    assert database_url() == "postgresql+psycopg://u@h/env"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///a.db", "sqlite:///a.db"),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_display_url_hides_password() -> None:
    shown = display_url("postgresql://me:s3cret-pw@db.example/meta")
    assert "s3cret-pw" not in shown
    assert shown == "postgresql+psycopg://me:***@db.example/meta"


def test_sqlite_path() -> None:
    assert sqlite_path("sqlite:////tmp/x/cauce.db") == Path("/tmp/x/cauce.db")
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql://u@h/db") is None


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'meta.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()
    assert (tmp_path / "sub" / "meta.db").exists()


@pytest.mark.postgres
def test_postgres_engine_uses_psycopg3(pg_db: dict[str, object]) -> None:
    engine = make_engine(f"postgresql://postgres@127.0.0.1:5432/{pg_db['dbname']}")
    try:
        assert engine.dialect.driver == "psycopg"
        with engine.connect() as conn:
            assert conn.execute(text("select current_database()")).scalar() == pg_db["dbname"]
    finally:
        engine.dispose()


def test_an_unreachable_metadata_database_is_named_without_its_password() -> None:
    from app.storage.db import MetadataUnreachable
    from app.storage.repository import Repository

    with pytest.raises(MetadataUnreachable) as caught:
        Repository("postgresql://cauce:s3cr3t-Pw@127.0.0.1:1/meta")
    message = str(caught.value)
    assert message.startswith(
        "cannot reach the metadata database postgresql+psycopg://cauce:***@127.0.0.1:1/meta: "
    )
    assert "s3cr3t-Pw" not in message and "refused" in message


@pytest.mark.postgres
def test_a_dropped_pooled_connection_is_replaced_not_reported(pg_db: dict[str, object]) -> None:
    """The pool's pre-ping finds a connection the server dropped and opens a new one: that is
    not a failure to reach the database."""
    import psycopg

    from app.storage.migrate import init_db
    from app.storage.repository import Repository

    url = f"postgresql://postgres@127.0.0.1:5432/{pg_db['dbname']}"
    init_db(url)
    with Repository(url) as repo:
        repo.ensure_project("first")
        with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        assert repo.ensure_project("second") > 0
        assert {p.name for p in repo.list_projects()} == {"first", "second"}
