"""Column tags, masking keys and node previews of hosted projects: the use cases behind the
REST API's ``/projects/{id}/column-tags``, ``/masking-key`` and ``/pipeline/preview``
(``docs/api.md``, ``docs/privacy.md``).

The functions of ``cauce tags`` (:mod:`.privacy`, :mod:`.masking`) and of the editor's
preview (:func:`app.services.runs.preview_node`) on a hosted project of the workspace's
organization: another organization's project is ``NotFound``, and so is a connection the
project does not have. What contacts a system (suggesting tags from values, previewing)
needs the project trusted on the server. A preview is masked by default: the columns tagged
at the node show ``****`` unless the caller may unmask.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.services.hosting import hosted_project, open_hosted
from app.services.privacy import ColumnTag, list_tags, set_tags, suggest_project_tags
from app.services.workspace import Workspace
from app.storage.errors import NotFound
from app.storage.project_format import Project, ProjectError

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = [
    "ColumnTag",
    "PreviewRows",
    "create_hosted_mask_key",
    "detokenize_hosted",
    "hosted_column_tags",
    "preview_hosted_node",
    "remove_hosted_tag",
    "set_hosted_tags",
    "suggest_hosted_tags",
]


@dataclass(frozen=True)
class PreviewRows:
    """Rows at a node's output, as the caller may see them."""

    columns: list[tuple[str, str]]
    rows: list[list[Any]]
    #: the columns shown as ``****`` (tagged there; the caller may not unmask)
    masked: list[str]


def _connection(project: Project, connection: str) -> None:
    if connection not in project.connections:
        raise NotFound(_("no connection named {name!r}").format(name=connection))


def _require_trust(path: Path) -> None:
    from app.services.trust import require_trust
    from app.storage.project import load_project

    with load_project(path) as opened:
        require_trust(opened, trust=False)  # its connections could name any host


def hosted_column_tags(
    workspace: Workspace,
    project_id: int,
    *,
    connection: str | None = None,
    table: str | None = None,
) -> list[ColumnTag]:
    """The tags of a hosted project's columns (of one connection, of one table), sorted."""
    hosted, project = open_hosted(workspace, project_id)
    if connection is not None:
        _connection(project, connection)
    return list_tags(Path(hosted.path), connection=connection, table=table, workspace=workspace)


def set_hosted_tags(
    workspace: Workspace,
    project_id: int,
    connection: str,
    table: str,
    column: str,
    tags: Iterable[str],
    *,
    replace: bool = False,
) -> int:
    """Tag a column (``replace``: it keeps only these tags); returns how many were new.
    Raises ``ProjectError`` naming a tag that is not a dotted name (nothing written)."""
    hosted, project = open_hosted(workspace, project_id)
    _connection(project, connection)
    try:
        return set_tags(
            Path(hosted.path), connection, table, column, tags, replace=replace, workspace=workspace
        )
    except ValueError as err:
        if isinstance(err, ProjectError):
            raise
        raise ProjectError("tags", str(err)) from None


def remove_hosted_tag(
    workspace: Workspace, project_id: int, connection: str, table: str, column: str, tag: str
) -> None:
    """Remove one tag of a column (``NotFound`` when the column does not carry it)."""
    from app.storage.tags import TagStore

    _hosted, project = open_hosted(workspace, project_id)
    _connection(project, connection)
    with workspace.repository() as repo:
        project_key = repo.ensure_project(project.meta.name)
    with TagStore(workspace.metadata_url(), organization=workspace.organization) as store:
        removed = store.remove_tag(project_key, connection, table, column, tag.strip().lower())
    if not removed:
        raise NotFound(
            _("{table}.{column} has no tag {tag!r}").format(table=table, column=column, tag=tag)
        )


def suggest_hosted_tags(
    workspace: Workspace, project_id: int, connection: str, *, accept: bool = False
) -> list[ColumnTag]:
    """Tags suggested for every column of a connection's tables, from names and a sample of
    values (contacts the system: the project must be trusted); ``accept``: store them."""
    hosted, project = open_hosted(workspace, project_id)
    _connection(project, connection)
    _require_trust(Path(hosted.path))
    return suggest_project_tags(Path(hosted.path), connection, accept=accept, workspace=workspace)


def create_hosted_mask_key(workspace: Workspace, project_id: int, *, rotate: bool = False) -> bool:
    """``cauce tags key create|rotate``: the project's masking key, in the server's secret
    store (never returned). Returns whether a key was written (``False``: one exists and
    ``rotate`` was not asked)."""
    from app.services.masking import create_project_key

    hosted = hosted_project(workspace, project_id)
    return create_project_key(Path(hosted.path), rotate=rotate, workspace=workspace)[1]


def detokenize_hosted(
    workspace: Workspace, project_id: int, tokens: list[str], *, principal: Principal
) -> dict[str, str | None]:
    """``cauce tags detokenize`` over HTTP: the values of the project's vault tokens
    (``None``: unknown), for a caller with the ``detokenize`` scope.

    Raises:
        DetokenizeRefused: the caller lacks the scope.
    """
    from app.services.token_vault import detokenize

    hosted = hosted_project(workspace, project_id)
    return detokenize(Path(hosted.path), tokens, principal=principal, workspace=workspace)


def _json_value(value: Any) -> Any:
    """A value of a row as JSON can carry it (times as ISO text, decimals as text)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return str(value)


def preview_hosted_node(
    workspace: Workspace,
    project_id: int,
    pipeline: str,
    node: str,
    *,
    port: str | None = None,
    limit: int = 100,
    principal: Principal | None = None,
) -> PreviewRows:
    """The first ``limit`` rows at a node's output (its name or id), computed on the local
    engine as the editor's preview does; columns tagged there are ``****`` unless
    ``principal`` may unmask. The project must be trusted (its sources are read)."""
    from app.model.pipeline import GraphError
    from app.services.masking import masked_columns
    from app.services.projects import open_document
    from app.services.runs import preview_node

    hosted = hosted_project(workspace, project_id)
    doc = open_document(Path(hosted.path), workspace=workspace)
    try:
        if pipeline not in doc.project.pipelines:
            raise NotFound(_("no pipeline named {name!r}").format(name=pipeline))
        chosen = doc.project.pipelines[pipeline]
        try:
            target = chosen.node_by_name(node)
        except GraphError:
            try:
                target = chosen.node(node)
            except GraphError:
                raise NotFound(
                    _("no node {node!r} in {pipeline}").format(node=node, pipeline=pipeline)
                ) from None
        table = preview_node(doc, chosen, target.id, port=port, limit=limit, principal=principal)
    finally:
        doc.close()
    columns = [(f.name, str(f.type)) for f in table.schema]
    rows = [[_json_value(v) for v in row.values()] for row in table.to_pylist()]
    return PreviewRows(columns, rows, masked_columns(table))
