"""Partial runs: "run up to this node" and "run the selected branch" compile and run only a
sub-graph, so a broken node elsewhere does not block them (it still blocks a whole run)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.engine.compiler import CompileError
from app.engine.executor import NodeStatus, run_pipeline
from app.engine.partial import branch, up_to
from app.model.pipeline import Pipeline

from .test_executor import _has_table, provider, read_result


def two_branches() -> Pipeline:
    """genres -> keep -> dst_a ; tracks -> dst_b ; genres + tracks -> join -> dst_c ; and a
    broken filter connected to nothing (no input)."""
    p = Pipeline(name="two")
    genres = p.add_node("source", name="genres", params={"connection": "chinook", "table": "Genre"})
    keep = p.add_node("filter", name="keep", params={"condition": "GenreId <= 5"})
    dst_a = p.add_node(
        "destination",
        name="dst_a",
        params={"connection": "warehouse", "table": "a", "mode": "replace"},
    )
    tracks = p.add_node(
        "source", name="tracks", params={"connection": "chinook", "table": "MediaType"}
    )
    dst_b = p.add_node(
        "destination",
        name="dst_b",
        params={"connection": "warehouse", "table": "b", "mode": "replace"},
    )
    p.add_node("filter", name="broken", params={"condition": "NoSuchColumn = 1"})
    p.connect(genres.id, "out", keep.id, "in")
    p.connect(keep.id, "out", dst_a.id, "in")
    p.connect(tracks.id, "out", dst_b.id, "in")
    return p


def names(p: Pipeline) -> set[str]:
    return {n.name for n in p.nodes}


def test_up_to_a_node_is_the_node_and_its_ancestors() -> None:
    p = two_branches()
    part = up_to(p, [p.node_by_name("keep").id])
    assert names(part.pipeline) == {"genres", "keep"}
    assert len(part.pipeline.edges) == 1
    assert part.previews == {p.node_by_name("keep").id}  # not a destination: counted only
    part = up_to(p, [p.node_by_name("dst_a").id])
    assert names(part.pipeline) == {"genres", "keep", "dst_a"} and not part.previews


def test_a_branch_adds_the_destinations_fed_only_by_included_nodes() -> None:
    p = two_branches()
    join = p.add_node("join", name="both", params={"condition": "true"})
    dst_c = p.add_node(
        "destination",
        name="dst_c",
        params={"connection": "warehouse", "table": "c", "mode": "replace"},
    )
    p.connect(p.node_by_name("keep").id, "out", join.id, "left")
    p.connect(p.node_by_name("tracks").id, "out", join.id, "right")
    p.connect(join.id, "out", dst_c.id, "in")
    part = branch(p, [p.node_by_name("genres").id, p.node_by_name("keep").id])
    # dst_a depends only on the selection; dst_c also on tracks, which is not selected
    assert names(part.pipeline) == {"genres", "keep", "dst_a"}
    assert not part.previews
    part = branch(p, [p.node_by_name("keep").id, p.node_by_name("tracks").id])
    # ancestors (genres) come along; the join is not selected, so dst_c is not included
    assert names(part.pipeline) == {"genres", "keep", "dst_a", "tracks", "dst_b"}
    part = branch(p, [p.node_by_name("tracks").id, p.node_by_name("both").id])
    assert names(part.pipeline) == {"genres", "keep", "tracks", "both", "dst_b", "dst_c"}
    with pytest.raises(ValueError):
        branch(p, [])


def test_a_broken_unconnected_node_blocks_the_whole_run_but_not_a_partial_one(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    p = two_branches()
    with provider(tmp_path, chinook_sqlite) as prov:
        with pytest.raises(CompileError) as info:
            run_pipeline(p, prov)
        assert {pr.node_name for pr in info.value.problems} >= {"broken"}
        assert not _has_table(tmp_path, "a")
        part = up_to(p, [p.node_by_name("dst_a").id])
        report = run_pipeline(part.pipeline, prov, previews=part.previews)
    assert report.ok, report.error
    assert [r[0] for r in read_result(tmp_path, "a")] == [1, 2, 3, 4, 5]
    assert not _has_table(tmp_path, "b")  # the other branch did not run
    assert {n.name for n in report.nodes} == {"genres", "keep", "dst_a"}


def test_running_up_to_a_transform_counts_its_output_and_writes_nothing(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    p = two_branches()
    part = up_to(p, [p.node_by_name("keep").id])
    with provider(tmp_path, chinook_sqlite) as prov:
        report = run_pipeline(part.pipeline, prov, previews=part.previews)
    assert report.ok, report.error
    with sqlite3.connect(chinook_sqlite) as con:  # the same count, asked of SQLite itself
        expected = con.execute("SELECT count(*) FROM Genre WHERE GenreId <= 5").fetchone()[0]
    assert report.node("keep").rows_out == expected == 5
    assert report.node("keep").status is NodeStatus.SUCCEEDED
    assert report.node("genres").status is NodeStatus.SUCCEEDED
    assert not (tmp_path / "wh.duckdb").exists() or not _has_table(tmp_path, "a")
    assert report.plan is not None and report.plan["stages"][0]["placement"] == "preview"


def test_a_partial_run_of_the_broken_node_still_reports_its_problem(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    p = two_branches()
    part = up_to(p, [p.node_by_name("broken").id])
    with provider(tmp_path, chinook_sqlite) as prov, pytest.raises(CompileError) as info:
        run_pipeline(part.pipeline, prov, previews=part.previews)
    assert {pr.node_name for pr in info.value.problems} == {"broken"}
