"""The editor shows, above each node, where it ran: pressing Run on the Chinook example whose
sources live in PostgreSQL and whose destination is a DuckDB file (the split case)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.test_example import _load_chinook_into_postgres

from .conftest import node_id, shot


def test_badges_say_where_each_node_ran(qtbot, window, chinook_dir, pg_db) -> None:  # type: ignore[no-untyped-def]
    _load_chinook_into_postgres(pg_db)
    params = {k: pg_db[k] for k in ("host", "port", "user")} | {"database": pg_db["dbname"]}
    (chinook_dir / "connections" / "chinook.json").write_text(
        json.dumps({"name": "chinook", "type": "postgres", "params": params}), encoding="utf-8"
    )
    win = window
    assert win.open_project(chinook_dir, "revenue")
    button = win.toolbar.widgetForAction(win.actions_by_name["run"])
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.ok, report.error
    runs_on = {n.name: n.runs_on for n in report.nodes}
    badges = {name: win.bridge.place_badge_text(node_id(win, name)) for name in runs_on}
    for name, where in runs_on.items():
        expected = "▣ local engine" if where == "local engine" else f"⇣ in {where}"
        assert badges[name] == expected, (name, badges)
    assert badges["mart"] == "▣ local engine"
    assert badges["invoice_lines"] == "⇣ in chinook"
    # to look at (docs/images/pushdown-badges.png was taken from it); a test never writes
    # into the repository
    assert shot(win.canvas_widget if hasattr(win, "canvas_widget") else win, "pushdown-badges")
