"""The profile's charts, drawn with matplotlib and no GUI: a column's histogram (or, for a
column without one, its top values' counts), a mini-histogram, the score's trend across
stored profiles. The editor's panel draws them on its Qt canvases; the HTML report embeds
them as inline SVG (:func:`svg_of`).

matplotlib comes with the ``gui`` extra (``pip install 'cauce[gui]'``): :func:`need_charts`
says so when it is missing. No chart puts a value of the data through matplotlib's text
engine as mathematics: labels are numbers and dates formatted here.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.i18n import _

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from app.engine.profile.model import ColumnProfile
    from app.services.profile_history import HistoryEntry

__all__ = [
    "ChartStyle",
    "ChartsUnavailable",
    "draw_column",
    "draw_mini",
    "draw_trend",
    "label",
    "mini_counts",
    "need_charts",
    "new_figure",
    "svg_of",
]


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed (it comes with the ``gui`` extra)."""


@dataclass(frozen=True)
class ChartStyle:
    """Colours of a chart: background, text, grid lines, bars."""

    face: str = "#ffffff"
    text: str = "#24292f"
    grid: str = "#d0d7de"
    bar: str = "#2f81f7"
    line: str = "#d29922"


def need_charts() -> None:
    """Raise :class:`ChartsUnavailable`, naming the extra to install, without matplotlib."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ChartsUnavailable(
            _(
                "charts need matplotlib, which comes with the gui extra: "
                "pip install 'cauce[gui]' (or uv sync --extra gui)"
            )
        ) from None


def label(value: Any) -> str:
    """A bin edge or a value as a short label.

    >>> label(0.123456789), label(12345678.0), label(dt.datetime(2024, 5, 1, 0, 0)), label(7)
    ('0.1235', '1.235e+07', '2024-05-01', '7')
    """
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def mini_counts(column: ColumnProfile) -> list[int]:
    """What a mini-histogram draws: the histogram's counts, else the top values' counts."""
    if column.histogram:
        return [int(b["count"]) for b in column.histogram]
    return [t.count for t in column.top]


def _axes_style(ax: Axes, style: ChartStyle) -> None:
    ax.set_facecolor(style.face)
    ax.tick_params(colors=style.text, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(style.grid)
    ax.grid(axis="y", color=style.grid, linewidth=0.5, alpha=0.6)
    ax.set_axisbelow(True)


def _no_math(ax: Axes) -> None:
    for text in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        text.set_parse_math(False)


def draw_column(ax: Axes, column: ColumnProfile, style: ChartStyle) -> None:
    """A column's histogram (equal-width bins, the edges labelled), or its top values'
    counts as numbered bars (the values themselves are listed next to the chart)."""
    _axes_style(ax, style)
    if column.histogram:
        counts = [int(b["count"]) for b in column.histogram]
        ax.bar(range(len(counts)), counts, width=0.92, align="edge", color=style.bar)
        edges = [column.histogram[0]["low"], *(b["high"] for b in column.histogram)]
        ticks = sorted({0, len(counts) // 2, len(counts)})
        ax.set_xticks(ticks, [label(edges[i]) for i in ticks])
        ax.set_title(_("histogram"), color=style.text, fontsize=9, loc="left")
    elif column.top:
        counts = [t.count for t in column.top]
        ax.bar(range(1, len(counts) + 1), counts, width=0.7, color=style.bar)
        ax.set_xticks(range(1, len(counts) + 1))
        ax.set_title(
            _("most frequent values (#1 to #{n})").format(n=len(counts)),
            color=style.text,
            fontsize=9,
            loc="left",
        )
    else:
        ax.text(
            0.5,
            0.5,
            _("nothing to chart"),
            ha="center",
            va="center",
            color=style.text,
            transform=ax.transAxes,
        )
        ax.set_xticks([])
        ax.set_yticks([])
    _no_math(ax)


def draw_mini(ax: Axes, column: ColumnProfile, style: ChartStyle) -> None:
    """A mini-histogram: bars only, no axes."""
    counts = mini_counts(column)
    ax.set_axis_off()
    if counts:
        ax.bar(range(len(counts)), counts, width=0.85, color=style.bar)
        ax.set_xlim(-0.5, len(counts) - 0.5)
        ax.set_ylim(0, max(max(counts), 1))


def draw_trend(ax: Axes, history: list[HistoryEntry], style: ChartStyle) -> None:
    """The score of each stored profile, oldest to newest (``history`` is newest first)."""
    _axes_style(ax, style)
    points = [(h.created_at, h.score) for h in reversed(history) if h.score is not None]
    ax.set_title(
        _("quality score of the stored profiles"), color=style.text, fontsize=9, loc="left"
    )
    ax.set_ylim(0, 105)
    if not points:
        ax.text(
            0.5,
            0.5,
            _("no stored profile yet"),
            ha="center",
            va="center",
            color=style.text,
            transform=ax.transAxes,
        )
        ax.set_xticks([])
        return
    xs = list(range(1, len(points) + 1))
    ax.plot(xs, [p[1] for p in points], marker="o", markersize=4, linewidth=1.2, color=style.line)
    ticks = sorted({1, (len(xs) + 1) // 2, len(xs)})
    ax.set_xticks(ticks, [_short_time(points[i - 1][0]) for i in ticks])
    ax.set_xlim(0.5, len(xs) + 0.5)
    _no_math(ax)


def _short_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso[:16]


def new_figure(width: float, height: float, style: ChartStyle) -> Figure:
    """A figure of ``width`` × ``height`` inches, not tied to any GUI."""
    need_charts()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_facecolor(style.face)
    return figure


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_SALTS = itertools.count(1)  # each chart's element ids its own, in one HTML document


def svg_of(figure: Figure) -> str:
    """``figure`` as an ``<svg>`` element to put inline in HTML: text as text, no XML
    prologue, no doctype, no metadata naming anything outside the file."""
    from matplotlib import rc_context

    out = io.StringIO()
    salt = f"cauce{next(_SALTS)}"
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        figure.savefig(
            out,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    text = _PROLOGUE.sub("", out.getvalue(), count=1)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    # element ids (figure_1, the clip paths...) unique in a document holding many charts
    text = re.sub(r'\bid="', f'id="{salt}-', text)
    return re.sub(r'(url\(#|href="#)', rf"\g<1>{salt}-", text)
