"""Importing a bundle into a project directory: a dry-run plan, then an atomic swap.

:func:`plan_import` validates the bundle completely and compares it with the target directory:
pipelines, connections and data files added, changed (semantically, or only in their canvas
layout), unchanged, or removed because the bundle no longer has them. Nothing is written.

:func:`apply_import` builds the complete new project in a temporary sibling of the target,
then swaps it in (old aside, new in, old deleted). On any failure the target is untouched and
the sibling is removed. Entries outside the project layout (``.git``, ``README.md``, hidden
files in ``pipelines/``) are copied over, so a project kept in git stays a git checkout.
"""

from __future__ import annotations

import enum
import hashlib
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from app.i18n import _
from app.model.pipeline import Pipeline
from app.storage.bundle_format import DEFAULT_LIMITS, BundleLimits
from app.storage.bundle_reader import BundleContents, extract_bundle, inspect_bundle
from app.storage.project import read_project_dir
from app.storage.project_format import (
    CONNECTIONS_DIR,
    DATA_DIR,
    PIPELINES_DIR,
    PROJECT_FILE,
    SCHEDULES_DIR,
    SYNCS_DIR,
    Project,
    ProjectError,
)

__all__ = ["Change", "ChangeKind", "ImportPlan", "apply_import", "plan_import"]

_LAYOUT = {PROJECT_FILE, CONNECTIONS_DIR, PIPELINES_DIR, SYNCS_DIR, SCHEDULES_DIR, DATA_DIR}
_SYMBOLS = {"added": "+", "changed": "~", "layout only": "~", "unchanged": "=", "removed": "-"}


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    #: only canvas positions differ (same :meth:`Pipeline.semantic_hash`)
    LAYOUT = "layout only"
    UNCHANGED = "unchanged"
    #: in the target, not in the bundle: the import deletes it
    REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    """One item of the plan: ``item`` is ``project``, ``connection``, ``pipeline`` or ``data``."""

    item: str
    name: str
    kind: ChangeKind
    detail: str = ""

    def describe(self) -> str:
        line = f"{_SYMBOLS[self.kind]} {self.item} {self.name}: {self.kind}"
        return f"{line} ({self.detail})" if self.detail else line


@dataclass(frozen=True)
class ImportPlan:
    """What importing ``contents`` into ``target`` would change; apply with :func:`apply_import`."""

    contents: BundleContents
    target: Path
    #: the target directory exists (it is then replaced as a whole)
    target_exists: bool
    changes: tuple[Change, ...]
    #: target entries outside the project layout, carried over unchanged
    kept: tuple[str, ...]
    #: fingerprint of the target when planned: apply refuses if it has changed since
    target_digest: str

    @property
    def has_changes(self) -> bool:
        return any(c.kind is not ChangeKind.UNCHANGED for c in self.changes)

    def of(self, item: str, kind: ChangeKind | None = None) -> list[str]:
        """Names of the ``item`` changes (optionally of one ``kind``)."""
        return [c.name for c in self.changes if c.item == item and kind in (None, c.kind)]

    def describe(self) -> list[str]:
        """Human-readable lines: a header, one line per item, kept entries, a summary."""
        where = "an existing project" if self.target_exists else "a new directory"
        lines = [
            f"Import {self.contents.path.name} "
            f"({self.contents.project.meta.name!r}) into {self.target} ({where})"
        ]
        lines += ["  " + c.describe() for c in self.changes]
        lines += [f"  = kept {k} (not part of the project layout)" for k in self.kept]
        counts = {k: sum(c.kind is k for c in self.changes) for k in ChangeKind}
        lines.append(", ".join(f"{n} {k}" for k, n in counts.items() if n) or "nothing to import")
        if not self.has_changes:
            lines.append("The target already matches the bundle.")
        return lines


# -- comparing -----------------------------------------------------------------------------------
def _pipeline_detail(old: Pipeline, new: Pipeline) -> str:
    before = {n.id: n for n in old.nodes}
    after = {n.id: n for n in new.nodes}
    parts = [
        f"{len(after.keys() - before.keys())} node(s) added",
        f"{len(before.keys() - after.keys())} removed",
        f"{sum(before[i] != after[i] for i in before.keys() & after.keys())} changed",
    ]
    if old.edges != new.edges:
        parts.append("edges changed")
    if old.id != new.id:
        parts.append("different pipeline id")
    return ", ".join(parts)


def _model_detail(old: BaseModel, new: BaseModel) -> str:
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    fields = [k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
    if "params" in fields:
        pa, pb = a["params"], b["params"]
        fields.remove("params")
        fields += [f"params.{k}" for k in sorted(pa.keys() | pb.keys()) if pa.get(k) != pb.get(k)]
    return "differs in " + ", ".join(fields)


def _compare(item: str, old: Mapping[str, BaseModel], new: Mapping[str, BaseModel]) -> list[Change]:
    out = []
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            out.append(Change(item, name, ChangeKind.ADDED))
        elif name not in new:
            out.append(Change(item, name, ChangeKind.REMOVED))
        elif old[name] == new[name]:
            out.append(Change(item, name, ChangeKind.UNCHANGED))
        elif isinstance(new[name], Pipeline):
            a, b = old[name], new[name]
            assert isinstance(a, Pipeline) and isinstance(b, Pipeline)
            if a.semantic_hash() == b.semantic_hash():
                out.append(Change(item, name, ChangeKind.LAYOUT, "only node positions moved"))
            else:
                out.append(Change(item, name, ChangeKind.CHANGED, _pipeline_detail(a, b)))
        else:
            out.append(Change(item, name, ChangeKind.CHANGED, _model_detail(old[name], new[name])))
    return out


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _compare_data(root: Path, old: list[str], contents: BundleContents) -> list[Change]:
    out = []
    new = contents.project.data_files
    for rel in sorted(set(old) | set(new)):
        if rel not in old:
            out.append(Change("data", rel, ChangeKind.ADDED))
        elif rel not in new:
            out.append(Change("data", rel, ChangeKind.REMOVED))
        elif _sha256_file(root / rel) == contents.manifest.members[rel]:
            out.append(Change("data", rel, ChangeKind.UNCHANGED))
        else:
            out.append(Change("data", rel, ChangeKind.CHANGED, "content differs"))
    return out


def _diff(old: Project | None, root: Path, contents: BundleContents) -> list[Change]:
    new = contents.project
    if old is None:
        meta = Change("project", new.meta.name, ChangeKind.ADDED)
    elif old.meta == new.meta:
        meta = Change("project", new.meta.name, ChangeKind.UNCHANGED)
    elif old.meta.id != new.meta.id:
        meta = Change(
            "project",
            new.meta.name,
            ChangeKind.CHANGED,
            f"a different project: replaces {old.meta.name!r} ({old.meta.id})",
        )
    else:
        meta = Change(
            "project", new.meta.name, ChangeKind.CHANGED, _model_detail(old.meta, new.meta)
        )
    return [
        meta,
        *_compare("connection", old.connections if old else {}, new.connections),
        *_compare("pipeline", old.pipelines if old else {}, new.pipelines),
        *_compare("sync", old.syncs if old else {}, new.syncs),
        *_compare("schedule", old.schedules if old else {}, new.schedules),
        *_compare_data(root, old.data_files if old else [], contents),
    ]


# -- the target ----------------------------------------------------------------------------------
def _kept_entries(target: Path) -> list[str]:
    if not target.is_dir():
        return []
    kept = [e.name for e in os.scandir(target) if e.name not in _LAYOUT]
    for folder in (CONNECTIONS_DIR, PIPELINES_DIR, SYNCS_DIR, SCHEDULES_DIR):
        if (target / folder).is_dir():
            kept += [
                f"{folder}/{e.name}" for e in os.scandir(target / folder) if e.name.startswith(".")
            ]
    return sorted(kept)


def _digest(target: Path) -> str:
    """Fingerprint of the project layout in ``target`` (content of JSON files, stat of data)."""
    h = hashlib.sha256()
    if not target.exists():
        return "absent"
    for dirpath, dirnames, filenames in os.walk(target):
        rel_dir = Path(dirpath).relative_to(target)
        if not rel_dir.parts:  # the top level: only the layout entries
            dirnames[:] = [d for d in dirnames if d in _LAYOUT]
            filenames = [f for f in filenames if f in _LAYOUT]
        dirnames.sort()
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames + links):
            rel = (rel_dir / name).as_posix()
            path = Path(dirpath) / name
            st = os.lstat(path)
            h.update(f"{rel}\0{st.st_size}\0{st.st_mode}\0".encode())
            if rel.startswith(DATA_DIR + "/") or not path.is_file():
                h.update(f"{st.st_mtime_ns}\0".encode())
            else:
                h.update(_sha256_file(path).encode())
    h.update("\0".join(_kept_entries(target)).encode())
    return h.hexdigest()


def _existing_project(target: Path) -> Project | None:
    if target.is_symlink():
        raise ProjectError(str(target), _("is a symbolic link: import into the real directory"))
    if not target.exists():
        if not target.parent.is_dir():
            raise ProjectError(str(target.parent), _("no such directory"))
        return None
    if not target.is_dir():
        raise ProjectError(str(target), _("exists and is not a directory"))
    if not any(target.iterdir()):
        return None
    if not (target / PROJECT_FILE).exists():
        raise ProjectError(
            str(target), _("is not a Cauce project (no project.json): refusing to replace it")
        )
    return read_project_dir(target)


def plan_import(
    bundle_path: str | os.PathLike[str],
    target_dir: str | os.PathLike[str],
    *,
    limits: BundleLimits = DEFAULT_LIMITS,
    passphrase: str | None = None,
) -> ImportPlan:
    """Validate ``bundle_path`` and compare it with ``target_dir``; writes nothing.

    An encrypted bundle needs its ``passphrase`` (or ``CAUCE_BUNDLE_PASSPHRASE``); a wrong one
    is refused here, before anything is written.

    Raises:
        BundleError: the bundle fails a check (see :func:`inspect_bundle`).
        ProjectError: the target exists but is not a valid project directory.
    """
    contents = inspect_bundle(bundle_path, limits=limits, passphrase=passphrase)
    target = Path(target_dir).absolute()
    old = _existing_project(target)
    return ImportPlan(
        contents=contents,
        target=target,
        target_exists=target.exists(),
        changes=tuple(_diff(old, target, contents)),
        kept=tuple(_kept_entries(target)),
        target_digest=_digest(target),
    )


# -- applying ------------------------------------------------------------------------------------
def _copy_kept(source: Path, staging: Path, kept: tuple[str, ...]) -> None:
    for rel in kept:
        src, dst = source / rel, staging / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir() and not src.is_symlink():
            shutil.copytree(src, dst, symlinks=True)
        else:
            shutil.copy2(src, dst, follow_symlinks=False)


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target``: old aside, new in, old deleted."""
    if not target.exists():
        os.rename(staging, target)
        return
    aside = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def apply_import(plan: ImportPlan) -> Path:
    """Make ``plan.target`` hold exactly the bundle's project (plus the kept entries).

    The new directory is complete and re-validated (every checksum again) before the swap; on
    any failure the target is left as it was. Returns the target path.

    Raises:
        ProjectError: the target changed since the plan was made (plan again).
        BundleError: the bundle changed since it was inspected.
    """
    target = plan.target
    if _digest(target) != plan.target_digest:
        raise ProjectError(str(target), _("changed since the import was planned; plan again"))
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=target.parent))
    try:
        os.chmod(staging, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o755)
        extract_bundle(plan.contents, staging)
        read_project_dir(staging)
        _copy_kept(target, staging, plan.kept)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
