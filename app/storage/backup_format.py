"""The metadata-DB backup archive (``.cauce-backup``): manifest, member names, limits, secrets.

An archive is a zip of::

    manifest.json          what the archive holds (below)
    tables/<table>.arrow   one Arrow IPC stream per table, rows in primary-key order, batches
                           of 20,000 rows (types: :mod:`app.storage.backup_columns`); format 3:
                           buffers LZ4-compressed by Arrow, members stored (``ZIP_STORED``)
    secrets.bin            only when secrets were kept: AES-GCM under a passphrase-derived key

``manifest.json``::

    {"format": "cauce-backup", "format_version": 3, "kind": "full", "revision": "0008",
     "created_at": "2026-12-07T03:00:00Z", "cauce_version": "0.1.0", "source": "sqlite",
     "tables": {"runs": {"rows": 12, "sha256": "<hex>"}, ...},
     "secrets": {"count": 2, "sha256": "<hex>", "kdf": {"name": "scrypt", ...}} | null}

Format 3 compresses inside the Arrow streams (:mod:`app.storage.backup_ipc`) and stores the
members, so each table's SHA-256 is over the bytes on disk; format 2 (still read) deflated
plain streams and hashed them before compression. Formats 2 and 3 keep JSON as its stored
text; format 1 (still read) held canonical JSON text.

Member names are an allow-list (``manifest.json``, ``secrets.bin``, ``tables/<name>.arrow``), so
no path can escape anything; archives are never extracted to disk. Sizes are checked on the
headers first and counted again while reading (:class:`BackupLimits`).

>>> member_table("tables/runs.arrow")
'runs'
>>> check_member("../evil")
Traceback (most recent call last):
...
app.storage.errors.BackupError: ../evil: unexpected member name (not part of a backup)
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from typing import Any, Literal

from app.i18n import _
from app.storage.errors import BackupError, WrongPassphrase

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_FORMAT_VERSION",
    "BACKUP_SUFFIX",
    "DEFAULT_BACKUP_LIMITS",
    "KINDS",
    "MANIFEST",
    "READABLE_FORMAT_VERSIONS",
    "SECRETS_MEMBER",
    "BackupError",
    "BackupLimits",
    "BackupManifest",
    "BackupKind",
    "LimitedReader",
    "WrongPassphrase",
    "check_member",
    "decrypt_secrets",
    "encrypt_secrets",
    "member_table",
    "table_member",
]

BACKUP_FORMAT = "cauce-backup"
#: format 3: Arrow-compressed streams, stored members; format 2 (Cauce written with COPY):
#: JSON is the stored text, zlib members; format 1: canonical JSON text
BACKUP_FORMAT_VERSION = 3
READABLE_FORMAT_VERSIONS = (1, 2, 3)
BACKUP_SUFFIX = ".cauce-backup"
MANIFEST = "manifest.json"
SECRETS_MEMBER = "secrets.bin"
BackupKind = Literal["full", "structure", "configuration"]
KINDS: tuple[str, ...] = ("full", "structure", "configuration")

_MiB = 1 << 20
_TABLE_MEMBER = re.compile(r"^tables/([a-z_][a-z0-9_]{0,62})\.arrow$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_AAD = b"cauce-backup-secrets-v1"


@dataclass(frozen=True)
class BackupLimits:
    """What an archive may hold before it is treated as hostile (a zip bomb)."""

    max_members: int = 200
    max_manifest_bytes: int = 1 * _MiB
    max_secrets_bytes: int = 16 * _MiB
    max_member_bytes: int = 64 * 1024 * _MiB
    max_total_bytes: int = 256 * 1024 * _MiB
    #: uncompressed / compressed, for members above ``ratio_floor_bytes``
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * _MiB
    #: what one record batch of a member may declare (rows, bytes once decompressed), checked
    #: before Arrow allocates it (:func:`app.storage.backup_ipc.checked_batches`)
    max_batch_rows: int = 1 << 20
    max_batch_bytes: int = 4 * 1024 * _MiB


DEFAULT_BACKUP_LIMITS = BackupLimits()


def table_member(table: str) -> str:
    return f"tables/{table}.arrow"


def member_table(name: str) -> str | None:
    """The table a member holds, or ``None`` for the manifest and the secrets."""
    found = _TABLE_MEMBER.match(name)
    return found.group(1) if found else None


def check_member(name: str) -> str:
    """Refuse any name outside the allow-list; return the name."""
    if name in (MANIFEST, SECRETS_MEMBER) or _TABLE_MEMBER.match(name):
        return name
    raise BackupError(name, _("unexpected member name (not part of a backup)"))


def check_header(info: zipfile.ZipInfo, limits: BackupLimits) -> None:
    """Check one entry's header before anything of it is decompressed."""
    name = info.orig_filename
    if name != info.filename:
        raise BackupError(info.filename, _("unsafe member name: NUL byte or separator"))
    check_member(name)
    kind = stat.S_IFMT(info.external_attr >> 16)
    if info.is_dir() or kind not in (0, stat.S_IFREG):
        raise BackupError(name, _("not a regular file"))
    if info.flag_bits & 0x1:
        raise BackupError(name, _("encrypted zip members are not supported"))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BackupError(
            name, _("unsupported compression method {method}").format(method=info.compress_type)
        )
    cap = {MANIFEST: limits.max_manifest_bytes, SECRETS_MEMBER: limits.max_secrets_bytes}.get(
        name, limits.max_member_bytes
    )
    if info.file_size > cap:
        raise BackupError(
            name,
            _("declares {size} bytes, more than the limit of {limit}").format(
                size=info.file_size, limit=cap
            ),
        )
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise BackupError(
            name,
            _("a stored member whose header declares {size} bytes in {stored}").format(
                size=info.file_size, stored=info.compress_size
            ),
        )
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        raise BackupError(
            name,
            _("compression ratio above {ratio}: looks like a zip bomb").format(
                ratio=f"{limits.max_ratio:g}"
            ),
        )


class LimitedReader(io.RawIOBase):
    """A zip member read in chunks: counts and hashes the bytes, and stops the read as soon as
    the member yields more than its header declared (a lying header)."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        import copy
        import hashlib

        self.name = info.orig_filename
        self.declared = info.file_size
        probe = copy.copy(info)
        probe.file_size = info.file_size + 1  # one extra byte through, to detect a lie
        self._raw = zf.open(probe)
        self.digest = hashlib.sha256()
        self.seen = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """At most what is left of the member (and one byte more, to detect a lie): a reader
        asking for more (an Arrow message declaring a huge length) allocates no more."""
        left = self.declared + 1 - self.seen
        return super().read(left if size is None or size < 0 else min(size, left)) or b""

    def readinto(self, buffer: Any) -> int:
        import zlib

        want = min(len(buffer), self.declared + 1 - self.seen)
        try:
            chunk = self._raw.read(want) if want > 0 else b""
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
            raise BackupError(self.name, _("corrupt data ({error})").format(error=err)) from None
        self.seen += len(chunk)
        if self.seen > self.declared:
            raise BackupError(
                self.name,
                _("holds more data than the {size} bytes its header declares (zip bomb?)").format(
                    size=self.declared
                ),
            )
        self.digest.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._raw.close()
        super().close()

    def finish(self, expected: str | None) -> None:
        """Read what is left, then check the size and (``expected``) the SHA-256."""
        while self.read(1 << 20):
            pass
        if self.seen != self.declared:
            raise BackupError(
                self.name,
                _("holds {size} bytes but its header declares {declared}").format(
                    size=self.seen, declared=self.declared
                ),
            )
        if expected is not None and self.digest.hexdigest() != expected:
            raise BackupError(
                self.name, _("checksum mismatch: the archive was changed or is damaged")
            )


@dataclass
class BackupManifest:
    """The content of ``manifest.json``."""

    kind: str
    revision: str
    created_at: str
    cauce_version: str
    source: str
    #: by table: ``{"rows": int, "sha256": hex}`` (member bytes)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: ``None``: secrets stripped; else ``{"count", "sha256", "kdf"}``
    secrets: dict[str, Any] | None = None
    #: how the members encode the rows (see :mod:`app.storage.backup_columns`)
    format_version: int = BACKUP_FORMAT_VERSION

    def to_json(self) -> bytes:
        body = {
            "format": BACKUP_FORMAT,
            "format_version": self.format_version,
            "kind": self.kind,
            "revision": self.revision,
            "created_at": self.created_at,
            "cauce_version": self.cauce_version,
            "source": self.source,
            "tables": self.tables,
            "secrets": self.secrets,
        }
        return json.dumps(body, indent=1, sort_keys=True).encode()

    @classmethod
    def parse(cls, data: bytes) -> BackupManifest:
        """Read and check a manifest; :class:`BackupError` names what is wrong."""
        try:
            body = json.loads(data)
        except (ValueError, UnicodeDecodeError) as err:
            raise BackupError(MANIFEST, _("not valid JSON ({error})").format(error=err)) from None
        if not isinstance(body, dict) or body.get("format") != BACKUP_FORMAT:
            raise BackupError(MANIFEST, _("this is not a Cauce backup archive"))
        version = body.get("format_version")
        if type(version) is not int or version not in READABLE_FORMAT_VERSIONS:
            raise BackupError(
                MANIFEST,
                _("unknown format version {version} (this Cauce reads version {known})").format(
                    version=body.get("format_version"), known=BACKUP_FORMAT_VERSION
                ),
            )
        if body.get("kind") not in KINDS:
            raise BackupError(
                MANIFEST, _("unknown backup kind {kind!r}").format(kind=body.get("kind"))
            )
        tables = body.get("tables")
        if not isinstance(tables, dict):
            raise BackupError(MANIFEST, _("'tables' must be an object"))
        for name, entry in tables.items():
            ok = (
                isinstance(entry, dict)
                and member_table(table_member(str(name))) == name
                and isinstance(entry.get("rows"), int)
                and entry["rows"] >= 0
                and _HEX64.match(str(entry.get("sha256", "")))
            )
            if not ok:
                raise BackupError(
                    MANIFEST, _("bad entry for table {table!r}").format(table=str(name))
                )
        secrets = body.get("secrets")
        if secrets is not None and not (
            isinstance(secrets, dict)
            and _HEX64.match(str(secrets.get("sha256", "")))
            and isinstance(secrets.get("kdf"), dict)
        ):
            raise BackupError(MANIFEST, _("bad 'secrets' entry"))
        try:
            return cls(
                kind=str(body["kind"]),
                revision=str(body["revision"]),
                created_at=str(body["created_at"]),
                cauce_version=str(body["cauce_version"]),
                source=str(body["source"]),
                tables=tables,
                secrets=secrets,
                format_version=version,
            )
        except KeyError as err:
            raise BackupError(
                MANIFEST, _("missing field {field}").format(field=err.args[0])
            ) from None


# -- secrets: scrypt + AES-GCM, never the machine's master key ---------------------------------
_SCRYPT = {"name": "scrypt", "n": 1 << 15, "r": 8, "p": 1}


def _derive(passphrase: str, kdf: dict[str, Any]) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if kdf.get("name") != "scrypt" or not (1 << 10 <= int(kdf.get("n", 0)) <= 1 << 20):
        raise BackupError(SECRETS_MEMBER, _("unsupported key derivation parameters"))
    salt = base64.b64decode(str(kdf["salt"]))
    return Scrypt(salt=salt, length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])).derive(
        passphrase.encode()
    )


def encrypt_secrets(values: dict[str, str], passphrase: str) -> tuple[bytes, dict[str, Any]]:
    """``values`` (secret reference -> value) sealed under ``passphrase``: (bytes, kdf)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise BackupError(SECRETS_MEMBER, _("an empty passphrase cannot protect secrets"))
    kdf = {**_SCRYPT, "salt": base64.b64encode(os.urandom(16)).decode()}
    nonce = os.urandom(12)
    plain = json.dumps(values, sort_keys=True).encode()
    return nonce + AESGCM(_derive(passphrase, kdf)).encrypt(nonce, plain, _AAD), kdf


def decrypt_secrets(data: bytes, kdf: dict[str, Any], passphrase: str) -> dict[str, str]:
    """The secrets sealed by :func:`encrypt_secrets`; :class:`WrongPassphrase` otherwise."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plain = AESGCM(_derive(passphrase, kdf)).decrypt(data[:12], data[12:], _AAD)
    except (InvalidTag, ValueError):
        raise WrongPassphrase(
            SECRETS_MEMBER, _("wrong passphrase: the secrets cannot be decrypted")
        ) from None
    values = json.loads(plain)
    if not isinstance(values, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        raise BackupError(SECRETS_MEMBER, _("the decrypted secrets are not a mapping of texts"))
    return values
