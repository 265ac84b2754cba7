"""The dark theme (issue #13, item 5): the canvas follows at once; unchecked boxes show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QStyleFactory,
    QVBoxLayout,
    QWidget,
)

from app.ui.dialogs.settings import SettingsDialog
from app.ui.theme import apply_theme, palette_for

from .conftest import shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    apply_theme(qapp, "light")


def test_canvas_turns_dark_when_the_theme_is_chosen(qtbot, qapp, window) -> None:  # type: ignore[no-untyped-def]
    win = window
    apply_theme(qapp, "light")
    qtbot.waitUntil(
        lambda: QColor(*win.bridge.graph.background_color()).lightness() > 150, timeout=2_000
    )

    def choose_dark() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, choose_dark)
    win.actions_by_name["settings"].trigger()  # Tools > Settings…, modal
    qtbot.waitUntil(
        lambda: QColor(*win.bridge.graph.background_color()).lightness() < 60, timeout=2_000
    )  # at once: no restart
    shot(win, "editor-dark-theme-live")

    apply_theme(qapp, "light")
    qtbot.waitUntil(
        lambda: QColor(*win.bridge.graph.background_color()).lightness() > 150, timeout=2_000
    )


def _edge_lightness(box: QCheckBox) -> int:
    """The lightest pixel of the box's indicator (its outline, when it has one)."""
    image = box.grab().toImage()
    size = box.style().pixelMetric(box.style().PixelMetric.PM_IndicatorWidth)
    return max(
        image.pixelColor(x, y).lightness()
        for x in range(min(size + 2, image.width()))
        for y in range(image.height())
    )


def test_an_unchecked_box_is_visible_on_the_dark_theme(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    apply_theme(qapp, "dark")
    box = QCheckBox()  # no text: only the indicator is drawn
    qtbot.addWidget(box)
    box.show()
    background = palette_for("dark").color(palette_for("dark").ColorRole.Window).lightness()
    assert _edge_lightness(box) - background > 80  # a grey outline on the dark window
    form = QWidget()
    qtbot.addWidget(form)
    column = QVBoxLayout(form)
    for text, checked in (("Header row (unchecked)", False), ("Encrypt (checked)", True)):
        shown = QCheckBox(text)
        shown.setChecked(checked)
        column.addWidget(shown)
    form.show()
    shot(form, "checkbox-dark-unchecked")

    fusion = QStyleFactory.create("Fusion")  # what it was: the outline barely shows
    box.setStyle(fusion)
    assert _edge_lightness(box) - background < 40
