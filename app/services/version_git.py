"""Git drivers (docs/versions.md): ``cauce git-diff`` shows the semantic diff of a project file
kept in git, ``cauce merge-driver`` merges two branches' versions of one node by node.

Git runs a diff driver (``diff.cauce.command``) with seven arguments,
``path old-file old-hex old-mode new-file new-hex new-mode`` (``/dev/null`` for a side that
does not exist), and a merge driver (``merge.cauce.driver``) with the placeholders it is given,
here ``%O %A %B %P``: the ancestor's, ours (where the result goes) and theirs temporary files
and the path. A merge driver's exit status is 0 for a clean merge and 1 for conflicts.

Schemas and SQL are compiled from declared columns only: the driver reaches no connection.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from app.i18n import _
from app.model.merge import merge_documents
from app.model.pipeline import Pipeline
from app.services.version_diff import compile_for_diff, diff_configs, diff_versions

__all__ = ["git_diff", "merge_files"]

_KINDS = {
    "pipelines": "pipeline",
    "syncs": "sync",
    "connections": "connection",
    "schedules": "schedule",
}


def _read(path: str) -> dict[str, Any] | None:
    if path in ("/dev/null", "nul", "NUL") or not Path(path).exists():
        return None
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text) if text.strip() else None
    return data if isinstance(data, dict) else None


def _kind(path: str) -> str | None:
    parts = Path(path).parts
    if len(parts) >= 2 and parts[-1].endswith(".json"):
        return _KINDS.get(parts[-2])
    return None


def git_diff(path: str, old_file: str, new_file: str) -> str:
    """The semantic diff of one project file between two of its git versions (a text
    diff for files that are not a project's pipeline, sync, connection or schedule)."""
    kind = _kind(path)
    try:
        old, new = _read(old_file), _read(new_file)
    except (OSError, ValueError):
        kind, old, new = None, None, None
    header = f"cauce diff {path}\n"
    if kind == "pipeline" and (old is not None or new is not None):
        try:
            before = Pipeline.model_validate(old) if old is not None else None
            after = Pipeline.model_validate(new) if new is not None else None
        except ValueError:
            before = after = None
        if before is not None or after is not None:
            empty = Pipeline(name=(after or before).name, id=(after or before).id)  # type: ignore[union-attr]
            change = diff_versions(
                before or empty,
                after or empty,
                ("a/" + path, "b/" + path),
                compiler=compile_for_diff(None),
            )
            return header + "\n".join(change.lines()) + "\n"
    if kind is not None and (old is not None or new is not None):
        change_c = diff_configs(kind, Path(path).stem, old or {}, new or {}, ("a", "b"))
        return header + "\n".join(change_c.lines()) + "\n"
    return _text_diff(path, old_file, new_file)


def _text_diff(path: str, old_file: str, new_file: str) -> str:
    def lines(p: str) -> list[str]:
        if p == "/dev/null" or not Path(p).exists():
            return []
        return Path(p).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)

    return "".join(difflib.unified_diff(lines(old_file), lines(new_file), "a/" + path, "b/" + path))


def merge_files(base: str, ours: str, theirs: str, path: str = "") -> list[str]:
    """Merge ``theirs`` into ``ours`` (written in place) from their common ancestor ``base``.

    Returns the conflicts (empty: a clean merge). A conflicting value is written as
    ``{"<<<<<<< conflict": {"base", "ours", "theirs"}}`` so the file cannot load unresolved.
    """
    try:
        b = _read(base) or {}
        o, t = _read(ours), _read(theirs)
    except (OSError, ValueError) as err:
        return [_("{path}: not JSON, cannot merge ({error})").format(path=path, error=err)]
    if o is None or t is None:
        return [_("{path}: deleted on one side").format(path=path)]
    merged, conflicts = merge_documents(b, o, t)
    text = json.dumps(merged, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    Path(ours).write_text(text, encoding="utf-8")
    return conflicts
