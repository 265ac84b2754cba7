"""The engine's statements of a run (``RunReport.queries``): plans are made only for the
statements the run wants, once they ran, never counted in their durations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine.executor import run_pipeline
from app.engine.statements import QueryReport
from app.services.connections import project_provider
from app.storage.project import load_project


@pytest.fixture
def revenue(chinook: Path) -> Iterator[tuple]:
    with load_project(chinook) as opened:
        project = opened.project
        with project_provider(
            project.connections,
            project_dir=opened.root,
            secrets=lambda *_a, **_k: None,
            variables=project.meta.variables,
        ) as provider:
            yield project.pipelines["revenue"], provider


def test_no_plan_is_made_unless_wanted(revenue: tuple) -> None:
    pipeline, provider = revenue
    report = run_pipeline(pipeline, provider)
    assert report.ok and len(report.queries) == len(pipeline.nodes)
    assert all(q.plan is None and q.plan_error is None for q in report.queries)
    kinds = {q.node_name: q.statement for q in report.queries}
    assert kinds["mart"] == "stage" and kinds["tracks"] == "read" and kinds["amounts"] == "part"
    assert all((q.seconds is None) == (q.statement == "part") for q in report.queries)
    assert "queries" not in report.to_dict()  # the JSON report keeps its shape


def test_a_predicate_picks_the_statements_explained_after_they_ran(revenue: tuple) -> None:
    pipeline, provider = revenue
    asked: list[QueryReport] = []

    def want(q: QueryReport) -> bool:
        asked.append(q)
        assert q.seconds is not None  # it ran: its duration is known
        return q.statement == "stage"

    report = run_pipeline(pipeline, provider, plans=want)
    assert report.ok
    assert sorted(q.node_name for q in asked) == [
        "genres",
        "invoice_lines",
        "invoices",
        "mart",
        "tracks",
    ]
    planned = {q.node_name: q.plan for q in report.queries if q.plan is not None}
    assert list(planned) == ["mart"] and planned["mart"]["format"] == "duckdb"
    # the streams were read once: DuckDB planned the query over empty stand-ins of them
    assert '"PYTHON_ARROW_SCAN"' in str(planned["mart"]["plan"]).replace("'", '"')
    mart = next(q for q in report.queries if q.node_name == "mart")
    assert mart.seconds is not None and mart.seconds <= report.node("mart").seconds
