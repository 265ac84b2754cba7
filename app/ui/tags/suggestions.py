"""The suggestions pane of the column tags window: each suggested tag with why Cauce thinks
so and how sure it is; the user checks the ones to keep and clicks Accept selected (nothing
is stored before that)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.privacy import TagSuggestion

__all__ = ["SuggestionsPane"]

KEY = Qt.ItemDataRole.UserRole  # the row's index in ``SuggestionsPane.suggestions``


class SuggestionsPane(QGroupBox):
    """Suggested tags with their reasons; emits the checked ones on Accept selected.

    Signals:
        accept_requested: the checked suggestions (a list of :class:`TagSuggestion`).
    """

    accept_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Suggestions"), parent)
        self.suggestions: list[TagSuggestion] = []
        self.tree = QTreeWidget()
        self.tree.setObjectName("tagSuggestions")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(
            [self.tr("Column"), self.tr("Tag"), self.tr("Why"), self.tr("Confidence")]
        )
        header = self.tree.header()
        for i in (0, 1, 3):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.itemChanged.connect(lambda _i, _c: self._update_button())
        self.note = QLabel(
            self.tr("Suggest reads the columns' names and a sample of their values.")
        )
        self.note.setWordWrap(True)
        self.all_button = QPushButton(self.tr("Check a&ll"))
        self.accept_button = QPushButton(self.tr("&Accept selected"))
        self.accept_button.setToolTip(self.tr("Store the checked tags on their columns"))
        for button in (self.all_button, self.accept_button):
            button.setAutoDefault(False)
        self.all_button.clicked.connect(lambda _c=False: self.check_all())
        self.accept_button.clicked.connect(lambda _c=False: self._accept())
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.accept_button)
        box = QVBoxLayout(self)
        box.addWidget(self.tree, 1)
        box.addLayout(buttons)
        self._update_button()

    def show_suggestions(self, suggestions: list[TagSuggestion], note: str) -> None:
        """Show ``suggestions`` unchecked, and ``note`` under them."""
        self.suggestions = list(suggestions)
        self.tree.blockSignals(True)
        self.tree.clear()
        for i, s in enumerate(self.suggestions):
            t = s.tag
            item = QTreeWidgetItem(
                self.tree,
                [
                    f"{t.connection} · {t.table} · {t.column}",
                    t.tag,
                    self.reason(s),
                    f"{round(s.confidence * 100)} %",
                ],
            )
            item.setData(0, KEY, i)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setToolTip(2, self.reason(s))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tree.blockSignals(False)
        self.note.setText(note)
        self._update_button()

    def reason(self, s: TagSuggestion) -> str:
        """Why ``s`` is suggested, in words."""
        parts = []
        if s.name_words:
            parts.append(self.tr("name: “%1”").replace("%1", s.name_words))
        if s.recogniser:
            parts.append(
                self.tr("values: %1 % look like %2")
                .replace("%1", str(round(s.share * 100)))
                .replace("%2", s.recogniser.replace("_", " "))
            )
        return "; ".join(parts)

    def item_of(self, connection: str, table: str, column: str, tag: str) -> QTreeWidgetItem:
        """The row suggesting ``tag`` for a column of ``connection``."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            s = self.suggestions[item.data(0, KEY)]  # type: ignore[union-attr]
            if (s.tag.connection, s.tag.table, s.tag.column, s.tag.tag) == (
                connection,
                table,
                column,
                tag,
            ):
                return item  # type: ignore[return-value]
        raise LookupError(f"no suggestion {connection}.{table}.{column} {tag}")

    def checked(self) -> list[TagSuggestion]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                out.append(self.suggestions[item.data(0, KEY)])
        return out

    def check_all(self) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None:
                item.setCheckState(0, Qt.CheckState.Checked)

    def drop(self, accepted: list[TagSuggestion]) -> None:
        """Take the accepted suggestions off the list (they are tags now)."""
        kept = [s for s in self.suggestions if s not in accepted]
        self.show_suggestions(kept, self.tr("%1 suggestions left").replace("%1", str(len(kept))))

    def _update_button(self) -> None:
        self.accept_button.setEnabled(bool(self.checked()))
        self.all_button.setEnabled(self.tree.topLevelItemCount() > 0)

    def _accept(self) -> None:
        chosen = self.checked()
        if chosen:
            self.accept_requested.emit(chosen)
