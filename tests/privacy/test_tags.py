"""Tags: suggested on Chinook (SQLite and MariaDB: the same, exact tags), stored in the
metadata DB, following lineage through a pipeline (a mask stops them), masked when shown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.engine.privacy.propagate import propagate_tags
from app.model.pipeline import Pipeline
from app.services.privacy import list_tags, mask_shown, set_tags, suggest_project_tags
from app.services.workspace import Workspace
from tests.conftest import REPO
from tests.connectors.test_mysql import mariadb_db  # noqa: F401 - the fixture

#: what Cauce suggests for Chinook's people, column by column (nothing else is tagged)
EXPECTED = {
    "Customer": {
        "Address": {"pii.address"},
        "Email": {"pii.email"},
        "Fax": {"pii.phone"},
        "FirstName": {"pii.name"},
        "LastName": {"pii.name"},
        "Phone": {"pii.phone"},
        "PostalCode": {"pii.address"},
    },
    "Employee": {
        "Address": {"pii.address"},
        "BirthDate": {"pii.birthdate"},
        "Email": {"pii.email"},
        "Fax": {"pii.phone"},
        "FirstName": {"pii.name"},
        "LastName": {"pii.name"},
        "Phone": {"pii.phone"},
        "PostalCode": {"pii.address"},
    },
    "Invoice": {"BillingAddress": {"pii.address"}, "BillingPostalCode": {"pii.address"}},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", target)
    return target


def _by_table(found: list) -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = {}
    for t in found:
        table = t.table.rsplit(".", 1)[-1]
        out.setdefault(table, {}).setdefault(t.column, set()).add(t.tag)
    return out


def test_suggestions_on_chinook_sqlite_are_exact_and_stored(project: Path, tmp_path: Path) -> None:
    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    found = suggest_project_tags(project, "chinook", accept=True, workspace=ws)
    assert _by_table(found) == EXPECTED
    stored = list_tags(project, table="Customer", workspace=ws)
    assert {(t.column, t.tag, t.origin) for t in stored} >= {("Email", "pii.email", "suggested")}
    assert set_tags(project, "chinook", "Customer", "Company", ["sensitive.employer"], workspace=ws)
    assert (
        set_tags(project, "chinook", "customer", "company", ["sensitive.employer"], workspace=ws)
        == 0
    )
    with pytest.raises(ValueError, match="invalid tag"):
        set_tags(project, "chinook", "Customer", "Company", ["not a tag"], workspace=ws)


def test_suggestions_on_chinook_mariadb_are_the_same(
    project: Path,
    tmp_path: Path,
    mariadb_db: str,  # noqa: F811
) -> None:
    (project / "connections" / "maria.json").write_text(
        json.dumps(
            {
                "name": "maria",
                "type": "mysql",
                "params": {
                    "host": "127.0.0.1",
                    "port": 3306,
                    "user": "root",
                    "database": mariadb_db,
                    "ssl_mode": "disabled",
                },
            }
        )
    )
    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    assert _by_table(suggest_project_tags(project, "maria", workspace=ws)) == EXPECTED


def _pipeline() -> tuple[Pipeline, dict[str, str]]:
    p = Pipeline(name="people")
    src = p.add_node("source", name="Customer", params={"connection": "c", "table": "Customer"})
    calc = p.add_node(
        "derive",
        name="calc",
        params={"columns": [{"name": "contact", "expression": "lower(Email)"}]},
    )
    mask = p.add_node(
        "mask", name="mask", params={"rules": [{"tag": "pii.email", "method": "hash"}]}
    )
    p.connect(src.id, "out", calc.id, "in")
    p.connect(calc.id, "out", mask.id, "in")
    return p, {"src": src.id, "calc": calc.id, "mask": mask.id}


SCHEMA = pa.schema([("CustomerId", pa.int64()), ("Email", pa.string()), ("Country", pa.string())])


def test_tags_follow_lineage_and_a_mask_removes_them() -> None:
    p, ids = _pipeline()
    binder = table_binder({"Customer": SCHEMA})
    compiled = compile_pipeline(p, binder=binder)
    tags = propagate_tags(compiled, lambda node: {"Email": frozenset({"pii.email"})})
    assert tags[(ids["calc"], "out")] == {
        "Email": frozenset({"pii.email"}),
        "contact": frozenset({"pii.email"}),  # derived from a tagged column: tagged
    }
    assert tags[(ids["mask"], "out")] == {}  # both masked by the tag rule: no tag left
    # compiled again with the tags known, the tag rule masks both columns in SQL
    again = compile_pipeline(p, binder=binder, column_tags=tags)
    sql = again.sql(ids["mask"], "out", "duckdb")
    assert sql.lower().count("sha256") == 4  # two per hashed column
    assert again.schema(ids["mask"]) is not None


def test_shown_values_are_masked_unless_the_user_may_unmask(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = pa.table({"Email": ["canary@example.com", None], "Country": ["Spain", "Chile"]})
    shown = mask_shown(rows, {"email"})
    assert shown.masked == ["Email"] and shown.notice() == "masked: columns Email"
    assert shown.table.column("Email").to_pylist() == ["****", None]
    assert "canary" not in str(shown.table.to_pylist())
    monkeypatch.setenv("CAUCE_UNMASK", "1")
    assert mask_shown(rows, {"email"}).table.equals(rows)


def test_cli_tags_set_list_and_suggest(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from app.cli import cli

    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    runner = CliRunner()
    got = runner.invoke(
        cli,
        [
            "tags",
            "set",
            str(project),
            "-c",
            "chinook",
            "-t",
            "Customer",
            "--column",
            "Email",
            "pii.email",
        ],
    )
    assert got.exit_code == 0, got.output
    got = runner.invoke(cli, ["tags", "list", str(project), "--json"])
    assert json.loads(got.output) == [
        {
            "connection": "chinook",
            "table": "Customer",
            "column": "Email",
            "tag": "pii.email",
            "origin": "manual",
        }
    ]
    got = runner.invoke(cli, ["tags", "suggest", str(project), "-c", "chinook"])
    assert got.exit_code == 0 and "BirthDate\tpii.birthdate" in got.output
    bad = runner.invoke(
        cli, ["tags", "set", str(project), "-c", "nope", "-t", "x", "--column", "y", "pii.email"]
    )
    assert bad.exit_code == 2


def test_suggestions_say_why_and_a_tag_is_removed(project: Path, tmp_path: Path) -> None:
    from app.services.privacy import explain_project_tags, remove_tag

    ws = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    found = {
        (s.tag.table.rsplit(".", 1)[-1], s.tag.column, s.tag.tag): s
        for s in explain_project_tags(project, "chinook", workspace=ws)
    }
    email = found[("Customer", "Email", "pii.email")]
    assert (email.name_words, email.recogniser, email.share, email.confidence) == (
        "email",
        "email",
        1.0,
        1.0,
    )
    address = found[("Customer", "Address", "pii.address")]
    assert (address.name_words, address.recogniser, address.confidence) == ("address", "", 0.7)
    assert list_tags(project, workspace=ws) == []  # explaining stores nothing
    set_tags(
        project, "chinook", "Customer", "Email", ["pii.email", "sensitive.contact"], workspace=ws
    )
    assert remove_tag(project, "chinook", "customer", "email", "sensitive.contact", workspace=ws)
    assert not remove_tag(
        project, "chinook", "Customer", "Email", "sensitive.contact", workspace=ws
    )
    assert [t.tag for t in list_tags(project, workspace=ws)] == ["pii.email"]
