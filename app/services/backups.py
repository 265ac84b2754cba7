"""Backups of the metadata DB: create, list, verify, restore, and automatic backups.

The archive format and the restore itself live in :mod:`app.storage.backup`,
:mod:`app.storage.backup_format` and :mod:`app.storage.backup_restore`; this module adds what
involves the rest of Cauce: the secrets of the connections (read from, and written back to,
the secret store; in an archive only under a passphrase), the scratch database of ``verify``,
and the retention of automatic backups (:class:`BackupPolicy`, run by the scheduler daemon).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.i18n import _
from app.services.workspace import Workspace, workspace_of

__all__ = [
    "BackupPolicy",
    "BackupSummary",
    "RestoreSummary",
    "TableChange",
    "VerifySummary",
    "create_backup",
    "default_backup_dir",
    "list_backups",
    "policy_from_environment",
    "prune_backups",
    "restore_backup",
    "run_due_backup",
    "verify_backup",
]

log = logging.getLogger(__name__)

AUTO_PREFIX = "auto-"


@dataclass(frozen=True)
class TableChange:
    """One table in a backup, a verification or a restore (rows)."""

    table: str
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    ok: bool = True


@dataclass(frozen=True)
class BackupSummary:
    """An archive: where, what kind, at which schema revision, what it holds."""

    path: Path
    kind: str
    revision: str
    created_at: str
    source: str
    size: int
    secrets: int
    tables: list[TableChange] = field(default_factory=list)


@dataclass(frozen=True)
class VerifySummary:
    """``ok`` when the archive restores into a scratch database with the same rows."""

    path: Path
    ok: bool
    tables: list[TableChange]
    secrets: int
    problems: list[str]


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore did (``dry_run``: would do)."""

    kind: str
    revision: str
    target_revision: str | None
    dry_run: bool
    tables: list[TableChange]
    secrets_restored: int
    secrets_skipped: int


def default_backup_dir() -> Path:
    """``backups/`` in the user data directory."""
    from app.storage.paths import data_dir

    return data_dir() / "backups"


def _summary(path: Path, manifest: object) -> BackupSummary:
    from app.storage.backup_format import BackupManifest

    assert isinstance(manifest, BackupManifest)
    return BackupSummary(
        path=path,
        kind=manifest.kind,
        revision=manifest.revision,
        created_at=manifest.created_at,
        source=manifest.source,
        size=path.stat().st_size,
        secrets=int((manifest.secrets or {}).get("count", 0)),
        tables=[TableChange(n, rows=int(e["rows"])) for n, e in manifest.tables.items()],
    )


def _store_secrets(workspace: Workspace, engine: object) -> dict[str, str]:
    """The stored secrets of every connection of the metadata DB, by store reference."""
    from app.connectors.records import secret_fields
    from app.connectors.registry import connector_registry
    from app.storage.backup import connection_secret_slots
    from app.storage.secrets import secret_ref

    store = workspace.secrets.store
    if store is None:
        return {}
    found: dict[str, str] = {}
    for project, name, kind in connection_secret_slots(engine):  # type: ignore[arg-type]
        try:
            cls = connector_registry().get(kind)
        except Exception:  # noqa: BLE001 - an unknown connector has no known secret fields
            continue
        for secret in secret_fields(cls.Config):
            ref = secret_ref(project, name, secret)
            value = store.get(ref)
            if value:
                found[ref] = value
    return found


def create_backup(
    path: Path,
    *,
    kind: str = "full",
    passphrase: str | None = None,
    workspace: Workspace | None = None,
) -> BackupSummary:
    """Write a backup of the metadata DB to ``path``.

    Secrets are left out, unless ``passphrase`` is given: then the connections' stored
    secrets are sealed under it (never under the machine's master key).
    """
    from app import __version__
    from app.storage.backup import write_archive
    from app.storage.db import make_engine
    from app.storage.migrate import check_schema

    ws = workspace_of(workspace)
    url = ws.db_url
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            revision = check_schema(conn, url)
        secrets = _store_secrets(ws, engine) if passphrase and kind != "structure" else None
        manifest = write_archive(
            engine,
            Path(path),
            kind=kind,
            revision=revision,
            cauce_version=__version__,
            secrets=secrets,
            passphrase=passphrase,
        )
    finally:
        engine.dispose()
    return _summary(Path(path), manifest)


def list_backups(directory: Path | None = None) -> list[BackupSummary]:
    """The readable archives in ``directory`` (default :func:`default_backup_dir`), newest
    first; files that are not archives are skipped."""
    from app.storage.backup import open_archive
    from app.storage.backup_format import BACKUP_SUFFIX, BackupError

    folder = Path(directory) if directory is not None else default_backup_dir()
    found = []
    for path in sorted(folder.glob(f"*{BACKUP_SUFFIX}")) if folder.is_dir() else []:
        try:
            with open_archive(path) as archive:
                found.append(_summary(path, archive.manifest))
        except BackupError as err:
            log.warning("skipping %s: %s", path, err)
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def verify_backup(path: Path, *, passphrase: str | None = None) -> VerifySummary:
    """Check every checksum, restore into a scratch SQLite database, read it back and
    compare each table's row count and checksum with the manifest (format 3: with the
    archive's rows as plain streams, so a newer compressor changes nothing)."""
    from app.storage.backup import content_version, digest_tables, open_archive
    from app.storage.backup_restore import restore_archive
    from app.storage.db import make_engine

    with open_archive(Path(path)) as archive, tempfile.TemporaryDirectory() as scratch:
        archive.verify_members()
        secrets = archive.secrets(passphrase) if passphrase is not None else {}
        url = f"sqlite:///{(Path(scratch) / 'verify.db').as_posix()}"
        # restored at the archive's revision, read back before any upgrade
        restore_archive(archive, url, upgrade=False)
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                version = archive.manifest.format_version
                got = digest_tables(conn, list(archive.manifest.tables), content_version(version))
        finally:
            engine.dispose()
        rows, problems = [], []
        for name, entry in archive.manifest.tables.items():
            count, digest = got.get(name, (0, ""))
            if version != content_version(version):
                entry = dict(zip(("rows", "sha256"), archive.content_digest(name), strict=True))
            ok = count == entry["rows"] and digest == entry["sha256"]
            rows.append(TableChange(name, rows=count, ok=ok))
            if not ok:
                problems.append(
                    f"{name}: {count} rows / {digest[:12]} restored, "
                    f"{entry['rows']} rows / {str(entry['sha256'])[:12]} archived"
                )
    return VerifySummary(Path(path), not problems, rows, len(secrets), problems)


def restore_backup(
    path: Path,
    *,
    passphrase: str | None = None,
    dry_run: bool = False,
    workspace: Workspace | None = None,
) -> RestoreSummary:
    """Restore an archive into the metadata DB, all or nothing; ``dry_run`` lists the changes.

    Every checksum (and the passphrase, when the archive holds secrets and one is given) is
    checked before anything is written. Secrets are written to the secret store after the
    database is restored; without a passphrase they are skipped.
    """
    from app.storage.backup import open_archive
    from app.storage.backup_restore import restore_archive

    ws = workspace_of(workspace)
    with open_archive(Path(path)) as archive:
        archive.verify_members()
        secrets = archive.secrets(passphrase) if passphrase is not None else {}
        report = restore_archive(archive, ws.db_url, dry_run=dry_run)
        held = int((archive.manifest.secrets or {}).get("count", 0))
    restored = 0
    if not dry_run and secrets:
        store = ws.secrets.store
        if store is not None:
            for ref, value in secrets.items():
                if ref.startswith("connection/"):
                    store.set(ref, value)
                    restored += 1
    tables = [
        TableChange(
            t.table,
            rows=t.added + t.changed + t.unchanged,
            added=t.added,
            changed=t.changed,
            unchanged=t.unchanged,
            removed=t.removed,
        )
        for t in report.tables
    ]
    return RestoreSummary(
        report.kind,
        report.revision,
        report.target_revision,
        dry_run,
        tables,
        restored if not dry_run else len(secrets),
        held - (restored if not dry_run else len(secrets)),
    )


# -- automatic backups -------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupPolicy:
    """Automatic backups: one every ``every`` into ``directory``, keeping the newest of each of
    the last ``keep_daily`` days and of the last ``keep_weekly`` ISO weeks."""

    directory: Path
    keep_daily: int = 7
    keep_weekly: int = 4
    every: timedelta = timedelta(days=1)
    kind: str = "full"
    passphrase: str | None = field(default=None, repr=False)


def policy_from_environment(environ: Mapping[str, str] | None = None) -> BackupPolicy | None:
    """The daemon's automatic backups, from ``CAUCE_BACKUP_DIR`` (unset: none),
    ``CAUCE_BACKUP_KEEP_DAILY`` (7), ``CAUCE_BACKUP_KEEP_WEEKLY`` (4), ``CAUCE_BACKUP_KIND``
    (``full``) and ``CAUCE_BACKUP_PASSPHRASE`` (unset: secrets left out)."""
    env = os.environ if environ is None else environ
    folder = env.get("CAUCE_BACKUP_DIR")
    if not folder:
        return None
    try:
        daily = int(env.get("CAUCE_BACKUP_KEEP_DAILY", "7"))
        weekly = int(env.get("CAUCE_BACKUP_KEEP_WEEKLY", "4"))
    except ValueError:
        raise ValueError(
            _("CAUCE_BACKUP_KEEP_DAILY and CAUCE_BACKUP_KEEP_WEEKLY must be whole numbers")
        ) from None
    return BackupPolicy(
        Path(folder),
        keep_daily=daily,
        keep_weekly=weekly,
        kind=env.get("CAUCE_BACKUP_KIND", "full"),
        passphrase=env.get("CAUCE_BACKUP_PASSPHRASE") or None,
    )


def _stamp_of(path: Path) -> datetime | None:
    stem = path.name.removeprefix(AUTO_PREFIX).split(".", 1)[0]
    try:
        return datetime.strptime(stem, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _automatic(directory: Path) -> list[tuple[datetime, Path]]:
    from app.storage.backup_format import BACKUP_SUFFIX

    found = []
    for path in directory.glob(f"{AUTO_PREFIX}*{BACKUP_SUFFIX}") if directory.is_dir() else []:
        stamp = _stamp_of(path)
        if stamp is not None:
            found.append((stamp, path))
    return sorted(found, reverse=True)


def prune_backups(policy: BackupPolicy) -> list[Path]:
    """Delete the automatic backups the policy does not keep; returns the deleted files.
    Backups made by hand (names not starting with ``auto-``) are never deleted."""
    keep: set[Path] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    for stamp, path in _automatic(policy.directory):
        day, week = stamp.date(), stamp.isocalendar()[:2]
        if day not in days and len(days) < policy.keep_daily:
            days.add(day)
            keep.add(path)
        if week not in weeks and len(weeks) < policy.keep_weekly:
            weeks.add(week)
            keep.add(path)
    deleted = []
    for _stamp, path in _automatic(policy.directory):
        if path not in keep:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def run_due_backup(
    policy: BackupPolicy, now: datetime, *, workspace: Workspace | None = None
) -> Path | None:
    """Make an automatic backup when the newest is older than ``policy.every``, then prune;
    returns the new archive (``None``: none was due). The scheduler daemon calls it from its
    housekeeping with its own clock."""
    from app.storage.backup_format import BACKUP_SUFFIX

    existing = _automatic(policy.directory)
    made = None
    if not existing or now - existing[0][0] >= policy.every:
        made = (
            policy.directory / f"{AUTO_PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{BACKUP_SUFFIX}"
        )
        create_backup(made, kind=policy.kind, passphrase=policy.passphrase, workspace=workspace)
        log.info("automatic backup written to %s", made)
    prune_backups(policy)
    return made
