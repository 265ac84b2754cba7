"""The dashboard's charts (matplotlib in a Qt canvas): runs per day by status, the duration
of each run over time, rows moved per day. They draw :class:`app.services.history.DailyStats`,
computed by the service from the runs the history shows (no aggregation here).
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services.history import DailyStats
from app.ui.monitor.table import STATUS_COLORS

__all__ = ["Dashboard"]


class Dashboard(FigureCanvasQTAgg):
    """Three charts, one above the other, in the palette's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.figure = Figure(figsize=(8, 7), layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(420)
        self.stats = DailyStats()
        self.show_stats(self.stats)

    def _colors(self) -> tuple[str, str, str]:
        palette = self.palette()
        return (
            palette.color(QPalette.ColorRole.Base).name(),
            palette.color(QPalette.ColorRole.Text).name(),
            palette.color(QPalette.ColorRole.Mid).name(),
        )

    def show_stats(self, stats: DailyStats) -> None:
        """Draw ``stats`` (empty: a message on each chart)."""
        self.stats = stats
        base, text, grid = self._colors()
        self.figure.clear()
        self.figure.set_facecolor(base)
        axes = self.figure.subplots(3, 1)
        titles = (
            QCoreApplication.translate("Dashboard", "Runs per day, by status"),
            QCoreApplication.translate("Dashboard", "Duration of each run (s)"),
            QCoreApplication.translate("Dashboard", "Rows moved per day"),
        )
        for ax, title in zip(axes, titles, strict=True):
            ax.set_facecolor(base)
            ax.set_title(title, color=text, fontsize=10, loc="left")
            ax.tick_params(colors=text, labelsize=8)
            for spine in ax.spines.values():
                spine.set_color(grid)
            ax.grid(axis="y", color=grid, linewidth=0.5, alpha=0.6)
        if not stats.days:
            for ax in axes:
                ax.text(
                    0.5,
                    0.5,
                    QCoreApplication.translate("Dashboard", "No run in this range"),
                    ha="center",
                    va="center",
                    color=text,
                    transform=ax.transAxes,
                )
                ax.set_xticks([])
                ax.set_yticks([])
            self.draw_idle()
            return
        self._runs_per_day(axes[0], stats, text)
        self._durations(axes[1], stats)
        axes[2].bar(stats.days, stats.rows, color="#2f81f7", width=0.8)
        for ax in (axes[0], axes[2]):
            locator = AutoDateLocator()
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        self.draw_idle()

    def _runs_per_day(self, ax: object, stats: DailyStats, text: str) -> None:
        bottom = [0] * len(stats.days)
        for status, counts in stats.by_status.items():
            ax.bar(  # type: ignore[attr-defined]
                stats.days,
                counts,
                bottom=bottom,
                label=status,
                color=STATUS_COLORS.get(status, "#8b949e"),
                width=0.8,
            )
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        legend = ax.legend(fontsize=8, frameon=False, loc="upper left")  # type: ignore[attr-defined]
        for label in legend.get_texts():
            label.set_color(text)

    def _durations(self, ax: object, stats: DailyStats) -> None:
        if not stats.durations:
            return
        times = [d[0] for d in stats.durations]
        seconds = [d[1] for d in stats.durations]
        ax.plot(times, seconds, marker="o", markersize=3, linewidth=1, color="#d29922")  # type: ignore[attr-defined]
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)  # type: ignore[attr-defined]
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[attr-defined]
        ax.set_ylim(bottom=0)  # type: ignore[attr-defined]
