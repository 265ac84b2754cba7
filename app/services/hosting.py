"""Projects a server hosts: registered by path or imported from a bundle, then read, checked,
compiled and exported — the use cases behind the REST API's projects, pipelines and
connections (``docs/api.md``).

Each hosted project has a **revision** that grows with every change made through the server
(an import over it, a pipeline saved or deleted). A change states the revision it was based
on; another one is refused with :class:`StaleRevision` and changes nothing, so two clients
never overwrite each other silently. A pipeline's ETag is the SHA-256 of its canonical JSON.

The same functions the CLI uses do the work: :mod:`.bundles` imports and exports,
:mod:`.pipelines` compiles, the project files are read and written as the editor does.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.i18n import _
from app.model.pipeline import Pipeline
from app.services.bundles import apply_preview, export_project, preview_import
from app.services.pipelines import compile_project
from app.services.workspace import Workspace
from app.storage.access import AccessStore, HostedProjectRecord, StaleRevision
from app.storage.bundle_reader import inspect_bundle
from app.storage.project import read_project_dir, save_project
from app.storage.project_format import (
    PROJECT_FILE,
    Project,
    ProjectError,
    describe_validation_error,
    file_stem,
)

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = [
    "BundleImport",
    "ConnectionInfo",
    "HostedProject",
    "PipelineInfo",
    "StaleRevision",
    "compile_pipeline",
    "delete_pipeline",
    "export_hosted",
    "get_pipeline",
    "hosted_catalog",
    "hosted_project",
    "hosted_sync_status",
    "hosting_organizations",
    "import_hosted",
    "list_connections",
    "list_hosted",
    "list_pipelines",
    "open_hosted",
    "projects_root",
    "refresh_hosted_catalog",
    "register_project",
    "save_pipeline",
    "set_connection_secret",
    "test_hosted_connection",
    "unregister_project",
    "validate_pipeline",
]


@dataclass(frozen=True)
class HostedProject:
    id: int
    name: str
    path: str
    revision: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    id: str
    description: str
    nodes: int
    edges: int
    #: the SHA-256 of the pipeline's canonical JSON: its ETag
    etag: str


@dataclass(frozen=True)
class ConnectionInfo:
    """A connection as a client may see it: never a secret value, only which fields are
    secret (they are written through :func:`set_connection_secret`)."""

    name: str
    type: str
    description: str
    params: dict[str, Any]
    secret_fields: tuple[str, ...]


@dataclass(frozen=True)
class BundleImport:
    """What importing a bundle changes (``applied``: it was written)."""

    project_name: str
    target: str
    applied: bool
    changes: tuple[dict[str, str], ...]
    access: tuple[str, ...]
    project: HostedProject | None


def _hosted(record: HostedProjectRecord) -> HostedProject:
    return HostedProject(
        record.id, record.name, record.path, record.revision, record.created_at, record.updated_at
    )


def _store(workspace: Workspace) -> AccessStore:
    return workspace.store(AccessStore)


def projects_root() -> Path:
    """Where a server writes the projects imported from bundles, by default: ``projects``
    in the data directory (``CAUCE_HOME``)."""
    from app.storage.paths import data_dir

    return data_dir() / "projects"


def list_hosted(workspace: Workspace) -> list[HostedProject]:
    """The projects the workspace's organization hosts, oldest first."""
    return [_hosted(r) for r in _store(workspace).hosted_projects()]


def hosting_organizations(workspace: Workspace) -> list[str]:
    """Every organization that hosts a project on the workspace's metadata DB (for a server
    that warms them all at start; it lists no project of another organization)."""
    return _store(workspace).hosting_organizations()


def hosted_project(workspace: Workspace, project_id: int) -> HostedProject:
    """One hosted project of the organization (``NotFound`` for another organization's)."""
    return _hosted(_store(workspace).hosted_project(project_id))


def register_project(workspace: Workspace, path: Path, *, trust: bool = False) -> HostedProject:
    """Host the project directory at ``path`` under its own name.

    ``trust``: the caller vouches for it (a project imported from a bundle runs only once
    trusted, as on a desktop). Raises ``ProjectError`` for a path that is not a valid project
    directory and ``DuplicateName`` when a project of that name is hosted already.
    """
    root = Path(path).expanduser()
    if not root.is_absolute():
        raise ProjectError(str(path), _("give an absolute path on the server"))
    if not (root / PROJECT_FILE).is_file():
        raise ProjectError(str(path), _("not a project directory (no project.json)"))
    project = read_project_dir(root)
    if trust:
        from app.services.trust import trust_project

        trust_project(project)
    return _hosted(_store(workspace).add_hosted_project(project.meta.name, str(root.resolve())))


def unregister_project(workspace: Workspace, project_id: int, *, revision: int | None) -> None:
    """Stop hosting a project (its files and its run history stay)."""
    _store(workspace).remove_hosted_project(project_id, expected=revision)


def open_hosted(workspace: Workspace, project_id: int) -> tuple[HostedProject, Project]:
    """A hosted project and its files, read now."""
    hosted = hosted_project(workspace, project_id)
    return hosted, read_project_dir(Path(hosted.path))


def import_hosted(
    workspace: Workspace,
    bundle: Path,
    projects_root: Path,
    *,
    dry_run: bool,
    trust: bool = False,
    revision: int | None = None,
) -> BundleImport:
    """Import a bundle as a hosted project of the organization (validated completely first,
    applied atomically). A project of the same name is replaced, only when ``revision`` is
    its current revision; a new one goes to ``<projects_root>/<organization>/<name>``.
    ``dry_run``: say what would change, write nothing."""
    name = inspect_bundle(bundle).project.meta.name
    existing = {p.name: p for p in list_hosted(workspace)}.get(name)
    if existing is not None:
        if not dry_run and revision != existing.revision:
            raise StaleRevision(existing.revision)
        target = Path(existing.path)
    else:
        target = projects_root / file_stem(workspace.organization) / file_stem(name)
        target.parent.mkdir(parents=True, exist_ok=True)
    preview = preview_import(bundle, target, workspace=workspace)
    changes = tuple(
        {"item": i.item, "name": i.name, "kind": i.kind, "detail": i.detail} for i in preview.items
    )
    if dry_run:
        return BundleImport(name, str(target), False, changes, preview.access, existing)
    apply_preview(preview, trusted=trust)
    store = _store(workspace)
    if existing is None:
        record = store.add_hosted_project(name, str(target))
    else:
        record = store.bump_hosted_project(existing.id, expected=revision)
    return BundleImport(name, str(target), True, changes, preview.access, _hosted(record))


def export_hosted(
    workspace: Workspace,
    project_id: int,
    *,
    include_data: bool = True,
    unmasked: bool = False,
    principal: Principal | None = None,
) -> Path:
    """A bundle of a hosted project, in a new temporary directory the caller removes. Data
    files holding tagged columns are refused unless ``unmasked`` by a caller who may unmask
    (the organization's tags decide)."""
    hosted = hosted_project(workspace, project_id)
    out = Path(tempfile.mkdtemp(prefix="cauce-export-")) / f"{file_stem(hosted.name)}.cauce"
    try:
        export_project(
            Path(hosted.path),
            out,
            include_data=include_data,
            unmasked=unmasked,
            principal=principal,
            workspace=workspace,
        )
    except BaseException:
        shutil.rmtree(out.parent, ignore_errors=True)
        raise
    return out


def bump_revision(workspace: Workspace, hosted: HostedProject) -> HostedProject:
    """The project after a change made through the server (its revision grows by one);
    ``StaleRevision`` when another change came first."""
    return _hosted(_store(workspace).bump_hosted_project(hosted.id, expected=hosted.revision))


# -- pipelines ------------------------------------------------------------------------------------
def pipeline_etag(pipeline: Pipeline) -> str:
    """A pipeline's ETag: the SHA-256 of its canonical JSON."""
    return hashlib.sha256(pipeline.to_json().encode()).hexdigest()


_etag = pipeline_etag


def _info(pipeline: Pipeline) -> PipelineInfo:
    return PipelineInfo(
        pipeline.name,
        pipeline.id,
        pipeline.description,
        len(pipeline.nodes),
        len(pipeline.edges),
        _etag(pipeline),
    )


def _pipeline(project: Project, name: str) -> Pipeline:
    if name not in project.pipelines:
        raise ProjectError(
            f"pipelines/{name}",
            _("no pipeline named {name!r} (available: {available})").format(
                name=name, available=", ".join(sorted(project.pipelines)) or _("none")
            ),
        )
    return project.pipelines[name]


def list_pipelines(workspace: Workspace, project_id: int) -> list[PipelineInfo]:
    """The pipelines of a hosted project, by name."""
    project = open_hosted(workspace, project_id)[1]
    return [_info(project.pipelines[n]) for n in sorted(project.pipelines)]


def get_pipeline(
    workspace: Workspace, project_id: int, name: str
) -> tuple[PipelineInfo, dict[str, Any]]:
    """A pipeline's summary and its document (the JSON of ``pipelines/<name>.json``)."""
    project = open_hosted(workspace, project_id)[1]
    pipeline = _pipeline(project, name)
    return _info(pipeline), pipeline.model_dump(mode="json")


def validate_pipeline(workspace: Workspace, project_id: int, name: str) -> list[dict[str, Any]]:
    """The problems of a pipeline, compiled from what the project declares (no connection
    is contacted, so this never needs trust); empty when it compiles."""
    hosted, project = open_hosted(workspace, project_id)
    _pipeline(project, name)
    try:
        compile_project(Path(hosted.path), name, dialect="duckdb", offline=True)
    except ValueError as err:
        problems = getattr(err, "problems", None)
        if problems is None:
            return [{"message": str(err), "node_id": None, "node_name": None, "param": None}]
        return [
            {"message": p.message, "node_id": p.node_id, "node_name": p.node_name, "param": p.param}
            for p in problems
        ]
    return []


def compile_pipeline(
    workspace: Workspace, project_id: int, name: str, *, dialect: str
) -> dict[str, str]:
    """The SQL of each destination of a pipeline in ``dialect``, from declared columns only."""
    hosted, project = open_hosted(workspace, project_id)
    _pipeline(project, name)
    return compile_project(Path(hosted.path), name, dialect=dialect, offline=True)


def save_pipeline(
    workspace: Workspace,
    project_id: int,
    document: dict[str, Any],
    *,
    name: str | None = None,
    etag: str | None = None,
    author: str = "api",
) -> tuple[PipelineInfo, HostedProject]:
    """Create (``name`` None) or replace the pipeline ``name`` of a hosted project, and
    record the pipeline's version under ``author`` (the API's user).

    Replacing needs ``etag``, the ETag the client read: another one raises
    :class:`StaleRevision`. Creating refuses a name already taken. Raises ``ProjectError``
    naming what is invalid in ``document``.
    """
    try:
        pipeline = Pipeline.model_validate(document)
    except ValidationError as err:
        raise ProjectError("pipeline", describe_validation_error(err)) from None
    hosted, project = open_hosted(workspace, project_id)
    if name is None:
        if pipeline.name in project.pipelines:
            raise ProjectError(
                f"pipelines/{pipeline.name}",
                _("a pipeline named {name!r} exists").format(name=pipeline.name),
            )
    else:
        current = _pipeline(project, name)
        if etag != _etag(current):
            raise StaleRevision(hosted.revision)
        if pipeline.name != name and pipeline.name in project.pipelines:
            raise ProjectError(
                f"pipelines/{pipeline.name}",
                _("a pipeline named {name!r} exists").format(name=pipeline.name),
            )
    pipelines = {k: v for k, v in project.pipelines.items() if k != name}
    pipelines[pipeline.name] = pipeline
    save_project(project.model_copy(update={"pipelines": pipelines}), hosted.path)
    record = _store(workspace).bump_hosted_project(hosted.id, expected=hosted.revision)
    with workspace.repository() as repo:
        project_key = repo.ensure_project(project.meta.name)
        repo.save_pipeline_version(project_key, pipeline, author=author, message="saved by the API")
    return _info(pipeline), _hosted(record)


def delete_pipeline(
    workspace: Workspace, project_id: int, name: str, *, etag: str | None
) -> HostedProject:
    """Remove a pipeline of a hosted project; ``etag`` must be its current ETag."""
    hosted, project = open_hosted(workspace, project_id)
    if etag != _etag(_pipeline(project, name)):
        raise StaleRevision(hosted.revision)
    pipelines = {k: v for k, v in project.pipelines.items() if k != name}
    save_project(project.model_copy(update={"pipelines": pipelines}), hosted.path)
    return _hosted(_store(workspace).bump_hosted_project(hosted.id, expected=hosted.revision))


# -- connections ----------------------------------------------------------------------------------
def _secret_fields(connection_type: str) -> tuple[str, ...]:
    from app.connectors.base import secret_fields
    from app.connectors.registry import connector_registry

    try:
        cls = connector_registry().get(connection_type)
    except KeyError:
        return ()
    return tuple(secret_fields(cls.Config))


def list_connections(workspace: Workspace, project_id: int) -> list[ConnectionInfo]:
    """The connections of a hosted project, by name (never a secret: none is stored there)."""
    project = open_hosted(workspace, project_id)[1]
    return [
        ConnectionInfo(c.name, c.type, c.description, dict(c.params), _secret_fields(c.type))
        for c in (project.connections[n] for n in sorted(project.connections))
    ]


def set_connection_secret(
    workspace: Workspace, project_id: int, connection: str, field: str, value: str
) -> None:
    """Keep a secret of a hosted project's connection in the server's secret store. Write
    only: nothing reads it back but a run."""
    project = open_hosted(workspace, project_id)[1]
    if connection not in project.connections:
        raise ProjectError(f"connections/{connection}", _("no such connection"))
    fields = _secret_fields(project.connections[connection].type)
    if field not in fields:
        raise ProjectError(
            f"connections/{connection}",
            _(
                "{field!r} is not a secret field of this connection (secret fields: {fields})"
            ).format(field=field, fields=", ".join(fields) or _("none")),
        )
    from app.storage.redaction import secret_redactor

    secret_redactor().add(value)
    workspace.secrets.store_secret(project.meta.name, connection, field, value)


def refresh_hosted_catalog(workspace: Workspace, project_id: int, connection: str) -> Any:
    """Refresh the catalog of a hosted project's connection (contacts the system, so a
    project from a bundle must have been trusted on this server)."""
    from app.services.catalog import refresh_catalog
    from app.services.trust import UntrustedProject, needs_trust
    from app.storage.project import load_project

    hosted = hosted_project(workspace, project_id)
    with load_project(Path(hosted.path)) as opened:
        if needs_trust(opened):
            raise UntrustedProject(opened.project)
    return refresh_catalog(Path(hosted.path), connection, workspace=workspace)


def hosted_catalog(workspace: Workspace, project_id: int, connection: str) -> list[Any]:
    """The stored catalog of a hosted project's connection (empty before a refresh)."""
    from app.services.catalog import read_catalog

    hosted = hosted_project(workspace, project_id)
    return read_catalog(Path(hosted.path), connection, workspace=workspace)


def _require_trust(path: Path) -> None:
    from app.services.trust import require_trust
    from app.storage.project import load_project

    with load_project(path) as opened:
        require_trust(opened, trust=False)  # its connections could name any host


def test_hosted_connection(workspace: Workspace, project_id: int, connection: str) -> None:
    """Connect with a hosted project's connection and ask its system to answer (the
    editor's Test button); raise the connector's error, which says why, if not. The project
    must be trusted (``UntrustedProject``); an unknown connection is ``NotFound``."""
    from app.services.connections import test_project_connection
    from app.storage.errors import NotFound

    hosted, project = open_hosted(workspace, project_id)
    if connection not in project.connections:
        raise NotFound(_("no connection named {name!r}").format(name=connection))
    _require_trust(Path(hosted.path))
    test_project_connection(Path(hosted.path), connection)


test_hosted_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def hosted_sync_status(workspace: Workspace, project_id: int, name: str) -> Any:
    """``cauce sync status``: per destination, the cursor it committed (read there: the
    project must be trusted), the metadata DB's copy, and the last recorded run."""
    from app.services.sync_status import sync_status
    from app.storage.errors import NotFound

    hosted, project = open_hosted(workspace, project_id)
    if name not in project.syncs:
        raise NotFound(_("no sync named {name!r}").format(name=name))
    _require_trust(Path(hosted.path))
    return sync_status(Path(hosted.path), name, workspace=workspace)
