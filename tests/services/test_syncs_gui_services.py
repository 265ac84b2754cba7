"""The Qt-free functions behind the desktop app's syncs window: save, list, delete, run, roles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from app.services.catalog import connection_roles
from app.services.sync_status import sync_overview
from app.services.syncs import (
    CancelToken,
    SyncDefinition,
    delete_sync_definition,
    load_sync_definition,
    run_sync,
    save_sync_definition,
)
from app.storage.project_format import ProjectError

REPO = Path(__file__).resolve().parents[2]
CHINOOK = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "chinook"
    shutil.copytree(CHINOOK, root)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    return root


def _invoices(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "invoices",
        "source": {"connection": "chinook", "table": "Invoice"},
        "destinations": [{"connection": "warehouse", "table": "invoices"}],
        "mode": "merge",
        "primary_key": ["InvoiceId"],
        "rename": {"Total": "amount"},
    }
    return {**data, **changes}


def test_save_list_run_and_list_again(project: Path, tmp_path: Path) -> None:
    path = save_sync_definition(project, _invoices())
    assert path == project / "syncs" / "invoices.json"
    saved = SyncDefinition.model_validate(json.loads(path.read_text()))
    assert saved.rename == {"Total": "amount"} and saved.primary_key == ["InvoiceId"]
    assert load_sync_definition(project, "invoices") == saved

    [row] = sync_overview(project)
    assert (row.name, row.source, row.destinations, row.mode) == (
        "invoices",
        "chinook:Invoice",
        ("warehouse:invoices",),
        "merge",
    )
    assert row.last_status is None and row.rows is None

    events: list[str] = []
    report = run_sync(project, "invoices", trigger="gui", on_event=lambda e: events.append(e.kind))
    assert report.ok and report.rows_read == 412
    assert events[0] == "sync_started" and events[-1] == "sync_finished"
    [row] = sync_overview(project)
    assert (row.last_status, row.rows) == ("succeeded", 412)
    assert row.last_run_at is not None
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(amount) FROM invoices").fetchone() == (412, 412)


def test_a_cancelled_run_is_recorded_as_cancelled(project: Path) -> None:
    save_sync_definition(project, _invoices())
    token = CancelToken()
    token.cancel()
    report = run_sync(project, "invoices", cancel=token, trigger="gui")
    assert report.status == "cancelled"
    assert sync_overview(project)[0].last_status == "cancelled"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"primary_key": []}, "merge mode needs primary_key"),
        ({"mode": "append"}, "append mode needs a cursor"),
        ({"name": "  "}, "blank"),
        ({"name": "..."}, "empty file name"),
        ({"destinations": [{"connection": "nowhere", "table": "t"}]}, "nowhere"),
        ({"rename": {"Total": "InvoiceId"}}, "two columns"),
    ],
)
def test_invalid_definitions_are_refused_and_nothing_is_written(
    project: Path, changes: dict[str, object], message: str
) -> None:
    columns = ["InvoiceId", "CustomerId", "Total"]
    with pytest.raises(ProjectError, match=message):
        save_sync_definition(project, _invoices(**changes), source_columns=columns)
    assert not (project / "syncs").exists() or not list((project / "syncs").iterdir())


def test_rename_replaces_the_file_and_names_stay_unique(project: Path) -> None:
    save_sync_definition(project, _invoices())
    save_sync_definition(
        project,
        _invoices(
            name="tracks",
            source={"connection": "chinook", "table": "Track"},
            primary_key=["TrackId"],
            rename={},
        ),
    )
    with pytest.raises(ProjectError, match="already a sync named"):
        save_sync_definition(project, _invoices(name="tracks"), previous="invoices")
    save_sync_definition(project, _invoices(name="billing"), previous="invoices")
    assert sorted(p.name for p in (project / "syncs").iterdir()) == ["billing.json", "tracks.json"]
    delete_sync_definition(project, "tracks")
    assert [r.name for r in sync_overview(project)] == ["billing"]
    with pytest.raises(ProjectError, match="no sync named"):
        delete_sync_definition(project, "tracks")


def test_connection_roles_say_which_can_be_a_destination(project: Path) -> None:
    (project / "connections" / "shop.json").write_text(
        json.dumps({"name": "shop", "type": "mysql", "params": {"database": "shop", "user": "u"}})
    )
    roles = {r.name: r for r in connection_roles(project)}
    assert sorted(roles) == ["chinook", "postgres", "shop", "warehouse"]
    assert roles["warehouse"].destination and roles["warehouse"].label == "DuckDB"
    assert roles["shop"].source and not roles["shop"].destination


def test_save_refuses_a_reading_option_the_source_does_not_have(project: Path) -> None:
    wrong = _invoices(
        source={"connection": "chinook", "table": "Invoice", "read": {"booleans": ["Total"]}}
    )
    with pytest.raises(ProjectError, match="booleans") as caught:
        save_sync_definition(project, wrong)
    assert "'invoices'" in str(caught.value) and "SQLite" in str(caught.value)
    assert not (project / "syncs" / "invoices.json").exists()
    right = _invoices(
        source={"connection": "chinook", "table": "Invoice", "read": {"coerce": ["Total"]}}
    )
    saved = SyncDefinition.model_validate(
        json.loads(save_sync_definition(project, right).read_text())
    )
    assert saved.source.read.coerce == ["Total"]
