"""Query analytics of a recorded pipeline run: each statement judged against its node's recent
history, stored with the run, plans kept when asked for or when their statement ran slower.

:func:`app.services.runs._run_recorded` (the one path of every front end's runs) makes a
:class:`RunAnalytics` per run once the run is started (:meth:`~RunAnalytics.for_run` reads the
nodes' history then); the engine asks :meth:`~RunAnalytics.wants_plan` which statements to
explain once they ran; :meth:`~RunAnalytics.judge` publishes a slower statement as a
:class:`~app.model.events.NodeSlowdown` event (stored with the run's events), the recorder
stores :meth:`~RunAnalytics.statements` with the run's final status (one transaction) and
raises or ends the ``node_slowdown`` alert with the run's other alerts. Best effort, as alerts
are: a failure is logged, never the run's. Front ends read the results through
:mod:`app.services.query_analytics`.

A node is *slower* when its duration exceeds ``slowdown_factor`` times its median over the
last ``slowdown_window`` successful runs of its pipeline (at least ``slowdown_min_runs`` of
them), by at least ``slowdown_min_seconds`` (the pipeline's alert rule, ``project.json``). A
streamed read is judged on its own time reading; a destination on its stage's time; the
other nodes ran fused inside their destination's statement (their duration is the stage's)
and are not judged apart from it. Editor runs count every node's rows and take longer: they
are compared with editor runs, other runs with the others.

>>> from app.model.alerts import AlertRule
>>> rule = AlertRule(slowdown_min_seconds=0.5)
>>> judge(3.0, [1.0, 1.2, 0.9], rule)
(1.0, True)
>>> judge(1.9, [1.0, 1.2, 0.9], rule), judge(3.0, [1.0, 1.2], rule)
((1.0, False), (1.1, False))
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.engine.statements import PART, QueryReport
from app.model.alerts import AlertRule
from app.model.events import EventBus, NodeSlowdown
from app.services.run_judging import judge
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.engine.executor import RunReport
    from app.model.pipeline import Pipeline
    from app.services.metadata import RunRecorder
    from app.storage.project import Project
    from app.storage.queries import QueryRecord

__all__ = ["RunAnalytics", "judge"]

log = logging.getLogger(__name__)


@dataclass
class RunAnalytics:
    """The analytics of one recorded run of ``pipeline`` (``explain``: keep every plan).

    Made once the run is started (:meth:`for_run` reads the nodes' history then, so that
    :meth:`wants_plan` can pick the slower statements' plans while the run's session is
    open).
    """

    workspace: Workspace
    project: Project
    pipeline: Pipeline
    explain: bool = False
    #: node id -> its recent durations, newest first
    history: dict[str, list[float]] = field(default_factory=dict)
    #: node id -> (median, slow), once judged
    judged: dict[str, tuple[float | None, bool]] = field(default_factory=dict)

    @classmethod
    def for_run(
        cls, recorder: RunRecorder, pipeline: Pipeline, run_id: str, *, explain: bool = False
    ) -> RunAnalytics:
        found = cls(recorder.workspace, recorder.project, pipeline, explain)
        try:
            found.history = recorder.repo.node_durations(
                recorder.project.meta.name,
                pipeline.id,
                before=int(run_id),
                runs=found.rule.slowdown_window,
                editor=recorder.trigger == "gui",
            )
        except Exception:  # noqa: BLE001 - analytics are best effort on the run path
            log.exception("the history of pipeline %s could not be read", pipeline.name)
        return found

    @property
    def rule(self) -> AlertRule:
        return self.project.meta.notifications.alerts.rule("pipeline", self.pipeline.name)

    def _judge(self, q: QueryReport) -> tuple[float | None, bool]:
        median, slow = judge(q.seconds, self.history.get(q.node_id, []), self.rule)
        return median, slow and q.statement != PART  # a part ran inside its judged stage

    def wants_plan(self, q: QueryReport) -> bool:
        """Whether the engine should explain ``q``, a statement that just ran: every one
        when the run asked for plans, else the slower ones."""
        return self.explain or self._judge(q)[1]

    def judge(self, report: RunReport, bus: EventBus) -> None:
        """Compare each statement of a successful run with its node's history; publish the
        slower ones (a part is not judged: it ran inside its stage, which is)."""
        if not report.ok:
            return
        seconds_of = {n.node_id: n.seconds for n in report.nodes}
        for q in report.queries:
            past = self.history.get(q.node_id, [])
            seconds = q.seconds if q.seconds is not None else seconds_of.get(q.node_id)
            median, slow = judge(seconds, past, self.rule)
            slow = slow and q.statement != PART
            self.judged[q.node_id] = (median, slow)
            if slow and median and seconds is not None:
                event = NodeSlowdown(
                    report.run_id,
                    node_id=q.node_id,
                    node_name=q.node_name,
                    seconds=seconds,
                    median=round(median, 4),
                    ratio=round(seconds / median, 2),
                    runs=min(len(past), self.rule.slowdown_window),
                )
                bus.publish(event)

    def statements(self, report: RunReport) -> list[QueryRecord]:
        """The run's statements as the recorder stores them with its final status (plans
        only where kept: asked for, or the statement was slower)."""
        from app.storage.queries import QueryRecord

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
        return records
