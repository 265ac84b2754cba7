"""Migrations: models and migrations agree, upgrades keep data and back up, newer DBs refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, Table, text

import app.storage.migrate as migrate
from app.model.pipeline import Pipeline
from app.storage.db import make_engine, sqlite_path
from app.storage.migrate import (
    VERSION_TABLE,
    SchemaNotInitialized,
    SchemaOutdated,
    SchemaTooNew,
    alembic_config,
    current_revision,
    head_revision,
    include_name,
    init_db,
    new_revision,
    upgrade_db,
)
from app.storage.models import Base
from app.storage.repository import Repository

#: the shipped head, and the test-only revisions after it
HEAD = head_revision()
NEXT = f"{int(HEAD) + 1:04d}"
AFTER = f"{int(HEAD) + 2:04d}"

REVISION_NEXT = '''
"""Test-only revision: rebuilds projects with an extra column (forces a SQLite table copy)."""
import sqlalchemy as sa
from alembic import op

revision = "{next}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def _recreate():
    return "always" if op.get_context().dialect.name == "sqlite" else "auto"


def upgrade():
    with op.batch_alter_table("projects", recreate=_recreate()) as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("projects", recreate=_recreate()) as batch:
        batch.drop_column("note")
'''


def _diff(url: str, metadata: MetaData = Base.metadata) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _with_next_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the code know one more revision than the package ships."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / f"{NEXT}_note.py").write_text(
        REVISION_NEXT.replace("{next}", NEXT).replace("{head}", HEAD)
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(migrate, "REVISIONS", (*migrate.REVISIONS, NEXT))


def _seed(url: str) -> tuple[int, str]:
    with Repository(url) as repo:
        project = repo.ensure_project("sales")
        pipeline = Pipeline(name="orders")
        pipeline.add_node("source", name="src", params={"table": "orders"})
        version = repo.save_pipeline_version(project, pipeline, author="ana", message="v1")
        run = repo.start_run(version.id, trigger="cli")
        repo.finish_run(run.id, "succeeded")
        return project, pipeline.id


def test_revisions_list_matches_the_migration_scripts() -> None:
    """``REVISIONS`` (read when a database opens, without Alembic) is Alembic's history."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert list(migrate.REVISIONS) == history, (
        "add the new revision to REVISIONS in app/storage/migrate.py"
    )
    assert script.get_current_head() == head_revision()


def test_models_and_migrations_agree(db_url: str) -> None:
    assert init_db(db_url) == head_revision()
    assert _diff(db_url) == []


def test_comparison_sees_a_model_change(db_url: str) -> None:
    """The agreement test can fail: a column missing from the migrations is reported."""
    init_db(db_url)
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    projects: Table = changed.tables["projects"]
    projects.append_column(sa.Column("color", sa.String(20), nullable=True))
    diffs = _diff(db_url, changed)
    assert [d[0] for d in diffs if isinstance(d, tuple)] == ["add_column"]


def test_foreign_tables_are_left_alone(db_url: str) -> None:
    """Autogenerate must never propose dropping a table Cauce does not own."""
    init_db(db_url)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE apscheduler_jobs (id VARCHAR(191) PRIMARY KEY)"))
    engine.dispose()
    assert _diff(db_url) == []


def test_init_is_idempotent_and_creates_the_default_organization(db_url: str) -> None:
    assert current_revision(db_url) is None
    init_db(db_url)
    init_db(db_url)
    assert current_revision(db_url) == head_revision()
    engine = make_engine(db_url)
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM organizations")).scalars().all()
    engine.dispose()
    assert names == ["default"]


def test_opening_an_uninitialised_database_says_what_to_run(db_url: str) -> None:
    with pytest.raises(SchemaNotInitialized, match="cauce db init"):
        Repository(db_url)


def test_migrations_need_no_alembic_ini(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert init_db(db_url) == head_revision()
    assert list(empty.iterdir()) == []


def test_upgrade_keeps_data_backs_up_and_records_the_old_revision(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_db(db_url)
    project, uid = _seed(db_url)
    _with_next_revision(tmp_path, monkeypatch)
    with pytest.raises(SchemaOutdated, match="cauce db upgrade"):
        Repository(db_url)

    result = upgrade_db(db_url)

    assert (result.before, result.after, result.changed) == (HEAD, NEXT, True)
    assert current_revision(db_url) == NEXT
    with Repository(db_url) as repo:
        assert repo.ensure_project("sales") == project
        assert [v.number for v in repo.pipeline_history(project, uid)] == [1]
        assert [r.status for r in repo.recent_runs()] == ["succeeded"]
        upgraded = repo.recent_events(type="schema.upgraded")
    assert [(e.payload["from"], e.payload["to"]) for e in upgraded] == [(HEAD, NEXT)]
    path = sqlite_path(db_url)
    if path is None:  # PostgreSQL: a full backup archive at the old revision (docs/backup.md)
        from app.storage.backup import open_archive

        assert result.backup is not None and result.backup.name.startswith(f"pre-upgrade-{HEAD}-")
        assert upgraded[0].payload["backup"] == str(result.backup)
        with open_archive(result.backup) as archive:
            archive.verify_members()
            assert archive.manifest.revision == HEAD
            assert archive.manifest.tables["projects"]["rows"] == 1
        return
    assert result.backup is not None and result.backup.parent == path.parent
    assert upgraded[0].payload["backup"] == str(result.backup)
    with sqlite3.connect(result.backup) as backup:
        assert backup.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall() == [(HEAD,)]
        assert backup.execute("SELECT name FROM projects").fetchall() == [("sales",)]


def test_upgrade_at_head_changes_nothing(db_url: str) -> None:
    init_db(db_url)
    result = upgrade_db(db_url)
    assert (result.changed, result.backup) == (False, None)
    if (path := sqlite_path(db_url)) is not None:
        assert list(path.parent.glob("*.bak")) == []


def test_database_newer_than_the_code_is_refused(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_db(db_url)
    with monkeypatch.context() as patch:
        _with_next_revision(tmp_path, patch)
        upgrade_db(db_url, backup=False)
    assert head_revision() == HEAD

    for attempt in (
        lambda: upgrade_db(db_url),
        lambda: init_db(db_url),
        lambda: Repository(db_url),
    ):
        with pytest.raises(SchemaTooNew, match=f"'{NEXT}'.*newer Cauce"):
            attempt()
    assert current_revision(db_url) == NEXT


def test_downgrade_to_base_and_back(db_url: str) -> None:
    init_db(db_url)
    command.downgrade(alembic_config(db_url), "base")
    assert migrate.tables_present(db_url) == set()
    init_db(db_url)
    assert migrate.tables_present(db_url) == set(Base.metadata.tables)
    assert _diff(db_url) == []


def test_new_revision_is_numbered_and_ignores_foreign_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    init_db(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE apscheduler_jobs (id VARCHAR(191) PRIMARY KEY)"))
    engine.dispose()
    _with_next_revision(tmp_path, monkeypatch)
    upgrade_db(url, backup=False)
    path = new_revision("add sync tables", url)
    assert path.name == f"{AFTER}_add_sync_tables.py"
    assert path.parent == migrate.MIGRATIONS_DIR / "versions"
    body = path.read_text()
    assert f"revision: str = '{AFTER}'" in body and f"down_revision: str | None = '{NEXT}'" in body
    assert "batch_op.drop_column('note')" in body  # the model has no such column: seen
    assert "drop_table" not in body  # the scheduler's table is not Cauce's to drop
    assert "Hand-check before committing" in body


@pytest.mark.postgres
def test_offline_sql_for_postgres(tmp_path: Path) -> None:
    """DBAs can review the upgrade as SQL without Cauce touching the server."""
    import io

    out = io.StringIO()
    config = alembic_config("postgresql+psycopg://dba@db.invalid/meta")
    config.output_buffer = out
    command.upgrade(config, "head", sql=True)
    sql = out.getvalue()
    assert "CREATE TABLE pipeline_versions" in sql
    assert "ADD CONSTRAINT fk_pipelines_current_version" in sql


def test_concurrent_init_of_a_fresh_database_is_safe(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading

    from app.storage.migrate import current_revision, head_revision, init_db

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    errors: list[BaseException] = []

    def init() -> None:
        try:
            init_db(url)
        except BaseException as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=init) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert current_revision(url) == head_revision()
