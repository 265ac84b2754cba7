"""The Qt binding itself: versions with known defects that would crash the editor."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QGraphicsRectItem


def test_qt_calls_do_not_leak_references_to_none(qtbot: object) -> None:
    """PySide6/shiboken6 6.12.0 drops a reference to ``None`` on every call of a method that
    returns nothing (``setPos``, ``update``, …). On Python 3.11, where ``None`` is not yet
    immortal, a few thousand canvas moves then abort the editor with "Fatal Python error:
    none_dealloc". pyproject.toml excludes that version; this fails on any binding that has
    the defect (on Python 3.12+ the count of ``None`` is fixed and the test always passes)."""
    item = QGraphicsRectItem(0, 0, 10, 10)
    before = sys.getrefcount(None)
    for i in range(2000):
        item.setPos(i, i)
        item.update()
        item.setToolTip("x")
    assert sys.getrefcount(None) >= before - 100  # other threads may hold a few transiently
