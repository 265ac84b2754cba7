"""Restore a backup archive into a metadata DB, all or nothing; plan a restore (dry run).

- The archive is checked first (headers, manifest, every member's SHA-256, the passphrase):
  a damaged or tampered archive, or a wrong passphrase, fails before the target is touched.
- PostgreSQL: one transaction (DDL included: PostgreSQL's DDL is transactional).
- SQLite: the database is built in a new file next to the target (a copy of it when it has
  content), then swapped in with an atomic rename. A process killed at any moment leaves the
  target as it was, or complete.

Kinds: ``full`` replaces every row; ``configuration`` inserts the archive's rows that are
missing and updates those that differ (by primary key), and keeps the others; ``structure``
creates the schema. An empty target gets the archive's schema revision, then is upgraded to
this Cauce's.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text, tuple_, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from app.i18n import _
from app.storage.backup import (
    BackupArchive,
    bulk_module,
    canonical_json,
    cauce_tables,
    column_kinds,
    reflect,
    utc,
)
from app.storage.backup_format import BackupError
from app.storage.db import database_url, make_engine, sqlite_path
from app.storage.migrate import (
    REVISIONS,
    _ensure_default_organization,
    _revision_of,
    alembic_config,
    head_revision,
)
from app.storage.models import Base

__all__ = ["RestoreReport", "TableChange", "plan_restore", "restore_archive"]

_KEY_CHUNK = 500
#: from this many rows, a table is loaded without its keys and indexes, built after the load
REBUILD_ROWS = 5_000


@dataclass
class TableChange:
    """What a restore does to one table (rows)."""

    table: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    #: rows only in the target: deleted by a full restore, kept by a configuration restore
    removed: int = 0


@dataclass
class RestoreReport:
    """What a restore did (or, for a dry run, would do)."""

    kind: str
    revision: str
    target_revision: str | None
    dry_run: bool
    tables: list[TableChange] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict, repr=False)


def _deferred_columns() -> dict[str, list[str]]:
    """Columns of references that close a cycle (``use_alter``): written after every table."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            if fk.use_alter:
                pk = {c.name for c in table.primary_key.columns}
                found.setdefault(table.name, []).extend(
                    c.name for c in fk.columns if c.name not in pk
                )
    return found


def _check_revisions(archive: BackupArchive, target: str | None) -> None:
    revision = archive.manifest.revision
    if revision not in REVISIONS:
        raise BackupError(
            archive.path.name,
            _(
                "the archive is at schema revision {revision!r}, which this Cauce does not "
                "know (it knows up to {head!r}): restore it with the Cauce that wrote it"
            ).format(revision=revision, head=head_revision()),
        )
    if target is not None and target != revision:
        raise BackupError(
            archive.path.name,
            _(
                "the target database is at schema revision {target!r} and the archive at "
                "{revision!r}: restore into an empty database (it is upgraded afterwards)"
            ).format(target=target, revision=revision),
        )


def _python_rows(batch: Any, kinds: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = batch.to_pylist()
    jsons = [n for n, k in kinds.items() if k == "json"]
    for row in rows:
        for name in jsons:
            if row.get(name) is not None:
                row[name] = json.loads(row[name])
    return rows


def _canonical(row: Any, kinds: dict[str, str]) -> tuple[Any, ...]:
    out = []
    for name in sorted(kinds):
        value = row[name]
        if kinds[name] == "json":
            value = canonical_json(value)
        elif kinds[name] == "ts":
            value = utc(value)
        out.append(value)
    return tuple(out)


def _existing(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> dict[tuple, Any]:
    keys = list(table.primary_key.columns)
    found: dict[tuple, Any] = {}
    for start in range(0, len(rows), _KEY_CHUNK):
        chunk = [tuple(r[k.name] for k in keys) for r in rows[start : start + _KEY_CHUNK]]
        where = tuple_(*keys).in_(chunk) if len(keys) > 1 else keys[0].in_([c[0] for c in chunk])
        for row in conn.execute(select(table).where(where)).mappings():
            found[tuple(row[k.name] for k in keys)] = row
    return found


def _classify(
    conn: Connection, table: Table, batch: Any, change: TableChange
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """(rows to insert, rows to update, rows matched) of one batch against the target."""
    kinds = column_kinds(table)
    rows = _python_rows(batch, kinds)
    existing = _existing(conn, table, rows)
    keys = [k.name for k in table.primary_key.columns]
    new, changed = [], []
    for row in rows:
        old = existing.get(tuple(row[k] for k in keys))
        if old is None:
            new.append(row)
        elif _canonical(old, kinds) != _canonical(row, kinds):
            changed.append(row)
        else:
            change.unchanged += 1
    change.added += len(new)
    change.changed += len(changed)
    return new, changed, len(existing)


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def plan_restore(conn: Connection, archive: BackupArchive) -> list[TableChange]:
    """What restoring ``archive`` would change in the database of ``conn`` (reads only)."""
    tables = reflect(conn, cauce_tables())
    plan = []
    names = list(archive.manifest.tables)
    if archive.manifest.kind == "full":
        names = [n for n in cauce_tables() if n in tables]
    for name in names:
        table, change = tables[name], TableChange(name)
        matched = 0
        if name in archive.manifest.tables:
            for batch in archive.batches(name):
                matched += _classify(conn, table, batch, change)[2]
        change.removed = _count(conn, table) - matched
        plan.append(change)
    return plan


def _insert_all(
    conn: Connection, table: Table, archive: BackupArchive, deferred: dict[str, list]
) -> TableChange:
    """Load the table's rows in bulk (an empty table); the references that close a cycle are
    set aside in ``deferred`` and written by :func:`_apply_deferred`."""
    kinds = column_kinds(table)
    later = _deferred_columns().get(table.name, [])
    batches = archive.batches(table.name)
    if later:
        batches = _set_aside(batches, table, later, deferred.setdefault(table.name, []))
    return TableChange(
        table.name, added=bulk_module(conn).load_batches(conn, table, kinds, batches)
    )


def _set_aside(
    batches: Iterator[Any], table: Table, later: list[str], rows: list[dict[str, Any]]
) -> Iterator[Any]:
    """The batches with the ``later`` columns emptied; their values (by key) go to ``rows``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = [k.name for k in table.primary_key.columns]
    for batch in batches:
        present = [c for c in later if c in batch.schema.names]
        if present:
            mask = pc.is_valid(batch.column(present[0]))
            for c in present[1:]:
                mask = pc.or_(mask, pc.is_valid(batch.column(c)))
            for row in batch.filter(mask).select(keys + present).to_pylist():
                rows.append(
                    {**{f"k_{k}": row[k] for k in keys}, **{f"v_{c}": row[c] for c in present}}
                )
            for c in present:
                i = batch.schema.get_field_index(c)
                batch = batch.set_column(i, c, pa.nulls(batch.num_rows, batch.schema.field(c).type))
        yield batch


def _upsert(conn: Connection, table: Table, archive: BackupArchive) -> TableChange:
    change = TableChange(table.name)
    keys = list(table.primary_key.columns)
    matched = 0
    for batch in archive.batches(table.name):
        new, changed, found = _classify(conn, table, batch, change)
        matched += found
        if new:
            conn.execute(insert(table), new)
        for row in changed:
            where = [k == row[k.name] for k in keys]
            conn.execute(update(table).where(*where).values(row))
    change.removed = _count(conn, table) - matched - change.added
    return change


def _apply_deferred(conn: Connection, tables: dict[str, Table], deferred: dict[str, list]) -> None:
    for name, rows in deferred.items():
        if not rows:
            continue
        table = tables[name]
        keys = [k.name for k in table.primary_key.columns]
        later = _deferred_columns()[name]
        stmt = (
            update(table)
            .where(*[table.c[k] == _bind(f"k_{k}") for k in keys])
            .values({c: _bind(f"v_{c}") for c in later})
        )
        conn.execute(stmt, rows)


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


def _clear(conn: Connection, tables: dict[str, Table]) -> None:
    for name, cols in _deferred_columns().items():
        if name in tables:
            conn.execute(update(tables[name]).values({c: None for c in cols}))
    for name in reversed(cauce_tables()):
        if name in tables:
            conn.execute(delete(tables[name]))


def _reset_sequences(conn: Connection, tables: dict[str, Table]) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in tables.values():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].name != "id":
            continue
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar()
        if seq:
            conn.execute(
                text(
                    f"SELECT setval(:s, COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                ),  # noqa: S608 - a reflected table name
                {"s": seq},
            )


def _restore_on(
    conn: Connection, url: str, archive: BackupArchive, *, upgrade: bool = True
) -> RestoreReport:
    """Restore inside the caller's transaction on ``conn``."""
    from alembic import command

    manifest = archive.manifest
    target = _revision_of(conn)
    _check_revisions(archive, target)
    report = RestoreReport(manifest.kind, manifest.revision, target, dry_run=False)
    if target is None:
        command.upgrade(alembic_config(url, conn), manifest.revision)
    tables = reflect(conn, cauce_tables())
    deferred: dict[str, list] = {}
    fresh = manifest.kind == "full" or target is None
    if fresh:  # (a new schema may hold rows its migrations insert)
        _clear(conn, tables)
    names = [n for n in cauce_tables() if n in manifest.tables]
    for name in names:
        if name not in tables:
            raise BackupError(name, _("the target database has no such table"))
    if fresh:  # every table is empty: the big ones' keys and indexes are built after the load
        big = [n for n in names if int(manifest.tables[n]["rows"]) >= REBUILD_ROWS]
        with bulk_module(conn).loading(conn, big):
            for name in names:
                report.tables.append(_insert_all(conn, tables[name], archive, deferred))
    else:
        for name in names:
            report.tables.append(_upsert(conn, tables[name], archive))
    _apply_deferred(conn, tables, deferred)
    _reset_sequences(conn, tables)
    if upgrade and target is None and manifest.revision != head_revision():
        command.upgrade(alembic_config(url, conn), "head")
    if conn.dialect.name == "sqlite":
        bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise BackupError(
                archive.path.name,
                _("the restored rows break {count} foreign key reference(s)").format(
                    count=len(bad)
                ),
            )
    return report


@contextmanager
def _sqlite_build(url: str) -> Iterator[tuple[str, Path]]:
    """A scratch copy of the SQLite target (or an empty file) to restore into."""
    path = sqlite_path(url)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    build = path.with_name(path.name + ".restoring")
    for leftover in (build, Path(f"{build}-wal"), Path(f"{build}-shm"), Path(f"{build}-journal")):
        leftover.unlink(missing_ok=True)
    if path.exists() and path.stat().st_size > 0:
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(build)) as dst:
            src.backup(dst)
    try:
        yield f"sqlite:///{build.as_posix()}", build
    finally:
        for leftover in (build, Path(f"{build}-wal"), Path(f"{build}-shm")):
            leftover.unlink(missing_ok=True)


def _swap_in(build: Path, target: Path) -> None:
    """Replace ``target`` by the finished ``build`` file (atomic rename; stale WAL removed)."""
    with closing(sqlite3.connect(build)) as con:
        con.execute("PRAGMA journal_mode = DELETE")  # fold the build's WAL into the file
    fd = os.open(build, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if target.exists():
        with closing(sqlite3.connect(target)) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(build, target)
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)


def restore_archive(
    archive: BackupArchive,
    url: str | None = None,
    *,
    dry_run: bool = False,
    upgrade: bool = True,
) -> RestoreReport:
    """Restore (or, ``dry_run``, plan) ``archive`` into the database at ``url``.

    The caller has checked the archive (:meth:`BackupArchive.verify_members`) and its
    passphrase. Raises :class:`BackupError`; the target is then unchanged.
    """
    url = database_url(url)
    path = sqlite_path(url)
    if dry_run:
        return _dry_run(archive, url, path)
    try:
        if path is None:
            return _restore_in_transaction(url, archive, upgrade=upgrade)
        with _sqlite_build(url) as (build_url, build):
            report = _restore_in_transaction(build_url, archive, sqlite=True, upgrade=upgrade)
            _swap_in(build, path)
            return report
    except IntegrityError as err:
        raise BackupError(
            archive.path.name,
            _(
                "the archive's rows conflict with the target database; nothing was changed "
                "({error})"
            ).format(error=str(err.orig).strip().splitlines()[0]),
        ) from None
    except DBAPIError as err:
        raise BackupError(
            archive.path.name,
            _("the restore failed; nothing was changed ({error})").format(
                error=str(err.orig).strip().splitlines()[0]
            ),
        ) from None


def _dry_run(archive: BackupArchive, url: str, path: Path | None) -> RestoreReport:
    manifest = archive.manifest
    if path is not None and not path.exists():  # nothing there yet: every row is added
        _check_revisions(archive, None)
        report = RestoreReport(manifest.kind, manifest.revision, None, dry_run=True)
        report.tables = [TableChange(n, added=int(e["rows"])) for n, e in manifest.tables.items()]
        return report
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            target = _revision_of(conn)
            _check_revisions(archive, target)
            report = RestoreReport(manifest.kind, manifest.revision, target, dry_run=True)
            if target is None:
                report.tables = [
                    TableChange(n, added=int(e["rows"])) for n, e in manifest.tables.items()
                ]
            else:
                report.tables = plan_restore(conn, archive)
            return report
    finally:
        engine.dispose()


def _restore_in_transaction(
    url: str, archive: BackupArchive, *, sqlite: bool = False, upgrade: bool = True
) -> RestoreReport:
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if sqlite:  # batch migrations rebuild tables: checked by foreign_key_check instead
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            with conn.begin():
                report = _restore_on(conn, url, archive, upgrade=upgrade)
            if report.kind == "structure":
                _ensure_default_organization(engine)
            return report
    finally:
        engine.dispose()
