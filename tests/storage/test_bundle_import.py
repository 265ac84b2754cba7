"""Export, round trip, dry-run import plans, and atomic application."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pytest
from pydantic import Field

from app.connectors.base import Capabilities, Connector, ConnectorConfig, TableInfo
from app.connectors.registry import connector_registry
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.storage import bundle_import
from app.storage.bundles import (
    BundleError,
    ChangeKind,
    apply_import,
    export_bundle,
    inspect_bundle,
    plan_import,
)
from app.storage.project import (
    Project,
    ProjectError,
    ProjectMeta,
    load_project,
    read_project_dir,
    save_project,
)

WHEN = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)


def make_project() -> Project:
    orders = Pipeline(name="orders", id="00000000-0000-4000-8000-00000000000a")
    orders.add_node(
        "source", name="src", params={"connection": "shop"}, position=(0, 0), node_id="n1"
    )
    orders.add_node(
        "filter", name="big", params={"condition": "amount > 1"}, position=(9, 9), node_id="n2"
    )
    orders.connect("n1", "out", "n2", "in")
    return Project(
        meta=ProjectMeta(name="Shop", id="00000000-0000-4000-8000-000000000001"),
        connections={
            "shop": Connection(name="shop", type="sqlite", params={"path": "x.db"}),
            "old": Connection(name="old", type="sqlite", params={"path": "y.db"}),
        },
        pipelines={
            "orders": orders,
            "stale": Pipeline(name="stale", id="00000000-0000-4000-8000-00000000000b"),
        },
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "source"
    save_project(make_project(), root)
    (root / "data" / "lookups").mkdir(parents=True)
    (root / "data" / "lookups" / "countries.csv").write_text("code,name\nES,Spain\n")
    (root / "data" / "sample.csv").write_bytes(os.urandom(2048))
    return root


def test_round_trip_dir_bundle_dir_is_byte_identical(source: Path, tmp_path: Path) -> None:
    bundle = export_bundle(source, tmp_path / "shop.cauce", created_at=WHEN)
    target = tmp_path / "imported"
    apply_import(plan_import(bundle, target))
    assert snapshot(target) == snapshot(source)
    again = export_bundle(target, tmp_path / "again.cauce", created_at=WHEN)
    assert again.read_bytes() == bundle.read_bytes()  # exports are reproducible
    with load_project(bundle) as opened:
        assert snapshot(opened.root) == snapshot(source)
        assert opened.project == read_project_dir(source)


def test_bundle_manifest(source: Path, tmp_path: Path) -> None:
    bundle = export_bundle(source, tmp_path / "shop.cauce", created_at=WHEN)
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["format_version"] == 1 and manifest["created_at"] == "2026-01-31T12:00:00Z"
    assert set(manifest["members"]) | {"manifest.json"} == names
    assert "data/sample.csv" in names
    contents = inspect_bundle(bundle)
    assert contents.manifest.members == manifest["members"]
    without = export_bundle(source, tmp_path / "nodata.cauce", include_data=False)
    assert inspect_bundle(without).data_files == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_export_from_model_needs_data_root(source: Path, tmp_path: Path) -> None:
    project = read_project_dir(source)
    with pytest.raises(BundleError, match="data_root"):
        export_bundle(project, tmp_path / "a.cauce")
    export_bundle(project, tmp_path / "a.cauce", data_root=source)
    assert inspect_bundle(tmp_path / "a.cauce").data_files == read_project_dir(source).data_files


class _KvConfig(ConnectorConfig):
    key_column: str = Field("id", json_schema_extra={"secret": False})
    url: str = ""


class _KvConnector(Connector):
    type_name = "test_kv_store"
    label = "KV (test)"
    Config = _KvConfig
    capabilities: ClassVar[Capabilities] = Capabilities(dialect="duckdb")

    def test(self) -> None: ...

    def list_tables(self) -> list[TableInfo]:
        return []

    def table_schema(self, table: str) -> pa.Schema:
        return pa.schema([])

    def read(
        self, *, table: str | None = None, query: str | None = None, batch_rows: int = 1
    ) -> pa.RecordBatchReader:
        raise NotImplementedError


@pytest.mark.parametrize(
    "params, bad",
    [
        ({"password": "hunter2"}, "password"),
        ({"apiToken": "x"}, "apiToken"),
        ({"options": {"aws_secret_access_key": "x"}}, "options.aws_secret_access_key"),
        ({"key_column": "id"}, "key_column"),  # not declared non-secret by the sqlite type
    ],
)
def test_export_refuses_secret_looking_params(
    tmp_path: Path, params: dict[str, Any], bad: str
) -> None:
    project = make_project()
    project.connections["shop"] = Connection(name="shop", type="sqlite", params=params)
    with pytest.raises(BundleError, match=f"connections/shop.json: parameter {bad} looks like"):
        export_bundle(project, tmp_path / "a.cauce")
    assert list(tmp_path.iterdir()) == []


def test_connector_can_declare_a_param_non_secret(tmp_path: Path) -> None:
    connector_registry().register(_KvConnector)
    project = make_project()
    project.connections["kv"] = Connection(
        name="kv", type="test_kv_store", params={"key_column": "sku", "url": "kv://"}
    )
    export_bundle(project, tmp_path / "a.cauce")
    project.connections["kv"].params["token"] = "t"
    with pytest.raises(BundleError, match="parameter token looks like a secret"):
        export_bundle(project, tmp_path / "b.cauce")


def _edit_source(source: Path) -> None:
    """Change the source project in every way a plan distinguishes."""
    project = read_project_dir(source)
    project.pipelines["orders"].move("n1", 500, 500)  # layout only
    changed = Pipeline(name="new", id="00000000-0000-4000-8000-00000000000c")
    project.pipelines["new"] = changed  # added
    del project.pipelines["stale"]  # removed
    project.connections["shop"].params["path"] = "z.db"  # changed
    save_project(project, source)
    (source / "data" / "sample.csv").write_bytes(b"changed")
    (source / "data" / "lookups" / "countries.csv").unlink()
    (source / "data" / "new.csv").write_text("a\n")


def test_plan_lists_changes(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    apply_import(plan_import(export_bundle(source, tmp_path / "v1.cauce"), target))
    (target / "README.md").write_text("kept")
    _edit_source(source)
    before = snapshot(target)
    plan = plan_import(export_bundle(source, tmp_path / "v2.cauce"), target)
    assert snapshot(target) == before  # a plan writes nothing
    assert plan.of("pipeline", ChangeKind.LAYOUT) == ["orders"]
    assert plan.of("pipeline", ChangeKind.ADDED) == ["new"]
    assert plan.of("pipeline", ChangeKind.REMOVED) == ["stale"]
    assert plan.of("connection", ChangeKind.CHANGED) == ["shop"]
    assert plan.of("connection", ChangeKind.UNCHANGED) == ["old"]
    assert plan.of("data", ChangeKind.CHANGED) == ["data/sample.csv"]
    assert plan.of("data", ChangeKind.ADDED) == ["data/new.csv"]
    assert plan.of("data", ChangeKind.REMOVED) == ["data/lookups/countries.csv"]
    assert plan.of("project", ChangeKind.UNCHANGED) == ["Shop"]
    assert plan.kept == ("README.md",)
    text = "\n".join(plan.describe())
    assert "~ connection shop: changed (differs in params.path)" in text
    assert "~ pipeline orders: layout only (only node positions moved)" in text
    assert "- pipeline stale: removed" in text
    assert "= kept README.md" in text
    apply_import(plan)
    assert snapshot(target) == {**snapshot(source), "README.md": b"kept"}


def test_semantic_change_is_reported(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    apply_import(plan_import(export_bundle(source, tmp_path / "v1.cauce"), target))
    project = read_project_dir(source)
    project.pipelines["orders"].node("n2").params["condition"] = "amount > 2"
    save_project(project, source)
    plan = plan_import(export_bundle(source, tmp_path / "v2.cauce"), target)
    assert plan.of("pipeline", ChangeKind.CHANGED) == ["orders"]
    assert "0 node(s) added, 0 removed, 1 changed" in "\n".join(plan.describe())
    same = plan_import(export_bundle(target, tmp_path / "v3.cauce"), target)
    assert not same.has_changes


def test_apply_is_atomic_when_swap_fails(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "target"
    apply_import(plan_import(export_bundle(source, tmp_path / "v1.cauce"), target))
    _edit_source(source)
    plan = plan_import(export_bundle(source, tmp_path / "v2.cauce"), target)
    before, siblings = snapshot(target), sorted(tmp_path.iterdir())
    real_rename, calls = os.rename, []

    def failing_rename(src: Any, dst: Any) -> None:
        calls.append((src, dst))
        if len(calls) == 2:  # old already moved aside; the new one fails to move in
            raise OSError("simulated crash")
        real_rename(src, dst)

    monkeypatch.setattr(bundle_import.os, "rename", failing_rename)
    with pytest.raises(OSError, match="simulated crash"):
        apply_import(plan)
    monkeypatch.undo()
    assert len(calls) == 3  # aside, (failed) in, back
    assert snapshot(target) == before
    assert sorted(tmp_path.iterdir()) == siblings


def test_apply_is_atomic_when_building_fails(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "target"
    apply_import(plan_import(export_bundle(source, tmp_path / "v1.cauce"), target))
    (target / ".git").mkdir()
    _edit_source(source)
    plan = plan_import(export_bundle(source, tmp_path / "v2.cauce"), target)
    before, siblings = snapshot(target), sorted(tmp_path.iterdir())

    def broken_copy(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(bundle_import, "_copy_kept", broken_copy)
    with pytest.raises(OSError, match="disk full"):
        apply_import(plan)
    assert snapshot(target) == before
    assert sorted(tmp_path.iterdir()) == siblings


def test_bundle_replaced_after_plan_writes_nothing(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    bundle = export_bundle(source, tmp_path / "shop.cauce")
    plan = plan_import(bundle, target)
    _edit_source(source)
    export_bundle(source, bundle)  # someone swaps the file between plan and apply
    siblings = sorted(tmp_path.iterdir())
    with pytest.raises(BundleError, match="changed since it was inspected"):
        apply_import(plan)
    assert not target.exists()
    assert sorted(tmp_path.iterdir()) == siblings


def test_target_changed_after_plan(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    apply_import(plan_import(export_bundle(source, tmp_path / "v1.cauce"), target))
    plan = plan_import(tmp_path / "v1.cauce", target)
    (target / "pipelines" / "stale.json").unlink()
    with pytest.raises(ProjectError, match="changed since the import was planned"):
        apply_import(plan)


def test_refuses_to_replace_a_non_project(source: Path, tmp_path: Path) -> None:
    bundle = export_bundle(source, tmp_path / "shop.cauce")
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    with pytest.raises(ProjectError, match="not a Cauce project"):
        plan_import(bundle, home)
    (home / "thesis.tex").unlink()
    plan = plan_import(bundle, home)  # an empty directory is fine
    assert plan.of("project", ChangeKind.ADDED) == ["Shop"]


def test_imported_directory_permissions(source: Path, tmp_path: Path) -> None:
    bundle = export_bundle(source, tmp_path / "shop.cauce")
    target = tmp_path / "target"
    apply_import(plan_import(bundle, target))
    assert target.stat().st_mode & 0o777 == 0o755  # not mkdtemp's private 0o700
    target.chmod(0o750)
    apply_import(plan_import(bundle, target))
    assert target.stat().st_mode & 0o777 == 0o750


def test_export_checks_the_model(source: Path, tmp_path: Path) -> None:
    project = read_project_dir(source)
    project.pipelines["renamed"] = project.pipelines.pop("orders")
    with pytest.raises(ProjectError, match="filed under the key 'renamed'"):
        export_bundle(project, tmp_path / "a.cauce", data_root=source)
    project = read_project_dir(source)
    (source / "data" / "sample.csv").unlink()
    with pytest.raises(BundleError, match="data/sample.csv: cannot be read"):
        export_bundle(project, tmp_path / "a.cauce", data_root=source)
    assert not (tmp_path / "a.cauce").exists()


def test_public_surface() -> None:
    from app.storage import bundles, project

    assert sorted(project.__all__) == [
        "OpenProject",
        "Project",
        "ProjectError",
        "ProjectMeta",
        "SCHEMA_FILES",
        "SaveResult",
        "load_project",
        "read_project_dir",
        "save_project",
        "write_atomic",
    ]
    assert sorted(bundles.__all__) == [
        "BUNDLE_SUFFIX",
        "BundleContents",
        "BundleError",
        "BundleLimits",
        "Change",
        "ChangeKind",
        "DEFAULT_LIMITS",
        "ImportPlan",
        "Manifest",
        "apply_import",
        "export_bundle",
        "extract_bundle",
        "inspect_bundle",
        "looks_secret",
        "plan_import",
        "secret_like_params",
    ]
    for module in (bundles, project):
        assert all(hasattr(module, name) for name in module.__all__)
