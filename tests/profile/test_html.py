"""The HTML report (``cauce profile --html``): one self-contained file whose figures are the
data's (counted here in plain Python), where every value from the data is escaped."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("matplotlib")  # the gui extra

HOSTILE = "<script>alert('x')</script>"
HOSTILE_COLUMN = '<img src=x onerror="alert(1)">'


class Outline(HTMLParser):
    """Tags seen, and the text of each ``section.column`` (its h3, its cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.sections: list[dict[str, list[str]]] = []
        self.stack: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs += attrs
        if tag == "section":
            self.sections.append({"h3": [], "td": [], "th": []})
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.sections and "section" in self.stack and self.stack[-1] in ("h3", "td", "th"):
            self.sections[-1][self.stack[-1]].append(data)


@pytest.fixture
def hostile_db(tmp_path: Path) -> tuple[Path, list[tuple[int, str | None, float]]]:
    rows = [
        (i, HOSTILE if i % 3 == 0 else (None if i % 7 == 0 else f"v{i % 4}"), i * 1.5)
        for i in range(1, 201)
    ]
    path = tmp_path / "hostile.duckdb"
    con = duckdb.connect(str(path))
    quoted = HOSTILE_COLUMN.replace('"', '""')
    con.execute(f'CREATE TABLE t (id INTEGER, "{quoted}" VARCHAR, amount DOUBLE)')
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    con.close()
    return path, rows


def _html(tmp_path: Path, db: Path) -> tuple[str, str]:
    out = tmp_path / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "profile",
            f"duckdb:///{db}",
            "--table",
            "t",
            "--json",
            "--html",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "HTML report written to" in done.stderr
    return out.read_text(encoding="utf-8"), done.stdout


def test_report_is_escaped_self_contained_and_shows_the_datas_figures(
    tmp_path: Path, hostile_db: tuple[Path, list[tuple[int, str | None, float]]]
) -> None:
    db, rows = hostile_db
    html, out = _html(tmp_path, db)
    profile = json.loads(out)
    # escaping: the hostile value and column name appear only escaped
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    outline = Outline()
    outline.feed(html)
    assert outline.tags["script"] == 0 and outline.tags["link"] == 0 and outline.tags["img"] == 0
    # self-contained: nothing loaded from elsewhere (namespaces are names, not loads)
    loads = [v for k, v in outline.attrs if k in ("src", "href") and v and not v.startswith("#")]
    assert loads == []
    assert not re.search(r"url\((?!#)|@import", html)  # url(#clip) is the SVG's own
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # each chart's clip paths are its own
    assert outline.tags["svg"] == 3  # histograms of id and amount, the top values: inline
    assert outline.tags["style"] >= 1  # the page's, and one per chart (matplotlib's)
    # figures: the data's, counted here
    by_name = {"".join(s["h3"]): s for s in outline.sections}
    assert list(by_name) == ["id", HOSTILE_COLUMN, "amount"]
    values = [r[1] for r in rows]
    nulls = sum(v is None for v in values)
    cells = by_name[HOSTILE_COLUMN]["td"]
    assert f"{nulls:,} ({nulls / len(rows):.1%})" in cells
    counts = Counter(v for v in values if v is not None)
    top_value, top_count = counts.most_common(1)[0]
    assert top_value == HOSTILE
    assert cells.count(HOSTILE) == 2  # the min ("<" sorts first), the first top value
    i = len(cells) - cells[::-1].index(HOSTILE) - 1  # the top values table: value, rows, share
    assert cells[i + 1 : i + 3] == [f"{top_count:,}", f"{top_count / len(rows):.1%}"]
    assert str(len(counts)) in cells  # distinct
    amount = by_name["amount"]["td"]
    assert f"{sum(r[2] for r in rows) / len(rows):,.6g}" in amount  # the mean
    assert f"{len(rows):,}" in "".join(s for s in re.findall(r"<td>([^<]*)</td>", html))
    # the summary: rows, candidate keys as the JSON report has them
    assert profile["candidate_keys"] == ["id", "amount"]
    assert "id, amount" in html


def test_report_in_spanish(tmp_path: Path, hostile_db: tuple[Path, object]) -> None:
    from app.i18n import set_language
    from app.services.profile_html import render_html
    from app.services.profile_report import ProfileTarget, project_report
    from app.services.profiling import profile_url
    from app.services.workspace import Workspace

    db, _rows = hostile_db
    profile = profile_url(f"duckdb:///{db}", "t")
    target = ProfileTarget("source", "t", "t", None)
    report = project_report(
        profile, target, None, workspace=Workspace.open(f"sqlite:///{tmp_path / 'm.db'}")
    )
    try:
        set_language("es")
        html = render_html(report)
    finally:
        set_language("en")
    assert '<html lang="es">' in html
    assert "Puntuación de calidad" in html and "Columnas" in html


def test_html_without_matplotlib_names_the_extra(
    tmp_path: Path, hostile_db: tuple[Path, object]
) -> None:
    db, _rows = hostile_db
    out = tmp_path / "never.html"
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"  # as if the gui extra were absent
        "from app.cli import main\n"
        f"main(['profile', 'duckdb:///{db}', '--table', 't', '--html', '{out}'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={
            "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}",
            "HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "gui extra" in done.stderr and "cauce[gui]" in done.stderr
    assert not out.exists()
