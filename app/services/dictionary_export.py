"""The dictionary as a document: Markdown or a standalone HTML page (``cauce dictionary
--export md|html``, the Dictionary window's Export).

Everything written comes from users or from imported bundles, so it is escaped: HTML with
:func:`html.escape` (a description holding ``<script>`` shows as text), Markdown with a
backslash before every character Markdown gives a meaning to, and line breaks in table cells
turned into spaces.

>>> md_text("a|b *c* <d>")
'a\\\\|b \\\\*c\\\\* \\\\<d\\\\>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime

from app.i18n import _
from app.services.dictionary import Dictionary, DictionaryColumn, DictionaryTable
from app.services.lineage import ProjectLineage
from app.storage.dictionary_format import GlossaryTerm

__all__ = ["EXPORT_FORMATS", "export_dictionary", "md_text"]

EXPORT_FORMATS = ("md", "html")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_LIST = re.compile(r"^(\d*)([-.+])")


def md_text(text: str) -> str:
    """Text safe in Markdown (and in one table cell): special characters escaped, one line
    (a leading ``-`` or ``1.`` would start a list)."""
    out = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LIST.sub(r"\1\\\2", out)


def _anchor(table: DictionaryTable) -> str:
    raw = f"{table.connection}-{table.qualified}".casefold()
    return "t-" + re.sub(r"[^a-z0-9]+", "-", raw).strip("-")


def _column_type(c: DictionaryColumn) -> str:
    key = _(", key {n}").format(n=c.pk_position) if c.pk_position else ""
    null = "" if c.nullable else _(", not null")
    return f"{c.type}{key}{null}"


def _table_facts(t: DictionaryTable) -> list[str]:
    facts = [t.kind]
    if t.row_estimate is not None:
        facts.append(_("about {rows} rows").format(rows=f"{t.row_estimate:,}"))
    if t.owner:
        facts.append(_("owner: {owner}").format(owner=t.owner))
    if t.score is not None:
        facts.append(_("quality score {score}").format(score=f"{t.score:.0f}"))
    return facts


def _uses(lineage: ProjectLineage | None, t: DictionaryTable) -> list[str]:
    if lineage is None:
        return []
    out = []
    for u in lineage.of_table(t.connection, t.qualified):
        what = (
            _("pipeline {name}").format(name=u.name)
            if u.kind == "pipeline"
            else _("sync {name}").format(name=u.name)
        )
        node = f" ({u.node})" if u.node else ""
        verb = _("read by") if u.role == "reads" else _("written by")
        out.append(f"{verb} {what}{node}")
    return out


def _flows(lineage: ProjectLineage | None, t: DictionaryTable, c: DictionaryColumn) -> list[str]:
    if lineage is None:
        return []
    out = []
    for f in lineage.into(t.connection, t.qualified, c.name):
        sources = ", ".join(str(s) for s in f.sources) or _("no source column")
        out.append(_("from {sources} ({name})").format(sources=sources, name=f.name))
    for f in lineage.out_of(t.connection, t.qualified, c.name):
        out.append(_("to {target} ({name})").format(target=f.target, name=f.name))
    return out


def _term_line(term: GlossaryTerm) -> list[str]:
    lines = []
    if term.definition:
        lines.append(term.definition)
    if term.synonyms:
        lines.append(_("Synonyms: {names}").format(names=", ".join(term.synonyms)))
    if term.owner:
        lines.append(_("Owner: {owner}").format(owner=term.owner))
    return lines


def _status(term: GlossaryTerm) -> str:
    return _("approved") if term.status == "approved" else _("draft")


# -- Markdown --------------------------------------------------------------------------------
def _markdown(d: Dictionary, lineage: ProjectLineage | None, when: str) -> str:
    columns = sum(len(t.columns) for t in d.tables)
    out = [
        f"# {md_text(_('Data dictionary: {project}').format(project=d.project))}",
        "",
        md_text(
            _("{tables} table(s), {columns} column(s), {terms} glossary term(s); {when}.").format(
                tables=len(d.tables), columns=columns, terms=len(d.terms), when=when
            )
        ),
        "",
    ]
    for t in d.tables:
        out += [f"## {md_text(t.connection)} · {md_text(t.qualified)}", ""]
        if t.description:
            out += [md_text(t.description), ""]
        out += [md_text(", ".join(_table_facts(t))), ""]
        out += [f"- {md_text(u)}" for u in _uses(lineage, t)]
        out += [""] if _uses(lineage, t) else []
        head = [_("Column"), _("Type"), _("Description"), _("Tags"), _("Terms"), _("Profile")]
        head += [_("Lineage")] if lineage is not None else []
        out += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for c in t.columns:
            cells = [
                c.name,
                _column_type(c),
                c.description,
                ", ".join(c.tags),
                ", ".join(c.terms),
                c.profile.text() if c.profile else "",
            ]
            cells += ["; ".join(_flows(lineage, t, c))] if lineage is not None else []
            out.append("| " + " | ".join(md_text(x) for x in cells) + " |")
        out.append("")
    if d.terms:
        out += [f"## {md_text(_('Glossary'))}", ""]
        for term in d.terms:
            out += [f"### {md_text(term.name)} ({md_text(_status(term))})", ""]
            out += [md_text(line) + "  " for line in _term_line(term)]
            out += [""] if term.links else []
            out += [f"- {md_text(str(ref))}" for ref in term.links]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML ------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:75em;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.3em .5em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.facts{color:#555}
.tag,.term{display:inline-block;background:#eef;border-radius:.3em;padding:0 .3em;margin:.1em}
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _chips(items: list[str], css: str) -> str:
    return "".join(f'<span class="{css}">{_h(i)}</span>' for i in items)


def _html(d: Dictionary, lineage: ProjectLineage | None, when: str) -> str:
    title = _("Data dictionary: {project}").format(project=d.project)
    columns = sum(len(t.columns) for t in d.tables)
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{_h(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_h(title)}</h1>",
        "<p>"
        + _h(
            _("{tables} table(s), {columns} column(s), {terms} glossary term(s); {when}.").format(
                tables=len(d.tables), columns=columns, terms=len(d.terms), when=when
            )
        )
        + "</p><ul>",
    ]
    out += [
        f'<li><a href="#{_anchor(t)}">{_h(t.connection)} · {_h(t.qualified)}</a></li>'
        for t in d.tables
    ]
    out.append("</ul>")
    for t in d.tables:
        out.append(f'<h2 id="{_anchor(t)}">{_h(t.connection)} · {_h(t.qualified)}</h2>')
        if t.description:
            out.append(f"<p>{_h(t.description)}</p>")
        out.append(f'<p class="facts">{_h(", ".join(_table_facts(t)))}</p>')
        uses = _uses(lineage, t)
        if uses:
            out.append("<ul>" + "".join(f"<li>{_h(u)}</li>" for u in uses) + "</ul>")
        head = [_("Column"), _("Type"), _("Description"), _("Tags"), _("Terms"), _("Profile")]
        head += [_("Lineage")] if lineage is not None else []
        out.append("<table><tr>" + "".join(f"<th>{_h(h)}</th>" for h in head) + "</tr>")
        for c in t.columns:
            cells = [
                _h(c.name),
                _h(_column_type(c)),
                _h(c.description),
                _chips(c.tags, "tag"),
                _chips(c.terms, "term"),
                _h(c.profile.text() if c.profile else ""),
            ]
            if lineage is not None:
                cells.append("<br>".join(_h(f) for f in _flows(lineage, t, c)))
            out.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
        out.append("</table>")
    if d.terms:
        out.append(f"<h2>{_h(_('Glossary'))}</h2>")
        for term in d.terms:
            out.append(f"<h3>{_h(term.name)} ({_h(_status(term))})</h3>")
            out += [f"<p>{_h(line)}</p>" for line in _term_line(term)]
            if term.links:
                out.append("<ul>" + "".join(f"<li>{_h(r)}</li>" for r in term.links) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


_WRITERS: dict[str, Callable[[Dictionary, ProjectLineage | None, str], str]] = {
    "md": _markdown,
    "html": _html,
}


def export_dictionary(
    dictionary: Dictionary,
    fmt: str,
    *,
    lineage: ProjectLineage | None = None,
    generated: datetime | None = None,
) -> str:
    """The dictionary (and the lineage of its tables and columns, when given) as ``md`` or
    ``html`` text.

    Raises:
        ValueError: an unknown format.
    """
    if fmt not in _WRITERS:
        raise ValueError(
            _("unknown export format {fmt!r} (choose {formats})").format(
                fmt=fmt, formats=", ".join(EXPORT_FORMATS)
            )
        )
    when = _("generated {time}").format(
        time=(generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    )
    return _WRITERS[fmt](dictionary, lineage, when)
