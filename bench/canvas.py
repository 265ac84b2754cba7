"""Canvas benchmark: open and draw a 500-node pipeline in the editor vs bare NodeGraphQt.

    QT_QPA_PLATFORM=offscreen uv run python bench/canvas.py [--nodes 500] [--repeat 3]
    QT_QPA_PLATFORM=offscreen uv run python bench/canvas.py --startup
    QT_QPA_PLATFORM=offscreen uv run python bench/canvas.py --interact --nodes 500 --repeat 4

Editor: ``MainWindow.set_document`` (bridge builds the scene from the model, undo stack,
explorer, debounced check scheduled) then a first paint with ``grab()``. Bare: a
``NodeGraph`` with the same node classes (same ports and colours, but NodeGraphQt's stock
``NodeItem`` rather than the editor's ``CanvasNodeItem``), ``create_node`` + ``connect_to`` for
the same graph, then ``grab()`` of its widget (no framing: NodeGraphQt's ``zoom_to_nodes``
alone takes ~10 s for 500 nodes, the editor frames them its own way). Runs are interleaved
and the median of ``--repeat`` is reported.

``--interact`` times frames as a user gets them: each step (a pan, a zoom step, a mouse move
of a select-all drag) is followed by a synchronous ``repaint()`` of the whole viewport (a pan
or zoom repaints all of it: NodeGraphQt re-fits the view on each), and "drop" is the mouse
release of the drag with its repaint. Each canvas runs in its own process, in alternating
order round after round (use an even ``--repeat``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings

from app.model.pipeline import Pipeline

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

__all__ = ["make_pipeline"]
_KEEP: list[object] = []


def make_pipeline(count: int) -> Pipeline:
    """A chain of sources, filters and derives (``count`` nodes), laid out on a grid."""
    p = Pipeline(name=f"bench_{count}")
    previous = p.add_node(
        "source", name="src", params={"connection": "db", "table": "t"}, position=(0, 0)
    )
    for i in range(1, count):
        kind = "filter" if i % 2 else "derive"
        params = (
            {"condition": "true"}
            if kind == "filter"
            else {"columns": [{"name": f"c{i}", "expression": "1"}]}
        )
        node = p.add_node(
            kind, name=f"{kind}_{i}", params=params, position=((i % 25) * 250.0, (i // 25) * 150.0)
        )
        p.connect(previous.id, "out", node.id, "in")
        previous = node
    return p


def _editor_once(pipeline: Pipeline) -> float:
    from PySide6.QtWidgets import QApplication

    from app.services import projects as project_service
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    QApplication.processEvents()
    doc = project_service.new_document()
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
        views[node.id] = graph.create_node(
            node_type_id(node.type),
            name=node.name,
            pos=(pos.x, pos.y),
            selected=False,
            push_undo=False,
        )
    for edge in pipeline.edges:
        out = views[edge.source.node].outputs()[edge.source.port]
        out.connect_to(views[edge.target.node].inputs()[edge.target.port], push_undo=False)
    widget.grab()
    seconds = time.perf_counter() - started
    widget.close()
    _KEEP.append(graph)
    return seconds


def _startup_once(started: float) -> float:
    """What ``cauce open resources/examples/chinook`` does up to its first painted window;
    seconds since ``started`` (the parent's clock before it spawned this process)."""
    from pathlib import Path

    from app.ui.main import _application, _startup
    from app.ui.main_window import MainWindow

    app = _application()
    _startup(app)
    window = MainWindow()
    window.open_project(
        Path(__file__).resolve().parents[1] / "resources" / "examples" / "chinook", "revenue"
    )
    window.show()
    app.processEvents()
    window.grab()
    return time.time() - started


def _frames(viewer: object, step: object, count: int = 60) -> float:
    """Median milliseconds of ``step(i)`` plus a synchronous repaint of the canvas."""
    times = []
    for i in range(count):
        t = time.perf_counter()
        step(i)  # type: ignore[operator]
        viewer.viewport().repaint()  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _editor_view_size(pipeline: Pipeline) -> object:
    """The size of the editor's canvas viewport in a 1600×1000 window."""
    from PySide6.QtCore import QSize

    return QSize(
        int(os.environ.get("CAUCE_BENCH_VIEW_W", "996")),
        int(os.environ.get("CAUCE_BENCH_VIEW_H", "710")),
    )


def _frame_like_editor(viewer: object, items: list[object]) -> None:
    """What the editor's Zoom to Fit does (frame the nodes; never below its minimum scale)."""
    from PySide6.QtCore import QRectF

    from app.ui.canvas.decorations import FIT_MARGIN, MIN_FIT_SCALE

    bounds = QRectF()
    for item in items:
        bounds = bounds.united(item.sceneBoundingRect())  # type: ignore[attr-defined]
    bounds.adjust(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
    viewer._scene_range = bounds  # type: ignore[attr-defined]
    viewer._update_scene()  # type: ignore[attr-defined]
    if viewer.transform().m11() < MIN_FIT_SCALE:  # type: ignore[attr-defined]
        size = viewer.viewport().size()  # type: ignore[attr-defined]
        width, height = size.width() / MIN_FIT_SCALE, size.height() / MIN_FIT_SCALE
        centre = bounds.center()
        viewer._scene_range = QRectF(
            centre.x() - width / 2,
            centre.y() - height / 2,  # type: ignore[attr-defined]
            width,
            height,
        )
        viewer._update_scene()  # type: ignore[attr-defined]


def _interact_once(kind: str, pipeline: Pipeline) -> str:
    """Pan, zoom, and select-all + drag on a canvas of ``pipeline``: median ms per frame."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if kind == "editor":
        from app.services import projects as project_service
        from app.ui.main_window import MainWindow

        window = MainWindow()
        window.resize(1600, 1000)
        window.show()
        doc = project_service.new_document()
        doc.project.pipelines = {pipeline.name: pipeline}
        window.set_document(doc, pipeline.name)
        graph = window.bridge.graph
        _KEEP.append(window)
        QApplication.processEvents()
        window.bridge.zoom_to_fit()
    else:
        _bare_once(pipeline)
        graph = _KEEP[-1]
        graph.widget.show()  # type: ignore[attr-defined]
    QApplication.processEvents()
    viewer = graph.viewer()  # type: ignore[attr-defined]
    if kind == "bare":  # the same view as the editor's: its canvas size, framed the same way
        editor_view = _editor_view_size(pipeline)
        graph.widget.resize(editor_view)  # type: ignore[attr-defined]
        QApplication.processEvents()
        _frame_like_editor(viewer, [n.view for n in graph.all_nodes()])  # type: ignore[attr-defined]
        QApplication.processEvents()
    pan = _frames(viewer, lambda i: viewer._set_viewer_pan(8 if i % 2 else -8, 4))
    # a zoom gesture: 30 steps in, then 30 out, each what a trackpad's scroll event of 15
    # units does (x1.015); the view ends where it began
    zoom = _frames(viewer, lambda i: viewer._set_viewer_zoom(15 if i < 30 else -15))
    for node in graph.all_nodes():  # type: ignore[attr-defined]
        node.set_selected(True)
    first = graph.all_nodes()[0].view  # type: ignore[attr-defined]
    viewport = viewer.viewport()
    at = viewer.mapFromScene(
        QPointF(first.sceneBoundingRect().center().x(), first.sceneBoundingRect().top() + 8)
    )
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    drag = _frames(
        viewer, lambda i: QTest.mouseMove(viewport, at + type(at)(4 * (i + 1), 2)), count=40
    )
    t = time.perf_counter()  # the drop: the editor records the move (one undo command)
    QTest.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at + type(at)(160, 2)
    )
    viewport.repaint()
    drop = (time.perf_counter() - t) * 1000
    return f"{pan:.2f} {zoom:.2f} {drag:.2f} {drop:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--startup",
        action="store_true",
        help="time to first window of `cauce open` on the Chinook example",
    )
    parser.add_argument(
        "--interact",
        action="store_true",
        help="pan, zoom and select-all + drag frame times (ms), editor and bare",
    )
    parser.add_argument(
        "--one",
        choices=["editor", "bare", "startup", "interact-editor", "interact-bare"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--since", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one == "startup":
        print(f"{_startup_once(args.since):.4f}")
        os._exit(0)
    if args.startup:
        times = [_run_one("startup", 0) for _ in range(args.repeat + 1)]
        warm = statistics.median(times[1:])
        print(
            f"cauce open chinook, time to first window: first launch {times[0]:.3f} s "
            f"(cold as far as this session allows), then median {warm:.3f} s "
            f"(warm; runs: {', '.join(f'{x:.3f}' for x in times[1:])})"
        )
        return
    if args.one in ("interact-editor", "interact-bare"):
        from PySide6.QtWidgets import QApplication

        from app.services.projects import load_plugins

        _KEEP.append(QApplication.instance() or QApplication([]))
        load_plugins()
        print(_interact_once(args.one.split("-")[1], make_pipeline(args.nodes)))
        os._exit(0)
    if args.interact:
        rows: dict[str, list[list[float]]] = {"editor": [], "bare": []}
        for round_ in range(args.repeat):  # alternate which canvas goes first
            for kind in ("editor", "bare") if round_ % 2 == 0 else ("bare", "editor"):
                rows[kind].append(
                    [float(x) for x in _run_raw(f"interact-{kind}", args.nodes).split()]
                )
        print(f"{args.nodes} nodes, median of {args.repeat} rounds (alternating order)")
        for kind, runs in rows.items():
            pan, zoom, drag, drop = (statistics.median(r[i] for r in runs) for i in range(4))
            print(
                f"{kind:6} median ms per frame: pan {pan:.1f}, zoom {zoom:.1f}, "
                f"select-all + drag {drag:.1f} (target < 16 ms); drop {drop:.1f} ms  "
                f"(runs: {'; '.join(' '.join(f'{x:.1f}' for x in r) for r in runs)})"
            )
        return
    if args.one:  # one measurement in this process (each run gets a fresh process)
        from PySide6.QtWidgets import QApplication

        from app.services.projects import load_plugins

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
    print(
        f"bare NodeGraphQt build + first paint: {b:.3f} s  "
        f"(runs: {', '.join(f'{x:.3f}' for x in bare)})"
    )
    print(f"ratio editor / bare: {e / b:.2f}x  (targets: open < 1.5 s, ratio <= 1.2x)")


def _run_raw(kind: str, nodes: int) -> str:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            kind,
            "--nodes",
            str(nodes),
            "--since",
            repr(time.time()),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def _run_one(kind: str, nodes: int) -> float:
    return float(_run_raw(kind, nodes))


if __name__ == "__main__":
    main()
