"""Reading ``.cauce`` bundles safely: validate everything before writing anything.

:func:`inspect_bundle` reads a bundle end to end without touching the disk: zip headers
(names, types, flags, declared sizes), the manifest, every member's bytes (counted while read,
checksummed), and every JSON file through the strict project parsers. :func:`extract_bundle`
then writes the members into an empty directory, checking each checksum again, so a bundle
changed between the two calls is caught too.

An encrypted bundle (:mod:`~app.storage.bundle_crypto`) is read through its decrypting view,
with the key derived from its passphrase once (a wrong passphrase stops here, before anything
is read or written); the checks are the same.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from app.i18n import _
from app.storage.bundle_crypto import (
    BUNDLE_PASSPHRASE_ENV,
    BundleKey,
    DecryptingReader,
    is_encrypted,
    open_key,
)
from app.storage.bundle_format import (
    DEFAULT_LIMITS,
    MANIFEST_FILE,
    BundleError,
    BundleLimits,
    Manifest,
    check_entry,
)
from app.storage.project_format import (
    Project,
    ProjectError,
    describe_validation_error,
    load_json_object,
    project_from_files,
)

__all__ = ["BundleContents", "bundle_key", "extract_bundle", "inspect_bundle"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class BundleContents:
    """A bundle that passed every check: its manifest, the project, each member's size."""

    path: Path
    manifest: Manifest
    project: Project
    #: uncompressed size of every member listed in the manifest
    sizes: dict[str, int] = field(default_factory=dict)
    limits: BundleLimits = DEFAULT_LIMITS
    #: the key of an encrypted bundle (None: a plain zip)
    key: BundleKey | None = field(default=None, repr=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def data_files(self) -> list[str]:
        return self.project.data_files


def _discard(_chunk: bytes) -> None:
    """A sink for data members while inspecting: hash them, keep nothing."""


@contextmanager
def _open_zip(path: Path, key: BundleKey | None = None) -> Iterator[zipfile.ZipFile]:
    with contextlib.ExitStack() as stack:
        source: Path | IO[bytes] = path
        if key is not None:  # the plaintext is decrypted as zipfile reads it, never stored
            raw = DecryptingReader(stack.enter_context(open(path, "rb")), key, path.name)
            source = stack.enter_context(io.BufferedReader(raw, buffer_size=key.chunk))
        try:
            with zipfile.ZipFile(source) as zf:
                yield zf
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as err:
            raise BundleError(
                path.name, _("not a readable zip file ({error})").format(error=err)
            ) from None


def _stream(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limits: BundleLimits,
    sink: Callable[[bytes], object],
) -> str:
    """Feed ``info``'s bytes to ``sink`` in chunks; return their SHA-256.

    At most one byte more than the header declares is ever decompressed: a member that yields
    more than it declared (a lying header) stops the read at once.
    """
    name = info.orig_filename
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1  # let one extra byte through to detect a lie
    digest = hashlib.sha256()
    seen = 0
    try:
        with zf.open(probe) as f:
            while chunk := f.read(min(_CHUNK, info.file_size + 1 - seen)):
                seen += len(chunk)
                if seen > info.file_size:
                    raise BundleError(
                        name,
                        _(
                            "holds more data than the {size} bytes its header declares (zip bomb?)"
                        ).format(size=info.file_size),
                    )
                digest.update(chunk)
                sink(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        if seen > info.file_size or "CRC" in str(err):
            # zipfile checks the CRC when the declared size is used up: with the extra byte we
            # allow, a CRC error there also means more data than declared, or corrupt data.
            raise BundleError(
                name,
                _("corrupt data or a header that lies about its size ({error})").format(error=err),
            ) from None
        raise BundleError(name, _("corrupt data ({error})").format(error=err)) from None
    if seen != info.file_size:
        raise BundleError(
            name,
            _("holds {size} bytes but its header declares {declared}").format(
                size=seen, declared=info.file_size
            ),
        )
    return digest.hexdigest()


def _check_headers(zf: zipfile.ZipFile, limits: BundleLimits) -> dict[str, zipfile.ZipInfo]:
    """Every header check, before any member is decompressed; returns file entries by name."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise BundleError(
            MANIFEST_FILE,
            _("{count} members, more than {limit}").format(
                count=len(infos), limit=limits.max_members
            ),
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    total = compressed = json_total = 0
    for info in infos:
        kind = check_entry(info, limits)
        if kind not in ("data", "directory"):
            json_total += info.file_size
        key = info.orig_filename.rstrip("/").casefold()
        if key in folded:
            raise BundleError(info.orig_filename, _("duplicate member"))
        folded.add(key)
        if kind == "directory":
            continue
        entries[info.orig_filename] = info
        total += info.file_size
        compressed += info.compress_size
    _check_nesting(entries)
    if json_total > limits.max_json_total_bytes:
        raise BundleError(
            MANIFEST_FILE,
            _("JSON members declare {size} bytes in all, more than the limit of {limit}").format(
                size=json_total, limit=limits.max_json_total_bytes
            ),
        )
    if total > limits.max_total_bytes:
        raise BundleError(
            MANIFEST_FILE,
            _("members declare {size} bytes in all, more than the limit of {limit}").format(
                size=total, limit=limits.max_total_bytes
            ),
        )
    if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(compressed, 1):
        raise BundleError(
            MANIFEST_FILE,
            _("overall compression ratio above {ratio}: looks like a zip bomb").format(
                ratio=f"{limits.max_ratio:g}"
            ),
        )
    if MANIFEST_FILE not in entries:
        raise BundleError(MANIFEST_FILE, _("missing: this is not a Cauce bundle"))
    return entries


def _check_nesting(entries: dict[str, zipfile.ZipInfo]) -> None:
    """Refuse a member that sits "inside" another member (``data/a`` and ``data/a/b``)."""
    files = {name.casefold(): name for name in entries}
    for name in sorted(entries):
        parts = name.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i]).casefold()
            if parent in files:
                raise BundleError(
                    name, _("conflicts with the file member {member}").format(member=files[parent])
                )


def _read_manifest(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: BundleLimits) -> Manifest:
    chunks: list[bytes] = []
    _stream(zf, info, limits, chunks.append)
    data = load_json_object(b"".join(chunks), MANIFEST_FILE)
    try:
        return Manifest.model_validate(data)
    except ValidationError as err:
        raise BundleError(MANIFEST_FILE, describe_validation_error(err)) from None


def _check_listing(entries: dict[str, zipfile.ZipInfo], manifest: Manifest) -> None:
    for name in sorted(entries):
        if name != MANIFEST_FILE and name not in manifest.members:
            raise BundleError(name, _("not listed in the manifest"))
    for name in sorted(manifest.members):
        if name not in entries:
            raise BundleError(name, _("listed in the manifest but missing from the bundle"))


def bundle_key(path: Path, passphrase: str | None) -> BundleKey | None:
    """The key of an encrypted bundle (from ``passphrase``, else ``CAUCE_BUNDLE_PASSPHRASE``);
    None for a plain one. Raises :class:`BundleError` for a missing or wrong passphrase."""
    if not is_encrypted(path):
        return None
    return open_key(path, passphrase or os.environ.get(BUNDLE_PASSPHRASE_ENV))


def inspect_bundle(
    path: str | os.PathLike[str],
    *,
    limits: BundleLimits = DEFAULT_LIMITS,
    passphrase: str | None = None,
) -> BundleContents:
    """Validate a bundle completely without writing anything.

    An encrypted bundle needs ``passphrase`` (or ``CAUCE_BUNDLE_PASSPHRASE`` set).

    Raises:
        BundleError: naming the offending member, for unsafe names, symlinks, duplicates,
            members missing from or not listed in the manifest, checksum mismatches, unknown
            format versions, sizes or ratios beyond ``limits``, or any file failing the strict
            project parsers.
    """
    path = Path(path)
    if not path.is_file():
        raise BundleError(path.name, _("no such bundle file"))
    key = bundle_key(path, passphrase)
    with _open_zip(path, key) as zf:
        entries = _check_headers(zf, limits)
        manifest = _read_manifest(zf, entries[MANIFEST_FILE], limits)
        _check_listing(entries, manifest)
        json_files: dict[str, bytes] = {}
        data_files: list[str] = []
        for name in sorted(manifest.members):
            info = entries[name]
            kind = check_entry(info, limits)
            if kind == "manifest":
                raise BundleError(name, _("the manifest cannot list itself"))
            chunks: list[bytes] = []
            sink = _discard if kind == "data" else chunks.append
            if _stream(zf, info, limits, sink) != manifest.members[name]:
                raise BundleError(
                    name, _("checksum mismatch: the member is not the one the manifest lists")
                )
            if kind == "data":
                data_files.append(name)
            else:
                json_files[name] = b"".join(chunks)
    try:
        project = project_from_files(json_files, data_files)
    except BundleError:
        raise
    except ProjectError as err:
        raise BundleError(err.path, err.problem) from None
    sizes = {name: entries[name].file_size for name in manifest.members}
    return BundleContents(
        path=path, manifest=manifest, project=project, sizes=sizes, limits=limits, key=key
    )


def extract_bundle(
    contents: BundleContents, dest: str | os.PathLike[str], *, include_manifest: bool = False
) -> list[str]:
    """Write the members of an inspected bundle into the empty directory ``dest``.

    Every member is checksummed again while written, and must have the size it had when
    inspected. Returns the member names written. On error, files already written stay in
    ``dest``: callers extract into a private directory and remove it on failure.
    """
    dest = Path(dest)
    if any(dest.iterdir()):
        raise BundleError(str(dest), _("extraction directory is not empty"))
    base = os.path.realpath(dest)
    written = []
    with _open_zip(contents.path, contents.key) as zf:
        entries = _check_headers(zf, contents.limits)
        manifest = _read_manifest(zf, entries[MANIFEST_FILE], contents.limits)
        if manifest != contents.manifest:
            raise BundleError(MANIFEST_FILE, _("the bundle changed since it was inspected"))
        _check_listing(entries, manifest)
        names = sorted(manifest.members) + ([MANIFEST_FILE] if include_manifest else [])
        for name in names:
            info = entries[name]
            if info.file_size != contents.sizes.get(name, info.file_size):
                raise BundleError(name, _("the bundle changed since it was inspected"))
            target = os.path.realpath(os.path.join(base, *name.split("/")))
            if os.path.commonpath([base, target]) != base:
                raise BundleError(name, _("would be written outside the project directory"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "xb") as out:
                digest = _stream(zf, info, contents.limits, out.write)
            if name != MANIFEST_FILE and digest != manifest.members[name]:
                raise BundleError(
                    name, _("checksum mismatch: the bundle changed since it was inspected")
                )
            written.append(name)
    return written
