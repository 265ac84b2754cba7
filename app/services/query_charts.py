"""The query-analytics chart, drawn with matplotlib and no GUI: a pipeline node's duration in
each recorded run (oldest to newest), the median it was judged against, and the runs where it
was slower than that history marked. The editor's Query analytics window draws it on a Qt
canvas (the profile panel's :class:`~app.ui.profile.charts.ChartCanvas`).

Colours come from :class:`~app.services.profile_charts.ChartStyle` (the widget's palette). No
value of the data goes through matplotlib's text engine as mathematics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _
from app.services.profile_charts import ChartStyle

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from app.services.query_analytics import NodeTrend

__all__ = ["SLOW_COLOUR", "draw_node_trend"]

#: the marker of a run that was slower than its history
SLOW_COLOUR = "#e5534b"


def draw_node_trend(ax: Axes, trend: NodeTrend | None, style: ChartStyle) -> None:
    """``trend``'s seconds per run as a line, its recent median dashed, slower runs in red
    (``None``: a message asking to choose a node)."""
    ax.set_facecolor(style.face)
    ax.tick_params(colors=style.text, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(style.grid)
    ax.grid(axis="y", color=style.grid, linewidth=0.5, alpha=0.6)
    ax.set_axisbelow(True)
    points = [p for p in (trend.points if trend else []) if p.seconds is not None]
    if trend is None or not points:
        ax.text(
            0.5,
            0.5,
            _("choose a statement to see its trend")
            if trend is None
            else _("no duration recorded for this node yet"),
            ha="center",
            va="center",
            color=style.text,
            transform=ax.transAxes,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        return
    ax.set_title(
        _("{node}: seconds in each run").format(node=trend.node),
        color=style.text,
        fontsize=9,
        loc="left",
    ).set_parse_math(False)
    xs = list(range(1, len(points) + 1))
    seconds = [p.seconds or 0.0 for p in points]
    ax.plot(xs, seconds, marker="o", markersize=4, linewidth=1.2, color=style.line, label=_("run"))
    medians = [(x, p.median_seconds) for x, p in zip(xs, points, strict=True) if p.median_seconds]
    if medians:
        ax.plot(
            [m[0] for m in medians],
            [m[1] for m in medians],
            linestyle="--",
            linewidth=1,
            color=style.grid,
            label=_("recent median"),
        )
    slow = [(x, p.seconds or 0.0) for x, p in zip(xs, points, strict=True) if p.slow]
    if slow:
        ax.scatter(
            [s[0] for s in slow],
            [s[1] for s in slow],
            s=60,
            color=SLOW_COLOUR,
            zorder=3,
            label=_("slower than usual"),
        )
    ax.set_ylim(bottom=0, top=max(seconds) * 1.3 or 1.0)
    step = max(1, -(-len(xs) // 10))  # at most about ten labels
    ticks = sorted({*range(1, len(xs) + 1, step), len(xs)})
    ax.set_xticks(ticks, [f"#{points[i - 1].run_id}" for i in ticks])
    ax.set_xlim(0.5, len(xs) + 0.5)
    ax.set_xlabel(_("runs, oldest first"), color=style.text, fontsize=8)
    legend = ax.legend(fontsize=8, frameon=False, loc="upper left", ncols=3)
    for text in legend.get_texts():
        text.set_color(style.text)
        text.set_parse_math(False)
    for text in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        text.set_parse_math(False)
