"""The arithmetic that judges a run against its recent history: a statement slower than its
node's median (:mod:`app.services.query_recording`), a row count outside the usual range
(:mod:`app.services.alert_rules`). Plain functions over numbers and a rule's settings, light
on purpose: a replayed run (:mod:`app.services.replay_runs`) judges itself with them.

>>> from types import SimpleNamespace
>>> rule = SimpleNamespace(
...     slowdown_window=10, slowdown_factor=2.0, slowdown_min_runs=3, slowdown_min_seconds=0.5
... )
>>> judge(3.0, [1.0, 1.2, 0.9], rule)
(1.0, True)
>>> judge(1.9, [1.0, 1.2, 0.9], rule), judge(3.0, [1.0, 1.2], rule)
((1.0, False), (1.1, False))
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from app.engine.run_state import PART, QueryReport
from app.model.events import EventBus, NodeSlowdown

if TYPE_CHECKING:
    from app.engine.run_state import RunReport
    from app.storage.query_records import QueryRecord

__all__ = [
    "AlertLimits",
    "SlowdownRule",
    "StatementJudge",
    "anomalous",
    "judge",
    "success_moves_alerts",
]


class SlowdownRule(Protocol):
    """The settings of an alert rule (``app.model.alerts.AlertRule``) :func:`judge` reads."""

    @property
    def slowdown_window(self) -> int: ...

    @property
    def slowdown_factor(self) -> float | None: ...

    @property
    def slowdown_min_runs(self) -> int: ...

    @property
    def slowdown_min_seconds(self) -> float: ...


class AlertLimits(Protocol):
    """The settings of an alert rule :func:`success_moves_alerts` reads."""

    @property
    def max_seconds(self) -> float | None: ...

    @property
    def anomaly_k(self) -> float | None: ...

    @property
    def anomaly_min_runs(self) -> int: ...


def success_moves_alerts(
    rule: AlertLimits,
    *,
    open_alerts: int,
    seconds: float,
    rows: int | None,
    history: Callable[[], Sequence[int]],
) -> bool:
    """Whether the alert rules raise or end an alert after a *successful* run of a pipeline
    or a sync: an alert of its subject is open (a streak the run ends: failed, too long,
    unusual rows), it took longer than ``max_seconds``, or ``rows`` lies outside the usual
    range of ``history()`` (the last successful runs' rows, newest first; read only when
    needed). False: the alerts after it have nothing to do, and a lean run path (a replayed
    run, a sync recorded without the ORM) need not load them.

    >>> from types import SimpleNamespace
    >>> rule = SimpleNamespace(max_seconds=None, anomaly_k=5.0, anomaly_min_runs=3)
    >>> usual = lambda: [98, 101, 100, 99]
    >>> success_moves_alerts(rule, open_alerts=0, seconds=1.0, rows=100, history=usual)
    False
    >>> success_moves_alerts(rule, open_alerts=0, seconds=1.0, rows=10, history=usual)
    True
    >>> success_moves_alerts(rule, open_alerts=1, seconds=1.0, rows=100, history=usual)
    True
    """
    if open_alerts:
        return True
    if rule.max_seconds is not None and seconds > rule.max_seconds:
        return True
    if rows is None or rule.anomaly_k is None:
        return False
    past = history()
    return len(past) >= rule.anomaly_min_runs and anomalous(rows, past, rule.anomaly_k)[0]


def judge(
    seconds: float | None, history: Sequence[float], rule: SlowdownRule
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


def anomalous(value: int, history: Sequence[int], k: float) -> tuple[bool, float, float]:
    """Whether ``value`` lies outside ``median ± k · scale`` of ``history``; returns it with
    the median and the scale (``1.4826 · MAD``, at least 1 % of the median and at least 1).

    >>> anomalous(100, [98, 101, 100, 99, 102], 5)[0]
    False
    >>> anomalous(10, [98, 101, 100, 99, 102], 5)[0]
    True
    """
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    scale = max(1.4826 * mad, 0.01 * abs(median), 1.0)
    return abs(value - median) > k * scale, float(median), scale


@dataclass
class StatementJudge:
    """A run's statements judged against their nodes' recent durations (``history``: node
    id -> durations, newest first) by ``rule``; ``explain``: keep every plan. See
    :mod:`app.services.query_recording` for what is stored."""

    rule: SlowdownRule
    explain: bool = False
    #: node id -> its recent durations, newest first
    history: dict[str, list[float]] = field(default_factory=dict)
    #: node id -> (median, slow), once judged
    judged: dict[str, tuple[float | None, bool]] = field(default_factory=dict)

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
        from app.storage.query_records import QueryRecord

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
