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
from collections.abc import Sequence
from typing import Protocol

__all__ = ["SlowdownRule", "anomalous", "judge"]


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
