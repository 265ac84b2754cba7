"""Catalog use cases: read what a connection holds into the metadata DB, and read it back.

Plain synchronous code (it talks to remote databases): the GUI calls it from a worker thread,
never from the GUI thread. A table that cannot be described (a broken view, a permission) is
kept with no columns and named in the result, instead of failing the whole refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.connectors.base import ConnectionError_, Connector
from app.connectors.registry import connector_registry
from app.i18n import _
from app.model.types import TypeMismatch, type_name
from app.services.connections import open_connector
from app.services.projects import EditorDocument, document_connections
from app.services.secrets import secret_lookup
from app.services.workspace import Workspace, workspace_of
from app.storage.catalog import CatalogStore
from app.storage.project import load_project, read_project_dir
from app.storage.project_format import ProjectError, connection_path
from app.storage.repository import Repository
from app.storage.sync_records import CatalogColumn, CatalogTable

__all__ = [
    "list_tables",
    "CatalogColumn",
    "CatalogRefresh",
    "CatalogTable",
    "ConnectionRole",
    "connection_roles",
    "describe_connection",
    "read_catalog",
    "refresh_catalog",
]


@dataclass(frozen=True)
class CatalogRefresh:
    connection: str
    tables: int
    columns: int
    problems: list[str] = field(default_factory=list)


def _where(connection: str) -> str:
    """The file a connection name would have, for messages (any name, even one that gives no
    file name, is reported, never a crash)."""
    try:
        return connection_path(connection)
    except ValueError:
        return "connections"


def describe_connection(
    connector: Connector, progress: Callable[[int, int], None] | None = None
) -> tuple[list[CatalogTable], list[str]]:
    """Every table and view of an open connector with columns, types, keys and row estimates."""
    infos = connector.list_tables()
    tables, problems = [], []
    for i, info in enumerate(infos, start=1):
        columns: tuple[CatalogColumn, ...] = ()
        try:
            schema = connector.table_schema(info.qualified)
            keys = connector.primary_keys(info.qualified) if info.kind == "table" else []
            columns = tuple(
                CatalogColumn(
                    f.name,
                    type_name(f.type),
                    f.nullable and f.name not in keys,
                    keys.index(f.name) + 1 if f.name in keys else None,
                )
                for f in schema
            )
        except (ConnectionError_, TypeMismatch) as err:
            problems.append(f"{info.qualified}: {err}")
        tables.append(
            CatalogTable(
                schema=info.schema or "",
                name=info.name,
                kind=info.kind,
                row_estimate=info.row_estimate,
                columns=columns,
            )
        )
        if progress is not None:
            progress(i, len(infos))
    return tables, problems


def refresh_catalog(
    path: Path,
    connection: str,
    *,
    workspace: Workspace | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CatalogRefresh:
    """Refresh the catalog of connection ``connection`` of a project into the metadata DB."""
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        project = opened.project
        if connection not in project.connections:
            raise ProjectError(_where(connection), _("no such connection"))
        conn = project.connections[connection]
        connector = open_connector(
            conn,
            project_dir=opened.root,
            secrets=secret_lookup(project.meta.name, ws.secrets),
            variables=project.meta.variables,
        )
        try:
            tables, problems = describe_connection(connector, progress)
        finally:
            connector.close()
        with ws.open_store(Repository) as repo, ws.open_store(CatalogStore) as store:
            project_id = repo.ensure_project(project.meta.name)
            record = repo.save_connection(project_id, conn)
            count = store.replace_catalog(record.id, tables)
        return CatalogRefresh(connection, count, sum(len(t.columns) for t in tables), problems)


def read_catalog(
    path: Path, connection: str, *, workspace: Workspace | None = None
) -> list[CatalogTable]:
    """The stored catalog of a project's connection (empty before the first refresh)."""
    with load_project(path) as opened:
        project = opened.project
        if connection not in project.connections:
            raise ProjectError(_where(connection), _("no such connection"))
        ws = workspace_of(workspace)
        with ws.open_store(Repository) as repo, ws.open_store(CatalogStore) as store:
            project_id = repo.ensure_project(project.meta.name)
            ids = {c.name: c.id for c in repo.list_connections(project_id)}
            if connection not in ids:
                return []
            return store.catalog(ids[connection])


@dataclass(frozen=True)
class ConnectionRole:
    """A project connection and what a sync may do with it."""

    name: str
    type: str
    label: str
    source: bool
    destination: bool


def connection_roles(path: Path) -> list[ConnectionRole]:
    """The connections of a project directory, by name, with whether each can be a sync's
    source and destination (a connection of an unknown type can be neither)."""
    project = read_project_dir(Path(path))
    registry = connector_registry()
    out = []
    for name in sorted(project.connections):
        conn = project.connections[name]
        try:
            cls = registry.get(conn.type)
        except KeyError:
            out.append(ConnectionRole(name, conn.type, conn.type, False, False))
            continue
        caps = cls.capabilities
        out.append(ConnectionRole(name, conn.type, cls.label, caps.source, caps.destination))
    return out


def list_tables(doc: EditorDocument, connection: str) -> list[str]:
    """The tables and views of one of the document's connections, qualified (``schema.name``
    where the system has schemas), sorted. Contacts the system: call it off the GUI thread.

    Raises:
        UnknownConnection, InvalidConnection, ConnectionError_, MissingSecret.
    """
    with document_connections(doc) as provider:
        infos = provider.open(connection).list_tables()
    return sorted(info.qualified for info in infos)
