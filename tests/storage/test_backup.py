"""Backups of the metadata DB: SQLite <-> PostgreSQL round trips, kinds, all-or-nothing
restores, tampered archives and wrong passphrases (issue #17 item 5)."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.storage.backup import cauce_tables, digest_tables, open_archive, write_archive
from app.storage.backup_format import BackupError, WrongPassphrase
from app.storage.backup_restore import restore_archive
from app.storage.db import make_engine
from app.storage.migrate import current_revision, head_revision, init_db
from app.storage.models import PipelineRow
from app.storage.repository import Repository
from tests.storage.conftest import PG_ADMIN, pg_url


def _pipeline(name: str) -> Pipeline:
    p = Pipeline(name=name)
    src = p.add_node("source", name="src", params={"connection": "db", "table": name})
    flt = p.add_node("filter", name="big", params={"condition": "amount > 100"})
    p.connect(src.id, "out", flt.id, "in")
    return p


def populate(url: str, pipelines: int = 3) -> None:
    """Projects, connections, pipelines with versions (a cycle of references), runs, events."""
    init_db(url)
    with Repository(url) as repo:
        project = repo.ensure_project("demo")
        repo.save_connection(
            project,
            Connection(name="db", type="postgres", params={"host": "h", "database": "d"}),
        )
        for i in range(pipelines):
            p = _pipeline(f"p{i}")
            first = repo.save_pipeline_version(project, p, author="ana", message="v1 ñ")
            p.add_node("filter", name="second", params={"condition": "amount > 5"})
            repo.save_pipeline_version(project, p, author="ana", message="v2")
            run = repo.start_run(first.id, trigger="cli")
            repo.record_event("run.note", {"i": i, "nested": {"b": [1, 2.5, None]}}, run_id=run.id)
            repo.finish_run(run.id, "succeeded")


def _digests(url: str) -> dict[str, tuple[int, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return digest_tables(conn, cauce_tables())
    finally:
        engine.dispose()


def _backup(url: str, target: Path, kind: str = "full", **kw: object) -> Path:
    engine = make_engine(url)
    try:
        write_archive(
            engine, target, kind=kind, revision=head_revision(), cauce_version="test", **kw
        )  # type: ignore[arg-type]
    finally:
        engine.dispose()
    return target


def _restore(archive_path: Path, url: str, **kw: object) -> object:
    with open_archive(archive_path) as archive:
        archive.verify_members()
        return restore_archive(archive, url, **kw)  # type: ignore[arg-type]


@pytest.fixture
def other_pg(pg_server: dict[str, object]) -> object:
    import psycopg

    name = f"cauce_backup_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    yield pg_url(name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_sqlite_to_postgres_and_back_gives_identical_content(tmp_path: Path, other_pg: str) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'a.db'}"
    populate(sqlite_url)
    original = _digests(sqlite_url)
    assert original["pipeline_versions"][0] == 6 and original["events"][0] >= 3

    _restore(_backup(sqlite_url, tmp_path / "a.cauce-backup"), other_pg)
    assert _digests(other_pg) == original  # same rows, same canonical bytes, other engine

    back = f"sqlite:///{tmp_path / 'b.db'}"
    _restore(_backup(other_pg, tmp_path / "b.cauce-backup"), back)
    assert _digests(back) == original
    # the restored databases work: sequences continue after the restored ids
    with Repository(other_pg) as repo:
        project = repo.ensure_project("demo")
        saved = repo.save_pipeline_version(project, _pipeline("new"), author="bo")
        assert saved.number == 1
        assert len(repo.list_projects()) == 1


def test_full_restore_into_a_live_database_replaces_everything(db_url: str, tmp_path: Path) -> None:
    populate(db_url, pipelines=2)
    archive = _backup(db_url, tmp_path / "x.cauce-backup")
    before = _digests(db_url)
    with Repository(db_url) as repo:
        repo.ensure_project("added-later")
    plan = _restore(archive, db_url, dry_run=True)
    projects = next(t for t in plan.tables if t.table == "projects")  # type: ignore[attr-defined]
    assert (projects.unchanged, projects.removed, projects.added) == (1, 1, 0)
    assert _digests(db_url) != before  # the dry run changed nothing
    _restore(archive, db_url)
    assert _digests(db_url) == before


def test_configuration_backup_holds_no_history_and_merges(db_url: str, tmp_path: Path) -> None:
    populate(db_url, pipelines=2)
    archive = _backup(db_url, tmp_path / "c.cauce-backup", kind="configuration")
    with open_archive(archive) as opened:
        assert "runs" not in opened.manifest.tables and "events" not in opened.manifest.tables
        assert opened.manifest.tables["pipeline_versions"]["rows"] == 4
    target = f"sqlite:///{tmp_path / 'config.db'}"
    _restore(archive, target)
    got = _digests(target)
    assert got["pipeline_versions"] == _digests(db_url)["pipeline_versions"]
    assert got["runs"][0] == 0
    # restoring it again into the source (with history) inserts nothing and keeps the runs
    report = _restore(archive, db_url)
    versions = next(t for t in report.tables if t.table == "pipeline_versions")  # type: ignore[attr-defined]
    assert (versions.added, versions.changed, versions.unchanged) == (0, 0, 4)
    assert _digests(db_url)["runs"][0] == 2


def test_structure_backup_creates_the_schema_only(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 's.db'}"
    populate(source, pipelines=1)
    archive = _backup(source, tmp_path / "s.cauce-backup", kind="structure")
    target = f"sqlite:///{tmp_path / 't.db'}"
    _restore(archive, target)
    assert current_revision(target) == head_revision()
    assert _digests(target)["pipelines"][0] == 0
    assert _digests(target)["organizations"][0] == 1  # the default organization


def test_tampered_member_fails_before_anything_changes(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'src.db'}"
    populate(source, pipelines=1)
    archive = _backup(source, tmp_path / "ok.cauce-backup")
    tampered = tmp_path / "bad.cauce-backup"
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "tables/projects.arrow":
                data = data.replace(b"demo", b"evil")
            zout.writestr(info, data)
    target = f"sqlite:///{tmp_path / 'target.db'}"
    populate(target, pipelines=2)
    before = _digests(target)
    with pytest.raises(BackupError, match="tables/projects.arrow: checksum mismatch"):
        _restore(tampered, target)
    assert _digests(target) == before


def test_wrong_passphrase_is_refused_and_the_right_one_opens(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'src.db'}"
    populate(source, pipelines=1)
    secret = "s3cr3t-" + uuid.uuid4().hex
    archive = _backup(
        source,
        tmp_path / "p.cauce-backup",
        secrets={"connection/demo/db/password": secret},
        passphrase="correct horse",
    )
    assert secret.encode() not in archive.read_bytes()
    with open_archive(archive) as opened:
        with pytest.raises(WrongPassphrase, match="wrong passphrase"):
            opened.secrets("battery staple")
        assert opened.secrets("correct horse") == {"connection/demo/db/password": secret}


@pytest.mark.postgres
def test_a_restore_conflict_rolls_back_on_postgres(other_pg: str, tmp_path: Path) -> None:
    db_url = other_pg  # (SQLite builds a copy and swaps it in: see the kill -9 test)
    populate(db_url, pipelines=1)
    archive = _backup(db_url, tmp_path / "c.cauce-backup", kind="configuration")
    engine = make_engine(db_url)
    with engine.begin() as conn:  # the same pipeline name under another id: a conflict
        conn.execute(PipelineRow.__table__.update().values(name="renamed"))
    engine.dispose()
    with Repository(db_url) as repo:
        repo.save_pipeline_version(repo.ensure_project("demo"), _pipeline("p0"), author="x")
    before = _digests(db_url)
    with pytest.raises(BackupError, match="nothing was changed"):
        _restore(archive, db_url)
    assert _digests(db_url) == before
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert "renamed" in conn.execute(select(PipelineRow.name)).scalars().all()
    engine.dispose()
