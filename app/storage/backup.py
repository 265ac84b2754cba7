"""Write and read metadata-DB backup archives (format: :mod:`app.storage.backup_format`).

Tables are read from the database as it is (reflected, so a database at an older revision
can be backed up before it is upgraded) and written in primary-key order, in batches, as
Arrow IPC streams with portable types (:mod:`app.storage.backup_columns`). Rows never pass
through Python one by one on PostgreSQL (``COPY`` parsed by Arrow, :mod:`.backup_postgres`);
SQLite is read and loaded on the DB-API cursor (:mod:`.backup_sqlite`). Columns are sorted by
name, so an archive does not depend on the engine it was taken from: a database restored from
an archive, read again, gives byte-identical members (what ``verify`` checks). Memory stays
bounded by about two batches whatever the table size. Format 3 streams carry their own
(LZ4) compression in stored zip members (:mod:`.backup_ipc`); format 2 archives (plain streams
in deflated members) and format 1 archives (read by :mod:`.backup_legacy` to be verified)
still restore.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Generator, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Column, Connection, MetaData, PrimaryKeyConstraint, Table, inspect, select
from sqlalchemy.engine import Engine

from app.i18n import _
from app.storage import access_models, alert_models, quality_models  # noqa: F401 - tables
from app.storage.backup_adbc import sharing_snapshot
from app.storage.backup_columns import arrow_schema, column_kinds
from app.storage.backup_format import (
    BACKUP_FORMAT_VERSION,
    DEFAULT_BACKUP_LIMITS,
    KINDS,
    MANIFEST,
    SECRETS_MEMBER,
    BackupError,
    BackupLimits,
    BackupManifest,
    LimitedReader,
    check_header,
    decrypt_secrets,
    encrypt_secrets,
    member_table,
    table_member,
)
from app.storage.backup_ipc import checked_batches, stream_schema, write_options
from app.storage.backup_legacy import canonical_json, read_batches_v1, utc
from app.storage.models import Base

__all__ = [
    "BATCH_ROWS",
    "CONFIGURATION_TABLES",
    "BackupArchive",
    "BackupInfo",
    "bulk_module",
    "canonical_json",
    "cauce_tables",
    "column_kinds",
    "connection_secret_slots",
    "content_version",
    "digest_tables",
    "open_archive",
    "read_table",
    "utc",
    "write_archive",
]

BATCH_ROWS = 20_000
#: what a configuration backup holds: who, what is defined, and the state syncs and schedules
#: resume from (alert rules and schedule definitions are project files; see docs/backup.md)
CONFIGURATION_TABLES = (
    "organizations",
    "users",
    "hosted_projects",
    "projects",
    "connections",
    "content_blobs",
    "pipelines",
    "pipeline_versions",
    "syncs",
    "sync_destination_states",
    "schedule_fires",
)


def cauce_tables() -> list[str]:
    """Every Cauce table, parents before children (the models' dependency order)."""
    return [t.name for t in Base.metadata.sorted_tables]


def reflect(conn: Connection, names: list[str]) -> dict[str, Table]:
    """The tables ``names`` as they are in the database (those that exist): their columns
    and primary keys, all a backup reads and writes by (two catalog queries in all)."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    wanted = [n for n in names if n in present]
    if not wanted:
        return {}
    columns = inspector.get_multi_columns(filter_names=wanted)
    keys = inspector.get_multi_pk_constraint(filter_names=wanted)
    meta = MetaData()
    tables = {}
    for name in wanted:
        items: list[Any] = [
            Column(c["name"], c["type"], nullable=c["nullable"]) for c in columns[(None, name)]
        ]
        if key := keys[(None, name)].get("constrained_columns"):
            items.append(PrimaryKeyConstraint(*key))
        tables[name] = Table(name, meta, *items)
    return tables


#: the bulk reader and loader of each engine (format 2): ``read_batches``, ``load_batches``
BULK_MODULES = {
    "postgresql": "app.storage.backup_postgres",
    "sqlite": "app.storage.backup_sqlite",
}


def bulk_module(conn: Connection) -> Any:
    """The module that reads and loads ``conn``'s engine in bulk."""
    import importlib

    name = BULK_MODULES.get(conn.dialect.name)
    if name is None:
        raise BackupError(
            conn.dialect.name,
            _("backups support SQLite and PostgreSQL metadata databases only"),
        )
    return importlib.import_module(name)


def content_version(format_version: int) -> int:
    """The format whose plain (uncompressed) streams give the same rows the same bytes as
    ``format_version``'s: what ``verify`` compares, whatever the compressor's version.

    >>> content_version(3), content_version(2), content_version(1)
    (2, 2, 1)
    """
    return 2 if format_version >= 2 else format_version


def read_table(
    conn: Connection,
    table: Table,
    batch_rows: int = BATCH_ROWS,
    format_version: int = BACKUP_FORMAT_VERSION,
) -> Generator[Any, None, None]:
    """The table's rows as Arrow record batches (columns sorted by name, primary-key order),
    as an archive of ``format_version`` holds them."""
    if format_version == 1:
        return read_batches_v1(conn, table, batch_rows)
    return bulk_module(conn).read_batches(conn, table, column_kinds(table), batch_rows)  # type: ignore[no-any-return]


class _HashingWriter:
    """A write-only file that hashes and counts what passes through to ``sink``."""

    def __init__(self, sink: IO[bytes] | None) -> None:
        self.sink = sink
        self.digest = hashlib.sha256()
        self.closed = False

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.digest.update(view)
        if self.sink is not None:
            self.sink.write(view)
        return len(view)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def write_table(
    conn: Connection,
    table: Table,
    sink: IO[bytes] | None,
    format_version: int = BACKUP_FORMAT_VERSION,
) -> tuple[int, str]:
    """Stream ``table`` as one Arrow IPC stream into ``sink`` (or nowhere): (rows, SHA-256 of
    the stream's bytes; format 3's are compressed)."""
    import pyarrow as pa

    schema = arrow_schema(column_kinds(table))
    out = _HashingWriter(sink)
    rows = 0
    batches = read_table(conn, table, format_version=format_version)
    options = write_options(compressed=format_version >= 3)
    with (  # closed on any error
        closing(batches),
        pa.ipc.new_stream(out, schema, options=options) as writer,
    ):
        for batch in batches:
            rows += batch.num_rows
            writer.write_batch(batch)
    return rows, out.digest.hexdigest()


def write_archive(
    engine: Engine,
    target: Path,
    *,
    kind: str,
    revision: str,
    cauce_version: str,
    secrets: dict[str, str] | None = None,
    passphrase: str | None = None,
) -> BackupManifest:
    """Write an archive of ``engine``'s database to ``target`` (atomically: a partial file is
    renamed into place only when complete). ``secrets`` are written only under a passphrase."""
    if kind not in KINDS:
        raise BackupError(target.name, _("unknown backup kind {kind!r}").format(kind=kind))
    names = {
        "full": cauce_tables(),
        "configuration": [n for n in cauce_tables() if n in CONFIGURATION_TABLES],
        "structure": [],
    }[kind]
    manifest = BackupManifest(
        kind=kind,
        revision=revision,
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        cauce_version=cauce_version,
        source=engine.dialect.name,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as zf,  # Arrow compresses
            engine.connect() as conn,
            ExitStack() as stack,
        ):
            if conn.dialect.name == "postgresql":  # one consistent snapshot of every table
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                stack.enter_context(sharing_snapshot(conn))  # read by ADBC, in that snapshot
            for name, table in reflect(conn, names).items():
                with zf.open(table_member(name), "w", force_zip64=True) as member:
                    rows, digest = write_table(conn, table, member)
                manifest.tables[name] = {"rows": rows, "sha256": digest}
            if secrets and passphrase:
                sealed, kdf = encrypt_secrets(secrets, passphrase)
                zf.writestr(SECRETS_MEMBER, sealed)
                manifest.secrets = {
                    "count": len(secrets),
                    "sha256": hashlib.sha256(sealed).hexdigest(),
                    "kdf": kdf,
                }
            zf.writestr(MANIFEST, manifest.to_json())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


@dataclass(frozen=True)
class BackupInfo:
    """An archive as listed: its path, size and manifest."""

    path: Path
    size: int
    manifest: BackupManifest


class BackupArchive:
    """An open archive whose headers and manifest have been checked (see :func:`open_archive`)."""

    def __init__(self, path: Path, zf: zipfile.ZipFile, limits: BackupLimits) -> None:
        self.path = path
        self._zf = zf
        self._limits = limits
        self._entries = self._check_headers()
        self.manifest = self._read_manifest()
        self._check_listing()

    def _check_headers(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zf.infolist()
        if len(infos) > self._limits.max_members:
            raise BackupError(
                self.path.name,
                _("{count} members, more than {limit}").format(
                    count=len(infos), limit=self._limits.max_members
                ),
            )
        entries: dict[str, zipfile.ZipInfo] = {}
        total = stored = 0
        for info in infos:
            check_header(info, self._limits)
            if info.orig_filename in entries:
                raise BackupError(info.orig_filename, _("duplicate member"))
            entries[info.orig_filename] = info
            total += info.file_size
            stored += info.compress_size
        if stored > self.path.stat().st_size:  # no read can ask for more than the file holds
            raise BackupError(
                self.path.name,
                _("members declare {size} bytes stored, more than the file's {real}").format(
                    size=stored, real=self.path.stat().st_size
                ),
            )
        if total > self._limits.max_total_bytes:
            raise BackupError(
                self.path.name,
                _("members declare {size} bytes in all, more than the limit of {limit}").format(
                    size=total, limit=self._limits.max_total_bytes
                ),
            )
        if MANIFEST not in entries:
            raise BackupError(MANIFEST, _("missing: this is not a Cauce backup archive"))
        return entries

    def _read_manifest(self) -> BackupManifest:
        with LimitedReader(self._zf, self._entries[MANIFEST]) as reader:
            data = reader.read()
            reader.finish(None)
        return BackupManifest.parse(data)

    def _check_listing(self) -> None:
        expected = {table_member(t) for t in self.manifest.tables} | {MANIFEST}
        if self.manifest.secrets is not None:
            expected.add(SECRETS_MEMBER)
        known = set(cauce_tables())
        for table in self.manifest.tables:
            if table not in known:
                raise BackupError(MANIFEST, _("unknown table {table!r}").format(table=table))
        for name in sorted(set(self._entries) ^ expected):
            problem = _("not listed in the manifest") if name in self._entries else _("missing")
            raise BackupError(name, problem)

    def member_digest(self, table: str) -> str:
        return str(self.manifest.tables[table]["sha256"])

    def verify_members(self) -> None:
        """Read every member once and check its size and SHA-256 against the manifest."""
        for name, info in self._entries.items():
            if name == MANIFEST:
                continue
            table = member_table(name)
            expected = (
                self.member_digest(table)
                if table is not None
                else str((self.manifest.secrets or {}).get("sha256"))
            )
            with LimitedReader(self._zf, info) as reader:
                reader.finish(expected)

    def batches(self, table: str) -> Iterator[Any]:
        """The table's record batches; the member's checksum and row count are checked at
        the end (a mismatch raises after the last batch: callers work in a transaction)."""
        reader = LimitedReader(self._zf, self._entries[table_member(table)])
        rows = 0
        try:
            for batch in checked_batches(reader, table_member(table), self._limits):
                rows += batch.num_rows
                yield batch
            reader.finish(self.member_digest(table))
        finally:
            reader.close()
        if rows != self.manifest.tables[table]["rows"]:
            raise BackupError(
                table_member(table),
                _("holds {rows} rows, the manifest says {expected}").format(
                    rows=rows, expected=self.manifest.tables[table]["rows"]
                ),
            )

    def content_digest(self, table: str) -> tuple[int, str]:
        """(rows, SHA-256) of the table's rows as a plain stream of
        :func:`content_version`: what :func:`digest_tables` gives for the restored table."""
        import pyarrow as pa

        with LimitedReader(self._zf, self._entries[table_member(table)]) as reader:
            schema = stream_schema(reader, table_member(table))
        out = _HashingWriter(None)
        rows = 0
        plain = write_options(compressed=False)
        with pa.ipc.new_stream(out, schema, options=plain) as writer:
            for batch in self.batches(table):
                writer.write_batch(batch)
                rows += batch.num_rows
        return rows, out.digest.hexdigest()

    def secrets(self, passphrase: str) -> dict[str, str]:
        """The secrets in the archive (none when they were stripped)."""
        if self.manifest.secrets is None:
            return {}
        with LimitedReader(self._zf, self._entries[SECRETS_MEMBER]) as reader:
            data = reader.read()
            reader.finish(str(self.manifest.secrets["sha256"]))
        return decrypt_secrets(data, self.manifest.secrets["kdf"], passphrase)


@contextmanager
def open_archive(
    path: Path, limits: BackupLimits = DEFAULT_BACKUP_LIMITS
) -> Iterator[BackupArchive]:
    """Open an archive and check its headers and manifest (nothing else is read yet)."""
    if not Path(path).is_file():
        raise BackupError(str(path), _("no such backup file"))
    try:
        with zipfile.ZipFile(path) as zf:
            yield BackupArchive(Path(path), zf, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as err:
        raise BackupError(
            Path(path).name, _("not a readable zip file ({error})").format(error=err)
        ) from None


def digest_tables(
    conn: Connection, names: list[str], format_version: int = BACKUP_FORMAT_VERSION
) -> dict[str, tuple[int, str]]:
    """(rows, SHA-256 of the Arrow member) of each table, as an archive of ``format_version``
    would hold them."""
    return {
        name: write_table(conn, table, None, format_version)
        for name, table in reflect(conn, names).items()
    }


def connection_secret_slots(engine: Engine) -> list[tuple[str, str, str]]:
    """(project, connection, connector type) of every connection, all organizations."""
    from app.storage.models import ConnectionRow, ProjectRow

    with engine.connect() as conn:
        rows = conn.execute(
            select(ProjectRow.name, ConnectionRow.name, ConnectionRow.type)
            .join(ProjectRow, ProjectRow.id == ConnectionRow.project_id)
            .order_by(ProjectRow.name, ConnectionRow.name)
        ).all()
    return [(str(p), str(c), str(t)) for p, c, t in rows]
