"""The Query analytics window over real recorded runs of the Chinook example: the slowest
statements with a slowdown marked, the trend chart of a node, its runs, and a run's plan as a
tree with the costly operators highlighted; opened from Monitor, and Run > Keep query plans
making the editor's runs keep their plans."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.services.query_analytics import query_plan
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.ui.analytics.panel import QueryAnalyticsDialog
from app.ui.analytics.plan_tree import COSTLY_COLOUR
from app.ui.workers import wait_all
from tests.analytics.conftest import set_alert_rule
from tests.analytics.test_slowdown import _grow_invoice_lines

from .conftest import _destroy, shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def slowed(chinook_dir: Path) -> Workspace:
    """Three runs of the revenue pipeline (the first keeping its plans), then a fourth whose
    invoice lines grew 41-fold: slower than its history."""
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    # 0.05 s: a fast machine reads the grown table in under 0.2 s (its history: ~5 ms)
    set_alert_rule(chinook_dir, slowdown_min_seconds=0.05)
    assert run_project(chinook_dir, workspace=ws, explain=True).ok
    for _i in range(2):
        assert run_project(chinook_dir, workspace=ws).ok
    _grow_invoice_lines(chinook_dir, 40)
    assert run_project(chinook_dir, workspace=ws).ok
    return ws


def _click_row(qtbot, view, row: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(view.model().index(row, 0)).center(),
    )


def test_slowest_statements_trend_and_plan(qtbot, slowed: Workspace) -> None:
    dialog = QueryAnalyticsDialog("chinook", ["revenue"], workspace=slowed)
    with (
        qtbot.waitSignal(dialog.loaded, timeout=15_000),
        qtbot.waitSignal(dialog.trend_loaded, timeout=15_000),
        qtbot.waitSignal(dialog.plan_loaded, timeout=15_000),
    ):
        dialog.show()
    try:
        rows = dialog.model.rows
        assert {q.node for q in rows} == {"mart", "invoice_lines", "invoices", "tracks", "genres"}
        # the window opens on the slowest statement that slowed down: the grown input's read
        # (41 times the rows) always did; how much the others slowed depends on the machine
        slow = {q.node for q in rows if q.slow}
        assert "invoice_lines" in slow
        at = next(i for i, q in enumerate(rows) if q.slow)
        top = rows[at]
        assert dialog.selected() == top
        slow_cell = dialog.model.index(at, 8)
        assert dialog.model.data(slow_cell) == "⚠ slower"
        colour = dialog.model.data(slow_cell, Qt.ItemDataRole.ForegroundRole).color()
        assert colour == QColor("#e5534b")
        assert dialog.status.text() == (
            f"5 statement(s), {len(slow)} slower than usual in their latest run."
        )

        # the selected statement's trend: four runs, the last marked slower
        trend = dialog.current_trend()
        assert trend is not None and trend.node == top.node
        ax = dialog.chart.figure.axes[0]
        assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4]
        [slow_marks] = ax.collections
        assert [tuple(p) for p in slow_marks.get_offsets()][0][0] == 4
        assert dialog.runs_model.rowCount() == 4
        assert dialog.runs_model.data(dialog.runs_model.index(0, 6)) == "⚠ slower"
        shot(dialog, "query-analytics-trend")

        # its plan: the latest run's, kept because it ran slower
        view = dialog.plan
        assert view is not None and view.slow and view.reason == "slowdown"
        assert "kept because the node ran slower" in dialog.plan_label.text()

        # another node of the pipeline, chosen in the node list like a user does
        combo = dialog.node_combo
        index = combo.findData(next(t.node_id for t in dialog.trends if t.node == "genres"))
        with qtbot.waitSignal(dialog.trend_loaded, timeout=15_000):
            combo.setFocus()
            combo.setCurrentIndex(index)
        assert dialog.current_trend().node == "genres"  # type: ignore[union-attr]

        # back to the destination; its first run kept its plan on request: click that run
        mart = combo.findData(next(t.node_id for t in dialog.trends if t.node == "mart"))
        with qtbot.waitSignal(dialog.trend_loaded, timeout=15_000):
            combo.setCurrentIndex(mart)
        first = dialog.runs_model.rowCount() - 1  # newest first: the first run is the last row
        assert dialog.runs_model.data(dialog.runs_model.index(first, 7)) == "kept"
        with qtbot.waitSignal(dialog.plan_loaded, timeout=15_000):
            _click_row(qtbot, dialog.runs_view, first)
        assert dialog.tabs.currentIndex() == 1
        view = dialog.plan
        assert view is not None and view.run_id == 1 and view.reason == "requested"
        assert "kept on request" in dialog.plan_label.text()
        tree = dialog.plan_tree
        assert tree.topLevelItemCount() == 1
        assert tree.topLevelItem(0).text(0) == "ORDER_BY"
        assert dialog.sql_text.toPlainText() == view.sql
        costly = tree.costly_items
        assert len(costly) == len(view.costly)
        for item in costly:
            assert item.foreground(0).color() == QColor(COSTLY_COLOUR) and item.font(0).bold()
        shot(dialog, "query-analytics-plan")

        # a part of the destination's statement has no plan of its own: said so
        dialog.show_plan(1, "paid_lines")
        qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.node == "paid_lines")
        assert tree.topLevelItemCount() == 0 and "no plan of its own" in dialog.plan_label.text()
    finally:
        _destroy(dialog)


def test_a_project_without_runs_says_so(qtbot, chinook_dir: Path) -> None:
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    dialog = QueryAnalyticsDialog("chinook", ["revenue"], workspace=ws)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    try:
        assert dialog.model.rowCount() == 0 and dialog.empty_label.isVisible()
        assert dialog.chart.figure.axes[0].texts[0].get_text() == (
            "choose a statement to see its trend"
        )
        shot(dialog, "query-analytics-empty")
    finally:
        _destroy(dialog)


def test_monitor_menu_opens_it_and_keep_query_plans_keeps_the_editors_plans(
    qtbot, window, chinook_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    win = window
    assert win.open_project(chinook_dir, "revenue")
    keep = win.actions_by_name["keep_plans"]
    assert keep.isCheckable() and not keep.isChecked()
    keep.trigger()  # Run > Keep query plans
    assert win.runner.explain and win.settings.value("run/keep_plans", type=bool)
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        win.actions_by_name["run"].trigger()
    report = done.args[0]
    assert not isinstance(report, BaseException) and report.ok, report
    view = query_plan("chinook", int(report.run_id), "mart", workspace=win.workspace)
    assert view.reason == "requested" and view.root is not None

    action = win.actions_by_name["query_analytics"]
    assert action.shortcut().toString() == "Ctrl+Shift+F8"
    action.trigger()  # Monitor > Query analytics
    dialog = win.monitor_windows["query_analytics"]
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5, timeout=15_000)
    assert dialog.isVisible() and dialog.windowTitle() == "Query analytics — chinook"
    keep.trigger()
    assert not win.runner.explain


@pytest.mark.postgres
def test_a_postgres_plan_highlights_its_costly_operators(
    qtbot, chinook_dir: Path, pg_db: dict
) -> None:  # type: ignore[no-untyped-def]
    from tests.analytics.conftest import point_at_postgres

    point_at_postgres(chinook_dir, pg_db, ("chinook", "warehouse"))
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    assert run_project(chinook_dir, workspace=ws, explain=True).ok
    dialog = QueryAnalyticsDialog("chinook", ["revenue"], workspace=ws)
    with (
        qtbot.waitSignal(dialog.loaded, timeout=15_000),
        qtbot.waitSignal(dialog.plan_loaded, timeout=15_000),
    ):
        dialog.show()
    try:
        [q] = dialog.model.rows  # pushed down: one statement, the destination's
        assert (q.node, q.runs_on, q.statement) == ("mart", "warehouse", "stage")
        dialog.tabs.setCurrentIndex(1)
        view = dialog.plan
        assert view is not None and view.dialect == "postgres" and view.costly
        tree = dialog.plan_tree
        highlighted = [item.text(0) for item in tree.costly_items]
        assert highlighted == [n.operator for n in view.root.walk() if n.costly]  # type: ignore[union-attr]
        assert all(not item.isHidden() for item in tree.costly_items)
        assert tree.topLevelItem(0).text(3) != ""  # PostgreSQL's costs are shown
        assert "costly operator(s) highlighted" in dialog.plan_label.text()
        shot(dialog, "query-analytics-plan-postgres")
    finally:
        _destroy(dialog)


def test_the_window_speaks_spanish(qtbot, spanish, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from app.i18n import set_language

    set_language("es")  # the core's texts too (the plan's reason, the chart)
    try:
        ws = Workspace.open(os.environ["CAUCE_DB_URL"])
        assert run_project(chinook_dir, workspace=ws, explain=True).ok
        dialog = QueryAnalyticsDialog("chinook", ["revenue"], workspace=ws)
        with (
            qtbot.waitSignal(dialog.loaded, timeout=15_000),
            qtbot.waitSignal(dialog.trend_loaded, timeout=15_000),
            qtbot.waitSignal(dialog.plan_loaded, timeout=15_000),
        ):
            dialog.show()
        try:
            assert dialog.windowTitle() == "Análisis de consultas — chinook"
            assert [dialog.tabs.tabText(i) for i in range(2)] == ["&Tendencia", "&Plan"]
            assert dialog.model.headerData(2, Qt.Orientation.Horizontal) == "Sentencia"
            assert dialog.model.data(dialog.model.index(0, 2)) == "destino"
            assert dialog.model.data(dialog.model.index(0, 3)) == "motor local"
            assert dialog.runs_model.data(dialog.runs_model.index(0, 5)) == "correcto"
            title = dialog.chart.figure.axes[0].get_title(loc="left")
            assert title == "mart: segundos en cada ejecución"
            assert "Plan guardado a petición" in dialog.plan_label.text()
            shot(dialog, "query-analytics-es")
        finally:
            _destroy(dialog)
    finally:
        set_language("en")
