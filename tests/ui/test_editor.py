"""The editor driven as a user would: problems, previews, files, clipboard, undo, layout."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyarrow as pa
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.model.pipeline import Pipeline

from .conftest import SHOTS, node_id, wait_validated

pytestmark = pytest.mark.gui
Button = QMessageBox.StandardButton


def test_invalid_graph_marks_node_and_problem_selects_it(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    paid = node_id(win, "paid_lines")
    win.select_node(paid)
    win.properties.editor("condition").edit.setPlainText("NoSuchColumn > 0")
    result = wait_validated(qtbot, win)
    assert [p.node_id for p in result.problems if p.severity == "error"] == [paid]
    assert win.bridge.has_marker(paid) and not win.bridge.has_marker(node_id(win, "amounts"))
    assert "NoSuchColumn" in win.bridge.view_of(paid).view.toolTip()
    assert win.problems_dock.windowTitle() == "Problems (1)"
    assert not win.properties.errors["condition"].isHidden()  # shown under the field too
    win.bridge.select_ids(win.pipeline, [])
    item = win.problems.item(0)
    assert "NoSuchColumn" in item.text()
    rect = win.problems.visualItemRect(item)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    win.problems_dock.raise_()
    QTest.mouseClick(win.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.bridge.selected_ids() == [paid]
    win.stack.undo()  # the condition back: the marker goes away
    wait_validated(qtbot, win)
    assert not win.bridge.has_marker(paid)


@pytest.fixture
def slow_source(chinook_dir: Path):  # type: ignore[no-untyped-def]
    from app.connectors.registry import connector_registry
    from tests.engine.memory_connector import TABLES, MemoryConnector

    connector_registry().register(MemoryConnector)
    TABLES.clear()
    TABLES["numbers"] = pa.table({"n": list(range(200_000))})
    (chinook_dir / "connections" / "mem.json").write_text(
        json.dumps({"name": "mem", "type": "memory", "params": {"delay": 0.2}})
    )
    yield
    TABLES.clear()


def test_long_preview_cancels_and_gui_keeps_ticking(  # type: ignore[no-untyped-def]
    qtbot, window, chinook_dir, slow_source
) -> None:
    win = window
    win.open_project(chinook_dir)
    win.document.add_pipeline("slow")
    win.show_pipeline("slow")
    node = win.bridge.add_node("source")
    win.properties.editor("connection").combo.setCurrentText("mem")
    win.properties.editor("table").edit.setText("numbers")
    wait_validated(qtbot, win)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    win.select_node(node)
    win.preview.limit.setValue(100_000)  # 13 batches of 8,192 rows at 200 ms each: ~2.6 s
    win.actions_by_name["preview"].trigger()
    assert win.preview.running
    qtbot.wait(700)
    with qtbot.waitSignal(win.preview.finished, timeout=10_000) as done:
        win.actions_by_name["cancel"].trigger()
    timer.stop()
    assert done.args == ["cancelled"]
    assert win.preview.status.text() == "Preview cancelled."
    assert len(ticks) > 30
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 0.1, f"GUI thread stalled {max(gaps) * 1000:.0f} ms"


def test_unsaved_changes_prompt_on_open_and_close(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.bridge.auto_layout()
    assert win.is_dirty() and win.windowTitle().startswith("*")
    asked: list[str] = []

    def answer(button):  # type: ignore[no-untyped-def]
        return lambda: asked.append(button.name) or button

    win.ask_unsaved = answer(Button.Cancel)
    assert not win.open_project(chinook_dir) and win.is_dirty()
    win.close()
    assert win.isVisible() and asked == ["Cancel", "Cancel"]  # the close was refused
    win.ask_unsaved = answer(Button.Save)
    assert win.open_project(chinook_dir, "revenue") and asked[-1] == "Save"
    saved = Pipeline.model_validate_json((chinook_dir / "pipelines" / "revenue.json").read_text())
    assert saved.layout == win.pipeline.layout and not win.is_dirty()
    win.bridge.auto_layout()
    win.ask_unsaved = answer(Button.Discard)
    win.close()
    assert not win.isVisible() and asked[-1] == "Discard"


def test_copy_paste_through_edit_menu(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    chosen = [node_id(win, n) for n in ("amounts", "paid_lines")]
    win.bridge.select_ids(win.pipeline, chosen)
    win.actions_by_name["copy"].trigger()
    win.actions_by_name["paste"].trigger()
    pasted = win.bridge.selected_ids()
    assert len(pasted) == 2 and not set(pasted) & set(chosen)
    names = sorted(win.pipeline.node(i).name for i in pasted)
    assert names == ["amounts_2", "paid_lines_2"]
    links = [e for e in win.pipeline.edges if e.source.node in pasted or e.target.node in pasted]
    assert len(links) == 1 and links[0].target.port == "in"  # only the link between them
    assert len(win.pipeline.nodes) == 14 and len(win.bridge.graph.all_nodes()) == 14
    win.actions_by_name["undo"].trigger()
    assert len(win.pipeline.nodes) == 12 and len(win.bridge.graph.all_nodes()) == 12


def test_save_then_undo_redo(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    before = win.pipeline.to_json()
    amounts = node_id(win, "amounts")
    win.bridge.rename_node(amounts, "line_amounts")
    assert win.save() and win.stack.isClean() and win.stack.cleanIndex() == 1
    on_disk = (chinook_dir / "pipelines" / "revenue.json").read_text()
    assert json.loads(on_disk)["nodes"] == json.loads(win.pipeline.to_json())["nodes"]
    win.actions_by_name["undo"].trigger()
    assert win.pipeline.to_json() == before and not win.stack.isClean()
    assert win.windowTitle().startswith("*")
    win.actions_by_name["redo"].trigger()
    assert win.stack.isClean() and win.pipeline.node(amounts).name == "line_amounts"
    assert win.bridge.view_of(amounts).name() == "line_amounts"


def test_delete_selection_then_undo(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    before = win.pipeline.to_json()
    chosen = [node_id(win, n) for n in ("tracks", "with_track", "genre_name")]
    win.bridge.select_ids(win.pipeline, chosen)
    win.actions_by_name["delete"].trigger()
    assert len(win.pipeline.nodes) == 9 and len(win.bridge.graph.all_nodes()) == 9
    assert not any(e.source.node in chosen or e.target.node in chosen for e in win.pipeline.edges)
    win.actions_by_name["undo"].trigger()
    assert win.pipeline.to_json() == before
    links = sum(
        len(p.connected_ports()) for n in win.bridge.graph.all_nodes() for p in n.input_ports()
    )
    assert links == 11


def test_auto_layout_and_zoom_to_fit(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.canvas.bridge import MIN_FIT_SCALE

    win = window
    win.open_project(chinook_dir, "revenue")
    for i, node in enumerate(win.pipeline.nodes):
        win.bridge.move_nodes({node.id: (0.0, 10.0 * i)})
    win.actions_by_name["auto_layout"].trigger()
    xs = {n.name: win.pipeline.layout[n.id].x for n in win.pipeline.nodes}
    assert xs["invoice_lines"] == 0 and xs["mart"] > xs["ordered"] > xs["lines_with_invoice"]
    pos = win.bridge.view_of(node_id(win, "mart")).pos()
    assert (pos[0], pos[1]) == (xs["mart"], win.pipeline.layout[node_id(win, "mart")].y)
    win.actions_by_name["zoom_fit"].trigger()
    assert win.bridge.scale() >= MIN_FIT_SCALE - 0.02  # less the scroll bars
    win.actions_by_name["undo"].trigger()
    assert win.pipeline.layout[node_id(win, "mart")].x == 0.0


def test_500_node_pipeline_loads(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.services import projects as project_service
    from bench.canvas import make_pipeline

    win = window
    doc = project_service.new_document()
    doc.project.pipelines = {"big": make_pipeline(500)}
    started = time.perf_counter()
    win.set_document(doc, "big")
    win.grab()
    seconds = time.perf_counter() - started
    assert len(win.bridge.graph.all_nodes()) == 500
    links = sum(
        len(p.connected_ports()) for n in win.bridge.graph.all_nodes() for p in n.input_ports()
    )
    assert links == len(win.pipeline.edges) == 499
    assert seconds < 10


def test_failed_run_banner_selects_failing_node(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.select_node(node_id(win, "paid_lines"))  # valid SQL that fails while it runs
    win.properties.editor("condition").edit.setPlainText("CAST(Country AS INTEGER) > 0")
    assert wait_validated(qtbot, win).problems == []
    win.bridge.select_ids(win.pipeline, [])
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        win.actions_by_name["run"].trigger()
    report = done.args[0]
    assert not isinstance(report, BaseException) and report.status == "failed", report
    failing = next(
        n
        for n in report.nodes
        if n.status == "failed" and not n.error.startswith("did not complete")
    )
    assert not win.notifier.available_tray
    banners = win.notifier.banners
    assert banners and banners[-1].title_label.text() == "Run failed"
    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    win.grab().save(str(SHOTS / "editor-run-failed.png"))
    banners[-1].clicked.emit()
    assert win.bridge.selected_ids() == [failing.node_id]
