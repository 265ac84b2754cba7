"""``cauce profile PROJECT --pipeline P --node N``: the output of a node of the Chinook
example, profiled on the local engine, against statistics computed in Python over the node's
rows (read through the editor's preview, a different path: rows, not aggregates)."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.services.projects import open_document
from app.services.runs import preview_node
from tests.conftest import REPO
from tests.profile.conftest import histogram, plain

CHINOOK = REPO / "resources" / "examples" / "chinook"


def _node_rows(node: str) -> list[dict[str, Any]]:
    doc = open_document(CHINOOK)
    try:
        pipeline = doc.pipeline("revenue")
        target = pipeline.node_by_name(node)
        return preview_node(doc, pipeline, target.id, limit=1_000_000).to_pylist()
    finally:
        doc.close()


def _norm(value: Any, kind: str) -> Any:
    """JSON reports decimals as text: numbers compared as floats, the rest as ``plain``."""
    return round(float(value), 6) if kind == "numeric" and value is not None else plain(value)


def _profile(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli, ["profile", str(CHINOOK), "--pipeline", "revenue", "--json", "--trust", *args]
    )
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout)


@pytest.mark.parametrize("node", ["amounts", "by_country_genre_year", "mart"])
def test_node_profile_matches_python(node: str) -> None:
    report = _profile("--node", node)
    rows = _node_rows("ordered" if node == "mart" else node)  # a destination shows its input
    assert report["rows"] == len(rows) > 0
    assert report["duplicate_rows"] == len(rows) - len({tuple(r.values()) for r in rows})
    for c in report["columns"]:
        values = [r[c["name"]] for r in rows if r[c["name"]] is not None]
        where = f"{node}.{c['name']}"
        assert c["nulls"] == len(rows) - len(values), where
        assert c["distinct"] == len(set(values)), where
        if not values:
            continue
        ordered = sorted(values)
        kind = c["kind"]
        assert _norm(c["min"], kind) == _norm(ordered[0], kind), where
        assert _norm(c["max"], kind) == _norm(ordered[-1], kind), where
        counts = Counter(values)
        assert [t["count"] for t in c["top"]] == sorted(counts.values(), reverse=True)[:10]
        if c["kind"] in ("numeric", "temporal"):
            want = {
                f"p{round(p * 100)}": _norm(
                    ordered[max(1, math.ceil(p * len(ordered) - 1e-9)) - 1], kind
                )
                for p in (0.05, 0.25, 0.5, 0.75, 0.95)
            }
            assert {k: _norm(v, kind) for k, v in c["quantiles"].items()} == want, where
        if c["kind"] == "numeric":
            floats = [float(v) for v in values]
            mean = sum(floats) / len(floats)
            assert math.isclose(c["mean"], mean, rel_tol=1e-9), where
            assert [b["count"] for b in c["histogram"]] == histogram(
                floats, min(floats), max(floats), 10
            ), where


def test_node_by_id_and_errors(tmp_path: Path) -> None:
    doc = open_document(CHINOOK)
    node_id = doc.pipeline("revenue").node_by_name("amounts").id
    doc.close()
    assert _profile("--node", node_id)["table"] == "revenue.amounts"
    result = CliRunner().invoke(
        cli, ["profile", str(CHINOOK), "--pipeline", "revenue", "--node", "nope", "--trust"]
    )
    assert result.exit_code == 2 and "nope" in result.stderr
    result = CliRunner().invoke(cli, ["profile", str(CHINOOK), "--pipeline", "revenue"])
    assert result.exit_code == 2 and "--node" in result.stderr


def test_a_bundles_node_is_profiled_only_once_trusted(tmp_path: Path) -> None:
    from app.services.bundles import export_project

    bundle = tmp_path / "chinook.cauce"
    export_project(CHINOOK, bundle)
    args = ["profile", str(bundle), "--pipeline", "revenue", "--node", "amounts", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "--trust" in result.stdout + result.stderr
    result = CliRunner().invoke(cli, [*args, "--trust"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 2240


def test_a_node_downstream_of_tagged_columns_is_profiled_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: with a column tagged, the two compiles (tags, then with them) in one
    session left the node's output uncomputable ("column not found")."""
    import shutil

    from app.services.privacy import set_tags
    from app.services.profiling import profile_project_node
    from app.services.workspace import Workspace

    project = tmp_path / "chinook"
    shutil.copytree(CHINOOK, project)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    set_tags(project, "chinook", "Invoice", "BillingAddress", ["pii.address"], workspace=ws)
    profile = profile_project_node(project, "revenue", "lines_with_invoice", workspace=ws)
    rows = _node_rows("lines_with_invoice")
    assert profile.rows == len(rows) > 0
    [address] = [c for c in profile.columns if c.name == "BillingAddress"]
    real = {r["BillingAddress"] for r in rows}
    assert address.top and not any(t.value in real for t in address.top)


def test_the_editor_previews_and_profiles_a_join_below_tagged_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the editor compiles twice in one local session when the project has tags
    (tags, then with them); binding a source again gave it a new view name, the same as the
    next source's, so a join read one source twice ("column not found")."""
    import shutil

    from app.services.privacy import set_tags
    from app.services.profiling import profile_document_node
    from app.services.workspace import Workspace

    project = tmp_path / "chinook"
    shutil.copytree(CHINOOK, project)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    set_tags(project, "chinook", "Invoice", "BillingAddress", ["pii.address"], workspace=ws)
    rows = _node_rows("lines_with_invoice")  # the example without tags
    doc = open_document(project, workspace=ws)
    try:
        pipeline = doc.pipeline("revenue")
        target = pipeline.node_by_name("lines_with_invoice").id
        shown = preview_node(doc, pipeline, target, limit=None)
        assert shown.num_rows == len(rows)
        assert set(shown.column("BillingAddress").to_pylist()) <= {"****", None}
        assert profile_document_node(doc, pipeline, target).rows == len(rows)
    finally:
        doc.close()
