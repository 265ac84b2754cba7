"""A pipeline run's values stay inside DuckDB or the database, so its error and log texts are
masked by what they quote: while a run with tagged columns is under way, every quoted literal
that is not a name of its plan is masked, and the values its streamed sources read are
remembered. A PostgreSQL trigger refuses the canary's row with a message no database pattern
covers; the log file, the run record in the metadata DB, the events and the result never
hold the canary."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.model.events import Event
from app.model.pipeline import Pipeline
from app.services.log_redaction import install_log_redaction
from app.services.projects import document_connections, open_document
from app.services.run_steps import run_tags
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.storage.literal_redaction import KnownNames
from app.storage.value_redaction import value_redactor
from tests.privacy.test_runs_masked import CANARY, _save
from tests.retention.conftest import pg_exec

NAMES = KnownNames(["people", "Email", "CustomerId", "public", "pgdst"])


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (  # DuckDB, a value cast in a derive
            f"Conversion Error: Type VARCHAR with value '{CANARY}' can't be cast to INT32",
            "Conversion Error: Type VARCHAR with value '****' can't be cast to INT32",
        ),
        (  # PostgreSQL, a raise in a trigger
            f'ERROR:  refused \'{CANARY}\' into "public"."people"',
            'ERROR:  refused \'****\' into "public"."people"',
        ),
        (  # MySQL quotes names and values alike
            "Unknown column 'emial' in 'field list'",
            "Unknown column 'emial' in '****'",
        ),
        (f"KeyError: '{CANARY}'", "KeyError: '****'"),  # a Python exception
        (  # a literal holding a quoted value is masked whole
            f"ValueError(\"cannot tokenize '{CANARY}'\")",
            'ValueError("****")',
        ),
        ("value 'O''Brien', 'Ana'", "value '****', '****'"),
        ('relation "people_stage_1" does not exist', 'relation "people_stage_1" does not exist'),
        (
            'Table with name "cauce_src_1" does not exist',
            'Table with name "cauce_src_1" does not exist',
        ),
        ("don't stop: 'people'.'Email' isn't", "don't stop: 'people'.'Email' isn't"),
        (  # a word that may precede a person's name does not make it a name of the plan
            "invalid user name 'Luís Gonçalves' for 'Email'",
            "invalid user name '****' for 'Email'",
        ),
    ],
)
def test_quoted_literals_that_are_not_names_of_the_plan_are_masked(
    message: str, expected: str
) -> None:
    assert NAMES.mask(message) == expected


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "run.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.DEBUG)
    install_log_redaction()
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(previous)


def _people(source: dict[str, Any], dest: str, email: str) -> Pipeline:
    p = Pipeline(name="people")
    src = p.add_node("source", name="src", params=source)
    sel = p.add_node(
        "select",
        name="sel",
        params={"columns": [{"column": "CustomerId"}, {"column": email, "rename": "Email"}]},
    )
    dst = p.add_node(
        "destination",
        name="dst",
        params={"connection": dest, "table": "people", "mode": "append"},
    )
    p.connect(src.id, "out", sel.id, "in")
    p.connect(sel.id, "out", dst.id, "in")
    return p


@pytest.mark.parametrize(
    ("path", "quoted"),
    [("local", True), ("local", False), ("pushdown", True)],
    ids=["local-quoted", "local-bare", "pushdown-quoted"],
)
def test_a_refusal_quoting_a_tagged_value_is_masked_everywhere(
    pg_project: Path,
    ws: Workspace,
    chinook_pg: dict[str, Any],
    tmp_path: Path,
    log_file: Path,
    path: str,
    quoted: bool,
) -> None:
    """``local``: Chinook's customers from SQLite through the local engine into PostgreSQL
    (the e-mails are read through Python: a bare value is masked too); ``pushdown``: from
    PostgreSQL into the same database, one ``INSERT … SELECT`` (only quoted ones can be)."""
    value = 'quote_literal(NEW."Email")' if quoted else 'NEW."Email"'
    pg_exec(
        chinook_pg,
        'CREATE TABLE people ("CustomerId" integer, "Email" text)',
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF strpos(NEW.\"Email\", 'embraer') > 0 THEN "
        f"RAISE EXCEPTION 'refused contact %', {value}; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION refuse()",
    )
    if path == "local":
        p = _people({"connection": "chinook", "table": "Customer"}, "pgdst", "Email")
    else:
        p = _people({"connection": "pgsrc", "table": "public.customer"}, "pgsrc", "email")
        p.node_by_name("sel").params["columns"][0] = {
            "column": "customer_id",
            "rename": "CustomerId",
        }
    _save(pg_project, p)
    events: list[Event] = []
    result = run_project(pg_project, workspace=ws, on_event=events.append)
    assert not result.ok
    error = result.reports[0].error or ""
    assert "refused contact" in error and ("'****'" if quoted else "****") in error, error
    if path == "pushdown":
        assert result.reports[0].nodes[-1].runs_on != "local", result.reports[0].plan
    shown = result.summary() + str(result.to_dict())
    assert CANARY not in shown
    assert events and CANARY not in repr(events)
    logged = log_file.read_text(encoding="utf-8")
    assert "refused contact" in logged and CANARY not in logged
    assert CANARY.encode() not in (tmp_path / "meta.db").read_bytes()
    assert not value_redactor()._scopes  # the run's scope is closed


def test_a_runs_names_include_its_connections_and_paths(
    pg_project: Path, ws: Workspace, tmp_path: Path
) -> None:
    """A connection's error quotes its host, database or file: they stay readable."""
    p = _people({"connection": "chinook", "table": "Customer"}, "pgdst", "Email")
    doc = open_document(pg_project, workspace=ws)
    with document_connections(doc) as provider:
        tags = run_tags(ws, "chinook", [p], provider)
    assert tags["people"]  # the e-mail is tagged at every port
    names = KnownNames(tags.names)
    warehouse = str(tmp_path / "out" / "chinook_mart.duckdb")
    text = (
        'connection to server at "127.0.0.1", port 5432 failed; '
        f'cannot open "{warehouse}"; refused "{CANARY}"'
    )
    assert names.mask(text) == text.replace(CANARY, "****")
