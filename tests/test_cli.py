"""The ``cauce`` command: exit codes, reports, and every bad input named clearly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from app.cli import cli
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the Chinook example; output and metadata under tmp_path."""
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    (tmp_path / "out").mkdir()
    return target


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def edit_pipeline(project: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = project / "pipelines" / "revenue.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def node(data: dict, name: str) -> dict:
    return next(n for n in data["nodes"] if n["name"] == name)


def test_run_project_json_report(project: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("--run-project", str(project), "--json")
    assert code == 0
    report = json.loads(out)
    [pipeline] = report["pipelines"]
    assert pipeline["status"] == "succeeded"
    nodes = {n["name"]: n for n in pipeline["nodes"]}
    assert nodes["mart"]["rows_in"] == 432 and nodes["invoice_lines"]["rows_out"] == 2240
    assert all(n["status"] == "succeeded" and n["seconds"] >= 0 for n in nodes.values())
    assert (tmp_path / "out" / "chinook_mart.duckdb").exists()
    code, out, _ = invoke("runs")
    assert code == 0 and "revenue" in out and "succeeded" in out


def test_plain_output_when_not_a_terminal(project: Path) -> None:
    code, out, err = invoke("--run-project", str(project))
    assert code == 0
    assert "revenue: succeeded" in out
    assert "mart: done" in err  # log lines, one per event


def test_dry_run_writes_nothing(project: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("--run-project", str(project), "--dry-run", "--json")
    assert code == 0
    plan = json.loads(out)["pipelines"][0]["plan"]
    assert plan["stages"][0]["placement"] == "local"
    assert not (tmp_path / "out" / "chinook_mart.duckdb").exists()


def test_cyclic_graph_exits_2_naming_the_nodes(project: Path, tmp_path: Path) -> None:
    def add_cycle(data: dict) -> None:
        data["edges"].append(
            {
                "source": {"node": node(data, "paid_lines")["id"], "port": "out"},
                "target": {"node": node(data, "amounts")["id"], "port": "in"},
            }
        )

    edit_pipeline(project, add_cycle)
    code, _, err = invoke("--run-project", str(project))
    assert code == 2
    assert "cycle" in err and "amounts" in err and "paid_lines" in err
    assert not (tmp_path / "out" / "chinook_mart.duckdb").exists()


def test_unconnected_port_exits_2(project: Path) -> None:
    def drop_lookup_edge(data: dict) -> None:
        target = node(data, "genre_name")["id"]
        data["edges"] = [
            e
            for e in data["edges"]
            if not (e["target"]["node"] == target and e["target"]["port"] == "lookup")
        ]

    edit_pipeline(project, drop_lookup_edge)
    code, _, err = invoke("--run-project", str(project))
    assert code == 2 and "genre_name" in err and "'lookup' is not connected" in err


def test_unknown_column_exits_2_naming_node_and_column(project: Path) -> None:
    edit_pipeline(project, lambda d: node(d, "paid_lines")["params"].update(condition="Amout > 0"))
    code, _, err = invoke("--run-project", str(project))
    assert code == 2 and "paid_lines" in err and "unknown column 'Amout'" in err


def test_incompatible_join_keys_exit_2(project: Path) -> None:
    edit_pipeline(
        project,
        lambda d: node(d, "with_track")["params"].update(
            keys=[{"left": "BillingCountry", "right": "TrackId"}]
        ),
    )
    code, _, err = invoke("--run-project", str(project))
    assert code == 2 and "with_track" in err and "incompatible" in err


def test_unknown_pipeline_exits_2(project: Path) -> None:
    code, _, err = invoke("--run-project", str(project), "--pipeline", "nope")
    assert code == 2 and "no pipeline named 'nope'" in err and "revenue" in err


def test_a_failing_run_exits_1(project: Path) -> None:
    (project / "data" / "chinook.sqlite").write_bytes(b"this is not a database" * 100)
    code, _, err = invoke("--run-project", str(project))
    assert code in (1, 2)  # unreadable source: found while planning (2) or running (1)
    assert "chinook" in err


def test_missing_required_secret_exits_2(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import Field

    from app.connectors.base import secret_field
    from app.connectors.registry import connector_registry
    from app.connectors.sqlite import SQLiteConnector

    class LockedConfig(SQLiteConnector.Config):  # type: ignore[name-defined,misc]
        passphrase: str | None = secret_field("needed to open", required=True)
        path: str = Field()

    class LockedSQLite(SQLiteConnector):
        type_name = "locked_sqlite"
        Config = LockedConfig

    connector_registry().register(LockedSQLite)
    conn = project / "connections" / "chinook.json"
    data = json.loads(conn.read_text())
    data["type"] = "locked_sqlite"
    conn.write_text(json.dumps(data))
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    code, _, err = invoke("--run-project", str(project))
    assert code == 2
    assert "chinook" in err and "passphrase" in err and "CAUCE_SECRET_CHINOOK_PASSPHRASE" in err
    monkeypatch.setenv("CAUCE_SECRET_CHINOOK_PASSPHRASE", "s3cr3t-value")
    code, out, err = invoke("--run-project", str(project), "--json")
    assert code == 0
    assert "s3cr3t-value" not in out + err


def test_compile_prints_sql_for_each_dialect(project: Path) -> None:
    for dialect in ("duckdb", "postgres", "tsql", "snowflake", "bigquery", "redshift"):
        code, out, err = invoke(
            "compile", str(project), "--pipeline", "revenue", "--dialect", dialect
        )
        assert code == 0, err
        assert "-- destination: mart" in out and "Revenue" in out


def test_export_and_import_round_trip(project: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "chinook.cauce"
    code, out, err = invoke("export", str(project), str(bundle))
    assert code == 0, err
    assert "no secrets" in out
    code, out, _ = invoke("import", str(bundle), str(tmp_path / "copy"), "--dry-run")
    assert code == 0 and "nothing was written" in out
    assert not (tmp_path / "copy").exists()
    code, out, _ = invoke("import", str(bundle), str(tmp_path / "copy"))
    assert code == 0 and (tmp_path / "copy" / "pipelines" / "revenue.json").exists()
    code, out, _ = invoke("--run-project", str(bundle), "--json")
    assert code == 2 and "--trust" in out  # a bundle runs once trusted on this machine
    code, _, _ = invoke("--run-project", str(bundle), "--json", "--trust")
    assert code == 0


def _rewrite_bundle(bundle: Path, out: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            name, data = change(info.filename, src.read(info))
            if name is not None:
                dst.writestr(name, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n, d: ("../evil.json", d) if n == "project.json" else (n, d), ".."),
        (lambda n, d: ("/abs.json", d) if n == "project.json" else (n, d), "abs"),
        (
            lambda n, d: (
                (n, d.replace(b"Amount > 0", b"Amount > 1"))
                if n == "pipelines/revenue.json"
                else (n, d)
            ),
            "checksum",
        ),
        (
            lambda n, d: (
                (n, d.replace(b'"format_version": 1', b'"format_version": 7'))
                if n == "manifest.json"
                else (n, d)
            ),
            "format version",
        ),
    ],
)
def test_broken_bundles_exit_2_and_write_nothing(
    project: Path, tmp_path: Path, change, message: str
) -> None:
    good = tmp_path / "good.cauce"
    assert invoke("export", str(project), str(good))[0] == 0
    bad = tmp_path / "bad.cauce"
    _rewrite_bundle(good, bad, change)
    for args in (["--run-project", str(bad)], ["import", str(bad), str(tmp_path / "target")]):
        code, _, err = invoke(*args)
        assert code == 2, err
        assert message in err.lower()
    assert not (tmp_path / "target").exists()
    assert not (tmp_path / "out" / "chinook_mart.duckdb").exists()


def test_dest_postgres_writes_to_postgres(
    project: Path, pg_db: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setenv("CAUCE_PG_DATABASE", pg_db["dbname"])
    code, _, err = invoke("--run-project", str(project), "--dest", "postgres")
    assert code == 0, err
    with psycopg.connect(pg_db["dsn"]) as con:
        count, total = con.execute(
            'SELECT count(*), sum("Revenue") FROM revenue_by_country_genre_year'
        ).fetchone()
    assert (count, str(total)) == (432, "2328.60")


def test_the_installed_console_script_runs_the_example(project: Path, tmp_path: Path) -> None:
    cauce = Path(sys.executable).with_name("cauce")
    env = {**os.environ, "CAUCE_OUTPUT_DIR": str(tmp_path / "out")}
    proc = subprocess.run(
        [str(cauce), "--run-project", str(project), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM revenue_by_country_genre_year").fetchall() == [(432,)]


def test_db_init_upgrade_status(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'meta.db'}"
    code, out, _ = invoke("--db", url, "db", "status")
    assert code == 0 and "not initialised" in out
    code, out, _ = invoke("--db", url, "db", "init")
    assert code == 0 and "ready" in out
    code, out, _ = invoke("--db", url, "db", "upgrade")
    assert code == 0 and "nothing to do" in out
    code, out, _ = invoke("--db", url, "db", "status")
    assert code == 0 and "up to date" in out


def test_runs_before_any_metadata_database_says_what_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'never-initialised.db'}"
    code, out, err = invoke("--db", url, "runs")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "cauce db init" in err and "Traceback" not in err


def test_db_and_runs_speak_spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import i18n

    url = f"sqlite:///{tmp_path / 'meta.db'}"
    monkeypatch.setenv("CAUCE_LANG", "es")
    try:
        assert "sin inicializar" in invoke("--db", url, "db", "status")[1]
        assert "lista en" in invoke("--db", url, "db", "init")[1]
        assert "al día" in invoke("--db", url, "db", "status")[1]
        assert invoke("--db", url, "runs")[1].strip() == "aún no hay ejecuciones registradas"
    finally:
        i18n.set_language("en")


def test_db_on_postgres_by_url(pg_db: dict) -> None:
    url = f"postgresql+psycopg://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    code, out, err = invoke("--db", url, "db", "init")
    assert code == 0, err
    code, out, _ = invoke("--db", url, "db", "status")
    assert "up to date" in out


def test_progress_display_for_terminals() -> None:
    from app.cli_run import _RichProgress
    from app.model.events import NodeFinished, NodeProgress, NodeStarted, RunFinished

    with _RichProgress() as progress:
        progress.console.record = True
        progress(NodeStarted("r", node_id="n1", node_name="orders", placement="local"))
        progress(NodeProgress("r", node_id="n1", node_name="orders", rows=1500, seconds=1.0))
        progress(
            NodeFinished(
                "r", node_id="n1", node_name="orders", rows_in=None, rows_out=2000, seconds=1.2
            )
        )
        progress(RunFinished("r", pipeline="demo", status="succeeded", seconds=1.3))
    text = progress.console.export_text()
    assert "orders" in text and "2,000 rows" in text and "demo: succeeded" in text


def test_count_rows_reports_every_node(project: Path) -> None:
    code, out, _ = invoke("--run-project", str(project), "--json", "--count-rows")
    assert code == 0
    nodes = {n["name"]: n for n in json.loads(out)["pipelines"][0]["nodes"]}
    assert nodes["lines_with_invoice"]["rows_out"] == 2240
    assert nodes["by_country_genre_year"]["rows_out"] == 432
    assert nodes["genre_name"]["rows_by_port"]["out"] == 2240


@pytest.mark.parametrize("count_rows", [False, True])
def test_a_run_time_error_is_blamed_on_the_node_whose_sql_failed(
    project: Path, tmp_path: Path, count_rows: bool
) -> None:
    """A filter's CAST failing while the fused query runs blames the filter, not the
    destination, with or without --count-rows (issue #13)."""
    edit_pipeline(
        project,
        lambda d: node(d, "paid_lines")["params"].update(condition="CAST(Country AS INTEGER) > 0"),
    )
    args = ["--run-project", str(project), "--json"] + (["--count-rows"] if count_rows else [])
    code, out, _ = invoke(*args)
    assert code == 1
    [pipeline] = json.loads(out)["pipelines"]
    assert pipeline["status"] == "failed"
    assert pipeline["error"].startswith("paid_lines: Conversion Error")
    status = {n["name"]: n["status"] for n in pipeline["nodes"]}
    assert [n for n, s in status.items() if s == "failed"] == ["paid_lines"]
    assert {n for n, s in status.items() if s == "skipped"} == {
        "by_country_genre_year",
        "ordered",
        "mart",
    }
    assert status["amounts"] == status["invoice_lines"] == "succeeded"
    errors = {n["name"]: n.get("error") for n in pipeline["nodes"]}
    assert "Conversion Error" in errors["paid_lines"]
    assert errors["mart"] == "did not run: paid_lines failed"
    code, _, err = invoke("--run-project", str(project))  # the plain output says so too
    assert code == 1 and "paid_lines: Conversion Error" in err


def test_a_failing_write_is_still_the_destination_s(project: Path, tmp_path: Path) -> None:
    """When every node's query runs, the failure stays on the destination: its table name is
    taken by a view in the warehouse."""
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb")) as con:
        con.execute("CREATE VIEW revenue_by_country_genre_year AS SELECT 1 AS x")
    code, out, _ = invoke("--run-project", str(project), "--json")
    assert code == 1
    [pipeline] = json.loads(out)["pipelines"]
    status = {n["name"]: n["status"] for n in pipeline["nodes"]}
    assert status["mart"] == "failed" and pipeline["error"].startswith("mart: ")
    errors = {n["name"]: n.get("error") for n in pipeline["nodes"]}
    assert errors["paid_lines"] == "did not complete: mart failed"  # not blamed
