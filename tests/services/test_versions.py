"""History, semantic diff, rollback and tags on real edits of the Chinook example
(docs/versions.md). The diffs are compared with golden files in ``golden/`` (written when
``CAUCE_UPDATE_GOLDEN=1``; read them when they change)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.services.version_ops import diff_refs, project_history, record, restore_tag, rollback, tag
from app.services.versions import UnknownRef, parse_ref
from app.services.workspace import Workspace
from tests.conftest import REPO

CHINOOK = REPO / "resources" / "examples" / "chinook"
GOLDEN = Path(__file__).parent / "golden"
PIPELINE = "pipelines/revenue.json"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    return target


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(f"sqlite:///{tmp_path / 'meta.db'}")


def edit(project: Path, change: Callable[[dict[str, Any], dict[str, str]], None]) -> None:
    path = project / PIPELINE
    data = json.loads(path.read_text())
    ids = {n["name"]: n["id"] for n in data["nodes"]}
    change(data, ids)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def node(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(n for n in data["nodes"] if n["name"] == name)


def rename(data: dict[str, Any], ids: dict[str, str]) -> None:
    node(data, "ordered")["name"] = "sorted_rows"


def parameter(data: dict[str, Any], ids: dict[str, str]) -> None:
    node(data, "paid_lines")["params"]["condition"] = "Amount > 1"
    node(data, "by_country_genre_year")["params"]["measures"][1]["function"] = "avg"


def rewire(data: dict[str, Any], ids: dict[str, str]) -> None:
    for e in data["edges"]:
        if e["target"]["node"] == ids["mart"]:
            e["source"]["node"] = ids["by_country_genre_year"]


def move_only(data: dict[str, Any], ids: dict[str, str]) -> None:
    data["layout"][ids["mart"]] = {"x": 1234.0, "y": 56.0}


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("CAUCE_UPDATE_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text()


@pytest.mark.parametrize("change", [rename, parameter, rewire, move_only], ids=lambda f: f.__name__)
def test_diff_of_a_real_edit_matches_its_golden(
    project: Path, ws: Workspace, change: Callable[[dict[str, Any], dict[str, str]], None]
) -> None:
    record(project, message="first", workspace=ws)
    edit(project, change)
    working = diff_refs(project, "HEAD", workspace=ws)  # a version against the working copy
    record(project, message=change.__name__, workspace=ws)
    [stored] = diff_refs(project, "HEAD~1", "HEAD", workspace=ws)  # two versions
    assert [c.to_dict()["structure"] for c in working] == [stored.to_dict()["structure"]]
    check_golden(f"diff_{change.__name__}", "\n".join(stored.lines()) + "\n")
    [by_number] = diff_refs(project, "1", "2", workspace=ws, compile_sql=False)
    assert by_number.structure.to_dict() == stored.structure.to_dict()


def test_move_only_is_flagged_hidden_from_history_and_positions_appear_only_when_asked(
    project: Path, ws: Workspace
) -> None:
    record(project, message="first", workspace=ws)
    edit(project, move_only)
    record(project, message="moved", workspace=ws)
    assert [e.message for e in project_history(project, "pipeline", workspace=ws)["revenue"]] == [
        "first"
    ]
    full = project_history(project, "pipeline", include_layout=True, workspace=ws)["revenue"]
    assert [(e.number, e.layout_only) for e in full] == [(2, True), (1, False)]
    [quiet] = diff_refs(project, "1", "2", workspace=ws)
    assert quiet.structure.layout_only and "1234" not in "\n".join(quiet.lines())
    [loud] = diff_refs(project, "1", "2", with_layout=True, workspace=ws)
    assert "mart moved: (2000, 300) -> (1234, 56)" in "\n".join(loud.lines())


def test_parameter_change_reports_the_retyped_column(project: Path, ws: Workspace) -> None:
    record(project, workspace=ws)
    edit(project, parameter)
    [change] = diff_refs(project, "HEAD", workspace=ws)
    retyped = {(c.node, c.column, c.change, c.old_type, c.new_type) for c in change.schemas}
    assert ("by_country_genre_year", "Units", "retyped", "int64", "double") in retyped


def test_rollback_whole_pipeline_is_a_new_version_after_a_preview(
    project: Path, ws: Workspace
) -> None:
    record(project, message="first", workspace=ws)
    original = (project / PIPELINE).read_text()
    edit(project, rename)
    record(project, message="renamed", workspace=ws)
    preview = rollback(project, "1", dry_run=True, workspace=ws)
    assert not preview.saved and "node renamed: sorted_rows -> ordered" in "\n".join(
        preview.changes[0].lines()
    )
    assert "sorted_rows" in (project / PIPELINE).read_text()  # the dry run wrote nothing
    done = rollback(project, "HEAD~1", workspace=ws)
    assert done.saved and (project / PIPELINE).read_text() == original
    history = project_history(project, "pipeline", workspace=ws)["revenue"]
    assert [(e.number, e.message) for e in history][:2] == [
        (3, "rollback of revenue to HEAD~1"),
        (2, "renamed"),
    ]


def test_rollback_of_one_node_keeps_the_other_changes(project: Path, ws: Workspace) -> None:
    record(project, workspace=ws)
    edit(project, parameter)
    edit(project, rename)
    record(project, workspace=ws)
    result = rollback(project, "1", node="paid_lines", workspace=ws)
    assert result.saved
    data = json.loads((project / PIPELINE).read_text())
    assert node(data, "paid_lines")["params"]["condition"] == "Amount > 0"  # rolled back
    assert node(data, "sorted_rows")  # the rename stays
    assert node(data, "by_country_genre_year")["params"]["measures"][1]["function"] == "avg"


def test_tag_and_restore_a_tagged_set_of_pipelines_and_connections(
    project: Path, ws: Workspace
) -> None:
    record(project, workspace=ws)
    made = tag(project, "release-2026-12", message="December", workspace=ws)
    assert {m.kind for m in made.members} == {"pipeline", "connection"}
    edit(project, rewire)
    conn = project / "connections" / "warehouse.json"
    before_conn = conn.read_text()
    data = json.loads(before_conn)
    data["description"] = "changed"
    conn.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    record(project, message="after release", workspace=ws)
    [by_tag] = diff_refs(project, "release-2026-12", compile_sql=False, workspace=ws)
    assert by_tag.structure.edges_added == ["by_country_genre_year.out -> mart.in"]
    dry = restore_tag(project, "release-2026-12", dry_run=True, workspace=ws)
    assert len(dry.changes) == 2 and not dry.saved
    done = restore_tag(project, "release-2026-12", workspace=ws)
    assert done.saved and conn.read_text() == before_conn
    [after] = diff_refs(project, "release-2026-12", compile_sql=False, workspace=ws)
    assert after.structure.empty
    hist = project_history(project, "connection", "warehouse", workspace=ws)["warehouse"]
    assert [e.number for e in hist] == [3, 2, 1] and hist[-1].tags == ("release-2026-12",)


def test_refs_by_date_and_unknown_refs(project: Path, ws: Workspace) -> None:
    record(project, workspace=ws)
    [same] = diff_refs(project, "2999-01-01", compile_sql=False, workspace=ws)
    assert same.structure.empty
    for ref in ("2000-01-01", "HEAD~5", "7", "no-such-tag"):
        with pytest.raises(UnknownRef):
            diff_refs(project, ref, compile_sql=False, workspace=ws)
    assert parse_ref("v3") == ("number", 3)


def test_connection_versions_never_hold_a_secret(
    project: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cr3t-Ch1n00k-value"
    monkeypatch.setenv("CAUCE_SECRET_POSTGRES_PASSWORD", secret)
    record(project, workspace=ws)
    (project / "connections" / "postgres.json").write_text(
        (project / "connections" / "postgres.json").read_text().replace("Chinook", "Chinook 2")
    )
    record(project, workspace=ws)
    texts = []
    for name in ("chinook", "warehouse", "postgres"):
        for entry in project_history(project, "connection", name, workspace=ws)[name]:
            assert "password" not in entry.content["params"]
            texts.append(json.dumps(entry.content))
    texts += [
        "\n".join(c.lines()) for c in diff_refs(project, "1", kind="connection", workspace=ws)
    ]
    assert texts and not any(secret in t for t in texts)
    with sqlite3.connect(str(ws.db_url).removeprefix("sqlite:///")) as db:
        dump = "\n".join(db.iterdump())
    assert secret not in dump
