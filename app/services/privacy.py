"""Privacy use cases: tag columns (by hand or by suggestion), decide who sees unmasked values,
and mask what front ends show. The use cases behind ``cauce tags``.

Tags live in the metadata DB (:class:`app.storage.tags.TagStore`), keyed by project,
connection, table and column. Masked by default: :func:`may_unmask` is the one place that
decides whether the current user sees tagged values in clear; everything shown (previews,
samples, top values) goes through :func:`mask_shown` otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from app.i18n import _
from app.services.connections import open_connector
from app.services.secrets import secret_lookup
from app.services.workspace import Workspace, workspace_of
from app.storage.project import load_project
from app.storage.project_format import ProjectError
from app.storage.tags import ColumnTag, TagStore

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = [
    "ColumnTag",
    "MaskedTable",
    "TagSuggestion",
    "UNMASK_SCOPE",
    "check_tag",
    "explain_project_tags",
    "list_tags",
    "mask_shown",
    "may_unmask",
    "remove_tag",
    "set_tags",
    "standard_tags",
    "suggest_project_tags",
]

#: the API scope (only an administrator's key may hold it; ``admin`` alone does not unmask) and
#: the environment switch of a desktop user that may see tagged values in clear
UNMASK_SCOPE = "unmask"
UNMASK_ENV = "CAUCE_UNMASK"
SHOWN_MASK = "****"


@dataclass(frozen=True)
class MaskedTable:
    """Rows to show, and the columns masked in them (the UI says "masked: …")."""

    table: pa.Table
    masked: list[str] = field(default_factory=list)

    def notice(self) -> str:
        if not self.masked:
            return ""
        return _("masked: columns {columns}").format(columns=", ".join(self.masked))


def may_unmask(principal: Principal | None = None) -> bool:
    """Whether the caller may see tagged values unmasked: a server caller with the unmask
    scope; a desktop or CLI user who set ``CAUCE_UNMASK=1``. Everyone else sees masks."""
    if principal is not None:
        return UNMASK_SCOPE in principal.scopes
    return os.environ.get(UNMASK_ENV) == "1"


def mask_shown(
    table: pa.Table, tagged: Iterable[str], *, principal: Principal | None = None
) -> MaskedTable:
    """``table`` with every ``tagged`` column's values replaced by ``****`` (``NULL`` stays
    ``NULL``), unless :func:`may_unmask`."""
    wanted = {c.lower() for c in tagged}
    if not wanted or may_unmask(principal):
        return MaskedTable(table)
    masked: list[str] = []
    columns = []
    for f in table.schema:
        col = table.column(f.name)
        if f.name.lower() in wanted:
            masked.append(f.name)
            col = pa.array(
                [None if v is None else SHOWN_MASK for v in col.to_pylist()], pa.string()
            )
        columns.append(col)
    names = table.schema.names
    return MaskedTable(pa.table(dict(zip(names, columns, strict=True))), masked)


def standard_tags() -> tuple[str, ...]:
    """The tags Cauce knows (``pii.*`` and the ``sensitive.*`` ones it suggests); any other
    dotted name is a custom tag."""
    from app.engine.privacy.tags import PII_TAGS

    return (*PII_TAGS, "sensitive.iban")


def check_tag(tag: str) -> str:
    """``tag`` as :func:`set_tags` stores it (lower case), or ``ValueError`` saying why it is
    not a tag."""
    from app.engine.privacy.tags import check_tag as check

    return check(tag)


def _project_id(ws: Workspace, project: str) -> int:
    with ws.repository() as repo:
        return repo.ensure_project(project)


def set_tags(
    path: Path,
    connection: str,
    table: str,
    column: str,
    tags: Iterable[str],
    *,
    replace: bool = False,
    origin: str = "manual",
    workspace: Workspace | None = None,
) -> int:
    """Tag a column of a project's connection; returns how many tags were new."""
    from app.engine.privacy.tags import check_tag

    checked = [check_tag(t) for t in tags]
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        if connection not in opened.project.connections:
            raise ProjectError("connections", _("no such connection"))
        name = opened.project.meta.name
    with ws.open_store(TagStore) as store:
        return store.set_tags(
            _project_id(ws, name),
            [ColumnTag(connection, table, column, t, origin) for t in checked],
            replace=replace,
        )


def list_tags(
    path: Path,
    *,
    connection: str | None = None,
    table: str | None = None,
    workspace: Workspace | None = None,
) -> list[ColumnTag]:
    """The tags of a project's columns (of one connection, of one table)."""
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        name = opened.project.meta.name
    with ws.open_store(TagStore) as store:
        return store.tags(_project_id(ws, name), connection, table)


def remove_tag(
    path: Path,
    connection: str,
    table: str,
    column: str,
    tag: str,
    *,
    workspace: Workspace | None = None,
) -> bool:
    """Take ``tag`` off a column of a project's connection; whether it was there (the table
    matches with or without its schema, as :func:`list_tags` matches it)."""
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        name = opened.project.meta.name
    pid = _project_id(ws, name)
    removed = 0
    with ws.open_store(TagStore) as store:
        for t in store.tags(pid, connection, table):
            if t.tag == tag and t.column.casefold() == column.casefold():
                removed += store.remove_tag(pid, t.connection, t.table, t.column, tag)
    return removed > 0


@dataclass(frozen=True)
class TagSuggestion:
    """A suggested tag and why: the words of the column's name that gave it (``""``: none),
    the value recogniser that matched its sample (``""``: none), the share of the sample it
    matched, and a confidence between 0 and 1."""

    tag: ColumnTag
    name_words: str
    recogniser: str
    share: float
    confidence: float


def explain_project_tags(
    path: Path,
    connection: str,
    *,
    sample: int = 200,
    workspace: Workspace | None = None,
) -> list[TagSuggestion]:
    """Tags suggested for every column of a connection's tables, with their evidence: the
    column's name and a sample of ``sample`` values of its text columns. Stores nothing.
    Contacts the system: call it off the GUI thread."""
    from sqlglot import exp

    from app.engine.privacy.tags import explain_tags

    ws = workspace_of(workspace)
    found: list[TagSuggestion] = []
    with load_project(path) as opened:
        project = opened.project
        if connection not in project.connections:
            raise ProjectError("connections", _("no such connection"))
        connector = open_connector(
            project.connections[connection],
            project_dir=opened.root,
            secrets=secret_lookup(project.meta.name, ws.secrets),
            variables=project.meta.variables,
        )
        try:
            dialect = connector.capabilities.dialect
            for info in connector.list_tables():
                schema = connector.table_schema(info.qualified)
                texts = [f.name for f in schema if pa.types.is_string(f.type)]
                values: dict[str, list[object]] = {}
                if texts and dialect:
                    query = (
                        exp.select(*[exp.column(c, quoted=True) for c in texts])
                        .from_(exp.to_table(info.qualified, dialect=dialect))
                        .limit(sample)
                    )
                    rows = connector.query(query.sql(dialect)).read_all()
                    values = {c: rows.column(i).to_pylist() for i, c in enumerate(texts)}
                for f in schema:
                    for e in explain_tags(f.name, values.get(f.name, [])):
                        tag = ColumnTag(connection, info.qualified, f.name, e.tag, "suggested")
                        found.append(
                            TagSuggestion(tag, e.name_words, e.recogniser, e.share, e.confidence)
                        )
        finally:
            connector.close()
    return found


def suggest_project_tags(
    path: Path,
    connection: str,
    *,
    sample: int = 200,
    accept: bool = False,
    workspace: Workspace | None = None,
) -> list[ColumnTag]:
    """Tags suggested for every column of a connection's tables, from the column's name and
    a sample of ``sample`` values of its text columns (:func:`explain_project_tags` gives
    the evidence); ``accept``: store them (as ``suggested``). Contacts the system: call it
    off the GUI thread."""
    ws = workspace_of(workspace)
    found = [s.tag for s in explain_project_tags(path, connection, sample=sample, workspace=ws)]
    if accept and found:
        with load_project(path) as opened:
            name = opened.project.meta.name
        with ws.open_store(TagStore) as store:
            store.set_tags(_project_id(ws, name), found)
    return found
