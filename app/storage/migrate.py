"""Schema migrations of the metadata database (Alembic, configured in code).

No ``alembic.ini`` is read: :func:`alembic_config` points Alembic at the ``migrations`` folder
inside this package, so it works the same from a checkout, an installed wheel or a PyInstaller
bundle (which must ship ``app/storage/migrations`` as data files).

The CLI calls :func:`init_db`, :func:`upgrade_db` and :func:`current_revision`; the repository
calls :func:`check_schema` when it opens a database.

Backups: before upgrading a SQLite file, :func:`upgrade_db` writes a consistent copy next to it
(``cauce.db.<UTC timestamp>.<revision>.bak``); a PostgreSQL database is written to a full backup
archive (``<data dir>/backups/pre-upgrade-<revision>-<UTC timestamp>.cauce-backup``, see
:mod:`app.storage.backup`). The pre-upgrade revision is returned and recorded as a
``schema.upgraded`` event.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, column, insert, inspect, select, table, text
from sqlalchemy.pool import NullPool

from app.i18n import _, ngettext
from app.storage.db import (
    SQLITE_IMMEDIATE,
    database_url,
    display_url,
    make_engine,
    sqlite_path,
)
from app.storage.models import Base, EventRow, OrganizationRow, utcnow

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "DEFAULT_ORGANIZATION",
    "MIGRATIONS_DIR",
    "REVISIONS",
    "VERSION_TABLE",
    "SchemaError",
    "SchemaNotInitialized",
    "SchemaOutdated",
    "SchemaTooNew",
    "UpgradeResult",
    "alembic_config",
    "check_schema",
    "current_revision",
    "head_revision",
    "include_name",
    "init_db",
    "new_revision",
    "upgrade_db",
]

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "cauce_alembic_version"
DEFAULT_ORGANIZATION = "default"
#: Every revision in ``migrations/versions``, oldest first. Opening a database compares its
#: revision with these without loading Alembic (a tenth of a CLI command's start-up); Alembic
#: is imported only to migrate. A test checks this list against Alembic's own history: add
#: each new revision here.
REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0015",
    "0016",
)


class SchemaError(RuntimeError):
    """The metadata database's schema does not match this version of Cauce."""


class SchemaNotInitialized(SchemaError):
    """The database has no Cauce schema yet."""


class SchemaOutdated(SchemaError):
    """The database is older than the code: it needs ``upgrade_db``."""


class SchemaTooNew(SchemaError):
    """The database was migrated by a newer Cauce than this one."""


@dataclass(frozen=True)
class UpgradeResult:
    """What :func:`upgrade_db` did."""

    url: str
    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic filter: only Cauce's tables take part in autogenerate comparisons.

    Without it, autogenerate proposes ``drop_table`` for every table it does not know.
    """
    if type_ == "table":
        return name in Base.metadata.tables
    return True


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` built in code for this package's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    return REVISIONS[-1]


def _known_revisions() -> set[str]:
    return set(REVISIONS)


_VERSIONS = table(VERSION_TABLE, column("version_num"))


def _revision_of(conn: Connection) -> str | None:
    """The revision in Alembic's version table (what ``MigrationContext`` would answer)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = list(conn.execute(select(_VERSIONS.c.version_num)).scalars())
    if len(found) > 1:
        raise SchemaError(
            _("the metadata database has several schema revisions: {revisions}").format(
                revisions=found
            )
        )
    return found[0] if found else None


def current_revision(url: str | None = None) -> str | None:
    """The schema revision the database is at, or ``None`` when it has no Cauce schema."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return _revision_of(conn)
    finally:
        engine.dispose()


def _refuse_too_new(revision: str | None, url: str) -> None:
    if revision is not None and revision not in _known_revisions():
        raise SchemaTooNew(
            _(
                "the metadata database {database} is at schema revision {revision!r}, which this "
                "version of Cauce does not know (it knows up to {head!r}): a newer Cauce has "
                "upgraded it. Install that newer Cauce, or point CAUCE_DB_URL at another database "
                "(a SQLite backup sits next to the file as *.bak)."
            ).format(database=display_url(url), revision=revision, head=head_revision())
        )


def check_schema(conn: Connection, url: str) -> str:
    """Raise a :class:`SchemaError` saying what to do unless the database is at head."""
    revision = _revision_of(conn)
    if revision is None:
        raise SchemaNotInitialized(
            _("the metadata database {database} has no Cauce schema: run `cauce db init`").format(
                database=display_url(url)
            )
        )
    _refuse_too_new(revision, url)
    head = head_revision()
    if revision != head:
        raise SchemaOutdated(
            _(
                "the metadata database {database} is at schema revision {revision!r}, older than "
                "this Cauce ({head!r}): run `cauce db upgrade` (it backs up first)"
            ).format(database=display_url(url), revision=revision, head=head)
        )
    return revision


def _backup_sqlite(path: Path, revision: str | None) -> Path | None:
    """A consistent copy of a SQLite database (WAL content included) next to the file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{stamp}.{revision or 'empty'}.bak")
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    log.info("backed up %s to %s before upgrading", path, target)
    return target


def _backup_archive(engine: Engine, revision: str) -> Path:
    """A full backup archive (docs/backup.md) of a server database, in the data directory."""
    from app import __version__
    from app.storage.backup import write_archive
    from app.storage.paths import data_dir

    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    target = data_dir() / "backups" / f"pre-upgrade-{revision}-{stamp}.cauce-backup"
    write_archive(engine, target, kind="full", revision=revision, cauce_version=__version__)
    log.info("backed up %s to %s before upgrading", display_url(engine.url), target)
    return target


def _ensure_default_organization(engine: Engine) -> None:
    with engine.begin() as conn:
        found = conn.execute(
            select(OrganizationRow.id).where(OrganizationRow.name == DEFAULT_ORGANIZATION)
        ).first()
        if found is None:
            conn.execute(
                insert(OrganizationRow).values(name=DEFAULT_ORGANIZATION, created_at=utcnow())
            )


def _record_upgrade(engine: Engine, result: UpgradeResult) -> None:
    with engine.begin() as conn:
        org = conn.execute(
            select(OrganizationRow.id).where(OrganizationRow.name == DEFAULT_ORGANIZATION)
        ).scalar_one()
        conn.execute(
            insert(EventRow).values(
                organization_id=org,
                type="schema.upgraded",
                run_id=None,
                payload={
                    "from": result.before,
                    "to": result.after,
                    "backup": str(result.backup) if result.backup else None,
                },
                created_at=utcnow(),
            )
        )


def _foreign_key_violations(conn: Connection) -> list[Any]:
    return list(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())


def _run_upgrade(engine: Engine, url: str) -> None:
    """Run the migrations in one transaction.

    PostgreSQL has transactional DDL, and so has SQLite with the engine's explicit ``BEGIN``.
    On SQLite, foreign keys are switched off for the migration, as SQLite requires for the
    table rebuilds of batch migrations, and ``PRAGMA foreign_key_check`` must pass before the
    commit.
    """
    from alembic import command

    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                command.upgrade(alembic_config(url, conn), "head")
            return
        driver = conn.connection.driver_connection
        # Outside any transaction: SQLite ignores this pragma inside one.
        driver.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            conn.execution_options(**{SQLITE_IMMEDIATE: True})
            with conn.begin():  # Alembic runs inside this external transaction
                command.upgrade(alembic_config(url, conn), "head")
                violations = _foreign_key_violations(conn)
                if violations:
                    raise SchemaError(
                        ngettext(
                            "the upgrade would break {count} foreign key reference(s) (first: "
                            "{first!r}); nothing was changed",
                            "the upgrade would break {count} foreign key reference(s) (first: "
                            "{first!r}); nothing was changed",
                            len(violations),
                        ).format(count=len(violations), first=violations[0])
                    )
        finally:
            conn.invalidate()  # never hand this reconfigured connection back to the pool


_MIGRATING = threading.Lock()


#: the PostgreSQL advisory lock every ``db init``/``upgrade`` holds (any 64-bit constant)
MIGRATION_LOCK = 0x0CA0CE_0001


def _migrate(url: str, *, backup: bool) -> UpgradeResult:
    # one migration at a time in this process: two worker threads creating a fresh database
    # at once would both run the initial revision; and one at a time per PostgreSQL database
    # (an advisory lock held by a connection of its own): the second process waits, then
    # finds the schema at head. SQLite's upgrade transaction takes the write lock first.
    with _MIGRATING, _database_lock(url):
        return _migrate_locked(url, backup=backup)


@contextmanager
def _database_lock(url: str) -> Iterator[None]:
    if not url.startswith(("postgresql", "postgres")):
        yield
        return
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                conn.commit()
    finally:
        engine.dispose()


def _migrate_locked(url: str, *, backup: bool) -> UpgradeResult:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            before = _revision_of(conn)
        _refuse_too_new(before, url)
        head = head_revision()
        if before == head:
            return UpgradeResult(url=url, before=before, after=head, backup=None)
        path = sqlite_path(url)
        saved = _backup_sqlite(path, before) if backup and before and path else None
        if backup and before and path is None:
            saved = _backup_archive(engine, before)
        log.info("upgrading %s from %s to %s", display_url(url), before, head)
        _run_upgrade(engine, url)
        _ensure_default_organization(engine)
        result = UpgradeResult(url=url, before=before, after=head, backup=saved)
        if before is not None:
            _record_upgrade(engine, result)
        return result
    finally:
        engine.dispose()


def init_db(url: str | None = None) -> str:
    """Create the metadata database (or bring an existing one to head); returns the revision.

    Idempotent: on a database already at head it changes nothing. An older database is
    upgraded exactly as :func:`upgrade_db` does, backup included.

    Raises:
        SchemaTooNew: The database was migrated by a newer Cauce.
    """
    return _migrate(database_url(url), backup=True).after


def upgrade_db(url: str | None = None, *, backup: bool = True) -> UpgradeResult:
    """Upgrade the metadata database to this code's head revision.

    Args:
        url: Database URL (see :func:`app.storage.db.database_url`).
        backup: For SQLite, copy the file next to itself first (skipped when nothing to do).

    Returns:
        The revisions before and after, and the backup file if one was written.

    Raises:
        SchemaTooNew: The database was migrated by a newer Cauce; nothing is changed.
    """
    return _migrate(database_url(url), backup=backup)


def new_revision(message: str, url: str) -> Path:
    """Developer tool: autogenerate the next migration from the models.

    ``url`` must be a scratch database at head. The file lands in ``migrations/versions`` as
    ``<next number>_<slug>.py``; read and fix it before committing (see ``docs/storage.md``).
    """
    from alembic import command

    head = head_revision()
    rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            check_schema(conn, url)
            script = command.revision(
                alembic_config(url, conn), message=message, autogenerate=True, rev_id=rev_id
            )
    finally:
        engine.dispose()
    if script is None or isinstance(script, list):  # pragma: no cover - single head
        raise SchemaError("alembic produced no single revision")
    return Path(script.path)


def tables_present(url: str | None = None) -> set[str]:
    """Cauce tables that exist in the database (diagnostics and tests)."""
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) & set(Base.metadata.tables)
    finally:
        engine.dispose()
