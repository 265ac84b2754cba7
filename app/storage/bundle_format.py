"""The ``.cauce`` bundle format: manifest, member names, size limits, and :class:`BundleError`.

A bundle is a zip of the project layout plus ``manifest.json``::

    {"format_version": 1, "created_at": "2026-01-31T12:00:00Z", "cauce_version": "0.1.0",
     "members": {"project.json": "<sha256>", "pipelines/orders.json": "<sha256>", ...}}

Every member except the manifest is listed with the SHA-256 of its bytes. Member names are
relative POSIX paths: no ``..``, no absolute paths, no drive letters, no backslashes.

>>> check_member_name("pipelines/orders.json")
'pipeline'
>>> check_member_name("../evil.sh")
Traceback (most recent call last):
...
app.storage.bundle_format.BundleError: ../evil.sh: unsafe member name: '..' component
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, field_validator

from app.i18n import _
from app.storage.dictionary_format import DICTIONARY_FILE
from app.storage.project_format import (
    CONNECTIONS_DIR,
    DATA_DIR,
    PIPELINES_DIR,
    PROJECT_FILE,
    SCHEDULES_DIR,
    SYNCS_DIR,
    ProjectError,
)

__all__ = [
    "BUNDLE_FORMAT_VERSION",
    "BUNDLE_SUFFIX",
    "DEFAULT_LIMITS",
    "MANIFEST_FILE",
    "BundleError",
    "BundleLimits",
    "Manifest",
    "check_member_name",
    "member_kind",
]

BUNDLE_FORMAT_VERSION = 1
BUNDLE_SUFFIX = ".cauce"
MANIFEST_FILE = "manifest.json"

_MiB = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")


class BundleError(ProjectError):
    """A bundle is unsafe or invalid; ``member`` names the zip member (or the bundle itself)."""

    def __init__(self, member: str, problem: str) -> None:
        super().__init__(member, problem)
        self.member = member


@dataclass(frozen=True)
class BundleLimits:
    """What a bundle may hold before it is treated as a zip bomb.

    Declared sizes are checked before reading; actual bytes are counted while reading, and
    reading stops as soon as a member yields more than its header declared.
    """

    max_members: int = 10_000
    #: uncompressed bytes of one member
    max_member_bytes: int = 512 * _MiB
    #: uncompressed bytes of a JSON member (they are parsed in memory)
    max_json_bytes: int = 8 * _MiB
    #: uncompressed bytes of all JSON members together (the project held in memory)
    max_json_total_bytes: int = 64 * _MiB
    #: uncompressed bytes of all members together
    max_total_bytes: int = 2048 * _MiB
    #: uncompressed / compressed size, for members (and totals) above ``ratio_floor_bytes``
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * _MiB


DEFAULT_LIMITS = BundleLimits()


class Manifest(BaseModel):
    """The content of ``manifest.json``."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = BUNDLE_FORMAT_VERSION
    #: ISO 8601 UTC time of export
    created_at: str
    cauce_version: str
    #: SHA-256 (hex) of each member's bytes, by member name; the manifest itself is not listed
    members: dict[str, str]

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != BUNDLE_FORMAT_VERSION:
            raise ValueError(
                _(
                    "unknown bundle format version {version} (this Cauce reads version {known})"
                ).format(version=v, known=BUNDLE_FORMAT_VERSION)
            )
        return v

    @field_validator("members")
    @classmethod
    def _hex_digests(cls, v: dict[str, str]) -> dict[str, str]:
        for name, digest in v.items():
            if not _SHA256.match(digest):
                raise ValueError(
                    _("{name}: {digest!r} is not a lowercase hex SHA-256").format(
                        name=name, digest=digest
                    )
                )
        return v


def check_member_name(name: str) -> str:
    """Refuse unsafe names; return the member's kind (see :func:`member_kind`).

    Raises:
        BundleError: for ``..`` or empty components, absolute paths, drive letters,
            backslashes, control characters, or a name outside the project layout.
    """
    if not name:
        raise BundleError(_("(empty name)"), _("unsafe member name: empty"))
    if "\\" in name:
        raise BundleError(name, _("unsafe member name: backslash"))
    if name.startswith("/") or _DRIVE.match(name):
        raise BundleError(name, _("unsafe member name: absolute path"))
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise BundleError(name, _("unsafe member name: control character"))
    parts = name.rstrip("/").split("/") if name.endswith("/") else name.split("/")
    if ".." in parts:
        raise BundleError(name, _("unsafe member name: '..' component"))
    if any(p in ("", ".") for p in parts):
        raise BundleError(name, _("unsafe member name: empty or '.' component"))
    return member_kind(name)


def member_kind(name: str) -> str:
    """``manifest``, ``project``, ``connection``, ``pipeline``, ``sync``, ``schedule``,
    ``dictionary`` (descriptions and glossary from the metadata DB), ``data`` or
    ``directory``."""
    if name.endswith("/"):
        return "directory"
    if name == MANIFEST_FILE:
        return "manifest"
    if name == DICTIONARY_FILE:
        return "dictionary"
    if name == PROJECT_FILE:
        return "project"
    folder, _sep, rest = name.partition("/")
    if folder == DATA_DIR and rest:
        return "data"
    if (
        folder in (CONNECTIONS_DIR, PIPELINES_DIR, SYNCS_DIR, SCHEDULES_DIR)
        and rest.endswith(".json")
        and "/" not in rest
    ):
        return folder[:-1]
    raise BundleError(name, _("unexpected member: not part of the project layout"))


def entry_type(info: zipfile.ZipInfo) -> str:
    """``file``, ``directory``, ``symlink`` or ``other`` from the zip's Unix mode bits."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "symlink"
    if info.is_dir() or kind == stat.S_IFDIR:
        return "directory"
    if kind in (0, stat.S_IFREG):
        return "file"
    return "other"


def check_entry(info: zipfile.ZipInfo, limits: BundleLimits) -> str:
    """Check one zip entry's header (name, type, flags, declared sizes); return its kind."""
    name = info.orig_filename
    if name != info.filename:
        raise BundleError(info.filename, _("unsafe member name: NUL byte or separator"))
    kind = check_member_name(name)
    etype = entry_type(info)
    if etype == "symlink":
        raise BundleError(name, _("symbolic links are not allowed in a bundle"))
    if etype == "other" or (etype == "directory") != (kind == "directory"):
        raise BundleError(name, _("not a regular file"))
    if info.flag_bits & 0x1:
        raise BundleError(name, _("encrypted members are not supported"))
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BundleError(
            name, _("unsupported compression method {method}").format(method=info.compress_type)
        )
    cap = limits.max_member_bytes if kind == "data" else limits.max_json_bytes
    if info.file_size > cap:
        raise BundleError(
            name,
            _("declares {size} bytes, more than the limit of {limit}").format(
                size=info.file_size, limit=cap
            ),
        )
    if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        raise BundleError(
            name,
            _("compression ratio above {ratio}: looks like a zip bomb").format(
                ratio=f"{limits.max_ratio:g}"
            ),
        )
    return kind
