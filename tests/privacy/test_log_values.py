"""Values of tagged columns stay out of run errors, events and logs: a PostgreSQL sync of
Chinook's customers fails on a row holding the canary e-mail, and the database's error
(which quotes the row) is recorded, shown and logged with the value masked."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.model.events import Event
from app.services.log_redaction import install_log_redaction
from app.services.syncs import run_sync
from app.services.workspace import Workspace
from app.storage.value_redaction import RedactValues, value_redactor
from tests.privacy.test_runs_masked import CANARY
from tests.privacy.test_sync_masks import _sync
from tests.retention.conftest import pg_exec


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            'new row violates check constraint "c"\nDETAIL:  Failing row contains (1, Luís, '
            f"{CANARY}, 3).",
            'new row violates check constraint "c"\nDETAIL:  Failing row contains (****).',
        ),
        (
            f"Key (email)=({CANARY}) already exists.",
            "Key (email)=(****) already exists.",
        ),
        ("Key (customer_id)=(7) already exists.", "Key (customer_id)=(7) already exists."),
        (
            f'CONTEXT:  COPY customer_copy, line 1, column email: "{CANARY}"',
            'CONTEXT:  COPY customer_copy, line 1, column email: "****"',
        ),
        (f"Duplicate entry '{CANARY}' for key 'x'", "Duplicate entry '****' for key 'x'"),
        (f'Duplicate key "email: {CANARY}" violates', 'Duplicate key "****" violates'),
        (f"the value {CANARY}, seen", "the value ****, seen"),
    ],
)
def test_error_texts_quoting_tagged_values_are_masked(message: str, expected: str) -> None:
    redactor = RedactValues()
    with redactor.scope(["Email"]) as scope:
        scope.observe([CANARY, "SP", None])
        assert redactor.mask(message) == expected
    assert redactor.mask(message) == message  # only while a run is under way


def test_short_values_and_the_limit() -> None:
    redactor = RedactValues()
    with redactor.scope(["state"], limit=2) as scope:
        scope.observe(["SP", "abcd", "efgh", "ijkl"])
        assert scope.count == 2
        assert redactor.mask("SP abcd efgh ijkl") == "SP **** **** ijkl"


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.DEBUG)
    install_log_redaction()
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def test_a_failing_sync_never_records_shows_or_logs_the_canary(
    pg_project: Path,
    ws: Workspace,
    chinook_pg: dict[str, Any],
    tmp_path: Path,
    logged: io.StringIO,
) -> None:
    pg_exec(
        chinook_pg,
        "CREATE TABLE customer_copy (LIKE customer INCLUDING ALL)",
        "ALTER TABLE customer_copy ADD CONSTRAINT no_canary CHECK (strpos(email, 'embraer') = 0)",
    )
    _sync(pg_project, [], mode="merge", primary_key=["customer_id"])
    events: list[Event] = []
    report = run_sync(pg_project, "customers", workspace=ws, on_event=events.append, retries=0)
    assert not report.ok
    error = report.destinations[0].error or ""
    assert "Failing row contains (****)" in error, error  # the database quoted the row
    assert CANARY not in str(report.to_dict())
    assert events and CANARY not in repr(events)
    assert CANARY not in logged.getvalue()
    assert CANARY.encode() not in (tmp_path / "meta.db").read_bytes()
    assert not value_redactor()._scopes  # the run's scope is closed


@pytest.mark.parametrize("path", ["run_project", "editor"])
def test_a_failing_pipeline_never_records_shows_or_logs_the_canary(
    pg_project: Path,
    ws: Workspace,
    chinook_pg: dict[str, Any],
    tmp_path: Path,
    logged: io.StringIO,
    path: str,
) -> None:
    """Chinook's customers (SQLite, e-mail tagged) into a PostgreSQL table that refuses the
    canary's row: the error quoting it is masked in the report, the events, the log and the
    metadata DB — in a project run and in the editor's run."""
    from app.model.pipeline import Pipeline
    from app.services.runs import run_project
    from tests.privacy.test_runs_masked import _save

    pg_exec(
        chinook_pg,
        'CREATE TABLE people ("CustomerId" integer, "Email" text '
        "CHECK (strpos(\"Email\", 'embraer') = 0))",
    )
    p = Pipeline(name="people")
    src = p.add_node("source", name="src", params={"connection": "chinook", "table": "Customer"})
    sel = p.add_node(
        "select",
        name="sel",
        params={"columns": [{"column": "CustomerId"}, {"column": "Email"}]},
    )
    dst = p.add_node(
        "destination",
        name="dst",
        params={"connection": "pgdst", "table": "people", "mode": "append"},
    )
    p.connect(src.id, "out", sel.id, "in")
    p.connect(sel.id, "out", dst.id, "in")
    _save(pg_project, p)
    events: list[Event] = []
    if path == "editor":
        from app.services.projects import open_document
        from app.services.runs import run_document_pipeline

        doc = open_document(pg_project, workspace=ws)
        report = run_document_pipeline(doc, p, on_event=events.append, workspace=ws)
        assert not report.ok
        shown = str(report.to_dict())
    else:
        result = run_project(pg_project, workspace=ws, on_event=events.append)
        assert not result.ok
        report = result.reports[0]
        shown = result.summary() + str(result.to_dict())
    assert "Failing row contains (****)" in (report.error or ""), shown
    assert CANARY not in shown
    assert events and CANARY not in repr(events)
    assert CANARY not in logged.getvalue()
    assert CANARY.encode() not in (tmp_path / "meta.db").read_bytes()
