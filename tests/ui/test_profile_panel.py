"""The profiling window driven as a person: a node's right-click "Profile output", a table's
"Profile" in the project explorer, Cancel during a long profile, Accept a suggested check,
Export HTML."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from app.model.cancel import RunCancelled
from app.services import runs as run_service
from app.services.quality import list_checks

from .conftest import SHOTS, node_id
from .test_canvas_gestures import _click, _point, _right_click

pytestmark = pytest.mark.gui
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def _shot(widget, name: str, docs: bool = False) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    image = widget.grab()
    image.save(str(SHOTS / f"{name}.png"))
    if docs and os.environ.get("CAUCE_SHOTS") == "1":  # refresh the docs' pictures on demand
        image.save(str(DOCS_IMAGES / f"{name}.png"))


def _table_menu(qtbot, win, connection: str, table: str) -> QMenu:  # type: ignore[no-untyped-def]
    """Expand the connection in the explorer, wait for its tables, and give a table's menu."""
    explorer = win.explorer
    item = next(
        explorer.connections.child(i)
        for i in range(explorer.connections.childCount())
        if explorer.connections.child(i).data(0, Qt.ItemDataRole.UserRole + 2) == connection
    )
    explorer.expandItem(item)
    qtbot.waitUntil(lambda: explorer.table_item(connection, table) is not None, timeout=30_000)
    found = explorer.table_item(connection, table)
    menu = explorer.table_menu(found)
    assert menu is not None
    return menu


def _profile_from_explorer(qtbot, win, connection: str, table: str) -> None:  # type: ignore[no-untyped-def]
    menu = _table_menu(qtbot, win, connection, table)
    [action] = menu.actions()
    assert action.text() == "Profile…"
    action.trigger()


def test_profile_output_of_a_node_from_its_menu(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    amounts = node_id(win, "amounts")
    win.bridge.graph.center_on([win.bridge.view_of(amounts)])
    QApplication.processEvents()
    action = win.actions_by_name["profile_output"]
    done: list[object] = []

    def in_menu(menu: QMenu) -> None:
        assert action in menu.actions()
        _click(menu, action)

    _right_click(win, _point(win, win.bridge.view_of(amounts).view), in_menu)
    panel = win.profile_window
    assert panel is not None and panel.isVisible()
    panel.finished_report.connect(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)
    report = done[0]
    assert not isinstance(report, BaseException), report
    # what the user sees: every output column, with the counts of the node's rows
    rows = run_service.preview_node(win.document, win.pipeline, amounts, limit=None).to_pylist()
    names = list(rows[0])
    model = panel.columns
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == names
    for r, name in enumerate(names):
        values = [row[name] for row in rows]
        distinct = len({v for v in values if v is not None})
        assert model.index(r, 3).data().replace(",", "") == str(distinct), name
        assert model.index(r, 5).data(Qt.ItemDataRole.DecorationRole) is not None
    assert panel.heading.text() == "revenue › amounts"
    panel.column_view.selectRow(names.index("Amount"))
    _shot(panel, "profile-panel", docs=True)
    panel.tabs.setCurrentIndex(1)
    _shot(panel, "profile-panel-score", docs=True)


def test_profile_a_catalog_table_accept_a_suggestion_and_export_html(  # type: ignore[no-untyped-def]
    qtbot, window, chinook_dir, tmp_path
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    _profile_from_explorer(qtbot, win, "chinook", "Genre")
    panel = win.profile_window
    done: list[object] = []
    panel.finished_report.connect(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)
    report = done[0]
    assert not isinstance(report, BaseException), report
    assert [panel.columns.index(r, 0).data() for r in range(panel.columns.rowCount())] == [
        "GenreId",
        "Name",
    ]
    assert len(report.history) == 1  # stored (the box is checked by default): the trend
    # keep only "unique:GenreId" checked, and accept it
    panel.tabs.setCurrentIndex(2)
    wanted = None
    for i in range(panel.suggestions.count()):
        item = panel.suggestions.item(i)
        spec = item.data(Qt.ItemDataRole.UserRole)
        keep = spec.name == "unique:GenreId"
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
        wanted = spec if keep else wanted
    assert wanted is not None
    _shot(panel, "profile-panel-checks", docs=True)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "declared" in panel.status.text(), timeout=30_000)
    declared = list_checks(chinook_dir, "Genre")
    assert [c.name for c in declared] == ["unique:GenreId"]
    assert json.loads((chinook_dir / "project.json").read_text())["checks"][0]["kind"] == "unique"
    assert panel.checks.rowCount() == 1 and panel.checks.index(0, 0).data() == "unique:GenreId"
    # Export HTML
    out = tmp_path / "genre.html"
    panel.ask_html_path = lambda _suggested: str(out)
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=30_000)
    qtbot.waitUntil(lambda: "written" in panel.status.text(), timeout=30_000)
    html = out.read_text(encoding="utf-8")
    assert "<h3>GenreId</h3>" in html and "<h3>Name</h3>" in html
    assert "unique:GenreId" in html and "<svg" in html


def test_cancel_stops_a_long_profile(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    big = chinook_dir / "data" / "big.duckdb"
    con = duckdb.connect(str(big))
    con.execute(
        "CREATE TABLE big AS SELECT i AS id, md5(CAST(i AS VARCHAR)) AS h, "
        "md5(CAST(i * 7 AS VARCHAR)) AS h2 FROM range(6000000) r(i)"
    )
    con.close()
    (chinook_dir / "connections" / "big.json").write_text(
        json.dumps(
            {"name": "big", "type": "duckdb", "params": {"path": "${PROJECT_DIR}/data/big.duckdb"}}
        )
    )
    win.open_project(chinook_dir, "revenue")
    _profile_from_explorer(qtbot, win, "big", "main.big")
    panel = win.profile_window
    progress: list[tuple[int, int, str]] = []
    done: list[object] = []
    clicked: list[bool] = []

    def on_progress(*step: object) -> None:
        progress.append(step)  # type: ignore[arg-type]
        # Cancel pressed as the first step starts: the statistics scan of 6M rows, then the top
        # values of three columns of 6M distinct values each, seconds of SQL in all. Pressed
        # from here rather than after polling, so that the profile is still running.
        if not clicked:
            clicked.append(not done and panel.cancel_button.isEnabled())
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)

    panel.progressed.connect(on_progress)
    panel.finished_report.connect(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    assert clicked == [True]  # pressed while the profile ran, with Cancel enabled
    assert isinstance(done[0], RunCancelled), done[0]
    # it stopped before its last step: DuckDB interrupted the query running when the press
    # arrived, or the press came between two queries and the next never started (which of
    # the two depends on how busy the machine is; tests/profile/test_cancel.py stops a
    # profile with Ctrl+C mid-query, and asserts it promptly ends)
    assert len(progress) < progress[0][1], progress
    context = done[0].__context__
    assert context is None or "interrupt" in str(context).lower(), (progress, context)
    assert panel.status.text() == "Cancelled: nothing was profiled."
    assert panel.report is None and not panel.export_button.isEnabled()
    big.unlink()
