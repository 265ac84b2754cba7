"""Records tables show a fixed choice (an aggregate function) whole, even in a narrow panel
(the table scrolls sideways instead)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def test_every_function_name_fits_its_column(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    agg = next(n.id for n in win.pipeline.nodes if n.name == "by_country_genre_year")
    win.select_node(agg)
    table = win.properties.editor("measures").table
    qtbot.waitUntil(lambda: table.rowCount() > 0)
    table.setFixedWidth(300)  # a narrow panel: the spare width alone would not be enough
    table.fit_columns()
    combo = table.cellWidget(0, 0).findChild(QComboBox)
    assert combo is not None and not combo.isEditable()
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "count_distinct" in texts
    widest = max(combo.fontMetrics().horizontalAdvance(t) for t in texts)
    assert table.columnWidth(0) >= widest + 20  # the text plus the combo's arrow and frame
