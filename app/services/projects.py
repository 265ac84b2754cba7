"""Projects: open, create, trust and save a project; choose its pipelines.

A front end holds an :class:`EditorDocument` (a project and the directory it lives in) and edits
its :class:`~app.model.pipeline.Pipeline` objects in place; a worker thread gets a
:func:`snapshot`, never the model being edited. A project from elsewhere (a bundle, or a
directory imported from one) reaches nothing until it is trusted (:func:`trust_document`).

Compiling lives in :mod:`app.services.pipelines`, running and previewing in
:mod:`app.services.runs`, the canvas's edits in :mod:`app.services.editing`.

>>> doc = new_document("demo")
>>> sorted(doc.project.pipelines), doc.root is None
(['main'], True)
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.model.pipeline import Pipeline
from app.nodes.registry import node_registry
from app.services.connections import project_provider
from app.services.secrets import secret_lookup
from app.services.trust import (
    UntrustedProject,
    access_summary,
    from_elsewhere,
    mark_imported,
    project_needs_trust,
    trust_project,
)
from app.services.workspace import Workspace, workspace_of
from app.storage.project import (
    OpenProject,
    Project,
    ProjectError,
    ProjectMeta,
    load_project,
    save_project,
)

__all__ = [
    "access_summary",
    "EditorDocument",
    "load_plugins",
    "needs_trust",
    "new_document",
    "open_document",
    "save_document",
    "select_pipelines",
    "snapshot",
    "trust_document",
    "UntrustedProject",
]


def load_plugins() -> list[str]:
    """Load the component and connector registries now, on the calling thread.

    Their lazy loading is not safe to start from several worker threads at once (a thread
    can see a half-filled registry); the editor calls this once at start-up.
    """
    from app.connectors.registry import connector_registry

    connector_registry().names()
    return node_registry().names()


@dataclass
class EditorDocument:
    """A project open in the editor: ``root`` is where it is saved (``None``: never saved).

    A bundle opens into a private extraction directory; it has no ``root`` until it is saved
    to a directory with "Save".

    ``trusted`` is False for a project from elsewhere (a bundle, or a directory imported from
    one) whose content was never trusted on this machine: until :func:`trust_document`, nothing
    reaches its connections or files (:func:`needs_trust`). Edits made in the editor are the
    user's own and keep the answer; saving records it for the saved content.
    """

    project: Project
    root: Path | None
    source: Path | None = None
    _opened: OpenProject | None = field(default=None, repr=False)
    trusted: bool = True
    from_elsewhere: bool = False
    #: the metadata DB and secret store the document's runs and connections use
    workspace: Workspace = field(default_factory=Workspace)

    @property
    def name(self) -> str:
        return self.project.meta.name

    @property
    def files_dir(self) -> Path:
        """Where ``${PROJECT_DIR}`` points: the project directory or the bundle extraction."""
        if self._opened is not None:
            return self._opened.root
        return self.root or Path.cwd()

    def pipeline(self, name: str) -> Pipeline:
        return self.project.pipelines[name]

    def add_pipeline(self, name: str) -> Pipeline:
        """A new empty pipeline (the name made unique in the project)."""
        base, i = name, 2
        while name in self.project.pipelines:
            name, i = f"{base}_{i}", i + 1
        pipeline = Pipeline(name=name)
        self.project.pipelines[name] = pipeline
        return pipeline

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()


def new_document(
    name: str = "untitled", pipeline: str = "main", *, workspace: Workspace | None = None
) -> EditorDocument:
    """An unsaved project with one empty pipeline."""
    project = Project(meta=ProjectMeta(name=name))
    project.pipelines[pipeline] = Pipeline(name=pipeline)
    return EditorDocument(project=project, root=None, workspace=workspace_of(workspace))


def open_document(path: Path, *, workspace: Workspace | None = None) -> EditorDocument:
    """Open a project directory or a ``.cauce`` bundle for editing (raises ``ProjectError``)."""
    opened = load_project(path)
    root = opened.root if not opened.is_bundle else None
    elsewhere = from_elsewhere(opened.project, from_bundle=opened.is_bundle)
    trusted = not project_needs_trust(opened.project, from_bundle=opened.is_bundle)
    return EditorDocument(
        project=opened.project,
        root=root,
        source=Path(path),
        _opened=opened,
        trusted=trusted,
        from_elsewhere=elsewhere,
        workspace=workspace_of(workspace),
    )


def needs_trust(doc: EditorDocument) -> bool:
    """True until the user trusts a project from elsewhere (ask before reaching outside)."""
    return not doc.trusted


def trust_document(doc: EditorDocument) -> None:
    """The user agreed to run this project: remember it for its content, on this machine."""
    trust_project(doc.project)
    doc.trusted = True


def require_document_trust(doc: EditorDocument) -> None:
    if not doc.trusted:
        raise UntrustedProject(doc.project)


def save_document(
    doc: EditorDocument,
    directory: Path | None = None,
    *,
    workspace: Workspace | None = None,
    message: str = "saved in the editor",
    author: str | None = None,
) -> list[str]:
    """Save the project to ``directory`` (default: its own), atomically, and record a version
    of each pipeline, sync, connection and schedule that changed in the metadata DB
    (``author``: the OS user unless given, e.g. the API's user). Returns the project-relative
    files written."""
    target = Path(directory) if directory is not None else doc.root
    if target is None:
        raise ValueError(_("choose a directory to save this project to"))
    result = save_project(doc.project, target)
    doc.root = target
    if doc.from_elsewhere:  # the directory asks as the bundle did, or not if trusted
        mark_imported(doc.project, trusted=doc.trusted)
    with (workspace or doc.workspace).repository() as repo:
        project_id = repo.ensure_project(doc.name)
        from app.services.versions import record_versions  # the history, when saving

        record_versions(repo, project_id, doc.project, author=author or _author(), message=message)
    return result.written


def snapshot(pipeline: Pipeline) -> Pipeline:
    """A deep, independent copy (what a worker thread gets)."""
    return Pipeline.model_validate(pipeline.model_dump())


@contextmanager
def document_connections(doc: EditorDocument, *, reach: bool = True) -> Iterator[ConnectorProvider]:
    """The document's connections; ``reach``: they will be contacted (trusted projects only)."""
    if reach:
        require_document_trust(doc)
    with project_provider(
        doc.project.connections,
        project_dir=doc.files_dir,
        secrets=secret_lookup(doc.name, doc.workspace.secrets),
        variables=doc.project.meta.variables,
    ) as provider:
        yield provider


def select_pipelines(
    project: Project, names: list[str] | None, broken: dict[str, ProjectError] | None = None
) -> list[Pipeline]:
    """The pipelines named (every pipeline without names). A ``broken`` pipeline file (see
    ``load_project``) is an error only when that pipeline is selected."""
    broken = broken or {}
    faulty = sorted(broken) if not names else [n for n in names if n in broken]
    if faulty:
        raise broken[faulty[0]]
    if not names:
        return [project.pipelines[k] for k in sorted(project.pipelines)]
    missing = [n for n in names if n not in project.pipelines]
    if missing:
        raise ProjectError(
            "pipelines",
            _("no pipeline named {names} (available: {available})").format(
                names=", ".join(map(repr, missing)),
                available=", ".join(sorted(project.pipelines)) or _("none"),
            ),
        )
    return [project.pipelines[n] for n in names]


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
