"""Kept runs: what a pipeline's last planned run executed, kept to replay it unplanned.

A run of ``cauce --run-project`` that executed nothing but SQL text (:mod:`app.engine.replay`)
is kept in the user data directory (``replays/``, one JSON file per project directory and
pipeline) with what makes it still the plan:

- the *project key*: a digest of every project file (``project.json`` and the connections',
  pipelines', syncs' and schedules' files), the environment variables they name, the
  directories allowed on this machine, the working directory (relative paths resolve against
  it), the engine's memory setting and Cauce's version;
- the input files' sizes and modification times (kept by the replay itself);
- what the metadata DB held for it: the pipeline's version, the project's connections;
- the pipeline's alert rule and the connections' targets, as the planned run saw them.

A replay runs (:mod:`app.services.replay_runs`) only when all of it is unchanged; anything
else plans the pipeline again, as before, and keeps the new run. Nothing secret is kept: the
replayable runs use no secret (plain DuckDB files, files read in place).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.storage.paths import data_dir
from app.storage.project_layout import MAX_FILE_BYTES, MAX_PROJECT_JSON_BYTES

__all__ = ["KeptRun", "forget_run", "keep_run", "kept_path", "load_kept", "project_key"]

#: the project's files that say what a run does (data files are the replay's inputs)
_PROJECT_DIRS = ("connections", "pipelines", "syncs", "schedules")
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
#: the environment that changes what a run reads, where, and with how much memory
_ENVIRONMENT = ("CAUCE_ALLOWED_DIRS", "CAUCE_ENGINE_MEMORY", "HOME", "USERPROFILE")
#: a kept run larger than this is not read (they are a few kB)
_MAX_BYTES = 4 * 1024 * 1024


@dataclass
class KeptRun:
    """One pipeline's kept run (see the module)."""

    key: str
    project: str
    pipeline: str
    pipeline_uid: str
    #: the content hash of the pipeline version the run recorded
    content_hash: str
    #: the project's connections as the metadata DB held them after the run
    connections: str
    #: the pipeline's alert rule (``AlertRule``'s fields)
    rule: dict[str, Any]
    #: where each connection points (``ProjectRunResult.targets``)
    targets: dict[str, str]
    #: ``Replay.to_dict()``
    replay: dict[str, Any]
    destinations: list[str] = field(default_factory=list)


def project_key(root: Path) -> str:
    """The digest of what makes a run of the project at ``root`` what it is (see the
    module); raises ``OSError`` when a project file cannot be read, ``ValueError`` when one
    is larger than a project file may be (``app.storage.project_layout.MAX_FILE_BYTES``)."""
    import app

    root = root.resolve()
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)

    add("cauce", str(app.__version__), str(root), os.getcwd())
    files = [root / "project.json"]
    for folder in _PROJECT_DIRS:
        if (root / folder).is_dir():
            files += sorted((root / folder).glob("*.json"))
    names: set[str] = set()
    budget = MAX_PROJECT_JSON_BYTES
    for path in files:
        data = _read_bounded(path, min(MAX_FILE_BYTES, budget))
        budget -= len(data)
        add(path.relative_to(root).as_posix(), data)
        names.update(_VARIABLE.findall(data.decode("utf-8", "replace")))
    for name in sorted(names | set(_ENVIRONMENT)):
        value = os.environ.get(name)
        add(name, "\0unset" if value is None else value)
    return digest.hexdigest()


def _read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refused (``ValueError``) past ``limit`` before more is read:
    the loader's bounds on project files (the usual path then says which file)."""
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path.name}: larger than the limit of {limit} bytes")
    return data


def kept_path(root: Path, pipeline: str) -> Path:
    """Where the kept run of ``pipeline`` of the project at ``root`` is."""
    name = hashlib.sha256(f"{root.resolve()}\0{pipeline}".encode()).hexdigest()[:40]
    return data_dir() / "replays" / f"{name}.json"


def load_kept(root: Path, pipeline: str) -> KeptRun | None:
    """The kept run, or ``None`` (none kept, unreadable, or of another shape)."""
    path = kept_path(root, pipeline)
    try:
        if path.stat().st_size > _MAX_BYTES:
            return None
        data = json.loads(path.read_bytes())
        return KeptRun(**data)
    except (OSError, ValueError, TypeError):
        return None


def keep_run(root: Path, kept: KeptRun) -> None:
    """Write ``kept`` (atomically: a reader sees the old file or the new one)."""
    path = kept_path(root, kept.pipeline)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".replay-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(kept), out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def forget_run(root: Path, pipeline: str) -> None:
    """Drop the kept run of ``pipeline``, if any (its last run could not be kept)."""
    kept_path(root, pipeline).unlink(missing_ok=True)
