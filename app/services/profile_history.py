"""Quality scores, stored profiles and drift: ``cauce profile --score``, ``--store``,
``--history``.

A stored profile is kept with its score and its drift from the table's previous stored
profile, in one transaction (:class:`app.storage.quality.QualityStore`); when it drifted, a
:class:`app.model.events.ProfileDriftDetected` event is stored in the same transaction and
published (the alerting issue turns it into an alert).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.model.events import Event, ProfileDriftDetected
from app.model.quality import CheckSpec

if TYPE_CHECKING:
    from app.engine.profile import TableProfile
    from app.engine.quality import CheckResult, DriftReport, QualityScore
    from app.services.workspace import Workspace

__all__ = [
    "HistoryEntry",
    "StoredProfile",
    "latest_results",
    "profile_history",
    "project_name_and_checks",
    "score_and_store",
    "score_table",
    "store_profile",
]


@dataclass
class StoredProfile:
    """What :func:`store_profile` stored: its id, the score, the drift (None: first one)."""

    id: int
    score: QualityScore
    drift: DriftReport | None


@dataclass
class HistoryEntry:
    id: int
    created_at: str
    rows: int
    score: float | None
    run_id: int | None
    drift: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def score_table(
    profile: TableProfile,
    checks: Sequence[CheckSpec] = (),
    results: Sequence[CheckResult] = (),
) -> QualityScore:
    """The 0–100 score of a profiled table, with the declared ``checks`` of that table and
    (optionally) their ``results``; every point lost is explained."""
    from app.engine.quality import score_profile

    return score_profile(profile, checks, results)


def store_profile(
    project: str,
    connection: str,
    profile: TableProfile,
    *,
    table: str | None = None,
    checks: Sequence[CheckSpec] = (),
    results: Sequence[CheckResult] = (),
    workspace: Workspace | None = None,
    run_id: int | None = None,
    publish: Callable[[Event], None] | None = None,
) -> StoredProfile:
    """Store ``profile`` of a table of ``connection`` in ``project``, with its score and its
    drift from the previous stored profile of the same table (``table``: the name it is
    stored under, by default the profile's): one transaction."""
    from app.engine.quality import compare_profiles
    from app.services.workspace import workspace_of
    from app.storage.quality import QualityStore

    ws = workspace_of(workspace)
    table = table or profile.table
    score = score_table(profile, checks, results)
    data = _json(profile.to_dict())
    with ws.repository() as repo:
        project_id = repo.ensure_project(project)
    with QualityStore(ws.db_url, organization=ws.organization) as store:
        previous = store.profiles(project_id, connection, table, limit=1)
        drift = compare_profiles(previous[0].profile, data) if previous else None
        event = None
        if drift is not None and drift.drifted:
            event = ProfileDriftDetected(
                str(run_id or ""),
                project=project,
                connection=connection,
                table=table,
                findings=tuple(_json(drift.to_dict())["findings"]),
            )
        record = store.store_profile(
            project_id,
            connection,
            table,
            data,
            _json({"score": score.to_dict(), "drift": drift.to_dict() if drift else None}),
            score=score.score,
            run_id=run_id,
            event=None
            if event is None
            else (
                event.kind,
                {k: v for k, v in _json(event.to_dict()).items() if k not in ("kind", "run_id")},
            ),
        )
    if event is not None and publish is not None:
        publish(event)
    return StoredProfile(record.id, score, drift)


def profile_history(
    project: str,
    connection: str,
    table: str,
    *,
    workspace: Workspace | None = None,
    limit: int = 20,
) -> list[HistoryEntry]:
    """The table's stored profiles, newest first, each with its score and drift."""
    from app.services.workspace import workspace_of
    from app.storage.quality import QualityStore

    ws = workspace_of(workspace)
    with ws.repository() as repo:
        known = {p.name: p.id for p in repo.list_projects()}
    if project not in known:
        return []
    with QualityStore(ws.db_url, organization=ws.organization) as store:
        found = store.profiles(known[project], connection, table, limit=limit)
    return [
        HistoryEntry(
            r.id,
            r.created_at.isoformat(),
            r.rows,
            r.score,
            r.run_id,
            r.quality.get("drift"),
        )
        for r in found
    ]


def project_name_and_checks(project: Path | None, table: str) -> tuple[str, list[CheckSpec]]:
    """The name profiles of ``project`` are stored under (``adhoc`` without a project) and
    the checks it declares on ``table``."""
    from app.services.profiling import ADHOC_PROJECT
    from app.services.quality import list_checks
    from app.storage.project import load_project

    if project is None:
        return ADHOC_PROJECT, []
    with load_project(project) as opened:
        name = opened.project.meta.name
    return name, list_checks(project, table)


def latest_results(
    project: str, checks: Sequence[CheckSpec], *, workspace: Workspace | None = None
) -> list[CheckResult]:
    """The latest stored result of each of ``checks`` (from a run or ``cauce checks run``)."""
    from app.engine.quality import CheckResult
    from app.services.workspace import workspace_of
    from app.storage.quality import QualityStore

    if not checks:
        return []
    ws = workspace_of(workspace)
    with ws.repository() as repo:
        known = {p.name: p.id for p in repo.list_projects()}
    if project not in known:
        return []
    out: list[CheckResult] = []
    with QualityStore(ws.db_url, organization=ws.organization) as store:
        for r in store.check_results(known[project], limit=1000):  # newest first
            try:
                found = CheckSpec.model_validate(r.detail.get("check_spec"))
            except ValueError:
                continue
            unbound = found.model_copy(update={"connection": None})
            spec = next((c for c in checks if c in (found, unbound)), None)
            if spec is not None and all(o.check != spec for o in out):
                out.append(CheckResult(spec, r.status, r.rows, r.failing))
    return out


def score_and_store(
    profile: TableProfile,
    *,
    project: Path | None,
    connection: str,
    table: str,
    store: bool,
    workspace: Workspace | None = None,
    publish: Callable[[Event], None] | None = None,
) -> tuple[QualityScore, StoredProfile | None]:
    """``cauce profile --score/--store``: the profile's score (with the checks ``project``
    declares on ``table``) and, with ``store``, the stored profile and its drift."""
    name, checks = project_name_and_checks(project, table)
    results = latest_results(name, checks, workspace=workspace)
    if not store:
        return score_table(profile, checks, results), None
    stored = store_profile(
        name,
        connection,
        profile,
        table=table,
        checks=checks,
        results=results,
        workspace=workspace,
        publish=publish,
    )
    return stored.score, stored
