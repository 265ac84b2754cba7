"""Property edits and the undo stack: a burst of typing is one step, a later change another."""

from __future__ import annotations

import pytest


def _node(win, name: str) -> str:  # type: ignore[no-untyped-def]
    return next(n.id for n in win.pipeline.nodes if n.name == name)


def test_edits_merge_only_within_the_window(
    window,
    chinook_dir,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.canvas import commands

    clock = [100.0]
    monkeypatch.setattr(commands, "_now", lambda: clock[0])
    win = window
    win.open_project(chinook_dir, "revenue")
    paid = _node(win, "paid_lines")
    original = win.pipeline.node(paid).params["condition"]
    base = win.stack.count()

    for text in ("T", "To", "Tot", "Total > 5"):  # typing: each keystroke 0.3 s apart
        win.bridge.set_param(paid, "condition", text)
        clock[0] += 0.3
    assert win.stack.count() == base + 1

    clock[0] += commands.MERGE_WINDOW + 1  # the user comes back to the field later
    win.bridge.set_param(paid, "condition", "Total > 7")
    assert win.stack.count() == base + 2

    win.stack.undo()
    assert win.pipeline.node(paid).params["condition"] == "Total > 5"
    win.stack.undo()
    assert win.pipeline.node(paid).params["condition"] == original
    win.stack.redo()
    win.stack.redo()
    assert win.pipeline.node(paid).params["condition"] == "Total > 7"


def test_edits_of_different_fields_never_merge(
    window,
    chinook_dir,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.canvas import commands

    monkeypatch.setattr(commands, "_now", lambda: 5.0)  # all at the same instant
    win = window
    win.open_project(chinook_dir, "revenue")
    base = win.stack.count()
    win.bridge.set_param(_node(win, "paid_lines"), "condition", "Total > 1")
    win.bridge.set_param(_node(win, "ordered"), "limit", 10)
    assert win.stack.count() == base + 2
