"""Query analytics, read-only: which statements of a project's pipelines are slowest, how each
node's duration moves across runs, and the plan of a run's node as a tree.

Every recorded run stores its nodes' statements (:mod:`app.services.query_recording`): the
SQL, where it ran (the local engine or a connection), bytes, whether the node was slower than
its recent history, and its plan when the run asked for plans (``--explain``, the editor's
Run > Keep query plans) or the node was slower. The CLI (``cauce queries``), the editor's
Query analytics window and the API read them here. See ``docs/query-analytics.md``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.engine.plan_tree import COSTLY_SHARE, FORMATS, PlanError, PlanNode, parse_plan
from app.i18n import _
from app.services.workspace import Workspace, workspace_of

if TYPE_CHECKING:
    from app.storage.queries import QueryStore, StatementRun

__all__ = [
    "COSTLY_SHARE",
    "NodeTrend",
    "PlanNode",
    "PlanView",
    "SlowQuery",
    "TrendPoint",
    "node_trend",
    "pipeline_trends",
    "project_name",
    "query_plan",
    "slowest_queries",
]

#: statements that ran on their own (a ``part`` ran fused inside one of them)
_STATEMENTS = ("stage", "read")


@dataclass(frozen=True)
class SlowQuery:
    """One statement of a pipeline (a node's) over its recent runs; the figures of its
    latest run, and its median over the runs looked at."""

    pipeline: str
    node_id: str
    node: str
    #: ``stage`` (a destination's whole query) or ``read`` (a source read in its database)
    statement: str
    runs_on: str
    dialect: str
    run_id: int
    started_at: datetime | None
    seconds: float | None
    rows: int | None
    bytes: int | None
    #: its recent median: what its latest run was judged against (the median of the
    #: successful runs before it), else the median of the earlier runs looked at
    median_seconds: float | None
    max_seconds: float | None
    runs: int
    #: its latest run was slower than its history
    slow: bool
    #: how many of those runs were slower than their history
    slowdowns: int
    #: the latest run whose plan was kept, if any
    plan_run_id: int | None
    sql: str

    def to_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        return data


@dataclass(frozen=True)
class TrendPoint:
    """A node in one run."""

    run_id: int
    started_at: datetime | None
    seconds: float | None
    rows: int | None
    status: str
    slow: bool
    median_seconds: float | None
    has_plan: bool

    def to_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        return data


@dataclass(frozen=True)
class NodeTrend:
    """A node of a pipeline across its recorded runs, oldest first."""

    pipeline: str
    node_id: str
    node: str
    statement: str
    runs_on: str
    points: list[TrendPoint] = field(default_factory=list)

    @property
    def slowdowns(self) -> int:
        return sum(1 for p in self.points if p.slow)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "node_id": self.node_id,
            "node": self.node,
            "statement": self.statement,
            "runs_on": self.runs_on,
            "points": [p.to_dict() for p in self.points],
        }


@dataclass(frozen=True)
class PlanView:
    """A node's statement in one run and its plan as a tree (``root``; None when no plan was
    kept for it: ``reason`` then says why not)."""

    run_id: int
    pipeline: str
    node_id: str
    node: str
    statement: str
    runs_on: str
    dialect: str
    seconds: float | None
    rows: int | None
    slow: bool
    median_seconds: float | None
    sql: str
    #: why the plan was kept (``requested``, ``slowdown``), or why there is none
    reason: str
    root: PlanNode | None = None

    @property
    def costly(self) -> list[PlanNode]:
        """The costly operators, costliest first."""
        if self.root is None:
            return []
        return sorted((n for n in self.root.walk() if n.costly), key=lambda n: -n.share)

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "root"}
        data["plan"] = self.root.to_dict() if self.root else None
        return data


def _store(workspace: Workspace | None) -> QueryStore:
    from app.storage.queries import QueryStore

    return workspace_of(workspace).open_store(QueryStore)


def project_name(path: Path) -> str:
    """The name a project directory or bundle records its runs under."""
    from app.storage.project import load_project

    with load_project(path) as opened:
        return opened.project.meta.name


def slowest_queries(
    project: str,
    *,
    limit: int = 10,
    pipeline: str | None = None,
    runs: int = 200,
    workspace: Workspace | None = None,
) -> list[SlowQuery]:
    """The ``limit`` slowest statements of ``project``'s last ``runs`` pipeline runs (of one
    ``pipeline``), by the duration of their latest run, slowest first."""
    if limit < 1 or runs < 1:
        raise ValueError(_("--slowest and the number of runs must be at least 1"))
    with _store(workspace) as store:
        found = store.statements(project, pipeline=pipeline, statements=_STATEMENTS, runs=runs)
        groups: dict[tuple[str, str], list[StatementRun]] = {}
        for s in found:  # newest run first
            groups.setdefault((s.pipeline, s.node_id), []).append(s)
        latest = sorted(
            (g for g in groups.values()),
            key=lambda g: (g[0].seconds is None, -(g[0].seconds or 0.0), g[0].node_name),
        )[:limit]
        texts = store.sql_texts([g[0].sql_hash for g in latest])
    out = []
    for g in latest:
        last = g[0]
        durations = [s.seconds for s in g if s.seconds is not None]
        earlier = [s.seconds for s in g[1:] if s.seconds is not None]
        median = last.median_seconds
        if median is None and earlier:
            median = statistics.median(earlier)
        planned = next((s.run_id for s in g if s.has_plan), None)
        out.append(
            SlowQuery(
                pipeline=last.pipeline,
                node_id=last.node_id,
                node=last.node_name,
                statement=last.statement,
                runs_on=last.runs_on,
                dialect=last.dialect,
                run_id=last.run_id,
                started_at=last.started_at,
                seconds=last.seconds,
                rows=last.rows,
                bytes=last.bytes,
                median_seconds=median,
                max_seconds=max(durations) if durations else None,
                runs=len(g),
                slow=last.slow,
                slowdowns=sum(1 for s in g if s.slow),
                plan_run_id=planned,
                sql=texts.get(last.sql_hash, ""),
            )
        )
    return out


def pipeline_trends(
    project: str, pipeline: str, *, runs: int = 50, workspace: Workspace | None = None
) -> list[NodeTrend]:
    """Every node of ``pipeline`` across its last ``runs`` recorded runs, in the order of its
    latest run's statements."""
    with _store(workspace) as store:
        found = store.statements(project, pipeline=pipeline, runs=runs)
    by_node: dict[str, list[StatementRun]] = {}
    for s in found:
        by_node.setdefault(s.node_id, []).append(s)
    trends = []
    for node_id, group in by_node.items():
        last = group[0]
        points = [
            TrendPoint(
                run_id=s.run_id,
                started_at=s.started_at,
                seconds=s.seconds,
                rows=s.rows,
                status=s.status,
                slow=s.slow,
                median_seconds=s.median_seconds,
                has_plan=s.has_plan,
            )
            for s in reversed(group)
        ]
        trends.append(
            NodeTrend(pipeline, node_id, last.node_name, last.statement, last.runs_on, points)
        )
    return trends


def node_trend(
    project: str,
    pipeline: str,
    node: str,
    *,
    runs: int = 50,
    workspace: Workspace | None = None,
) -> NodeTrend:
    """One node (its id, or its name in the latest run) of ``pipeline`` across its last
    ``runs`` runs. Raises ``ValueError`` naming the nodes there are when none matches."""
    trends = pipeline_trends(project, pipeline, runs=runs, workspace=workspace)
    for t in trends:
        if node in (t.node_id, t.node):
            return t
    if not trends:
        raise ValueError(
            _("no recorded statements of pipeline {pipeline!r} in project {project!r}").format(
                pipeline=pipeline, project=project
            )
        )
    raise ValueError(
        _("no node {node!r} in the recorded runs of {pipeline!r} (nodes: {nodes})").format(
            node=node, pipeline=pipeline, nodes=", ".join(t.node for t in trends)
        )
    )


def query_plan(
    project: str, run_id: int, node: str, *, workspace: Workspace | None = None
) -> PlanView:
    """The statement of ``node`` (its id or name) in run ``run_id`` and its plan as a tree.
    Raises ``ValueError`` when that run has no such node in ``project``."""
    with _store(workspace) as store:
        found = store.statement(project, run_id, node)
    if found is None:
        raise ValueError(
            _("run {run} of project {project!r} has no recorded statement of node {node!r}").format(
                run=run_id, project=project, node=node
            )
        )
    s, sql, plan, reason = found
    root = None
    if plan is None:
        if s.statement == "part":
            why = _("a part of its destination's statement: it has no plan of its own")
        elif s.dialect not in FORMATS:
            why = _("Cauce reads no plans of {dialect} statements").format(dialect=s.dialect)
        else:
            why = _("no plan was kept: run with --explain, or it was not slower than usual")
    else:
        why = reason or ""
        try:
            root = parse_plan(str(plan.get("format")), plan.get("plan"))
        except PlanError as err:
            why = _("the stored plan cannot be read: {error}").format(error=err)
    return PlanView(
        run_id=s.run_id,
        pipeline=s.pipeline,
        node_id=s.node_id,
        node=s.node_name,
        statement=s.statement,
        runs_on=s.runs_on,
        dialect=s.dialect,
        seconds=s.seconds,
        rows=s.rows,
        slow=s.slow,
        median_seconds=s.median_seconds,
        sql=sql,
        reason=why,
        root=root,
    )
