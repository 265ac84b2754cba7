"""The structural diff and the three-way merge on small pipelines (pure, no I/O)."""

from __future__ import annotations

from app.model.diff import diff_pipelines
from app.model.merge import CONFLICT_KEY, merge_pipelines
from app.model.pipeline import Pipeline


def _base() -> Pipeline:
    p = Pipeline(name="p")
    a = p.add_node("source", name="a", params={"table": "t"}, position=(0, 0))
    b = p.add_node("filter", name="b", params={"condition": "x > 1"}, position=(100, 0))
    p.connect(a.id, "out", b.id, "in")
    return p


def _copy(p: Pipeline) -> Pipeline:
    return Pipeline.model_validate(p.model_dump())


def test_diff_lists_added_removed_params_and_edges_and_hides_moves() -> None:
    old = _base()
    new = _copy(old)
    b = new.node_by_name("b")
    c = new.add_node("sort", name="c", params={"keys": [{"column": "x"}]})
    new.connect(b.id, "out", c.id, "in")
    new.set_params(b.id, {"condition": "x > 2", "extra": [1]})
    new.move(b.id, 5, 5)
    d = diff_pipelines(old, new)
    assert [n.name for n in d.added] == ["c"] and not d.removed
    assert [(p.path, p.old, p.new, p.added) for p in d.params] == [
        ("condition", "x > 1", "x > 2", False),
        ("extra[0]", None, 1, True),
    ]
    assert d.edges_added == ["b.out -> c.in"] and not d.moved and d.layout_changed
    assert d.changed_node_ids() == {c.id: "added", b.id: "changed"}
    back = diff_pipelines(new, old)
    assert [n.name for n in back.removed] == ["c"] and back.edges_removed == ["b.out -> c.in"]


def test_move_only_is_layout_only() -> None:
    old = _base()
    new = _copy(old)
    new.move(new.node_by_name("a").id, 9, 9)
    d = diff_pipelines(old, new)
    assert d.layout_only and d.lines() == []
    assert len(diff_pipelines(old, new, with_layout=True).moved) == 1
    assert diff_pipelines(old, _copy(old)).empty


def test_merge_takes_each_side_and_unions_edges() -> None:
    base = _base()
    ours, theirs = _copy(base), _copy(base)
    ours.rename_node(ours.node_by_name("a").id, "src")
    c = theirs.add_node("sort", name="c")
    theirs.connect(theirs.node_by_name("b").id, "out", c.id, "in")
    merged, conflicts = merge_pipelines(base.canonical(), ours.canonical(), theirs.canonical())
    assert conflicts == []
    p = Pipeline.model_validate(merged)
    assert {n.name for n in p.nodes} == {"src", "b", "c"} and len(p.edges) == 2


def test_merge_conflicts_on_the_same_value_and_on_delete_versus_edit() -> None:
    base = _base()
    ours, theirs = _copy(base), _copy(base)
    b = base.node_by_name("b").id
    ours.set_params(b, {"condition": "x > 5"})
    theirs.set_params(b, {"condition": "x > 6"})
    merged, conflicts = merge_pipelines(base.canonical(), ours.canonical(), theirs.canonical())
    assert conflicts == ["node 'b'.params.condition"]
    node = next(n for n in merged["nodes"] if n["id"] == b)
    assert node["params"]["condition"][CONFLICT_KEY]["theirs"] == "x > 6"
    gone = _copy(base)
    gone.remove_node(b)
    _, conflicts = merge_pipelines(base.canonical(), ours.canonical(), gone.canonical())
    assert conflicts == ["node 'b'"]
    # removed on one side, untouched on the other: removed, with its edges
    merged, conflicts = merge_pipelines(base.canonical(), _copy(base).canonical(), gone.canonical())
    assert conflicts == [] and len(merged["nodes"]) == 1 and merged["edges"] == []
