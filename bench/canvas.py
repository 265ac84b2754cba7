"""Canvas benchmark: open and draw a 500-node pipeline in the editor vs bare NodeGraphQt.

    QT_QPA_PLATFORM=offscreen uv run python bench/canvas.py [--nodes 500] [--repeat 3]

Editor: ``MainWindow.set_document`` (bridge builds the scene from the model, undo stack,
explorer, debounced check scheduled) then a first paint with ``grab()``. Bare: a
``NodeGraph`` with the same node classes (same ports and colours, but NodeGraphQt's stock
``NodeItem`` rather than the editor's ``CanvasNodeItem``), ``create_node`` + ``connect_to`` for
the same graph, then ``grab()`` of its widget (no framing: NodeGraphQt's ``zoom_to_nodes``
alone takes ~10 s for 500 nodes, the editor frames them its own way). Runs are interleaved
and the median of ``--repeat`` is reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings

from app.engine.graph import Pipeline

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

__all__ = ["make_pipeline"]
_KEEP: list[object] = []


def make_pipeline(count: int) -> Pipeline:
    """A chain of sources, filters and derives (``count`` nodes), laid out on a grid."""
    p = Pipeline(name=f"bench_{count}")
    previous = p.add_node("source", name="src", params={"connection": "db", "table": "t"},
                          position=(0, 0))
    for i in range(1, count):
        kind = "filter" if i % 2 else "derive"
        params = {"condition": "true"} if kind == "filter" else {
            "columns": [{"name": f"c{i}", "expression": "1"}]}
        node = p.add_node(kind, name=f"{kind}_{i}", params=params,
                          position=((i % 25) * 250.0, (i // 25) * 150.0))
        p.connect(previous.id, "out", node.id, "in")
        previous = node
    return p


def _editor_once(pipeline: Pipeline) -> float:
    from PySide6.QtWidgets import QApplication

    from app.services import editor as service
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    QApplication.processEvents()
    doc = service.new_document()
    doc.project.pipelines = {pipeline.name: Pipeline.model_validate(pipeline.model_dump())}
    started = time.perf_counter()
    window.set_document(doc, pipeline.name)
    window.grab()
    seconds = time.perf_counter() - started
    window.project_dirty = False
    window.shutdown()
    _KEEP.append(window)
    QApplication.processEvents()
    return seconds


def _bare_once(pipeline: Pipeline) -> float:
    from NodeGraphQt import NodeGraph
    from NodeGraphQt.qgraphics.node_base import NodeItem
    from PySide6.QtWidgets import QApplication

    from app.nodes.registry import node_registry
    from app.ui.canvas.view import node_class, node_type_id

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = NodeGraph()
    for component in node_registry().types():
        cls = node_class(component)  # same name, so the same type id, with the stock item
        graph.register_node(type(cls.__name__, (cls,), {"ITEM": NodeItem}))
    widget = graph.widget
    widget.resize(1000, 700)  # about the editor's canvas area
    widget.show()
    QApplication.processEvents()
    started = time.perf_counter()
    views = {}
    for node in pipeline.nodes:
        pos = pipeline.layout[node.id]
        views[node.id] = graph.create_node(node_type_id(node.type), name=node.name,
                                           pos=(pos.x, pos.y), selected=False, push_undo=False)
    for edge in pipeline.edges:
        out = views[edge.source.node].outputs()[edge.source.port]
        out.connect_to(views[edge.target.node].inputs()[edge.target.port], push_undo=False)
    widget.grab()
    seconds = time.perf_counter() - started
    widget.close()
    _KEEP.append(graph)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", choices=["editor", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # one measurement in this process (each run gets a fresh process)
        from PySide6.QtWidgets import QApplication

        from app.services.editor import load_plugins

        _KEEP.append(QApplication.instance() or QApplication([]))
        load_plugins()
        once = _editor_once if args.one == "editor" else _bare_once
        once(make_pipeline(20))  # warm up imports and class registration
        print(f"{once(make_pipeline(args.nodes)):.4f}")
        os._exit(0)  # skip teardown: PySide crashes deleting many NodeGraph items at exit
    editor, bare = [], []
    for _ in range(args.repeat):
        editor.append(_run_one("editor", args.nodes))
        bare.append(_run_one("bare", args.nodes))
    e, b = statistics.median(editor), statistics.median(bare)
    print(f"{args.nodes} nodes, median of {args.repeat} (interleaved)")
    runs = ", ".join(f"{x:.3f}" for x in editor)
    print(f"editor open + first paint: {e:.3f} s  (runs: {runs})")
    print(f"bare NodeGraphQt build + first paint: {b:.3f} s  "
          f"(runs: {', '.join(f'{x:.3f}' for x in bare)})")
    print(f"ratio editor / bare: {e / b:.2f}x  (targets: open < 1.5 s, ratio <= 1.2x)")


def _run_one(kind: str, nodes: int) -> float:
    out = subprocess.run([sys.executable, __file__, "--one", kind, "--nodes", str(nodes)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
