"""Stored profiles and check results of hosted projects, as a caller may see them: the use
cases behind the REST API's ``/projects/{id}/connections/{name}/profiles/{id}``,
``/checks/suggestions`` and ``/checks/results/history`` (``docs/api.md``).

Masked by default, whoever stored the profile: the values of columns tagged as personal data
(top values, minimum and maximum, quantiles, histogram ranges) are hidden — by the one rule
the editor and the CLI use (:func:`app.services.masking.shown_profile`) — and so are the
values a drift finding quotes, unless the caller may unmask
(:func:`app.services.privacy.may_unmask`). The project's tags *now* decide: a column tagged
after its profile was stored is masked too.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.quality import CheckSpec
from app.services.hosting import open_hosted
from app.services.masking import project_tag_map, shown_profile, table_tags
from app.services.privacy import SHOWN_MASK, may_unmask
from app.services.profile_history import HistoryEntry, profile_history
from app.services.workspace import Workspace
from app.storage.errors import NotFound

if TYPE_CHECKING:
    from app.engine.profile import TableProfile
    from app.services.access import Principal

__all__ = [
    "CheckResultEntry",
    "StoredProfileView",
    "check_result_history",
    "masked_drift",
    "shown_profiles",
    "stored_profile",
    "suggest_from_profile",
]

#: drift findings that quote a value of the column
_QUOTING = frozenset({"top_share", "new_category"})


@dataclass(frozen=True)
class StoredProfileView:
    """A stored profile as the caller may see it."""

    id: int
    connection: str
    table: str
    created_at: datetime
    rows: int
    score: float | None
    run_id: int | None
    #: the score's breakdown: per column and dimension, every point lost explained
    quality: dict[str, Any]
    drift: dict[str, Any] | None
    profile: dict[str, Any]
    #: the columns whose values are hidden
    masked: list[str]


@dataclass(frozen=True)
class CheckResultEntry:
    id: int
    run_id: int | None
    sync_run_id: int | None
    connection: str
    table: str
    check: str
    kind: str
    severity: str
    status: str
    rows: int | None
    failing: int | None
    error: str | None
    created_at: datetime


def _profile_of(data: dict[str, Any]) -> TableProfile:
    """A stored profile's JSON (``TableProfile.to_dict``) as the dataclass again."""
    from app.engine.profile.model import ColumnProfile, TableProfile, ValueCount

    known = {f.name for f in fields(ColumnProfile)}
    columns = []
    for c in data.get("columns", []):
        given = {k: v for k, v in c.items() if k in known}
        given["top"] = [ValueCount(t["value"], int(t["count"])) for t in c.get("top") or []]
        given["patterns"] = [
            ValueCount(p["value"], int(p["count"])) for p in c.get("patterns") or []
        ]
        columns.append(ColumnProfile(**given))
    table_fields = {f.name for f in fields(TableProfile)} - {"columns"}
    return TableProfile(columns=columns, **{k: v for k, v in data.items() if k in table_fields})


def _tagged(workspace: Workspace, project: str, connection: str, table: str) -> set[str]:
    return set(table_tags(project_tag_map(workspace, project), connection, table))


def masked_drift(
    drift: dict[str, Any] | None, tagged: set[str], principal: Principal | None
) -> dict[str, Any] | None:
    """``drift`` (``DriftReport.to_dict``) with the values its findings quote for ``tagged``
    columns (lower-cased names) replaced by ``****``, unless the caller may unmask."""
    if not drift or not tagged or may_unmask(principal):
        return drift
    out = copy.deepcopy(drift)
    for finding in out.get("findings", []):
        if str(finding.get("column", "")).lower() in tagged and finding.get("metric") in _QUOTING:
            value = str(finding.get("detail", ""))
            finding["text"] = str(finding.get("text", "")).replace(repr(value), repr(SHOWN_MASK))
            finding["detail"] = SHOWN_MASK
    return out


def shown_profiles(
    workspace: Workspace,
    project_name: str,
    connection: str,
    table: str,
    entries: list[HistoryEntry],
    principal: Principal | None,
) -> list[HistoryEntry]:
    """``entries`` (a table's stored profiles) with their drift masked for the caller."""
    tagged = _tagged(workspace, project_name, connection, table)
    return [
        HistoryEntry(
            e.id, e.created_at, e.rows, e.score, e.run_id, masked_drift(e.drift, tagged, principal)
        )
        for e in entries
    ]


def stored_profile(
    workspace: Workspace,
    project_id: int,
    connection: str,
    profile_id: int,
    *,
    principal: Principal | None,
) -> StoredProfileView:
    """One stored profile of a table of the hosted project's ``connection``, masked for the
    caller (``NotFound`` for one of another connection, project or organization)."""
    from app.storage.quality import QualityStore

    _hosted, project = open_hosted(workspace, project_id)
    if connection not in project.connections:
        raise NotFound(_("no connection named {name!r}").format(name=connection))
    with workspace.repository() as repo:
        known = [p.id for p in repo.list_projects() if p.name == project.meta.name]
    if not known:  # never recorded: nothing stored either
        raise NotFound(_("no stored profile {id}").format(id=profile_id))
    with workspace.open_store(QualityStore) as store:
        found = store.profile(known[0], profile_id)
    if found.connection != connection:
        raise NotFound(_("no stored profile {id}").format(id=profile_id))
    tagged = _tagged(workspace, project.meta.name, connection, found.table)
    shown = shown_profile(_profile_of(found.profile), tagged, principal=principal)
    hidden = not may_unmask(principal)
    masked = [c.name for c in shown.columns if hidden and c.name.lower() in tagged]
    data = shown.to_dict()
    return StoredProfileView(
        found.id,
        found.connection,
        found.table,
        found.created_at,
        found.rows,
        found.score,
        found.run_id,
        dict(found.quality.get("score") or {}),
        masked_drift(found.quality.get("drift"), tagged, principal),
        data,
        masked,
    )


def suggest_from_profile(
    workspace: Workspace,
    project_id: int,
    connection: str,
    table: str,
    *,
    profile_id: int | None = None,
    principal: Principal | None = None,
) -> tuple[int, list[CheckSpec]]:
    """The checks a stored profile of ``table`` suggests (the latest, or ``profile_id``),
    from the profile as the caller may see it: a masked column's values suggest nothing.
    Nothing is declared; nothing is contacted. Returns the profile's id and the checks."""
    from app.engine.quality import suggest_checks

    _hosted, project = open_hosted(workspace, project_id)
    if connection not in project.connections:
        raise NotFound(_("no connection named {name!r}").format(name=connection))
    if profile_id is None:
        latest = profile_history(project.meta.name, connection, table, workspace=workspace, limit=1)
        if not latest:
            raise NotFound(_("no stored profile of {table}: profile it first").format(table=table))
        profile_id = latest[0].id
    view = stored_profile(workspace, project_id, connection, profile_id, principal=principal)
    if view.table != table:
        raise NotFound(_("no stored profile {id} of {table}").format(id=profile_id, table=table))
    shown = _profile_of(view.profile)
    for c in shown.columns:  # a masked column's "****" values are no evidence of anything
        if c.name in view.masked:
            c.top, c.min, c.max = [], None, None
    return profile_id, suggest_checks(shown, table, connection)


def check_result_history(
    workspace: Workspace,
    project_id: int,
    *,
    table: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[CheckResultEntry]:
    """Every stored check result of the hosted project (runs and on-demand checks), newest
    first (``before``: results of a smaller id)."""
    from app.storage.quality import QualityStore

    _hosted, project = open_hosted(workspace, project_id)
    with workspace.repository() as repo:
        known = {p.name: p.id for p in repo.list_projects()}
    if project.meta.name not in known:
        return []
    with workspace.open_store(QualityStore) as store:
        found = store.check_results(
            known[project.meta.name], table=table, before=before, limit=limit
        )
    return [
        CheckResultEntry(
            r.id,
            r.run_id,
            r.sync_run_id,
            r.connection,
            r.table,
            r.check,
            r.kind,
            r.severity,
            r.status,
            r.rows,
            r.failing,
            r.error,
            r.created_at,
        )
        for r in found
    ]
