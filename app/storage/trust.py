"""Which projects from elsewhere the user of this machine has agreed to run.

A bundle is somebody else's project: it names connections, files and queries. Before one runs,
the user sees what it would read, write and connect to (:mod:`app.services.trust`) and says
yes — ``--trust`` on the command line, a question in the editor. The answer is kept here, per
project id *and content digest*: a bundle that changes (another connection host, another
query) asks again.

Projects imported from a bundle into a directory (``cauce import``) are remembered as
imported, so running the directory asks too until the user trusts that content.

The store is ``trust.json`` in the user data directory (:func:`app.storage.paths.data_dir`):
the machine's decision, never part of a project or a bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from app.storage.paths import data_dir
from app.storage.project_format import Project

__all__ = ["TrustStore", "project_digest"]

TRUST_FILE = "trust.json"
#: bound on the file the store reads (it is ours, but may have been edited)
_MAX_BYTES = 4 * 1024 * 1024


def project_digest(project: Project) -> str:
    """SHA-256 of everything that decides what a project reads, writes and connects to.

    >>> from app.storage.project_format import ProjectMeta
    >>> a = Project(meta=ProjectMeta(name="p", id="4b0d2a0e-6a53-4f3e-9f57-3c3f2c9d7a11"))
    >>> project_digest(a) == project_digest(a.model_copy())
    True
    """
    content: dict[str, Any] = {
        "id": project.meta.id,
        "variables": project.meta.variables,
        "connections": {k: v.model_dump(mode="json") for k, v in project.connections.items()},
        "pipelines": {
            k: v.model_dump(mode="json", exclude={"layout"}) for k, v in project.pipelines.items()
        },
        "syncs": {k: v.model_dump(mode="json") for k, v in project.syncs.items()},
    }
    if project.meta.channels_given():  # where alerts go; absent: digests stay as they were
        content["channels"] = [
            c.model_dump(mode="json") for c in project.meta.notifications.channels
        ]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


class TrustStore:
    """``trust.json``: trusted (project id, digest) pairs and ids imported from bundles."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / TRUST_FILE

    def _read(self) -> dict[str, Any]:
        try:
            if self.path.stat().st_size > _MAX_BYTES:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".trust-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def is_trusted(self, project: Project) -> bool:
        trusted = self._read().get("trusted", {})
        return isinstance(trusted, dict) and project_digest(project) in trusted.get(
            project.meta.id, []
        )

    def was_imported(self, project: Project) -> bool:
        return project.meta.id in self._read().get("imported", [])

    def trust(self, project: Project) -> None:
        data = self._read()
        trusted = data.setdefault("trusted", {})
        digests = trusted.setdefault(project.meta.id, [])
        digest = project_digest(project)
        if digest not in digests:
            digests.append(digest)
            self._write(data)

    def mark_imported(self, project: Project) -> None:
        data = self._read()
        imported = data.setdefault("imported", [])
        if project.meta.id not in imported:
            imported.append(project.meta.id)
            self._write(data)
