"""Data quality: declared checks run in the database holding the table, scores, drift.

``checks`` compiles each check (:class:`app.model.quality.CheckSpec`) to sqlglot trees in the
table's dialect (what differs between dialects is the :data:`checks.DIALECTS` table);
``runner`` runs them through a function that runs SQL and reports each result with a bounded
sample of failing rows; ``score`` turns a profile and check results into a 0–100 score with
every point lost explained; ``drift`` compares two stored profiles; ``suggest`` proposes
checks from a profile.

To support a new dialect, add a :class:`checks.QualityTraits` row to ``checks.DIALECTS``
(the profile's ``DIALECTS`` must have it too: the table reference comes from there). To add a
kind of check, add it to :data:`app.model.quality.CHECK_KINDS` and give it a failing-row
predicate in :func:`checks.failing_predicate` (or a query of its own in ``runner``).
"""

from __future__ import annotations

__all__ = [
    "CheckResult",
    "CheckSqlError",
    "DriftReport",
    "QualityScore",
    "compare_profiles",
    "run_checks",
    "score_profile",
    "suggest_checks",
]

from app.engine.quality.checks import CheckSqlError
from app.engine.quality.drift import DriftReport, compare_profiles
from app.engine.quality.runner import CheckResult, run_checks
from app.engine.quality.score import QualityScore, score_profile
from app.engine.quality.suggest import suggest_checks
