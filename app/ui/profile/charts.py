"""matplotlib in the panel: a Qt canvas for a column's chart and the score's trend, and the
mini-histograms of the column list (drawn once per column with the Agg backend into a
pixmap). The drawing itself is :mod:`app.services.profile_charts`, shared with the HTML
report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services.profile_charts import ChartStyle, draw_mini

__all__ = ["ChartCanvas", "mini_pixmap", "palette_style"]


def palette_style(widget: QWidget) -> ChartStyle:
    """Chart colours from the widget's palette (light or dark theme)."""
    palette = widget.palette()
    return ChartStyle(
        face=palette.color(QPalette.ColorRole.Base).name(),
        text=palette.color(QPalette.ColorRole.Text).name(),
        grid=palette.color(QPalette.ColorRole.Mid).name(),
    )


class ChartCanvas(FigureCanvasQTAgg):
    """One chart; :meth:`show_chart` clears it and calls ``draw(axes, style)``."""

    def __init__(self, height: int, parent: QWidget | None = None) -> None:
        self.figure = Figure(figsize=(5, height / 100), layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(height)

    def show_chart(self, draw: Callable[[Any, ChartStyle], None]) -> None:
        style = palette_style(self)
        self.figure.clear()
        self.figure.set_facecolor(style.face)
        draw(self.figure.add_subplot(), style)
        self.draw_idle()


def mini_pixmap(column: Any, width: int, height: int, style: ChartStyle) -> QPixmap:
    """A column's mini-histogram as a ``width`` × ``height`` pixmap (transparent)."""
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    figure.patch.set_alpha(0)
    draw_mini(figure.add_axes((0, 0.05, 1, 0.9)), column, style)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    w, h = canvas.get_width_height()
    image = QImage(bytes(canvas.buffer_rgba()), w, h, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(image.copy())
