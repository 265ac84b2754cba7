"""The pipeline model: editing, ordering, canonical JSON, semantic hash."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from app.model.pipeline import GraphError, Pipeline


def chain(n: int = 3) -> Pipeline:
    p = Pipeline(name="chain")
    prev = p.add_node("source", name="n0", params={"connection": "c", "table": "t"})
    for i in range(1, n):
        node = p.add_node(
            "filter", name=f"n{i}", params={"condition": "true"}, position=(i * 100, 0)
        )
        p.connect(prev.id, "out", node.id, "in")
        prev = node
    return p


def test_topological_order_follows_edges() -> None:
    p = chain(5)
    assert [n.name for n in p.topological_order()] == ["n0", "n1", "n2", "n3", "n4"]


def test_cycle_is_reported_with_the_nodes_involved() -> None:
    p = chain(3)
    p.connect(p.node_by_name("n2").id, "out", p.node_by_name("n1").id, "in")
    with pytest.raises(GraphError, match="cycle") as info:
        p.topological_order()
    assert info.value.node_id in {p.node_by_name("n1").id, p.node_by_name("n2").id}


def test_canonical_json_is_byte_stable_and_sorted() -> None:
    p = chain(4)
    text = p.to_json()
    again = Pipeline.from_json(text).to_json()
    assert text == again
    data = json.loads(text)
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(ids)


def test_moving_a_node_is_not_a_semantic_change() -> None:
    p = chain(3)
    before = p.semantic_hash()
    p.move(p.node_by_name("n1").id, 999, 999)
    assert p.semantic_hash() == before
    p.node_by_name("n1").params["condition"] = "false"
    assert p.semantic_hash() != before


def test_unknown_format_version_is_rejected_with_the_version() -> None:
    data = json.loads(chain(2).to_json())
    data["format_version"] = 99
    with pytest.raises(ValidationError, match="unknown pipeline format version 99"):
        Pipeline.model_validate(data)


def test_edges_must_point_at_existing_nodes() -> None:
    data = json.loads(chain(2).to_json())
    data["edges"][0]["target"]["node"] = "nope"
    with pytest.raises(ValidationError, match="does not exist: nope"):
        Pipeline.model_validate(data)


def test_node_names_are_unique() -> None:
    p = chain(2)
    with pytest.raises(GraphError, match="already exists"):
        p.add_node("filter", name="n1")
    assert p.unique_name("n1") == "n1_2"


def test_remove_node_returns_what_undo_needs() -> None:
    p = chain(3)
    mid = p.node_by_name("n1")
    node, edges = p.remove_node(mid.id)
    assert node.name == "n1" and len(edges) == 2
    assert all(mid.id not in (e.source.node, e.target.node) for e in p.edges)
    assert mid.id not in p.layout
