"""Query analytics of a recorded pipeline run: each node judged against its recent history,
its statement stored, plans kept when asked for or when their node ran slower.

:func:`app.services.runs._run_recorded` (the one path of every front end's runs) makes a
:class:`RunAnalytics` per run: :meth:`~RunAnalytics.judge` after the run and before its
record is finished (a slower node is published as a
:class:`~app.model.events.NodeSlowdown` event, stored with the run's events), then
:meth:`~RunAnalytics.store` once it is finished (the statements, and the ``node_slowdown``
alert). Best effort, as alerts are: a failure is logged, never the run's. Front ends read
the results through :mod:`app.services.query_analytics`.

A node is *slower* when its duration exceeds ``slowdown_factor`` times its median over the
last ``slowdown_window`` successful runs of its pipeline (at least ``slowdown_min_runs`` of
them), by at least ``slowdown_min_seconds`` (the pipeline's alert rule, ``project.json``). A
streamed read is judged on its own time reading; a destination on its stage's time; the
other nodes ran fused inside their destination's statement (their duration is the stage's)
and are not judged apart from it.
Editor runs count every node's rows and take longer: they are compared with editor runs,
other runs with the others.

>>> from app.model.alerts import AlertRule
>>> rule = AlertRule(slowdown_min_seconds=0.5)
>>> judge(3.0, [1.0, 1.2, 0.9], rule)
(1.0, True)
>>> judge(1.9, [1.0, 1.2, 0.9], rule), judge(3.0, [1.0, 1.2], rule)
((1.0, False), (1.1, False))
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.model.alerts import AlertRule
from app.model.events import EventBus, NodeSlowdown
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.engine.executor import RunReport
    from app.model.pipeline import Pipeline
    from app.storage.project import Project

__all__ = ["RunAnalytics", "judge"]

log = logging.getLogger(__name__)


def judge(
    seconds: float | None, history: Sequence[float], rule: AlertRule
) -> tuple[float | None, bool]:
    """The median of ``history`` (a node's recent durations, newest first; None without
    any) and whether ``seconds`` is slower than it by the rule."""
    window = list(history)[: rule.slowdown_window]
    if not window:
        return None, False
    median = float(statistics.median(window))
    if rule.slowdown_factor is None or seconds is None or len(window) < rule.slowdown_min_runs:
        return median, False
    slow = seconds > rule.slowdown_factor * median and seconds - median >= rule.slowdown_min_seconds
    return median, slow


@dataclass
class RunAnalytics:
    """The analytics of one recorded run of ``pipeline`` (``explain``: keep every plan)."""

    workspace: Workspace
    project: Project
    pipeline: Pipeline
    explain: bool = False
    trigger: str = "cli"
    #: node id -> (median, slow), once judged
    judged: dict[str, tuple[float | None, bool]] = field(default_factory=dict)
    slowdowns: list[NodeSlowdown] = field(default_factory=list)

    @property
    def rule(self) -> AlertRule:
        return self.project.meta.notifications.alerts.rule("pipeline", self.pipeline.name)

    def judge(self, report: RunReport, bus: EventBus) -> None:
        """Compare each node of a successful run with its history; publish the slower ones."""
        if not report.ok or not report.queries:
            return
        try:
            history = self._history(int(report.run_id))
        except Exception:  # noqa: BLE001 - analytics are best effort on the run path
            log.exception("the history of pipeline %s could not be read", self.pipeline.name)
            return
        rule = self.rule
        nodes = {n.node_id: n for n in report.nodes}
        for q in report.queries:
            node = nodes[q.node_id]
            seconds = q.seconds if q.seconds is not None else node.seconds
            past = history.get(q.node_id, [])
            median, slow = judge(seconds, past, rule)
            slow = slow and q.statement != "part"  # it ran inside its stage: that is judged
            self.judged[q.node_id] = (median, slow)
            if slow and median:
                event = NodeSlowdown(
                    report.run_id,
                    node_id=q.node_id,
                    node_name=q.node_name,
                    seconds=seconds,
                    median=round(median, 4),
                    ratio=round(seconds / median, 2),
                    runs=min(len(past), rule.slowdown_window),
                )
                self.slowdowns.append(event)
                bus.publish(event)

    def _history(self, run_id: int) -> dict[str, list[float]]:
        from app.storage.queries import QueryStore

        with self.workspace.open_store(QueryStore) as store:
            return store.node_durations(
                self.project.meta.name,
                self.pipeline.id,
                before=run_id,
                runs=self.rule.slowdown_window,
                editor=self.trigger == "gui",
            )

    def store(self, report: RunReport) -> None:
        """Store the run's statements (after its record is finished), then raise or end
        the pipeline's ``node_slowdown`` alert."""
        try:
            self._store(report)
        except Exception:  # noqa: BLE001 - analytics are best effort on the run path
            log.exception("the queries of run %s could not be stored", report.run_id)
        if report.ok and report.queries:
            from app.services.alert_checks import after_slowdowns

            after_slowdowns(
                self.workspace,
                self.project.meta.name,
                self.project.meta.notifications,
                self.pipeline.name,
                self.slowdowns,
                int(report.run_id),
            )

    def _store(self, report: RunReport) -> None:
        from app.storage.queries import QueryRecord, QueryStore

        records = []
        for q in report.queries:
            median, slow = self.judged.get(q.node_id, (None, False))
            reason = "requested" if self.explain else "slowdown" if slow else None
            records.append(
                QueryRecord(
                    node_id=q.node_id,
                    statement=q.statement,
                    runs_on=q.runs_on,
                    dialect=q.dialect,
                    sql=q.sql,
                    bytes=q.bytes,
                    own_seconds=q.seconds,
                    median_seconds=median,
                    slow=slow,
                    plan=q.plan if reason else None,
                    plan_reason=reason,
                )
            )
        with self.workspace.open_store(QueryStore) as store:
            store.record(int(report.run_id), records)
