"""A profile as one self-contained HTML file: ``cauce profile … --html OUT`` and the editor
panel's "Export HTML".

Nothing is loaded from elsewhere: the CSS is inline, the charts are inline SVG drawn by
matplotlib (:mod:`app.services.profile_charts`), no script. Every value that comes from the
data or the database (column names, values, patterns, check texts) goes through
:func:`html.escape`. The texts are in the current language (:mod:`app.i18n`).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _, current_language

if TYPE_CHECKING:
    from app.engine.profile.model import ColumnProfile
    from app.services.profile_report import ProfileReport

__all__ = ["render_html", "write_html"]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;
color:#24292f;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;
margin-top:2em}h3{margin:1.4em 0 .4em}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #d0d7de;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f6f8fa}td.n{text-align:right;
font-variant-numeric:tabular-nums}
.muted{color:#57606a}.score{font-size:2.4em;font-weight:600}.loss{color:#cf222e}
.bar{background:#2f81f7;height:.8em;display:inline-block;vertical-align:middle}
.status-passed{color:#1a7f37}.status-failed,.status-error{color:#cf222e}
.status-warned{color:#9a6700}.column{border:1px solid #d0d7de;border-radius:6px;
padding:.2em 1em 1em;margin:1em 0}.grid{display:flex;flex-wrap:wrap;gap:1.5em}
svg{max-width:100%;height:auto}code{background:#f6f8fa;padding:0 3px}
"""


def e(value: Any) -> str:
    """``value`` as escaped HTML text (None: an empty string).

    >>> e('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return "" if value is None else html.escape(str(value), quote=True)


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _rows(pairs: list[tuple[str, Any]]) -> str:
    body = "".join(
        f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in pairs if v not in (None, "")
    )
    return f"<table>{body}</table>"


def _counts(title: str, items: list[tuple[Any, int]], total: int) -> str:
    if not items:
        return ""
    top = max(c for _v, c in items) or 1
    body = "".join(
        f'<tr><td>{e(v)}</td><td class="n">{_num(c)}</td>'
        f'<td class="n">{c / total:.1%}</td>'
        f'<td><span class="bar" style="width:{round(120 * c / top)}px"></span></td></tr>'
        for v, c in items
    )
    value, rows = _("value"), _("rows")
    head = f"<tr><th>{e(value)}</th><th>{e(rows)}</th><th>%</th><th></th></tr>"
    return f"<div><h4>{e(title)}</h4><table>{head}{body}</table></div>"


def _svg_column(column: ColumnProfile) -> str:
    from app.services.profile_charts import ChartStyle, draw_column, new_figure, svg_of

    style = ChartStyle()
    figure = new_figure(4.6, 2.4, style)
    draw_column(figure.add_subplot(), column, style)
    return svg_of(figure)


def _column(i: int, c: ColumnProfile, score: float | None) -> str:
    mean = _("mean")
    distinct = (
        None if c.distinct is None else ("~" if c.distinct_approximate else "") + _num(c.distinct)
    )
    stats = _rows(
        [
            (_("type"), c.type),
            (_("kind"), c.kind),
            (_("rows"), _num(c.rows)),
            (_("nulls"), f"{_num(c.nulls)} ({c.null_share:.1%})"),
            (_("distinct"), distinct),
            (_("min"), c.min),
            (_("max"), c.max),
            (_("mean"), _num(c.mean)),
            (_("stddev"), _num(c.stddev)),
            (
                _("length"),
                None
                if c.length_min is None
                else f"{c.length_min} – {c.length_max} ({mean} {_num(c.length_mean)})",
            ),
            (_("looks like"), c.semantic_type),
            (_("score"), None if score is None else f"{score:.1f}"),
        ]
    )
    heading = _("quantiles")
    quantiles = (
        f"<div><h4>{e(heading)}</h4>" + _rows([(k, v) for k, v in c.quantiles.items()]) + "</div>"
        if c.quantiles
        else ""
    )
    looked = c.pattern_rows or 1
    recognised = _counts(
        _("recognised types ({rows} rows looked at)").format(rows=_num(c.pattern_rows)),
        list(c.recognised.items()),
        looked,
    )
    parts = [
        f"<div>{stats}</div>",
        f"<div>{_svg_column(c)}</div>" if c.histogram or c.top else "",
        quantiles,
        _counts(_("top values"), [(t.value, t.count) for t in c.top], c.rows or 1),
        _counts(_("patterns"), [(p.value, p.count) for p in c.patterns[:10]], looked),
        recognised,
    ]
    return (
        f'<section class="column" id="col-{i}"><h3>{e(c.name)}</h3>'
        f'<div class="grid">{"".join(parts)}</div></section>'
    )


def _summary(report: ProfileReport) -> str:
    p = report.profile
    fds = ", ".join(f"{d['determinant']} → {d['dependent']}" for d in p.functional_dependencies)
    return _rows(
        [
            (_("rows"), _num(p.rows)),
            (_("sample"), f"{p.sample_pct}%" if p.sampled else None),
            (_("duplicate rows"), _num(p.duplicate_rows)),
            (_("candidate keys"), ", ".join(p.candidate_keys) or _("none")),
            (_("functional dependencies"), fds or _("none")),
            (_("database"), p.dialect),
            (_("queries"), f"{p.queries} ({p.seconds:.2f} s)"),
        ]
    )


def _score(report: ProfileReport) -> str:
    s = report.score
    weights = ", ".join(f"{k} {v}" for k, v in s.weights.items())
    weighted = _("weights: {weights}").format(weights=weights)
    none_lost = _("no point lost")
    losses = "".join(
        f'<li><span class="loss">−{loss.points:.1f}</span>: {e(loss.text)}</li>'
        for loss in s.losses
    )
    return (
        f'<p><span class="score">{s.score:.1f}</span> / 100</p>'
        f'<p class="muted">{e(weighted)}</p>'
        + (f"<ul>{losses}</ul>" if losses else f"<p>{e(none_lost)}</p>")
    )


def _trend(report: ProfileReport) -> str:
    if not any(h.score is not None for h in report.history):
        return ""
    from app.services.profile_charts import ChartStyle, draw_trend, new_figure, svg_of

    style = ChartStyle()
    figure = new_figure(7.5, 2.4, style)
    draw_trend(figure.add_subplot(), report.history, style)
    rows = "".join(
        f"<tr><td>{e(h.id)}</td><td>{e(h.created_at)}</td><td class='n'>{_num(h.rows)}</td>"
        f"<td class='n'>{'' if h.score is None else f'{h.score:.1f}'}</td></tr>"
        for h in report.history
    )
    head = "".join(
        f"<th>{e(t)}</th>" for t in (_("profile"), _("stored at"), _("rows"), _("score"))
    )
    title = _("Score trend")
    return f"<h2>{e(title)}</h2>{svg_of(figure)}<table><tr>{head}</tr>{rows}</table>"


def _checks(report: ProfileReport) -> str:
    if not report.checks and not report.suggestions:
        return ""
    title, suggested = _("Checks"), _("Suggested checks")
    out = f"<h2>{e(title)}</h2>"
    if report.checks:
        head = "".join(
            f"<th>{e(t)}</th>"
            for t in (
                _("check"),
                _("what it asks"),
                _("severity"),
                _("last result"),
                _("failing rows"),
            )
        )
        body = ""
        for line in report.checks:
            r = line.result
            status = r.status if r else _("never run")
            failing = (
                "" if r is None or r.failing is None else f"{_num(r.failing)} / {_num(r.rows)}"
            )
            body += (
                f"<tr><td><code>{e(line.check.name)}</code></td><td>{e(line.description)}</td>"
                f"<td>{e(line.check.severity)}</td>"
                f'<td class="status-{e(r.status if r else "none")}">{e(status)}</td>'
                f'<td class="n">{e(failing)}</td></tr>'
            )
        out += f"<table><tr>{head}</tr>{body}</table>"
    else:
        none_declared = _("no check is declared on this table")
        out += f"<p>{e(none_declared)}</p>"
    if report.suggestions:
        items = "".join(
            f"<li><code>{e(s.name)}</code> {e(s.describe())}</li>" for s in report.suggestions
        )
        out += f"<h3>{e(suggested)}</h3><ul>{items}</ul>"
    return out


def _columns_table(report: ProfileReport) -> str:
    head = "".join(
        f"<th>{e(t)}</th>" for t in (_("column"), _("kind"), _("nulls"), _("distinct"), _("score"))
    )
    body = "".join(
        f'<tr><td><a href="#col-{i}">{e(c.name)}</a></td><td>{e(c.kind)}</td>'
        f'<td class="n">{c.null_share:.1%}</td><td class="n">{_num(c.distinct)}</td>'
        f'<td class="n">{_score_of(report, c.name)}</td></tr>'
        for i, c in enumerate(report.profile.columns)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _score_of(report: ProfileReport, column: str) -> str:
    value = report.score.columns.get(column)
    return "" if value is None else f"{value:.1f}"


def render_html(report: ProfileReport, *, now: dt.datetime | None = None) -> str:
    """The report as one HTML document (a string), in the current language."""
    now = now or dt.datetime.now(dt.UTC)
    title = _("Profile of {table}").format(table=report.target.title)
    columns = "".join(
        _column(i, c, report.score.columns.get(c.name))
        for i, c in enumerate(report.profile.columns)
    )
    table, quality, columns_title = _("Table"), _("Quality score"), _("Columns")
    when = _("profiled by Cauce on {when}").format(when=now.strftime("%Y-%m-%d %H:%M UTC"))
    body = (
        f"<h1>{e(title)}</h1>"
        f'<p class="muted">{e(when)}</p>'
        f"<h2>{e(table)}</h2>{_summary(report)}"
        f"<h2>{e(quality)}</h2>{_score(report)}"
        f"{_trend(report)}{_checks(report)}"
        f"<h2>{e(columns_title)}</h2>{_columns_table(report)}{columns}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{e(current_language())}"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def write_html(report: ProfileReport, path: Path) -> Path:
    """Write the report to ``path`` (UTF-8); returns the path."""
    path.write_text(render_html(report), encoding="utf-8")
    return path
