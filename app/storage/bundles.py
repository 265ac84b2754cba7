"""Project bundles (``.cauce``): export, inspect, plan an import, apply it atomically.

This module is the public surface; the work is split into :mod:`~app.storage.bundle_format`
(manifest, names, limits), :mod:`~app.storage.bundle_reader` (validation and extraction) and
:mod:`~app.storage.bundle_import` (plan and apply).

Secrets never travel in a bundle. Connections hold none by design, and :func:`export_bundle`
refuses a connection with a parameter whose name looks like one (a word ``password``,
``passwd``, ``secret``, ``token``, ``key`` or ``apikey`` in ``snake_case``, ``kebab-case`` or
``camelCase``, at any depth), unless its connector's ``Config`` declares that field
non-secret with ``Field(json_schema_extra={"secret": False})``.

With a ``passphrase``, :func:`export_bundle` writes the zip through an encrypting stream
(:mod:`~app.storage.bundle_crypto`): the bundle on disk is ciphertext from its first byte, and
no clear copy is ever written.

>>> looks_secret("password"), looks_secret("apiKey"), looks_secret("primary_key")
(True, True, True)
>>> looks_secret("keys"), looks_secret("host"), looks_secret("monkey")
(False, False, False)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.connectors.registry import UnknownPlugin, connector_registry
from app.i18n import _
from app.model.connection import Connection
from app.storage.bundle_crypto import EncryptingWriter, derive_key, new_header
from app.storage.bundle_format import (
    BUNDLE_FORMAT_VERSION,
    BUNDLE_SUFFIX,
    DEFAULT_LIMITS,
    MANIFEST_FILE,
    BundleError,
    BundleLimits,
    Manifest,
)
from app.storage.bundle_import import Change, ChangeKind, ImportPlan, apply_import, plan_import
from app.storage.bundle_reader import BundleContents, extract_bundle, inspect_bundle
from app.storage.project import OpenProject, read_project_dir
from app.storage.project_format import (
    Project,
    checked_project,
    connection_path,
    dumps_canonical,
)

__all__ = [
    "BUNDLE_SUFFIX",
    "DEFAULT_LIMITS",
    "BundleContents",
    "BundleError",
    "BundleLimits",
    "Change",
    "ChangeKind",
    "ImportPlan",
    "Manifest",
    "apply_import",
    "export_bundle",
    "extract_bundle",
    "inspect_bundle",
    "looks_secret",
    "plan_import",
    "secret_like_params",
]

_SECRET_WORDS = frozenset({"password", "passwd", "secret", "token", "key", "apikey"})
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20


# -- secrets -------------------------------------------------------------------------------------
def looks_secret(key: str) -> bool:
    """Whether a parameter name contains one of the secret-looking words."""
    return any(w.lower() in _SECRET_WORDS for w in _WORDS.findall(key))


def _declared_non_secret(connection_type: str) -> frozenset[str]:
    try:
        config = connector_registry().get(connection_type).Config
    except UnknownPlugin:
        return frozenset()
    return frozenset(
        name
        for name, f in config.model_fields.items()
        if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("secret") is False
    )


def _walk_keys(params: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in params.items():
        yield f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _walk_keys(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from _walk_keys(item, f"{prefix}{key}.{i}.")


def secret_like_params(connection: Connection) -> list[str]:
    """Dotted paths of ``connection.params`` keys that look like secrets and are not declared
    non-secret by the connector type."""
    allowed = _declared_non_secret(connection.type)
    return [
        path
        for path in _walk_keys(connection.params)
        if path not in allowed and looks_secret(path.rsplit(".", 1)[-1])
    ]


# -- export --------------------------------------------------------------------------------------
def _cauce_version() -> str:
    import app

    return app.__version__


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def _resolve_source(
    source: Project | OpenProject | str | os.PathLike[str], data_root: Path | None
) -> tuple[Project, Path | None]:
    if isinstance(source, OpenProject):
        return source.project, data_root or source.root
    if isinstance(source, Project):
        return checked_project(source, "project"), data_root
    root = Path(source)
    return read_project_dir(root), data_root or root


def _check_export(
    project: Project, root: Path | None, include_data: bool, limits: BundleLimits
) -> None:
    for name, conn in project.connections.items():
        bad = secret_like_params(conn)
        if bad:
            raise BundleError(
                connection_path(name),
                _(
                    "parameter {names} looks like a secret; secrets are resolved on each machine, "
                    "never exported"
                ).format(names=", ".join(bad)),
            )
    if include_data and project.data_files:
        if root is None:
            raise BundleError(
                project.data_files[0], _("data files need the project directory (pass data_root)")
            )
        total = 0
        for rel in project.data_files:
            try:
                size = (root / rel).stat().st_size
            except OSError as err:
                raise BundleError(
                    rel, _("cannot be read: {error}").format(error=err.strerror)
                ) from None
            total += size
            if size > limits.max_member_bytes:
                raise BundleError(
                    rel, _("{size} bytes, more than a bundle may hold per file").format(size=size)
                )
        if total > limits.max_total_bytes:
            raise BundleError(project.data_files[-1], _("data files exceed the bundle size limit"))


def _write_members(
    zf: zipfile.ZipFile, project: Project, root: Path | None, include_data: bool
) -> dict[str, str]:
    members: dict[str, str] = {}
    for name, data in sorted(project.files().items()):
        zf.writestr(_zip_info(name), data)
        members[name] = hashlib.sha256(data).hexdigest()
    for rel in project.data_files if include_data else []:
        assert root is not None  # checked by _check_export
        digest = hashlib.sha256()
        info = _zip_info(rel)
        info.file_size = (root / rel).stat().st_size  # lets zipfile choose zip64 when needed
        with open(root / rel, "rb") as src, zf.open(info, "w") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        members[rel] = digest.hexdigest()
    return members


def export_bundle(
    source: Project | OpenProject | str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    include_data: bool = True,
    data_root: str | os.PathLike[str] | None = None,
    created_at: datetime | None = None,
    limits: BundleLimits = DEFAULT_LIMITS,
    passphrase: str | None = None,
) -> Path:
    """Write a project as a ``.cauce`` bundle, atomically (temporary file + :func:`os.replace`).

    Args:
        source: a project directory, an :class:`OpenProject`, or a :class:`Project` (then
            ``data_root`` says where its data files are).
        out_path: the bundle to write; replaced only once complete.
        include_data: ship the files under ``data/``.
        data_root: directory holding ``data/`` when ``source`` is a bare :class:`Project`.
        created_at: the manifest's time (default now); with it, exports are byte-identical.
        limits: sizes the bundle must respect so that it can be imported again.
        passphrase: encrypt the bundle under it (AES-256-GCM, scrypt): it is then needed to
            import or run the bundle.

    Raises:
        BundleError: a connection parameter looks like a secret, or data files are too large.
        ProjectError: ``source`` is not a valid project.
    """
    project, root = _resolve_source(source, Path(data_root) if data_root else None)
    _check_export(project, root, include_data, limits)
    key = derive_key(passphrase, new_header()) if passphrase is not None else None
    out = Path(out_path)
    when = (created_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f, contextlib.ExitStack() as sealing:
            sink: Any = f if key is None else sealing.enter_context(EncryptingWriter(f, key))
            with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zf:
                members = _write_members(zf, project, root, include_data)
                manifest = Manifest(
                    format_version=BUNDLE_FORMAT_VERSION,
                    created_at=when,
                    cauce_version=_cauce_version(),
                    members=members,
                )
                zf.writestr(
                    _zip_info(MANIFEST_FILE), dumps_canonical(manifest.model_dump(mode="json"))
                )
            sealing.close()  # seals the last chunk
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return out
