"""Every kind of check fails when it must and passes when it must, in every engine; samples
are bounded by LIMIT and only counts and samples come back from the database."""

from __future__ import annotations

import datetime as dt

import pytest

from app.connectors.base import Connector
from app.engine.quality import run_checks
from app.engine.quality.checks import CheckSqlError, parse_predicate
from app.model.quality import CheckSpec
from tests.quality.conftest import NEWEST, Watched

#: (check, failing rows) — hand-counted on PEOPLE
CASES = [
    (dict(kind="not_null", column="email"), 1),
    (dict(kind="not_null", column="id"), 0),
    (dict(kind="unique", column="id"), 2),
    (dict(kind="unique", column="email"), 0),
    (dict(kind="accepted_values", column="status", values=["new", "done"]), 1),
    (dict(kind="accepted_values", column="status", values=["new", "done", "weird"]), 0),
    (dict(kind="range", column="amount", min=0, max=100), 1),
    (dict(kind="range", column="amount", min=-10, max=60), 0),
    (dict(kind="references", column="country", references="countries.id"), 1),
    (dict(kind="references", column="home", references="countries.id"), 0),
    (dict(kind="row_count", min=10), 1),
    (dict(kind="row_count", min=1, max=6), 0),
    (dict(kind="freshness", column="updated", max_age="1h"), 1),
    (dict(kind="freshness", column="updated", max_age="1d"), 0),
    (dict(kind="sql", predicate="amount >= 0 AND status <> 'weird'"), 2),
    (dict(kind="sql", predicate="amount < 1000"), 0),
]
REGEX = [
    (dict(kind="regex", column="email", pattern=r"^[a-z]+@[a-z]+\.com$"), 1),
    (dict(kind="regex", column="email", pattern="^[a-z@.]+$"), 0),
]
NOW = NEWEST.replace(tzinfo=dt.UTC) + dt.timedelta(hours=2)


def _run(connector: Connector, specs: list[CheckSpec], **kw: object) -> list:  # type: ignore[type-arg]
    return run_checks(
        Watched(connector), "people", connector.capabilities.dialect, specs, now=NOW, **kw
    )


def test_each_kind_fails_and_passes_as_counted_by_hand(engine: Connector) -> None:
    cases = CASES + (REGEX if engine.capabilities.dialect != "sqlite" else [])
    specs = [CheckSpec(table="people", **spec) for spec, _n in cases]  # type: ignore[arg-type]
    results = _run(engine, specs)
    assert [r.check for r in results] == specs
    for r, (spec, failing) in zip(results, cases, strict=True):
        assert r.error is None, (spec, r.error)
        assert r.failing == failing, spec
        assert r.status == ("failed" if failing else "passed"), spec
        if failing and spec["kind"] not in ("row_count", "freshness"):
            assert r.sample, spec


def test_failing_rows_are_sampled_with_limit_and_nothing_else_comes_back(
    engine: Connector,
) -> None:
    watched = Watched(engine)
    specs = [
        CheckSpec(table="people", kind="sql", predicate="amount > 1000"),  # every row fails
        CheckSpec(table="people", kind="unique", column="home"),  # every row repeats
    ]
    results = run_checks(watched, "people", engine.capabilities.dialect, specs, sample_rows=2)
    assert [r.failing for r in results] == [6, 6]
    assert [len(r.sample) for r in results] == [2, 2]
    assert max(n for _sql, n in watched.seen) <= 2
    assert all("LIMIT 2" in sql.upper() for sql, n in watched.seen if n == 2)
    assert sorted(results[0].sample[0]) == sorted(
        ["id", "email", "status", "amount", "country", "home", "updated"]
    )


def test_warn_checks_warn_and_masked_columns_are_masked(engine: Connector) -> None:
    spec = CheckSpec(table="people", kind="not_null", column="email", severity="warn")
    [result] = _run(engine, [spec], masked={"EMAIL", "id"})
    assert result.status == "warned" and result.ok
    assert result.sample[0]["email"] == result.sample[0]["id"] == "***"
    assert result.sample[0]["status"] == "done"


def test_a_broken_check_is_an_error_and_the_others_still_run(engine: Connector) -> None:
    specs = [
        CheckSpec(table="people", kind="not_null", column="nope"),
        CheckSpec(table="people", kind="not_null", column="email"),
    ]
    names = engine.table_schema("people").names
    bad, good = _run(engine, specs, columns=names)
    assert bad.status == "error" and "nope" in str(bad.error) and not bad.ok
    assert good.status == "failed" and good.failing == 1


def test_a_check_the_database_rejects_is_an_error(engine: Connector) -> None:
    specs = [
        CheckSpec(table="people", kind="references", column="id", references="nowhere.id"),
        CheckSpec(table="people", kind="range", column="amount", max=100),
    ]
    bad, good = _run(engine, specs)
    assert bad.status == "error" and bad.error
    assert good.status == "passed" and good.failing == 0


def test_sqlite_refuses_regex_checks_clearly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = CheckSpec(table="people", kind="regex", column="email", pattern="^a")
    [result] = run_checks(lambda sql: pytest.fail(sql), "people", "sqlite", [spec])
    assert result.status == "error" and "regular expressions" in str(result.error)


@pytest.mark.parametrize(
    "predicate",
    [
        "amount > 0; DROP TABLE people",
        "read_text('/etc/passwd') IS NOT NULL",
        "EXISTS (SELECT 1 FROM read_csv('/etc/passwd'))",
        "amount >",
    ],
)
def test_custom_predicates_are_parsed_and_checked_by_the_allow_list(predicate: str) -> None:
    with pytest.raises(CheckSqlError):
        parse_predicate(predicate, "duckdb")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (dict(kind="not_null"), "needs a column"),
        (dict(kind="range", column="a"), "minimum or a maximum"),
        (dict(kind="regex", column="a", pattern="("), "invalid regular expression"),
        (dict(kind="freshness", column="a", max_age="soon"), "not a duration"),
        (dict(kind="references", column="a", references="other"), "table.column"),
        (dict(kind="row_count", min=-1), "whole numbers"),
        (dict(kind="sql", column="a", predicate="x"), "tests the table"),
    ],
)
def test_invalid_declarations_say_what_is_wrong(spec: dict, problem: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=problem):
        CheckSpec(table="t", **spec)
