"""The main window's frame: its size (remembered, never larger than the screen), the docks
around the canvas and their titles in the current language, the minimap, the theme.

A mixin of :class:`~app.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QWidget

from app.ui.actions import SOURCE_TEXT, retranslate_menus
from app.ui.canvas.commands import retranslate_stack
from app.ui.panels.console import RunConsole
from app.ui.panels.explorer import ProjectExplorer
from app.ui.panels.history import HistoryPanel
from app.ui.panels.palette import Palette
from app.ui.panels.preview import PreviewPanel
from app.ui.panels.problems import ProblemsPanel
from app.ui.panels.schema import SchemaPanel
from app.ui.panels.sql_view import SqlView
from app.ui.properties.panel import PropertiesPanel
from app.ui.theme import current_theme

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["WindowLayoutMixin"]

GEOMETRY_KEY = "window/geometry"
MINIMAP_KEY = "view/minimap"
DEFAULT_SIZE = (1600, 1000)
FRAME_ROOM = 48  # pixels of a title bar and borders, outside the window's geometry

Area = Qt.DockWidgetArea


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WindowLayoutMixin(_Base):
    def show_minimap(self, shown: bool) -> None:
        """Show or hide the minimap (View > Minimap); remembered for the next start."""
        self.minimap.setVisible(shown)
        self.settings.setValue(MINIMAP_KEY, shown)
        self.actions_by_name["minimap"].setChecked(shown)

    def restore_size(self) -> None:
        """The size the window had when it was last closed, else 1600×1000; never larger than
        the screen's available area (the bottom tabs were cut off on a 1080-pixel screen)."""
        saved = self.settings.value(GEOMETRY_KEY)
        if not (isinstance(saved, QByteArray | bytes) and self.restoreGeometry(saved)):
            self.resize(*DEFAULT_SIZE)
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        # the title bar and borders are outside the widget's geometry: keep room for them
        width = min(self.width(), area.width() - FRAME_ROOM)
        height = min(self.height(), area.height() - FRAME_ROOM)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if not area.contains(self.frameGeometry().topLeft()):
            self.move(area.topLeft())

    def save_size(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._frame_pending:
            QTimer.singleShot(0, self._frame_once)

    def _frame_once(self) -> None:
        """Zoom to fit with the viewport's real size (at start-up it had a provisional one)."""
        if self._frame_pending and self.isVisible():
            self._frame_pending = False
            self.bridge.zoom_to_fit()

    def apply_scheme(self, scheme: str) -> None:
        """Follow the application theme (``light`` or ``dark``) on the canvas."""
        self.bridge.set_colors(scheme)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:  # the application palette changed
            self.apply_scheme(current_theme()[1])  # the canvas too, at once
        if event.type() == QEvent.Type.LanguageChange:
            for stack in self.undo_group.stacks():
                retranslate_stack(stack)  # before the Undo/Redo actions read their texts
            retranslate_menus(self)
            for dock in self.docks:
                dock.setWindowTitle(_tr(dock.property(SOURCE_TEXT)))
            if hasattr(self, "validation"):  # the core's problems again, in the new language
                self.validation.timer.start()
        super().changeEvent(event)

    def _dock(
        self, title: str, name: str, widget: QWidget, area: Area | QDockWidget
    ) -> QDockWidget:
        """A dock in ``area``, or tabbed with another dock.

        Docks are tabbed as they are created: adding a dock to an area and tabbing it later
        leaves a stale tab bar drawn over the left docks (a QMainWindow layout bug).
        """
        dock = QDockWidget(_tr(title), self)
        dock.setProperty(SOURCE_TEXT, title)
        dock.setObjectName(name)
        dock.setWidget(widget)
        if isinstance(area, QDockWidget):
            self.tabifyDockWidget(area, dock)
        else:
            self.addDockWidget(area, dock)
        self.docks.append(dock)
        return dock

    def _build_docks(self) -> None:
        self.palette = Palette()
        self.explorer = ProjectExplorer()
        self.properties = PropertiesPanel(self.bridge)
        self.schema = SchemaPanel()
        self.preview = PreviewPanel()
        self.console = RunConsole()
        self.problems = ProblemsPanel()
        self.sql_view = SqlView()
        left, right = Area.LeftDockWidgetArea, Area.RightDockWidgetArea
        palette = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Components"), "paletteDock", self.palette, left
        )
        explorer = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Project"), "explorerDock", self.explorer, left
        )
        self.splitDockWidget(palette, explorer, Qt.Orientation.Vertical)
        props = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Properties"), "propertiesDock", self.properties, right
        )
        schema = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Schema"), "schemaDock", self.schema, right
        )
        self.splitDockWidget(props, schema, Qt.Orientation.Vertical)
        self.sql_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "SQL"), "sqlDock", self.sql_view, schema
        )
        schema.raise_()
        preview = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Data preview"),
            "previewDock",
            self.preview,
            Area.BottomDockWidgetArea,
        )
        console = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Run console"), "consoleDock", self.console, preview
        )
        problems = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Problems"), "problemsDock", self.problems, preview
        )
        self.history = HistoryPanel()
        self.history_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "History"), "historyDock", self.history, preview
        )
        preview.raise_()
        self._hide_stale_tab_bars()
        self.resizeDocks([palette, props], [220, 370], Qt.Orientation.Horizontal)
        self.resizeDocks([preview], [230], Qt.Orientation.Vertical)
        self.resizeDocks([palette, explorer], [400, 260], Qt.Orientation.Vertical)
        self.resizeDocks([props, schema], [420, 240], Qt.Orientation.Vertical)
        self.problems_dock, self.console_dock, self.preview_dock = problems, console, preview

    def _hide_stale_tab_bars(self) -> None:
        """Hide the tab bars QMainWindow leaves behind when a second group of docks is tabbed.

        Qt (6.12) keeps the bar of the first two tabs of the second group visible next to the
        bar it really uses (it was drawn over the Project dock); a bar whose tabs are the start
        of another bar's tabs is that leftover.
        """
        bars = self.findChildren(QTabBar)

        def texts(bar: QTabBar) -> list[str]:
            return [bar.tabText(i) for i in range(bar.count())]

        for bar in bars:
            mine = texts(bar)
            if mine and any(
                o is not bar and o.count() > bar.count() and texts(o)[: len(mine)] == mine
                for o in bars
            ):
                bar.hide()
