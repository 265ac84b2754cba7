"""Project directories: strict loading, canonical atomic saving, schemas kept in sync."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.nodes.reference import schema_documents, write_schemas
from app.storage import project as project_module
from app.storage.project import (
    Project,
    ProjectError,
    ProjectMeta,
    load_project,
    read_project_dir,
    save_project,
)
from app.storage.project_format import file_stem

REPO = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO / "docs" / "schema"
REGENERATE = "uv run python -m app.nodes.reference --write"


def make_project() -> Project:
    orders = Pipeline(name="Daily orders", id="00000000-0000-4000-8000-00000000000a")
    orders.add_node(
        "source",
        name="orders",
        params={"connection": "shop", "table": "o"},
        position=(10, 20),
        node_id="n1",
    )
    orders.add_node(
        "filter", name="big", params={"condition": "amount > 100"}, position=(200, 20), node_id="n2"
    )
    orders.connect("n1", "out", "n2", "in")
    return Project(
        meta=ProjectMeta(
            name="Shop", description="demo", id="00000000-0000-4000-8000-000000000001"
        ),
        connections={
            "shop": Connection(name="shop", type="sqlite", params={"path": "data/shop.sqlite"})
        },
        pipelines={
            "Daily orders": orders,
            "empty": Pipeline(name="empty", id="00000000-0000-4000-8000-00000000000b"),
        },
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    save_project(make_project(), root)
    (root / "data").mkdir()
    (root / "data" / "shop.csv").write_text("id,amount\n1,150\n")
    return root


def test_save_layout_and_load(project_dir: Path) -> None:
    assert sorted(snapshot(project_dir)) == [
        "connections/shop.json",
        "data/shop.csv",
        "pipelines/Daily_orders.json",
        "pipelines/empty.json",
        "project.json",
    ]
    with load_project(project_dir) as opened:
        assert opened.root == project_dir
        assert not opened.is_bundle
        assert opened.project == read_project_dir(project_dir)
        assert opened.project.pipelines["Daily orders"] == make_project().pipelines["Daily orders"]
        assert opened.project.data_files == ["data/shop.csv"]
    assert project_dir.exists()  # closing a directory project never deletes it


def test_two_saves_are_byte_identical(project_dir: Path, tmp_path: Path) -> None:
    first = snapshot(project_dir)
    result = save_project(read_project_dir(project_dir), project_dir)
    assert result.written == [] and len(result.unchanged) == 4
    assert snapshot(project_dir) == first
    other = tmp_path / "copy"
    save_project(read_project_dir(project_dir), other)
    assert snapshot(other) == {k: v for k, v in first.items() if not k.startswith("data/")}
    meta = json.loads((project_dir / "project.json").read_text())
    assert list(meta) == sorted(meta) and meta["format_version"] == 1


def test_save_is_atomic_per_file(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = read_project_dir(project_dir)
    project.meta.description = "changed"
    before = snapshot(project_dir)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(project_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_project(project, project_dir)
    monkeypatch.undo()
    assert snapshot(project_dir) == before  # no half-written file, no temp file left


def test_save_removes_only_well_formed_stale_files(project_dir: Path) -> None:
    project = read_project_dir(project_dir)
    del project.pipelines["empty"]
    (project_dir / "connections" / "handmade.json").write_text('{"not": "a connection"}')
    result = save_project(project, project_dir)
    assert result.removed == ["pipelines/empty.json"]
    assert result.kept == ["connections/handmade.json"]
    assert (project_dir / "connections" / "handmade.json").exists()


def test_save_refuses_inconsistent_model(tmp_path: Path) -> None:
    project = make_project()
    project.pipelines["wrong key"] = Pipeline(name="x")
    with pytest.raises(ProjectError, match="filed under the key 'wrong key'"):
        save_project(project, tmp_path / "p")
    clash = make_project()
    clash.pipelines = {"a b": Pipeline(name="a b"), "a_b": Pipeline(name="a_b")}
    with pytest.raises(ProjectError, match="would both be saved as pipelines/a_b.json"):
        save_project(clash, tmp_path / "p")


def test_file_stem() -> None:
    assert file_stem("orders") == "orders"
    assert file_stem("../../etc/passwd") == "etc_passwd"
    assert file_stem("Ventas año 2024") == "Ventas_año_2024"
    assert file_stem("con") == "con_"
    with pytest.raises(ValueError, match="empty file name"):
        file_stem("../")


def _expect_error(root: Path, file: str, fragment: str) -> None:
    with pytest.raises(ProjectError) as info:
        read_project_dir(root)
    assert info.value.path == file, str(info.value)
    assert str(info.value).startswith(f"{file}: ")
    assert fragment in str(info.value)


def _edit_json(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def test_unknown_project_key(project_dir: Path) -> None:
    _edit_json(project_dir / "project.json", owner="me")
    _expect_error(project_dir, "project.json", "owner: Extra inputs are not permitted")


def test_unknown_project_format_version(project_dir: Path) -> None:
    _edit_json(project_dir / "project.json", format_version=2)
    _expect_error(project_dir, "project.json", "unknown project format version 2")


def test_unknown_pipeline_format_version(project_dir: Path) -> None:
    _edit_json(project_dir / "pipelines" / "empty.json", format_version=7)
    _expect_error(project_dir, "pipelines/empty.json", "unknown pipeline format version 7")


def test_invalid_pipeline_names_file(project_dir: Path) -> None:
    path = project_dir / "pipelines" / "Daily_orders.json"
    data = json.loads(path.read_text())
    data["edges"][0]["target"]["node"] = "no-such-node"
    path.write_text(json.dumps(data))
    _expect_error(
        project_dir,
        "pipelines/Daily_orders.json",
        "invalid pipeline: an edge refers to a node that does not exist",
    )


def test_invalid_json_names_file(project_dir: Path) -> None:
    (project_dir / "pipelines" / "empty.json").write_text('{"name": "empty",')
    _expect_error(project_dir, "pipelines/empty.json", "invalid JSON")


def test_duplicate_json_key(project_dir: Path) -> None:
    (project_dir / "pipelines" / "empty.json").write_text('{"name": "empty", "name": "x"}')
    _expect_error(project_dir, "pipelines/empty.json", "the key 'name' appears twice")


def test_not_utf8(project_dir: Path) -> None:
    (project_dir / "connections" / "shop.json").write_bytes(b'{"name": "sh\xffop"}')
    _expect_error(project_dir, "connections/shop.json", "not UTF-8")


def test_file_name_must_match_name(project_dir: Path) -> None:
    os.rename(project_dir / "pipelines" / "empty.json", project_dir / "pipelines" / "other.json")
    _expect_error(project_dir, "pipelines/other.json", "does not match the name 'empty'")


def test_connection_unknown_key(project_dir: Path) -> None:
    _edit_json(project_dir / "connections" / "shop.json", password="hunter2")
    _expect_error(project_dir, "connections/shop.json", "password: Extra inputs")


def test_unexpected_entries(project_dir: Path) -> None:
    (project_dir / "pipelines" / "notes.txt").write_text("hi")
    _expect_error(project_dir, "pipelines/notes.txt", "only *.json files")


def test_symlink_in_data_refused(project_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("s")
    os.symlink(tmp_path / "secret.txt", project_dir / "data" / "link.txt")
    _expect_error(project_dir, "data/link.txt", "symbolic links are not allowed")


def test_foreign_files_ignored(project_dir: Path) -> None:
    (project_dir / "README.md").write_text("# shop")
    (project_dir / ".git").mkdir()
    (project_dir / "pipelines" / ".gitkeep").write_text("")
    assert read_project_dir(project_dir) == read_project_dir(project_dir)
    assert sorted(read_project_dir(project_dir).pipelines) == ["Daily orders", "empty"]


def test_missing_project_json(tmp_path: Path) -> None:
    _expect_error(tmp_path, "project.json", "not a Cauce project")
    with pytest.raises(ProjectError, match="no such project"):
        load_project(tmp_path / "nowhere")
    (tmp_path / "x.cauce").write_text("not a zip")
    with pytest.raises(ProjectError, match="neither a project directory nor a .cauce bundle"):
        load_project(tmp_path / "x.cauce")


def test_committed_schemas_match_models() -> None:
    stale = [
        name
        for name, data in schema_documents().items()
        if not (SCHEMA_DIR / name).is_file() or (SCHEMA_DIR / name).read_bytes() != data
    ]
    assert not stale, f"docs/schema is out of date ({', '.join(stale)}): run `{REGENERATE}`"


def test_write_schemas(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "schema")
    assert sorted(p.name for p in written) == sorted(schema_documents())
    pipeline_schema = json.loads((tmp_path / "schema" / "pipeline.schema.json").read_text())
    assert pipeline_schema["additionalProperties"] is False
