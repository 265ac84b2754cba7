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

from app.services.run_judging import StatementJudge, judge
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.model.pipeline import Pipeline
    from app.services.metadata import RunRecorder
    from app.storage.project import Project

__all__ = ["RunAnalytics", "judge"]

log = logging.getLogger(__name__)


@dataclass
class RunAnalytics(StatementJudge):
    """The analytics of one recorded run of ``pipeline`` (``explain``: keep every plan).

    Made once the run is started (:meth:`for_run` reads the nodes' history then, so that
    :meth:`wants_plan` can pick the slower statements' plans while the run's session is
    open).
    """

    workspace: Workspace = field(kw_only=True)
    project: Project = field(kw_only=True)
    pipeline: Pipeline = field(kw_only=True)

    @classmethod
    def for_run(
        cls, recorder: RunRecorder, pipeline: Pipeline, run_id: str, *, explain: bool = False
    ) -> RunAnalytics:
        rule = recorder.project.meta.notifications.alerts.rule("pipeline", pipeline.name)
        found = cls(
            rule,
            explain=explain,
            workspace=recorder.workspace,
            project=recorder.project,
            pipeline=pipeline,
        )
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
