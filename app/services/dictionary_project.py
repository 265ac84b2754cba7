"""What the dictionary, glossary and lineage use cases share: the project they work on (a
directory, a bundle, or the editor's open document), its record in the metadata DB, its
catalog, and how table names match.

Not a front door: front ends call :mod:`app.services.dictionary`,
:mod:`app.services.glossary` and :mod:`app.services.lineage`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.services.projects import EditorDocument
from app.services.workspace import Workspace, workspace_of
from app.storage.catalog import CatalogStore
from app.storage.project import load_project
from app.storage.project_format import Project, ProjectError
from app.storage.sync_records import CatalogTable

__all__ = [
    "ProjectSource",
    "catalog_of",
    "checked",
    "opened",
    "project_id",
    "qualified",
    "same_table",
    "table_key",
    "workspace_for",
]

#: a project directory or bundle, or the document open in the editor
ProjectSource = Path | str | EditorDocument
M = TypeVar("M", bound=BaseModel)


def checked(model: type[M], where: str = "", **values: Any) -> M:
    """``model(**values)``, or a :class:`ProjectError` naming each field that is wrong (and
    ``where`` the values came from: a CSV line, an option).

    >>> from app.storage.dictionary_format import GlossaryTerm
    >>> checked(GlossaryTerm, "line 3", name="x", status="final")
    Traceback (most recent call last):
    ...
    app.storage.project_layout.ProjectError: line 3: status: Input should be 'draft' or 'approved'
    """
    try:
        return model(**values)
    except ValidationError as err:
        problems = []
        for e in err.errors(include_url=False):
            field = ".".join(str(p) for p in e["loc"])
            message = e["msg"].removeprefix("Value error, ")
            problems.append(f"{field}: {message}" if field else message)
        raise ProjectError(where or model.__name__, "; ".join(problems)) from None


@contextmanager
def opened(source: ProjectSource) -> Iterator[tuple[Project, Path]]:
    """The project and the directory its files are in (``${PROJECT_DIR}``)."""
    if isinstance(source, EditorDocument):
        yield source.project, source.files_dir
        return
    with load_project(Path(source)) as found:
        yield found.project, found.root


def workspace_for(source: ProjectSource, workspace: Workspace | None) -> Workspace:
    """``workspace``, else the document's, else the default one."""
    if workspace is None and isinstance(source, EditorDocument):
        return source.workspace
    return workspace_of(workspace)


def project_id(ws: Workspace, name: str) -> int:
    """The project's id in the metadata DB (recorded on first use)."""
    return ws.once(("project", ws.organization, name), lambda: _ensure(ws, name))


def _ensure(ws: Workspace, name: str) -> int:
    with ws.repository() as repo:
        return repo.ensure_project(name)


def qualified(table: CatalogTable) -> str:
    """``schema.name``, or ``name`` where the system has no schemas."""
    return f"{table.schema}.{table.name}" if table.schema else table.name


def same_table(a: str, b: str) -> bool:
    """Whether two names are one table: equal ignoring case, or one is the other with its
    schema (``main.orders`` and ``orders``).

    >>> same_table("main.Orders", "orders"), same_table("orders", "sales.orders")
    (True, True)
    >>> same_table("orders", "old_orders")
    False
    """
    x, y = a.casefold(), b.casefold()
    return x == y or x.endswith("." + y) or y.endswith("." + x)


def table_key(table: str) -> str:
    """A table's own name without its schema, folded: two names :func:`same_table` matches
    share it (items are bucketed by it, so finding a table's is not a scan of all).

    >>> table_key("main.Orders") == table_key("orders")
    True
    """
    return table.rsplit(".", 1)[-1].casefold()


def catalog_of(ws: Workspace, project: Project) -> dict[str, list[CatalogTable]]:
    """The stored catalog of each of the project's connections (those never refreshed are
    left out), by connection name."""
    pid = project_id(ws, project.meta.name)
    with ws.repository() as repo:
        ids = {c.name: c.id for c in repo.list_connections(pid)}
    out: dict[str, list[CatalogTable]] = {}
    with ws.open_store(CatalogStore) as store:
        for name in sorted(project.connections):
            if name in ids:
                tables = store.catalog(ids[name])
                if tables:
                    out[name] = tables
    return out
