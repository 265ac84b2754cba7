"""The user guide's screenshots (docs/guide/images/<lang>/), rendered by driving the editor.

Every run renders them all, in English and Spanish, and checks that each image a guide page
shows is one of them (so the pages cannot point at a screen that no longer exists).
``CAUCE_UPDATE_GUIDE=1`` writes them into docs/guide/images/ (commit the result);
otherwise they go to a scratch directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.dialogs.connections import ConnectionsDialog
from app.ui.i18n import install_translator
from app.ui.syncs.models import CatalogModel

from .conftest import node_id, wait_validated
from .test_lineage import _double_click, _item
from .test_panels_current import click_node
from .test_syncs import _dialog, _open_wizard

pytestmark = pytest.mark.gui
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
#: the screens the guide shows, by file name (without .png)
SCREENS = ("editor", "connections", "run", "lineage", "run-failed", "sync-wizard")


@pytest.fixture(params=["en", "es"])
def language(request, qapp):  # type: ignore[no-untyped-def]
    install_translator(qapp, request.param)
    yield request.param
    install_translator(qapp, "en")


def _save(widget: QWidget, folder: Path, name: str) -> None:
    QApplication.processEvents()
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / f"{name}.png"))


def _run(qtbot, win):  # type: ignore[no-untyped-def]
    button = win.toolbar.widgetForAction(win.actions_by_name["run"])
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return done.args[0]


def test_guide_screenshots(qtbot, window, chinook_dir: Path, tmp_path: Path, language: str) -> None:
    update = os.environ.get("CAUCE_UPDATE_GUIDE") == "1"
    folder = GUIDE / "images" / language if update else tmp_path / language
    win = window
    win.resize(1400, 860)
    assert win.open_project(chinook_dir, "revenue")
    win.bridge.zoom_to_fit()
    click_node(win, node_id(win, "amounts"))
    wait_validated(qtbot, win)
    with qtbot.waitSignal(win.preview.finished, timeout=30_000):
        qtbot.mouseClick(win.preview.preview_button, Qt.MouseButton.LeftButton)
    _save(win, folder, "editor")

    def test_chinook() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConnectionsDialog)
        with qtbot.waitSignal(dialog.tested, timeout=20_000):
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        _save(dialog, folder, "connections")
        dialog.reject()

    QTimer.singleShot(0, test_chinook)
    win.actions_by_name["connections"].trigger()

    assert _run(qtbot, win).ok
    _save(win, folder, "run")

    click_node(win, node_id(win, "by_country_genre_year"))
    wait_validated(qtbot, win)
    output = "Output: out" if language == "en" else "Salida: out"
    lineage = _double_click(qtbot, win, _item(win, output, "Revenue"))
    assert lineage.step is not None
    _save(lineage, folder, "lineage")
    lineage.close()

    click_node(win, node_id(win, "paid_lines"))
    editor = win.properties.editor("condition").edit
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "CAST(Country AS INTEGER) > 0")
    wait_validated(qtbot, win)
    assert _run(qtbot, win).status == "failed"
    _save(win, folder, "run-failed")

    syncs = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, syncs)
    page = wizard.source_page
    page.connection_combo.setCurrentIndex(page.connection_combo.findData("chinook"))
    qtbot.waitUntil(lambda: not page.is_busy and page.model.rowCount() > 0, timeout=20_000)
    row = page.proxy.mapFromSource(
        page.model.index(page.model.row_of("Invoice"), CatalogModel.TABLE)
    ).row()
    rect = page.tables.visualRect(page.proxy.index(row, CatalogModel.TABLE))
    qtbot.mouseClick(page.tables.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    _save(wizard, folder, "sync-wizard")
    wizard.reject()

    made = {p.stem for p in folder.glob("*.png")}
    assert made >= set(SCREENS)
    for page in (GUIDE / language).glob("*.md"):
        for image in re.findall(
            r"\]\(\.\./images/" + language + r"/([\w-]+)\.png\)", page.read_text()
        ):
            assert image in SCREENS, f"{page.name} shows {image}.png, which no test renders"
            assert (GUIDE / "images" / language / f"{image}.png").is_file()
