"""The dashboard's charts (matplotlib in a Qt canvas): runs per day by status, the duration
of each run over time, rows moved per day. They draw :class:`app.services.history.DailyStats`,
computed by the service from the runs the history shows (no aggregation here).
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
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
        positions = list(range(len(stats.days)))
        self._runs_per_day(axes[0], stats, text, positions)
        self._durations(axes[1], stats, text)
        axes[2].bar(positions, stats.rows, color="#2f81f7", width=0.6)
        for ax in (axes[0], axes[2]):
            self._day_ticks(ax, stats)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        self.draw_idle()

    @staticmethod
    def _day_ticks(ax: object, stats: DailyStats) -> None:
        """One tick per day (at most about 12 labelled), centred under its bar."""
        step = max(1, len(stats.days) // 12)
        ticks = list(range(0, len(stats.days), step))
        ax.set_xticks(ticks, [stats.days[i].strftime("%b %d") for i in ticks])  # type: ignore[attr-defined]
        ax.set_xlim(-0.6, max(len(stats.days), 7) - 0.4)  # type: ignore[attr-defined] # a week at least

    def _runs_per_day(self, ax: object, stats: DailyStats, text: str, positions: list[int]) -> None:
        bottom = [0] * len(stats.days)
        for status, counts in stats.by_status.items():
            ax.bar(  # type: ignore[attr-defined]
                positions,
                counts,
                bottom=bottom,
                label=status,
                color=STATUS_COLORS.get(status, "#8b949e"),
                width=0.6,
            )
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        ax.set_ylim(0, max(bottom) * 1.35 + 0.5)  # type: ignore[attr-defined] # room for the legend
        legend = ax.legend(  # type: ignore[attr-defined]
            fontsize=8, frameon=False, loc="upper left", ncols=len(stats.by_status)
        )
        for label in legend.get_texts():
            label.set_color(text)

    def _durations(self, ax: object, stats: DailyStats, text: str) -> None:
        """Each finished run's seconds, oldest to newest (evenly spaced: a busy hour and an
        idle week read the same way)."""
        if not stats.durations:
            return
        seconds = [d[1] for d in stats.durations]
        order = list(range(1, len(seconds) + 1))
        ax.plot(order, seconds, marker="o", markersize=3, linewidth=1, color="#d29922")  # type: ignore[attr-defined]
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # type: ignore[attr-defined]
        ax.set_ylim(bottom=0)  # type: ignore[attr-defined]
        first, last = stats.durations[0][0], stats.durations[-1][0]
        ax.set_xlabel(  # type: ignore[attr-defined]
            QCoreApplication.translate("Dashboard", "runs, oldest first: %1 to %2")
            .replace("%1", first.astimezone().strftime("%Y-%m-%d %H:%M"))
            .replace("%2", last.astimezone().strftime("%Y-%m-%d %H:%M")),
            color=text,
            fontsize=8,
        )
