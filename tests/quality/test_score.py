"""The quality score against values computed by hand from the documented formulas."""

from __future__ import annotations

import datetime as dt

import pytest

from app.engine.profile.model import ColumnProfile, TableProfile
from app.engine.quality import CheckResult, score_profile
from app.engine.quality.score import WEIGHTS
from app.model.quality import CheckSpec

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _profile() -> tuple[TableProfile, list[CheckSpec], list[CheckResult]]:
    email = ColumnProfile("email", "string", "string", rows=100, nulls=10, pattern_rows=90)
    email.recognised = {"email": 81}
    amount = ColumnProfile("amount", "double", "numeric", rows=100, nulls=0)
    code = ColumnProfile("code", "string", "string", rows=100, nulls=0, pattern_rows=100)
    code.semantic_type = "integer"
    ident = ColumnProfile("id", "int64", "numeric", rows=100, nulls=0, distinct=98)
    profile = TableProfile("t", "duckdb", 100, [email, amount, code, ident], 0, [])
    unique = CheckSpec(kind="unique", table="t", column="id")
    in_range = CheckSpec(kind="range", table="t", column="amount", min=0)
    return profile, [unique, in_range], [CheckResult(in_range, "failed", rows=100, failing=5)]


def test_table_and_column_scores_match_the_hand_computed_values() -> None:
    profile, specs, results = _profile()
    s = score_profile(profile, specs, results, now=NOW)
    # weights: email .3+.3+.1, amount .3+.3, code .3+.1, id .3+.15 -> W = 2.15
    # earned: email .27+.27+.1, amount .3+.285, code .3+0, id .3+.147 -> 1.972
    assert s.score == pytest.approx(100 * 1.972 / 2.15)
    assert s.columns == pytest.approx(
        {"email": 100 * 0.64 / 0.7, "amount": 97.5, "code": 75.0, "id": 100 * 0.447 / 0.45}
    )
    assert s.dimensions["email"] == pytest.approx(
        {"completeness": 0.9, "validity": 0.9, "consistency": 1.0}
    )
    lost = {(loss.column, loss.dimension): loss.points for loss in s.losses}
    assert lost == pytest.approx(
        {
            ("code", "consistency"): 100 * 0.1 / 2.15,
            ("email", "completeness"): 100 * 0.03 / 2.15,
            ("email", "validity"): 100 * 0.03 / 2.15,
            ("amount", "validity"): 100 * 0.015 / 2.15,
            ("id", "uniqueness"): 100 * 0.003 / 2.15,
        }
    )
    assert sum(lost.values()) == pytest.approx(100 - s.score)
    assert s.losses[0].column == "code"  # the biggest loss first
    texts = {(loss.column, loss.dimension): loss.text for loss in s.losses}
    assert texts[("email", "validity")] == "10.0% of `email` fails the e-mail pattern"
    assert texts[("code", "consistency")] == "`code` holds integer values stored as text"
    assert "5.0% of `amount`" in texts[("amount", "validity")]
    assert s.weights == WEIGHTS and sum(WEIGHTS.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(("age_hours", "expected"), [(12, 1.0), (36, 0.5), (60, 0.0)])
def test_freshness_decays_past_the_limit(age_hours: int, expected: float) -> None:
    col = ColumnProfile("at", "timestamp", "temporal", rows=10, nulls=0)
    col.max = (NOW - dt.timedelta(hours=age_hours)).replace(tzinfo=None)
    fresh = CheckSpec(kind="freshness", table="t", column="at", max_age="24h")
    s = score_profile(TableProfile("t", "duckdb", 10, [col], 0, []), [fresh], now=NOW)
    assert s.dimensions["at"]["freshness"] == pytest.approx(expected)
    # completeness .3·1 + freshness .15·f over .45
    assert s.score == pytest.approx(100 * (0.3 + 0.15 * expected) / 0.45)


def test_table_checks_count_as_the_tables_validity() -> None:
    col = ColumnProfile("x", "int64", "numeric", rows=10, nulls=0)
    rows = CheckSpec(kind="row_count", table="t", min=20)
    s = score_profile(
        TableProfile("t", "duckdb", 10, [col], 0, []),
        [rows],
        [CheckResult(rows, "failed", rows=10, failing=1)],
    )
    assert s.dimensions["(table)"] == {"validity": 0.0}
    assert s.score == pytest.approx(50.0)  # (.3·1 + .3·0) / .6
    assert "10 rows" in s.losses[0].text


def test_a_perfect_table_loses_nothing() -> None:
    col = ColumnProfile("x", "int64", "numeric", rows=10, nulls=0, distinct=10)
    s = score_profile(TableProfile("t", "duckdb", 10, [col], 0, ["x"]))
    assert s.score == 100.0 and s.losses == []
