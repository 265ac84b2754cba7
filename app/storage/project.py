"""Projects on disk: load a directory or a ``.cauce`` bundle, save canonically and atomically.

A project directory can live in git: :func:`save_project` writes canonical JSON (two saves give
identical bytes), replaces each file atomically, and only ever deletes pipeline or connection
files that are well-formed Cauce files. Files outside the layout (``.git``, ``README.md``) are
never read or touched. The file formats are in :mod:`app.storage.project_format`.

>>> import tempfile
>>> from pathlib import Path
>>> project = Project(meta=ProjectMeta(name="demo"))
>>> project.pipelines["orders"] = Pipeline(name="orders")
>>> with tempfile.TemporaryDirectory() as tmp:
...     result = save_project(project, tmp)
...     with load_project(tmp) as opened:
...         sorted(opened.project.pipelines)
['orders']

Regenerate the JSON schemas in ``docs/schema`` with
``python -m app.storage.project --write-schemas docs/schema``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
import weakref
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from app.i18n import _
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.model.schedule import ScheduleDefinition
from app.model.sync import SyncDefinition
from app.storage.bundle_crypto import is_encrypted
from app.storage.bundle_format import Manifest
from app.storage.bundle_reader import extract_bundle, inspect_bundle
from app.storage.project_format import (
    CONNECTIONS_DIR,
    DATA_DIR,
    MAX_FILE_BYTES,
    MAX_PROJECT_JSON_BYTES,
    PIPELINES_DIR,
    PROJECT_FILE,
    SCHEDULES_DIR,
    SYNCS_DIR,
    Project,
    ProjectError,
    ProjectMeta,
    check_data_path,
    check_size,
    checked_project,
    parse_connection,
    parse_pipeline,
    parse_schedule,
    parse_sync,
    project_from_files,
)

__all__ = [
    "OpenProject",
    "Project",
    "ProjectError",
    "ProjectMeta",
    "SaveResult",
    "load_project",
    "read_project_dir",
    "save_project",
    "SCHEMA_FILES",
    "write_atomic",
]

#: the JSON schema of each project file format is generated from these models
#: (``python -m app.nodes.reference --write``, which adds each component's params)
SCHEMA_FILES: dict[str, type[Any]] = {
    "project.schema.json": ProjectMeta,
    "connection.schema.json": Connection,
    "pipeline.schema.json": Pipeline,
    "manifest.schema.json": Manifest,
    "sync.schema.json": SyncDefinition,
    "schedule.schema.json": ScheduleDefinition,
}
_FOLDERS = (CONNECTIONS_DIR, PIPELINES_DIR, SYNCS_DIR, SCHEDULES_DIR)


# -- reading -------------------------------------------------------------------------------------
def _layout_files(root: Path, folder: str) -> list[str]:
    """Relative paths of the ``*.json`` files in ``root/folder``; anything odd is an error."""
    where = root / folder
    if not where.exists():
        return []
    if where.is_symlink() or not where.is_dir():
        raise ProjectError(f"{folder}/", _("expected a directory"))
    out = []
    for entry in sorted(os.scandir(where), key=lambda e: e.name):
        rel = f"{folder}/{entry.name}"
        if entry.name.startswith("."):
            continue  # .gitkeep and friends
        if entry.is_symlink() or not entry.is_file() or not entry.name.endswith(".json"):
            raise ProjectError(
                rel,
                _("unexpected entry: only *.json files belong in {folder}/").format(folder=folder),
            )
        out.append(rel)
    return out


def list_data_files(root: Path) -> list[str]:
    """Relative paths of every regular file under ``root/data``; symlinks are refused."""
    where = root / DATA_DIR
    if not where.exists():
        return []
    if where.is_symlink() or not where.is_dir():
        raise ProjectError(f"{DATA_DIR}/", _("expected a directory"))
    out = []
    for dirpath, dirnames, filenames in os.walk(where):
        base = Path(dirpath)
        for name in dirnames + filenames:
            rel = (base / name).relative_to(root).as_posix()
            mode = os.lstat(base / name).st_mode
            if stat.S_ISLNK(mode):
                raise ProjectError(rel, _("symbolic links are not allowed in a project"))
            if name in filenames:
                if not stat.S_ISREG(mode):
                    raise ProjectError(rel, _("not a regular file"))
                out.append(check_data_path(rel))
    return sorted(out)


def read_project_dir(
    root: str | os.PathLike[str], *, broken: dict[str, ProjectError] | None = None
) -> Project:
    """Read and strictly validate the project in directory ``root`` (with a ``broken`` dict,
    invalid pipeline files are collected there instead: see ``project_from_files``).

    Raises:
        ProjectError: naming the first file that is missing or invalid.
    """
    root = Path(root)
    if not root.is_dir():
        raise ProjectError(str(root), _("not a directory"))
    meta_path = root / PROJECT_FILE
    if not meta_path.is_file() or meta_path.is_symlink():
        raise ProjectError(
            PROJECT_FILE,
            _("missing in {directory}: this is not a Cauce project").format(directory=root),
        )
    budget = [MAX_PROJECT_JSON_BYTES]
    files = {PROJECT_FILE: _read_bounded(meta_path, PROJECT_FILE, budget)}
    for folder in _FOLDERS:
        for rel in _layout_files(root, folder):
            files[rel] = _read_bounded(root / rel, rel, budget)
    return project_from_files(files, list_data_files(root), broken=broken)


def _read_bounded(path: Path, rel: str, budget: list[int]) -> bytes:
    """A project file's bytes, refused before reading past the per-file limit or the
    project's remaining ``budget`` (a file that grows while read is cut and refused)."""
    limit = min(MAX_FILE_BYTES, budget[0])
    check_size(path.stat().st_size, rel, limit)
    with path.open("rb") as f:
        data = f.read(limit + 1)
    check_size(len(data), rel, limit)
    budget[0] -= len(data)
    return data


# -- writing -------------------------------------------------------------------------------------
def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling and :func:`os.replace`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        mode = stat.S_IMODE(os.stat(path).st_mode) if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass
class SaveResult:
    """What :func:`save_project` did, as project-relative paths."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: stale files left alone because they are not well-formed Cauce files
    kept: list[str] = field(default_factory=list)


def _is_cauce_file(root: Path, rel: str) -> bool:
    parse = (
        parse_pipeline
        if rel.startswith(PIPELINES_DIR)
        else parse_sync
        if rel.startswith(SYNCS_DIR)
        else parse_schedule
        if rel.startswith(SCHEDULES_DIR)
        else parse_connection
    )
    try:
        parse((root / rel).read_bytes(), rel)
    except (ProjectError, OSError):
        return False
    return True


def save_project(project: Project, directory: str | os.PathLike[str]) -> SaveResult:
    """Write ``project``'s JSON files to ``directory`` (created if missing).

    Each file is replaced atomically and only when its bytes change. Pipeline and connection
    files that the model no longer has are deleted if they parse as Cauce files; others are kept
    and reported. ``data/`` is never written or deleted here.
    """
    root = Path(directory)
    project = checked_project(project, str(root))
    files = project.files()
    result = SaveResult()
    for folder in _FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        target = root / rel
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            result.unchanged.append(rel)
            continue
        write_atomic(target, data)
        result.written.append(rel)
    for folder in _FOLDERS:
        for entry in sorted(os.scandir(root / folder), key=lambda e: e.name):
            rel = f"{folder}/{entry.name}"
            if rel in files or entry.name.startswith(".") or not entry.name.endswith(".json"):
                continue
            if entry.is_file(follow_symlinks=False) and _is_cauce_file(root, rel):
                os.unlink(entry.path)
                result.removed.append(rel)
            else:
                result.kept.append(rel)
    return result


# -- opening -------------------------------------------------------------------------------------
class OpenProject:
    """A loaded project and the directory holding its files; a context manager.

    For a bundle, ``root`` is a private extraction directory removed by :meth:`close` (or when
    the object is garbage collected); for a directory it is that directory, left alone.
    """

    def __init__(self, project: Project, root: Path, *, temporary: bool = False) -> None:
        self.project = project
        self.root = root
        self.is_bundle = temporary
        self._finalizer = (
            weakref.finalize(self, shutil.rmtree, root, ignore_errors=True) if temporary else None
        )

    def close(self) -> None:
        """Remove the extraction directory of a bundle; safe to call twice."""
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> OpenProject:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"OpenProject({self.project.meta.name!r}, root={str(self.root)!r})"


class _Reused:
    """Projects read from directories, kept while their files are unchanged (see
    :func:`load_project` ``reuse``): a scheduler or a server runs the same project many times,
    and reading and validating a project of a thousand schedules takes longer than the run."""

    def __init__(self, size: int = 16) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._items: dict[str, tuple[tuple[Any, ...], Project, dict[str, ProjectError]]] = {}

    @staticmethod
    def fingerprint(root: Path) -> tuple[Any, ...]:
        """Name, inode, size and modification time of every file the project is read from
        (saves replace files atomically: a new inode), and the data files' names. Anything
        odd (a symbolic link, a stray entry) is left to the full read, which names it."""
        st = os.lstat(root / PROJECT_FILE)
        stats: list[tuple[str, int, int, int]] = [
            (PROJECT_FILE, st.st_ino, st.st_size, st.st_mtime_ns)
        ]
        for folder in _FOLDERS:
            try:
                entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
            except FileNotFoundError:
                continue
            for entry in entries:
                st = entry.stat(follow_symlinks=False)
                stats.append((f"{folder}/{entry.name}", st.st_ino, st.st_size, st.st_mtime_ns))
                if not stat.S_ISREG(st.st_mode):
                    raise ProjectError(entry.name, "")  # read it whole: it reports the entry
        return (tuple(stats), tuple(list_data_files(root)))

    def read(self, root: Path, broken: dict[str, ProjectError] | None) -> Project:
        key = str(root.resolve())
        try:
            mark = self.fingerprint(root)
        except (OSError, ProjectError):
            return read_project_dir(root, broken=broken)  # reports what is wrong
        with self._lock:
            found = self._items.get(key)
        if found is not None and found[0] == mark:
            if broken is not None:
                broken.update(found[2])
            return found[1]
        seen: dict[str, ProjectError] = {}
        project = read_project_dir(root, broken=seen)
        if broken is not None:
            broken.update(seen)
        with self._lock:
            self._items.pop(key, None)
            while len(self._items) >= self._size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (mark, project, seen)
        return project


_REUSED = _Reused()


def load_project(
    path: str | os.PathLike[str],
    *,
    broken: dict[str, ProjectError] | None = None,
    reuse: bool = False,
) -> OpenProject:
    """Open a project directory or a ``.cauce`` bundle.

    With a ``broken`` dict, a directory's invalid pipeline files are collected there, by
    pipeline name, and the rest of the project loads (bundles are always checked whole).

    A bundle is validated completely (:func:`app.storage.bundles.inspect_bundle`) before a byte
    is written, then extracted into a private temporary directory, re-checking every checksum.

    ``reuse``: for a directory, the very ``Project`` read last time when none of its files has
    changed since (name, inode, size, modification time): callers that only read it (the run
    use cases) skip reading and validating it again. The object is shared: never modify it.

    Raises:
        ProjectError: naming the invalid file (a :class:`~app.storage.bundles.BundleError` for a
            bundle member).
    """
    path = Path(path)
    if path.is_dir():
        if reuse:
            return OpenProject(_REUSED.read(path, broken), path)
        return OpenProject(read_project_dir(path, broken=broken), path)
    if not path.is_file():
        raise ProjectError(str(path), _("no such project directory or bundle"))
    if not zipfile.is_zipfile(path) and not is_encrypted(path):
        raise ProjectError(str(path), _("neither a project directory nor a .cauce bundle"))
    contents = inspect_bundle(path)  # an encrypted one: passphrase in CAUCE_BUNDLE_PASSPHRASE
    root = Path(tempfile.mkdtemp(prefix="cauce-project-"))
    try:
        extract_bundle(contents, root)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return OpenProject(contents.project, root, temporary=True)
