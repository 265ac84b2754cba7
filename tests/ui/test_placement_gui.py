"""Where each node runs, in the editor before any run (issue #14 item 5): the badges after
each check, Run > Run everything on this computer (undo, redo, save, reopen), and the SQL
view's plan (each part, the place it runs in and its SQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.test_example import _load_chinook_into_postgres

from .conftest import node_id, shot, wait_validated
from .test_panels_current import click_node

pytestmark = pytest.mark.gui

LOCAL = "▣ local engine"


def chinook_in_postgres(chinook_dir: Path, pg_db: dict[str, Any]) -> None:
    """The example's sources in PostgreSQL, its destination a DuckDB file: the split case."""
    _load_chinook_into_postgres(pg_db)
    params = {k: pg_db[k] for k in ("host", "port", "user")} | {"database": pg_db["dbname"]}
    (chinook_dir / "connections" / "chinook.json").write_text(
        json.dumps({"name": "chinook", "type": "postgres", "params": params}), encoding="utf-8"
    )


def badges(win) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {n.name: win.bridge.place_badge_text(n.id) for n in win.pipeline.nodes}


def planned(qtbot, win) -> Any:  # type: ignore[no-untyped-def]
    """Wait for the check of the pipeline as it is now (an older check may land first) and
    for the panels it feeds; its result."""

    def current() -> bool:
        latest = win.validation.latest
        plan = latest.plan if latest is not None else None
        return plan is not None and plan.execution == win.pipeline.execution

    qtbot.waitUntil(current, timeout=30_000)
    QApplication.processEvents()
    return win.validation.latest


def toggle_local(qtbot, win) -> Any:  # type: ignore[no-untyped-def]
    """Run > Run everything on this computer, as a click on the menu item; the check after."""
    action = win.actions_by_name["run_locally"]
    menu = next(a.menu() for a in win.menuBar().actions() if a.property("source_text") == "&Run")
    assert action in menu.actions()
    action.trigger()  # what a click on the menu item does
    return planned(qtbot, win)


def undo_redo(qtbot, win, name: str) -> Any:  # type: ignore[no-untyped-def]
    win.actions_by_name[name].trigger()
    return planned(qtbot, win)


def test_the_setting_toggles_undoes_saves_and_reopens(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    assert win.open_project(chinook_dir, "revenue")
    action = win.actions_by_name["run_locally"]
    assert action.isCheckable() and not action.isChecked()
    assert win.pipeline.execution == "auto"

    toggle_local(qtbot, win)
    assert win.pipeline.execution == "local" and action.isChecked()
    assert win.windowTitle().startswith("*")
    assert win.actions_by_name["undo"].text() == "&Undo Run everything on this computer"

    undo_redo(qtbot, win, "undo")
    assert win.pipeline.execution == "auto" and not action.isChecked()
    undo_redo(qtbot, win, "redo")
    assert win.pipeline.execution == "local" and action.isChecked()

    assert win.save()
    assert not win.windowTitle().startswith("*")
    saved = json.loads((chinook_dir / "pipelines" / "revenue.json").read_text(encoding="utf-8"))
    assert saved["execution"] == "local"

    assert win.open_project(chinook_dir, "revenue")  # reopened from the directory
    action = win.actions_by_name["run_locally"]
    assert win.pipeline.execution == "local" and action.isChecked()
    toggle_local(qtbot, win)  # unchecked: auto, which the file leaves out
    assert win.pipeline.execution == "auto" and not action.isChecked()
    assert win.save()
    saved = json.loads((chinook_dir / "pipelines" / "revenue.json").read_text(encoding="utf-8"))
    assert "execution" not in saved


def test_the_setting_follows_the_pipeline_shown(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    assert win.open_project(chinook_dir, "revenue")
    toggle_local(qtbot, win)
    win.document.add_pipeline("other")
    win.show_pipeline("other")
    assert not win.actions_by_name["run_locally"].isChecked()
    win.show_pipeline("revenue")
    assert win.actions_by_name["run_locally"].isChecked()


def test_the_setting_in_spanish(qtbot, window, chinook_dir, spanish) -> None:  # type: ignore[no-untyped-def]
    win = window
    assert win.open_project(chinook_dir, "revenue")
    action = win.actions_by_name["run_locally"]
    assert action.text() == "Ejecutar todo en este &equipo"
    assert "ordenador" in action.toolTip() or "equipo" in action.toolTip()
    toggle_local(qtbot, win)
    assert win.actions_by_name["undo"].text() == "&Deshacer: Ejecutar todo en este equipo"


def test_badges_before_a_run_on_local_sources(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    """The example's SQLite sources run no pipeline SQL: every node on the local engine, shown
    as soon as the pipeline is checked, without pressing Run."""
    win = window
    assert win.open_project(chinook_dir, "revenue")
    result = wait_validated(qtbot, win)
    assert result.plan is not None
    assert set(badges(win).values()) == {LOCAL}
    assert win.runner.ran is None  # no run happened


def test_badges_before_a_run_and_the_local_setting(qtbot, window, chinook_dir, pg_db) -> None:  # type: ignore[no-untyped-def]
    chinook_in_postgres(chinook_dir, pg_db)
    win = window
    assert win.open_project(chinook_dir, "revenue")
    result = wait_validated(qtbot, win)
    assert win.runner.ran is None  # Run was never pressed
    shown = badges(win)
    assert shown["invoice_lines"] == "⇣ in chinook"
    assert shown["mart"] == LOCAL
    for nid, node in result.plan.nodes.items():  # the badge says what the plan says
        name = win.pipeline.node(nid).name
        assert shown[name] == (LOCAL if node.local else f"⇣ in {node.runs_on}")
    win.bridge.zoom_to_fit()
    shot(win, "placement-badges-before-run")

    toggle_local(qtbot, win)
    assert set(badges(win).values()) == {LOCAL}
    shot(win, "placement-badges-local")

    undo_redo(qtbot, win, "undo")
    assert badges(win)["invoice_lines"] == "⇣ in chinook"

    # an edit that breaks the pipeline: no plan, no badges; fixed, they come back
    paid = node_id(win, "paid_lines")
    win.bridge.set_param(paid, "condition", "NoSuchColumn > 0")
    qtbot.waitUntil(lambda: win.validation.latest.plan is None, timeout=30_000)
    assert any(p.severity == "error" for p in win.validation.latest.problems)
    assert set(badges(win).values()) == {""}
    win.bridge.set_param(paid, "condition", "Amount > 0")
    planned(qtbot, win)
    assert badges(win)["invoice_lines"] == "⇣ in chinook"


def test_sql_view_shows_where_each_part_runs(qtbot, window, chinook_dir, pg_db) -> None:  # type: ignore[no-untyped-def]
    chinook_in_postgres(chinook_dir, pg_db)
    win = window
    assert win.open_project(chinook_dir, "revenue")
    win.actions_by_name["show_sql"].trigger()
    wait_validated(qtbot, win)
    view = win.sql_view

    click_node(win, node_id(win, "invoice_lines"))
    qtbot.waitUntil(lambda: "SELECT" in view.text.toPlainText(), timeout=10_000)
    assert view.place.text() == "runs in chinook (postgres)"
    click_node(win, node_id(win, "mart"))
    qtbot.waitUntil(lambda: view.place.text() == "runs on the local engine (duckdb)")

    view.mode.setFocus()
    qtbot.keyClick(view.mode, Qt.Key.Key_Down)  # "Where each part runs"
    assert view.showing_plan and not view.dialect.isEnabled()
    text = view.text.toPlainText()
    assert "runs in chinook (postgres); only its result reaches the local engine" in text
    assert "mart writes revenue_by_country_genre_year (replace) through warehouse" in text
    assert "runs on the local engine (duckdb)" in text
    head, _, rest = text.partition("\n")
    assert head.startswith("-- ") and rest.lstrip().upper().startswith(("SELECT", "WITH"))
    QApplication.processEvents()
    shot(win.sql_dock, "placement-sql-view-plan")

    toggle_local(qtbot, win)
    qtbot.waitUntil(lambda: "Run everything on this computer is on" in view.text.toPlainText())
    text = view.text.toPlainText()
    assert "chinook (postgres)" not in text
    assert "runs on the local engine (duckdb)" in text

    qtbot.keyClick(view.mode, Qt.Key.Key_Up)  # back to the selected node
    assert not view.showing_plan and view.dialect.isEnabled()
