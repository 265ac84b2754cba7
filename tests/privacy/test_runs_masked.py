"""Masking in real runs and previews: the project's key from the secret store, ``mask`` rules
by tag on every path (run, dry run, preview, SQL view), and previews masked by default — a
Chinook customer's e-mail, tagged ``pii.email``, is the canary."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest

from app.engine.privacy.tokenize import Tokenizer, derive_keys
from app.model.pipeline import Pipeline
from app.services.masking import (
    MissingMaskKey,
    create_mask_key,
    mask_key,
    masked_columns,
)
from app.services.pipelines import node_sql
from app.services.projects import open_document
from app.services.runs import preview_node, run_project
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver
from tests.privacy.conftest import MemoryStore

CANARY = "luisg@embraer.com.br"  # Chinook's first customer's e-mail


def _pipeline(method: str, *, by_tag: bool = True) -> Pipeline:
    p = Pipeline(name="people")
    src = p.add_node(
        "source", name="customers", params={"connection": "chinook", "table": "Customer"}
    )
    rule = {"tag": "pii.email"} if by_tag else {"column": "Email"}
    mask = p.add_node("mask", name="mask", params={"rules": [{**rule, "method": method}]})
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "people", "mode": "replace"},
    )
    p.connect(src.id, "out", mask.id, "in")
    p.connect(mask.id, "out", dest.id, "in")
    return p


def _save(project: Path, pipeline: Pipeline) -> None:
    (project / "pipelines" / f"{pipeline.name}.json").write_text(pipeline.to_json())


def _emails(tmp_path: Path) -> list[str]:
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        return [
            r[0] for r in con.sql('SELECT "Email" FROM people ORDER BY "CustomerId"').fetchall()
        ]


def test_the_key_is_created_once_in_the_secret_store_and_rotated(store: MemoryStore) -> None:
    resolver = SecretResolver(store, environ={})  # type: ignore[arg-type]
    with pytest.raises(MissingMaskKey, match=r"cauce tags key create shop"):
        mask_key("shop", resolver)
    assert create_mask_key("shop", resolver=resolver)
    first = mask_key("shop", resolver)
    assert len(first) == 32 and not create_mask_key("shop", resolver=resolver)
    assert create_mask_key("shop", rotate=True, resolver=resolver)
    assert mask_key("shop", resolver) != first
    assert list(store.values) == ["connection/shop/cauce-privacy/mask_key"]


def test_a_run_hashes_by_tag_with_the_projects_key(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    _save(project, _pipeline("hash"))
    with pytest.raises(MissingMaskKey, match="cauce tags key create chinook"):
        run_project(project, workspace=ws)
    assert not (tmp_path / "out" / "chinook_mart.duckdb").exists()  # nothing ran
    create_mask_key("chinook", resolver=ws.secrets)
    key = mask_key("chinook", ws.secrets)
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    emails = _emails(tmp_path)
    assert emails[0] == hmac.new(key, CANARY.encode(), hashlib.sha256).hexdigest()
    assert CANARY not in emails and key.hex() not in result.summary()
    # the SQL of the run's plan (what the log and report show) has no key either
    assert key.hex() not in str(result.to_dict())


def test_a_rule_by_tag_masks_in_runs_dry_runs_previews_and_the_sql_view(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    pipeline = _pipeline("redact")
    _save(project, pipeline)
    dry = run_project(project, workspace=ws, dry_run=True)
    assert "[redacted]" in dry.reports[0].plan["stages"][0]["sql"]
    assert run_project(project, workspace=ws).ok
    assert set(_emails(tmp_path)) == {"[redacted]"}
    doc = open_document(project, workspace=ws)
    mask = pipeline.node_by_name("mask")
    rows = preview_node(doc, pipeline, mask.id)
    assert set(rows.column("Email").to_pylist()) == {"[redacted]"}
    assert masked_columns(rows) == []  # the mask stopped the tag: nothing left to hide
    assert "[redacted]" in node_sql(doc, pipeline, mask.id)


def test_a_preview_of_a_tagged_table_never_shows_the_canary(
    project: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = _pipeline("redact", by_tag=False)
    doc = open_document(project, workspace=ws)
    source = pipeline.node_by_name("customers")
    rows = preview_node(doc, pipeline, source.id, limit=None)
    assert masked_columns(rows) == ["Email"]
    assert CANARY not in str(rows.to_pydict()) and CANARY.encode() not in _bytes(rows)
    assert set(rows.column("Email").to_pylist()) == {"****"}
    assert "Luís" in rows.column("FirstName").to_pylist()  # untagged columns stay
    monkeypatch.setenv("CAUCE_UNMASK", "1")  # the permission
    rows = preview_node(doc, pipeline, source.id, limit=None)
    assert CANARY in rows.column("Email").to_pylist() and masked_columns(rows) == []


def _bytes(table) -> bytes:  # type: ignore[no-untyped-def]
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def test_a_hash_mask_is_never_pushed_down_a_partial_one_is() -> None:
    from app.engine.privacy.methods import rules_pushable

    assert not rules_pushable([{"column": "a", "method": "hash"}], "postgres")
    assert not rules_pushable([{"column": "a", "method": "shuffle"}], "tsql")
    assert rules_pushable(
        [{"column": "a", "method": "partial"}, {"tag": "x", "method": "null"}], "postgres"
    )
    assert not rules_pushable([{"column": "a"}], "postgres")  # unknown: stay local


@pytest.mark.parametrize(
    ("method", "placement"), [("hash", "local"), ("tokenize", "local"), ("partial", "pushdown")]
)
def test_a_stage_with_a_mask_its_database_cannot_run_runs_locally(
    tmp_path: Path, method: str, placement: str
) -> None:
    """Source and destination in one DuckDB file push down, unless the mask needs the key
    only the local engine has; both give the same (right) values."""
    from app.engine.executor import run_pipeline
    from app.engine.privacy.keys import using_mask_key
    from app.model.connection import Connection
    from app.services.connections import project_provider

    key = bytes(range(32))
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE people AS SELECT '{CANARY}' AS email")
    p = Pipeline(name="p")
    src = p.add_node("source", name="src", params={"connection": "wh", "table": "people"})
    mask = p.add_node(
        "mask", name="m", params={"rules": [{"column": "email", "method": method, "keep": 3}]}
    )
    dst = p.add_node(
        "destination", name="dst", params={"connection": "wh", "table": "out", "mode": "replace"}
    )
    p.connect(src.id, "out", mask.id, "in")
    p.connect(mask.id, "out", dst.id, "in")
    conns = {"wh": Connection(name="wh", type="duckdb", params={"path": str(path)})}
    nothing = lambda *a, **k: None  # noqa: E731 - no secrets
    with (
        project_provider(conns, project_dir=tmp_path, secrets=nothing) as prov,
        using_mask_key(key),
    ):
        report = run_pipeline(p, prov)
    assert report.ok, report.error
    assert report.plan["stages"][0]["placement"] == placement
    with duckdb.connect(str(path), read_only=True) as con:
        [(got,)] = con.sql("SELECT email FROM out").fetchall()
    expected = {
        "hash": hmac.new(key, CANARY.encode(), hashlib.sha256).hexdigest(),
        "partial": "*" * (len(CANARY) - 3) + CANARY[-3:],
        "tokenize": Tokenizer(*derive_keys(key)).tokenize(CANARY),
    }
    assert got == expected[method]


def test_cauce_tags_key_create_then_a_run_hashes(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI path, with the encrypted secret store: a missing key names the command that
    creates it; once created the run hashes, and neither the key nor the canary is printed."""
    from click.testing import CliRunner

    from app.cli import cli

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the test store")
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    _save(project, _pipeline("hash"))

    def invoke(*args: str) -> tuple[int, str]:
        done = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return done.exit_code, done.stdout + done.stderr

    code, out = invoke("--run-project", str(project))
    assert code == 2 and "cauce tags key create chinook" in out
    code, out = invoke("tags", "key", "create", str(project))
    assert code == 0 and "created" in out
    code, out = invoke("tags", "key", "create", str(project))
    assert code == 0 and "already has" in out
    code, out = invoke("--run-project", str(project), "--json")
    assert code == 0, out
    assert CANARY not in _emails(tmp_path) and len(_emails(tmp_path)[0]) == 64
    assert CANARY not in out and "mask_key" not in out
    import os

    key = mask_key("chinook", SecretResolver.default())
    home = Path(os.environ["CAUCE_HOME"])
    stored = b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())
    assert stored and key.hex().encode() not in stored  # encrypted, in the user's store
    everything = b"".join(
        p.read_bytes() for p in [*project.rglob("*"), tmp_path / "meta.db"] if p.is_file()
    )
    assert key.hex().encode() not in everything and key.hex() not in out


def _add_check(project: Path, table: str, connection: str) -> None:
    import json

    meta = json.loads((project / "project.json").read_text())
    meta["checks"] = [
        {"kind": "not_null", "table": table, "connection": connection, "column": "Company"}
    ]
    (project / "project.json").write_text(json.dumps(meta))


def test_failing_row_samples_of_a_tagged_table_are_stored_masked(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    """Checks run by hand on the tagged source table, and after a run on the table a pipeline
    wrote from it (the tag followed lineage there): the e-mails never reach the samples."""
    from app.services.quality import run_project_checks

    _add_check(project, "Customer", "chinook")
    outcome = run_project_checks(project, workspace=ws)
    [result] = outcome.results
    assert result.sample and {r["Email"] for r in result.sample} == {"***"}
    assert {r["FirstName"] for r in result.sample} != {"***"}  # untagged columns stay
    _save(project, _plain())
    _add_check(project, "people", "warehouse")
    assert run_project(project, workspace=ws).ok is False  # the check fails the run
    meta = (tmp_path / "meta.db").read_bytes()
    assert b"leonekohler@surfeu.de" not in meta and b"surfeu" not in meta


def _plain() -> Pipeline:
    """Customer copied as it is to warehouse.people (no mask: its Email keeps the tag)."""
    p = Pipeline(name="people")
    src = p.add_node(
        "source", name="customers", params={"connection": "chinook", "table": "Customer"}
    )
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": "people", "mode": "replace"},
    )
    p.connect(src.id, "out", dest.id, "in")
    return p


def test_profiles_hide_the_values_of_tagged_columns(
    project: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table's profile and a node's profile: counts stay, values (top values, min, max)
    never show the canary; with the permission they do."""
    from app.services.profiling import profile_project_node, profile_project_table

    monkeypatch.setenv("CAUCE_DB_URL", ws.db_url)
    _save(project, _plain())
    table = profile_project_table(project, "chinook", "Customer")
    email = table.column("Email")
    assert CANARY not in str(table.to_dict()) and email.top and email.top[0].value == "****"
    assert email.distinct == 59 and email.min is None
    assert table.column("FirstName").top[0].value != "****"
    node = profile_project_node(project, "people", "customers")
    assert CANARY not in str(node.to_dict())
    monkeypatch.setenv("CAUCE_UNMASK", "1")
    clear = profile_project_table(project, "chinook", "Customer").column("Email")
    assert "@" in str(clear.min) and clear.top[0].value != "****"


def test_a_bundle_never_carries_a_tagged_table_unless_unmasked_with_the_permission(
    project: Path, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    from app.services.bundles import export_project
    from app.storage.project_format import ProjectError

    monkeypatch.setenv("CAUCE_DB_URL", ws.db_url)
    bundle = tmp_path / "chinook.cauce"
    with pytest.raises(ProjectError, match=r"data/chinook.sqlite \(chinook: customer.email\)"):
        export_project(project, bundle)
    with pytest.raises(ProjectError, match="needs the unmask permission"):
        export_project(project, bundle, unmasked=True)
    assert not bundle.exists()
    export_project(project, bundle, include_data=False)

    def unzipped() -> bytes:
        with zipfile.ZipFile(bundle) as z:
            return bundle.read_bytes() + b"".join(z.read(n) for n in z.namelist())

    assert CANARY.encode() not in unzipped()
    monkeypatch.setenv("CAUCE_UNMASK", "1")
    export_project(project, bundle, unmasked=True)
    assert CANARY.encode() in unzipped()  # the permission: the data file goes, as it is


def test_a_preview_s_error_never_shows_the_canary(
    project: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB quotes the value it could not cast: a preview failing on a tagged column says
    so with the value masked, unless the user may unmask."""
    p = Pipeline(name="people")
    src = p.add_node(
        "source", name="customers", params={"connection": "chinook", "table": "Customer"}
    )
    cast = p.add_node(
        "derive",
        name="cast",
        params={"columns": [{"name": "n", "expression": 'CAST("Email" AS INTEGER)'}]},
    )
    p.connect(src.id, "out", cast.id, "in")
    doc = open_document(project, workspace=ws)
    with pytest.raises(duckdb.ConversionException) as failed:
        preview_node(doc, p, cast.id)
    assert "****" in str(failed.value) and CANARY not in str(failed.value)
    monkeypatch.setenv("CAUCE_UNMASK", "1")  # the permission: the value is shown
    with pytest.raises(duckdb.ConversionException, match="luisg@embraer"):
        preview_node(doc, p, cast.id)
