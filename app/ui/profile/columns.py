"""The column list (kind, null share, distinct values, score, a mini-histogram) and a
column's detail (its chart, statistics and quantiles, top values, patterns, recognised
types)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.services.profile_charts import draw_column
from app.services.profile_report import ProfileReport
from app.ui.i18n import format_decimal, format_int
from app.ui.monitor.table import Column, RowsModel, table_view
from app.ui.profile.charts import ChartCanvas, mini_pixmap, palette_style

__all__ = ["ColumnDetail", "ColumnsModel", "check_status_text", "kind_text"]

KINDS = {
    "numeric": QT_TRANSLATE_NOOP("ProfileKinds", "numeric"),
    "temporal": QT_TRANSLATE_NOOP("ProfileKinds", "temporal"),
    "string": QT_TRANSLATE_NOOP("ProfileKinds", "string"),
    "boolean": QT_TRANSLATE_NOOP("ProfileKinds", "boolean"),
    "other": QT_TRANSLATE_NOOP("ProfileKinds", "other"),
}
CHECK_STATUSES = {
    "passed": QT_TRANSLATE_NOOP("CheckStatus", "passed"),
    "failed": QT_TRANSLATE_NOOP("CheckStatus", "failed"),
    "warned": QT_TRANSLATE_NOOP("CheckStatus", "warned"),
    "error": QT_TRANSLATE_NOOP("CheckStatus", "error"),
}
MINI = (110, 22)  # a mini-histogram's size in pixels


def kind_text(kind: str) -> str:
    return QCoreApplication.translate("ProfileKinds", KINDS.get(kind, kind))


def check_status_text(status: str) -> str:
    return QCoreApplication.translate("CheckStatus", CHECK_STATUSES.get(status, status))


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProfilePanel", text)


def percent(share: float) -> str:
    return format_decimal(100 * share, 1) + " %"


class ColumnsModel(RowsModel):
    """The profile's columns; the last column draws each one's mini-histogram."""

    def __init__(self, parent: Any = None) -> None:
        self.scores: dict[str, float] = {}
        super().__init__(
            [
                Column(_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Column")), lambda c: c.name),
                Column(_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Kind")), lambda c: kind_text(c.kind)),
                Column(
                    _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Nulls")),
                    lambda c: percent(c.null_share),
                    align_right=True,
                ),
                Column(
                    _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Distinct")),
                    lambda c: "" if c.distinct is None else format_int(c.distinct),
                    align_right=True,
                ),
                Column(
                    _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Score")),
                    lambda c: (
                        format_decimal(self.scores[c.name], 1) if c.name in self.scores else ""
                    ),
                    align_right=True,
                ),
                Column(_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Distribution")), lambda c: ""),
            ],
            parent,
        )
        self.pixmaps: dict[int, Any] = {}
        self.style_source: QWidget | None = None

    def show_report(self, report: ProfileReport | None) -> None:
        self.scores = dict(report.score.columns) if report else {}
        self.pixmaps = {}
        self.set_rows(report.profile.columns if report else [])

    def data(self, index: QModelIndex | Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DecorationRole
            and index.isValid()
            and index.column() == len(self.columns) - 1
        ):
            row = index.row()
            if row not in self.pixmaps:
                style = palette_style(self.style_source) if self.style_source else None
                from app.services.profile_charts import ChartStyle

                self.pixmaps[row] = mini_pixmap(self.rows[row], *MINI, style or ChartStyle())
            return self.pixmaps[row]
        return super().data(index, role)


def _pairs_model(titles: tuple[str, str, str]) -> RowsModel:
    return RowsModel(
        [
            Column(titles[0], lambda r: r[0]),
            Column(titles[1], lambda r: r[1], align_right=True),
            Column(titles[2], lambda r: r[2], align_right=True),
        ]
    )


class ColumnDetail(QWidget):
    """One column: its chart above, its statistics, top values and patterns below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a column name is data, not HTML
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.chart = ChartCanvas(190, self)
        self.stats = RowsModel(
            [
                Column(_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Statistic")), lambda r: r[0]),
                Column(_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Value")), lambda r: r[1]),
            ]
        )
        self.top = _pairs_model(
            (
                _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Top value")),
                _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Rows")),
                "%",
            )
        )
        self.patterns = _pairs_model(
            (
                _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Pattern or type")),
                _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Rows")),
                "%",
            )
        )
        self.views = [table_view(m, self, stretch=0) for m in (self.stats, self.top, self.patterns)]
        lists = QSplitter(Qt.Orientation.Horizontal, self)
        for view in self.views:
            lists.addWidget(view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.chart)
        layout.addWidget(lists, 1)

    def show_column(self, column: Any, score: float | None) -> None:
        c = column
        self.title.setText(f"{c.name}  ·  {c.type}  ·  {kind_text(c.kind)}")
        self.chart.show_chart(lambda ax, style: draw_column(ax, c, style))
        self.stats.set_rows(self._stats(c, score))
        total = c.rows or 1
        self.top.set_rows(
            [(_value(t.value), format_int(t.count), percent(t.count / total)) for t in c.top]
        )
        looked = c.pattern_rows or 1
        shapes = [(p.value, format_int(p.count), percent(p.count / looked)) for p in c.patterns]
        kinds = [(f"≈ {k}", format_int(n), percent(n / looked)) for k, n in c.recognised.items()]
        self.patterns.set_rows(kinds + shapes)

    @staticmethod
    def _stats(c: Any, score: float | None) -> list[tuple[str, str]]:
        rows = [
            (_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Rows")), format_int(c.rows)),
            (
                _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Nulls")),
                f"{format_int(c.nulls)} ({percent(c.null_share)})",
            ),
        ]
        if c.distinct is not None:
            approx = "~" if c.distinct_approximate else ""
            rows.append(
                (
                    _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Distinct")),
                    approx + format_int(c.distinct),
                )
            )
        for key, value in (
            (_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Minimum")), c.min),
            (_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Maximum")), c.max),
        ):
            if value is not None:
                rows.append((key, _value(value)))
        if c.mean is not None:
            rows.append((_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Mean")), _value(c.mean)))
        if c.stddev is not None:
            rows.append(
                (_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Standard deviation")), _value(c.stddev))
            )
        rows += [(name, _value(v)) for name, v in c.quantiles.items()]
        if c.length_min is not None:
            rows.append(
                (
                    _tr(QT_TRANSLATE_NOOP("ProfilePanel", "Length")),
                    f"{c.length_min} – {c.length_max}",
                )
            )
        if c.semantic_type:
            rows.append((_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Looks like")), c.semantic_type))
        if score is not None:
            rows.append((_tr(QT_TRANSLATE_NOOP("ProfilePanel", "Score")), format_decimal(score, 1)))
        return rows


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "NULL" if value is None else str(value)
