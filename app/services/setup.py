"""First set-up and health of the metadata DB: ``cauce db init`` and ``cauce db doctor``, and
the editor's first-start dialog (which calls the same functions).

:func:`initialise` creates the schema (or brings it to the latest), the default organization,
optionally an admin identity (the API's ``users`` table) and a copy of the Chinook example
project. :func:`doctor` checks the schema revision, orphaned rows, secrets the store cannot
open (a wrong master key), and free disk space, and says how to fix each finding.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from app.i18n import N_, _, gettext
from app.services.workspace import Workspace, workspace_of

__all__ = [
    "EXAMPLE_PROJECT",
    "Finding",
    "SetupResult",
    "default_database_url",
    "doctor",
    "initialise",
    "needs_first_start",
    "test_database",
]

EXAMPLE_PROJECT = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chinook"
#: below this much free space where the metadata DB (or the data directory) lives: a warning
MIN_FREE_BYTES = 1 << 30


@dataclass(frozen=True)
class SetupResult:
    """What :func:`initialise` did."""

    url: str
    revision: str
    admin: str | None
    example: Path | None


@dataclass(frozen=True)
class Finding:
    """One doctor check: ``status`` is ``ok``, ``warning`` or ``problem``; ``fix`` says what to
    do about it (empty when nothing is needed)."""

    check: str
    status: str
    message: str
    fix: str = ""


def default_database_url(sqlite_file: Path | None = None) -> str:
    """The SQLite URL of ``sqlite_file``, else of the default metadata DB (``CAUCE_DB_URL``
    or ``cauce.db`` in the user data directory)."""
    from app.storage.db import database_url

    if sqlite_file is not None:
        return f"sqlite:///{Path(sqlite_file).as_posix()}"
    return database_url()


def needs_first_start(url: str | None = None) -> bool:
    """True when the metadata DB has not been set up yet (no SQLite file, or no schema); an
    unreachable server also counts (the first-start dialog lets the user fix its URL)."""
    from app.storage.db import sqlite_path
    from app.storage.migrate import current_revision

    resolved = url or default_database_url()
    path = sqlite_path(resolved)
    if path is not None and not path.exists():
        return True
    try:
        return current_revision(resolved) is None
    except Exception:  # noqa: BLE001 - unreachable or unreadable: let the user choose again
        return True


def test_database(url: str) -> str | None:
    """``None`` when the database at ``url`` can be reached, else why not (password masked)."""
    from sqlalchemy import text
    from sqlalchemy.pool import NullPool

    from app.services.errors import USER_ERRORS, describe
    from app.storage.db import make_engine

    try:
        engine = make_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except USER_ERRORS as err:
        return describe(err)
    return None


def initialise(
    workspace: Workspace | None = None,
    *,
    admin: str | None = None,
    example: Path | None = None,
) -> SetupResult:
    """Create the metadata DB (idempotent), an ``admin`` user when named, and a copy of the
    Chinook example project in ``example`` when given (an existing folder is left alone).

    All or nothing: the migrations run in one transaction, the example is copied aside first
    and moved into place only once the database is ready, and when a step fails a SQLite file
    this call created (or found empty) is removed, so a retry starts clean.
    """
    from app.storage.access import AccessStore
    from app.storage.access_models import Role
    from app.storage.db import display_url, sqlite_path
    from app.storage.migrate import init_db

    ws = workspace_of(workspace)
    fresh = _fresh_sqlite_file(sqlite_path(ws.db_url))
    target = Path(example) if example is not None else None
    staged = _stage_example(target) if target is not None and not target.exists() else None
    try:
        revision = init_db(ws.db_url)
        if admin:
            with AccessStore(ws.db_url, organization=ws.organization) as store:
                store.ensure_user(admin, Role.ADMIN)
    except BaseException:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        if fresh is not None and _fresh_sqlite_file(fresh) is not None:  # still empty: not
            _remove_sqlite_file(fresh)  # a file another process initialised meanwhile
        raise
    if staged is not None and target is not None:
        staged.rename(target)
    return SetupResult(display_url(ws.db_url), revision, admin, target)


def _fresh_sqlite_file(path: Path | None) -> Path | None:
    """``path`` when it is a SQLite file that holds nothing yet (absent, or without a table:
    testing the connection creates it), else ``None``: a file with content is never removed."""
    import sqlite3

    if path is None:
        return None
    if not path.exists():
        return path
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None  # not ours to judge: leave it
    return path if tables == 0 else None


def _remove_sqlite_file(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def _stage_example(target: Path) -> Path:
    """A copy of the example project next to ``target``, to be renamed into place."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        shutil.copytree(EXAMPLE_PROJECT, staged, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _schema(ws: Workspace) -> Finding:
    from app.storage.migrate import SchemaError, current_revision, head_revision

    try:
        revision = current_revision(ws.db_url)
    except SchemaError as err:
        return Finding("schema", "problem", str(err), _("restore a backup: cauce backup restore"))
    head = head_revision()
    if revision is None:
        return Finding(
            "schema", "problem", _("the database has no Cauce schema"), _("run: cauce db init")
        )
    if revision == head:
        return Finding("schema", "ok", _("schema revision {revision}").format(revision=revision))
    from app.storage.migrate import REVISIONS

    if revision not in REVISIONS:
        return Finding(
            "schema",
            "problem",
            _("schema revision {revision} is newer than this Cauce ({head})").format(
                revision=revision, head=head
            ),
            _("install the newer Cauce that upgraded it"),
        )
    return Finding(
        "schema",
        "problem",
        _("schema revision {revision}, older than this Cauce ({head})").format(
            revision=revision, head=head
        ),
        _("run: cauce db upgrade (it backs up first)"),
    )


_ORPHAN_FIX = {
    "broken_reference": N_("restore the last good backup (cauce backup restore)"),
    "unreferenced": N_("harmless: they only take space"),
    "no_version": N_("open the project in the editor and save the pipeline, or delete it"),
}


def _orphans(ws: Workspace) -> list[Finding]:
    from app.storage.doctor import find_orphans

    found = find_orphans(ws.db_url)
    if not found:
        return [Finding("orphans", "ok", _("no orphaned rows"))]
    return [
        Finding(
            "orphans",
            "problem" if o.why == "broken_reference" else "warning",
            _("{table}: {rows} rows ({why})").format(table=o.table, rows=o.rows, why=o.why),
            gettext(_ORPHAN_FIX[o.why]),
        )
        for o in found
    ]


def _secrets(ws: Workspace) -> Finding:
    from app.connectors.records import secret_fields
    from app.connectors.registry import connector_registry
    from app.storage.backup import connection_secret_slots
    from app.storage.db import make_engine
    from app.storage.encrypted_store import MASTER_KEY_ENV, SecretStoreError
    from app.storage.secrets import secret_ref

    engine = make_engine(ws.db_url)
    try:
        slots = connection_secret_slots(engine)
    finally:
        engine.dispose()
    if not slots:
        return Finding("secrets", "ok", _("no connections, no secrets to check"))
    missing = 0
    try:
        store = ws.secrets.store
        if store is None:
            return Finding(
                "secrets",
                "warning",
                _("no secret store: {reason}").format(reason=ws.secrets.unavailable),
                _("set {variable}, or give secrets in CAUCE_SECRET_* variables").format(
                    variable=MASTER_KEY_ENV
                ),
            )
        for project, name, kind in slots:
            try:
                fields = secret_fields(connector_registry().get(kind).Config)
            except Exception:  # noqa: BLE001 - an unknown connector: nothing to check
                continue
            for field in fields:
                if not store.get(secret_ref(project, name, field)):
                    missing += 1
    except SecretStoreError as err:
        return Finding(
            "secrets",
            "problem",
            _("the secrets cannot be read: {error}").format(error=err),
            _("set {variable} to the key the secrets were stored with").format(
                variable=MASTER_KEY_ENV
            ),
        )
    if missing:
        return Finding(
            "secrets",
            "warning",
            _("{count} connection secrets are not stored").format(count=missing),
            _("enter them in the connection dialog, or give them in CAUCE_SECRET_* variables"),
        )
    return Finding("secrets", "ok", _("every stored secret can be read"))


def _disk(ws: Workspace, min_free: int) -> Finding:
    from app.storage.db import sqlite_path
    from app.storage.paths import data_dir

    path = sqlite_path(ws.db_url)
    where = path.parent if path is not None else data_dir()
    while not where.exists() and where != where.parent:
        where = where.parent
    free = shutil.disk_usage(where).free
    text = _("{free} MiB free in {path}").format(free=free >> 20, path=where)
    if free < min_free:
        return Finding(
            "disk", "warning", text, _("free some space, or move CAUCE_HOME to a larger disk")
        )
    return Finding("disk", "ok", text)


def doctor(workspace: Workspace | None = None, *, min_free: int = MIN_FREE_BYTES) -> list[Finding]:
    """Every check, in order; the checks after the schema run only when it is current."""
    ws = workspace_of(workspace)
    found = [_schema(ws)]
    if found[0].status == "ok":
        found += _orphans(ws)
        found.append(_secrets(ws))
    found.append(_disk(ws, min_free))
    return found
