"""The pipeline tells its listeners of every edit, and listeners leave no trace in the data."""

from __future__ import annotations

import copy
import logging
import pickle
import threading

import pytest

from app.model.changes import (
    EdgeAdded,
    EdgeRemoved,
    NodeAdded,
    NodeMoved,
    NodeRemoved,
    NodeRenamed,
    ParamsChanged,
)
from app.model.pipeline import Edge, GraphError, Node, Pipeline, PortRef, Position


@pytest.fixture
def pipeline() -> Pipeline:
    p = Pipeline(name="demo")
    a = p.add_node("source", name="orders", params={"table": "orders"}, position=(0, 0))
    b = p.add_node("filter", name="big", params={"condition": "amount > 1"})
    p.connect(a.id, "out", b.id, "in")
    return p


def _recorder(pipeline: Pipeline) -> list[object]:
    seen: list[object] = []
    pipeline.subscribe(seen.append)
    return seen


def test_add_node_tells_node_added_with_its_position(pipeline: Pipeline) -> None:
    seen = _recorder(pipeline)
    node = pipeline.add_node("sort", position=(10, 20))
    assert seen == [NodeAdded(node)]
    assert pipeline.layout[node.id] == Position(x=10, y=20)  # placed before the listener runs


def test_insert_node_puts_back_an_existing_node(pipeline: Pipeline) -> None:
    seen = _recorder(pipeline)
    node = Node(type="sort", name="sorted", description="kept")
    pipeline.insert_node(node, Position(x=1, y=2))
    assert pipeline.node(node.id) is node
    assert seen == [NodeAdded(node)]
    with pytest.raises(GraphError):
        pipeline.insert_node(Node(type="sort", name="sorted"))
    with pytest.raises(GraphError):
        pipeline.insert_node(node.model_copy(update={"name": "other"}))
    assert len(seen) == 1


def test_remove_node_tells_its_edges_then_the_node(pipeline: Pipeline) -> None:
    big = pipeline.node_by_name("big")
    edge = pipeline.edges[0]
    seen = _recorder(pipeline)
    pipeline.remove_node(big.id)
    assert seen == [EdgeRemoved(edge), NodeRemoved(big)]


def test_rename_node(pipeline: Pipeline) -> None:
    big = pipeline.node_by_name("big")
    seen = _recorder(pipeline)
    pipeline.rename_node(big.id, "huge")
    assert big.name == "huge"
    assert seen == [NodeRenamed(big.id, "big", "huge")]


def test_rename_refuses_a_taken_or_blank_name_and_tells_nothing(pipeline: Pipeline) -> None:
    big = pipeline.node_by_name("big")
    seen = _recorder(pipeline)
    with pytest.raises(GraphError):
        pipeline.rename_node(big.id, "orders")
    with pytest.raises(ValueError):
        pipeline.rename_node(big.id, "  ")
    pipeline.rename_node(big.id, "big")  # the same name: no change
    assert big.name == "big" and seen == []


def test_set_params_replaces_them_and_tells(pipeline: Pipeline) -> None:
    big = pipeline.node_by_name("big")
    given = {"condition": "amount > 2"}
    seen = _recorder(pipeline)
    pipeline.set_params(big.id, given)
    given["condition"] = "changed afterwards"
    assert big.params == {"condition": "amount > 2"}  # the model keeps its own copy
    assert seen == [ParamsChanged(big.id)]


def test_connect_and_disconnect_tell_the_edge(pipeline: Pipeline) -> None:
    a, b = pipeline.node_by_name("orders"), pipeline.node_by_name("big")
    old = pipeline.edges[0]
    seen = _recorder(pipeline)
    pipeline.disconnect(old)
    edge = pipeline.connect(a.id, "out", b.id, "in")
    assert seen == [EdgeRemoved(old), EdgeAdded(edge)]


def test_add_edge_keeps_the_given_edge_and_refuses_a_duplicate(pipeline: Pipeline) -> None:
    a, b = pipeline.node_by_name("orders"), pipeline.node_by_name("big")
    c = pipeline.add_node("sort")
    edge = Edge(source=PortRef(node=b.id, port="out"), target=PortRef(node=c.id, port="in"))
    seen = _recorder(pipeline)
    assert pipeline.add_edge(edge) is edge
    with pytest.raises(GraphError):
        pipeline.add_edge(pipeline.edges[0])
    with pytest.raises(GraphError):
        pipeline.add_edge(
            Edge(source=PortRef(node=a.id, port="out"), target=PortRef(node="nope", port="in"))
        )
    assert seen == [EdgeAdded(edge)]


def test_move_and_unplace(pipeline: Pipeline) -> None:
    a = pipeline.node_by_name("orders")
    seen = _recorder(pipeline)
    pipeline.move(a.id, 5, 6)
    pipeline.unplace(a.id)
    assert a.id not in pipeline.layout
    assert seen == [NodeMoved(a.id, Position(x=5, y=6)), NodeMoved(a.id, None)]


def test_unsubscribe_stops_the_changes(pipeline: Pipeline) -> None:
    seen: list[object] = []
    unsubscribe = pipeline.subscribe(seen.append)
    pipeline.add_node("sort")
    unsubscribe()
    unsubscribe()  # twice is harmless
    pipeline.add_node("sort")
    assert len(seen) == 1


def test_a_failing_listener_is_logged_and_the_edit_stands(
    pipeline: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(change: object) -> None:
        raise RuntimeError("listener bug")

    pipeline.subscribe(broken)
    seen = _recorder(pipeline)
    with caplog.at_level(logging.ERROR, logger="app.model.pipeline"):
        node = pipeline.add_node("sort")
    assert pipeline.node(node.id) is node
    assert seen == [NodeAdded(node)]  # the next listener still heard of it
    assert "listener bug" in caplog.text


def test_listeners_change_neither_json_nor_hash_nor_equality(pipeline: Pipeline) -> None:
    text, digest = pipeline.to_json(), pipeline.semantic_hash()
    twin = Pipeline.from_json(text)
    pipeline.subscribe(lambda change: None)
    assert pipeline.to_json() == text
    assert pipeline.semantic_hash() == digest
    assert pipeline == twin
    assert "listener" not in text


def test_copies_do_not_carry_the_listeners(pipeline: Pipeline) -> None:
    seen = _recorder(pipeline)
    lock = threading.Lock()  # neither copied nor pickled: a listener holding one still works
    pipeline.subscribe(lambda change: lock.locked())
    for make in (
        lambda p: p.model_copy(),
        lambda p: p.model_copy(deep=True),
        copy.copy,
        copy.deepcopy,
        lambda p: pickle.loads(pickle.dumps(p)),
        lambda p: Pipeline.model_validate(p.model_dump()),
    ):
        twin = make(pipeline)
        assert twin == pipeline
        twin.move(twin.nodes[0].id, 1, 1)
    assert seen == []


def test_set_execution_tells_once_and_is_saved() -> None:
    from app.model.changes import ExecutionChanged
    from app.model.pipeline import Pipeline

    pipeline = Pipeline(name="p")
    seen: list[object] = []
    pipeline.subscribe(seen.append)
    pipeline.set_execution("local")
    pipeline.set_execution("local")  # the same value: nothing changes, nothing is told
    assert seen == [ExecutionChanged("local")]
    assert Pipeline.from_json(pipeline.to_json()).execution == "local"
    pipeline.set_execution("auto")
    assert "execution" not in pipeline.canonical()
    with pytest.raises(ValueError):
        pipeline.set_execution("remote")
    assert pipeline.execution == "auto"
