"""Retention archives on disk: one Parquet file per batch, written durably, optionally sealed.

A run's archive is a folder; each batch of rows it deletes is first written there as
``part-000001.parquet`` (``…parquet.aes`` when encrypted): the bytes go to a temporary file,
which is flushed to disk (``fsync``), renamed to its final name, and the folder is synced too —
only then does the batch's delete commit. A crash leaves either a whole file or a ``.tmp``
one whose batch was never deleted (:func:`part_files` ignores those).

Encrypted files are AES-256-GCM (``cryptography``): ``MAGIC``, the key's id (8 bytes of the
SHA-256 of the key), a 12-byte random nonce, then the sealed Parquet bytes; the magic and key
id are authenticated too. The checksum recorded for a file is the SHA-256 of its bytes on disk.

``manifest.json`` (written when a run ends) lists every file with its rows and checksum, so
an archive can be checked without the metadata DB.

>>> key = bytes(range(32))
>>> open_sealed(seal(b"rows", key), key)
b'rows'
>>> key_id(key)
'630dcd2966c43366'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from app.i18n import _
from app.storage.errors import StorageError

__all__ = [
    "ArchiveError",
    "ArchivePart",
    "MAGIC",
    "MANIFEST",
    "key_id",
    "open_sealed",
    "part_files",
    "read_part",
    "read_parts",
    "remove_partial",
    "seal",
    "write_manifest",
    "write_part",
]

MAGIC = b"CAUCEAR1"
MANIFEST = "manifest.json"
PLAIN_SUFFIX = ".parquet"
SEALED_SUFFIX = ".parquet.aes"
_TMP = ".tmp"
_NONCE = 12
_KEY_ID = 8


class ArchiveError(StorageError, ValueError):
    """An archive file that cannot be written or read back (the message names it and why)."""


@dataclass(frozen=True)
class ArchivePart:
    """One file of an archive: its name in the run's folder, rows, size and SHA-256."""

    file_name: str
    rows: int
    size: int
    sha256: str


def key_id(key: bytes) -> str:
    """Which key sealed a file: the first 8 bytes of its SHA-256, in hex."""
    return hashlib.sha256(key).hexdigest()[: 2 * _KEY_ID]


def seal(data: bytes, key: bytes) -> bytes:
    """``data`` encrypted and authenticated with AES-256-GCM under ``key`` (32 bytes)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = MAGIC + bytes.fromhex(key_id(key))
    nonce = os.urandom(_NONCE)
    return header + nonce + AESGCM(key).encrypt(nonce, data, header)


def open_sealed(data: bytes, key: bytes) -> bytes:
    """The plain bytes of a sealed file; :class:`ArchiveError` for another key or damage."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    size = len(MAGIC) + _KEY_ID
    header, nonce, body = data[:size], data[size : size + _NONCE], data[size + _NONCE :]
    if not header.startswith(MAGIC):
        raise ArchiveError(_("not an encrypted Cauce archive file"))
    if header[len(MAGIC) :].hex() != key_id(key):
        raise ArchiveError(
            _("encrypted with another key (key id {found}; the key given is {given})").format(
                found=header[len(MAGIC) :].hex(), given=key_id(key)
            )
        )
    try:
        return AESGCM(key).decrypt(nonce, body, header)
    except InvalidTag:
        raise ArchiveError(_("the file is damaged: it fails its authentication")) from None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for syncing on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each new one synced into its parent."""
    missing = []
    at = folder
    while not at.exists():
        missing.append(at)
        at = at.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        _fsync_dir(path.parent)


def _write_durably(path: Path, data: bytes) -> None:
    _make_dirs(path.parent)
    tmp = path.with_name(path.name + _TMP)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def write_part(folder: Path, seq: int, rows: pa.Table, key: bytes | None = None) -> ArchivePart:
    """Write one batch as file number ``seq`` of ``folder``, on disk before this returns."""
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(rows, sink, compression="zstd")
    data = sink.getvalue().to_pybytes()
    if key is not None:
        data = seal(data, key)
    name = f"part-{seq:06d}{SEALED_SUFFIX if key is not None else PLAIN_SUFFIX}"
    try:
        _write_durably(Path(folder) / name, data)
    except OSError as err:
        raise ArchiveError(
            _("{path}: cannot write the archive file: {error}").format(
                path=Path(folder) / name, error=err
            )
        ) from None
    return ArchivePart(name, rows.num_rows, len(data), hashlib.sha256(data).hexdigest())


def part_files(folder: Path) -> list[Path]:
    """The whole archive files of ``folder``, in order (temporary files left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.iterdir()
        if p.name.startswith("part-") and p.name.endswith((PLAIN_SUFFIX, SEALED_SUFFIX))
    ]
    return sorted(found)


def remove_partial(folder: Path) -> list[Path]:
    """Delete the ``.tmp`` files a crash left (their batches were never deleted)."""
    folder = Path(folder)
    removed = [p for p in folder.glob(f"part-*{_TMP}")] if folder.is_dir() else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def read_part(path: Path, key: bytes | None = None, sha256: str | None = None) -> pa.Table:
    """The rows of one archive file; with ``sha256``, its checksum is checked first."""
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArchiveError(
            _("{path}: cannot read the archive file: {error}").format(path=path, error=err)
        ) from None
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(
            _("{path}: its checksum does not match the one recorded (changed or damaged)").format(
                path=path
            )
        )
    if data.startswith(MAGIC):
        if key is None:
            raise ArchiveError(
                _("{path}: the file is encrypted; the project's archive key is needed").format(
                    path=path
                )
            )
        try:
            data = open_sealed(data, key)
        except ArchiveError as err:
            raise ArchiveError(f"{path}: {err}") from None
    try:
        return pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as err:
        raise ArchiveError(
            _("{path}: not a readable Parquet file: {error}").format(path=path, error=err)
        ) from None


def read_parts(
    paths: Iterable[tuple[Path, str | None]], key: bytes | None = None
) -> pa.Table | None:
    """The rows of several files (each with its expected checksum, or None), in one table;
    None when there are none."""
    tables = [read_part(path, key, sha256) for path, sha256 in paths]
    if not tables:
        return None
    return pa.concat_tables(tables, promote_options="permissive")


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into ``folder`` durably (sorted keys, two-space indent)."""
    path = Path(folder) / MANIFEST
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        _write_durably(path, text.encode("utf-8"))
    except OSError as err:
        raise ArchiveError(
            _("{path}: cannot write the manifest: {error}").format(path=path, error=err)
        ) from None
    return path
