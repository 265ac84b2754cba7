"""Settings (language, theme), about, notifications, icons, and screenshots of every dialog."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLocale, QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QCursor, QImage, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMainWindow, QWidget  # noqa: E402

import app  # noqa: E402
from app.services.bundles import export_project, preview_import  # noqa: E402
from app.services.connections import Connection  # noqa: E402
from app.ui.dialogs.about import AboutDialog  # noqa: E402
from app.ui.dialogs.bundles import ImportPreviewDialog  # noqa: E402
from app.ui.dialogs.connections import ConnectionsDialog  # noqa: E402
from app.ui.dialogs.settings import SettingsDialog  # noqa: E402
from app.ui.i18n import (  # noqa: E402
    app_settings,
    current_language,
    default_language,
    install_translator,
)
from app.ui.icons import ICON_DIR, ICON_NAMES, app_icon, icon  # noqa: E402
from app.ui.notify import Notifier  # noqa: E402
from app.ui.theme import apply_theme, current_theme  # noqa: E402

from .conftest import shot  # noqa: E402

pytestmark = pytest.mark.gui
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chinook"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    install_translator(qapp, "en")
    apply_theme(qapp, "light")


# -- settings ---------------------------------------------------------------------------------
def test_settings_switch_language_live_and_remember_it(qtbot, qapp: QApplication) -> None:
    install_translator(qapp, "en")
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Settings"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("es"))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton
    )
    assert current_language() == "es"
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Configuración")  # retranslated while open
    assert dialog.theme_label.text() == "&Tema"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"
    assert app_settings().value("ui/language") == "es"
    other = ConnectionsDialog({}, "demo")
    qtbot.addWidget(other)
    assert other.test_button.text() == "Probar conexión"
    assert other.empty_label.text() == "Aún no hay conexiones. Añada una con +."
    # a new start without an explicit language uses the saved one
    assert install_translator(qapp) == "es"


def test_settings_switch_theme_live(qtbot, qapp: QApplication) -> None:
    apply_theme(qapp, "light")
    light = qapp.palette().color(QPalette.ColorRole.Window)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert current_theme() == ("dark", "dark")
    dark = qapp.palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < 80 < light.lightness()
    assert qapp.style().baseStyle().name().lower() == "fusion"  # CauceStyle over Fusion
    assert app_settings().value("ui/theme") == "dark"
    assert apply_theme(qapp) == "dark"  # the saved mode


def test_follow_system_resolves_to_a_scheme(qapp: QApplication) -> None:
    assert apply_theme(qapp, "system") in ("light", "dark")
    assert current_theme()[0] == "system"
    assert apply_theme(qapp, "no such mode") in ("light", "dark")


def test_default_language_follows_a_spanish_locale() -> None:
    assert default_language(QLocale(QLocale.Language.Spanish, QLocale.Country.Mexico)) == "es"
    assert default_language(QLocale(QLocale.Language.French, QLocale.Country.France)) == "en"
    assert install_translator(QApplication.instance(), "xx") == "en"


def test_about_names_versions_licence_and_docs(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert app.__version__ in dialog.title.text()
    assert "PySide6" in dialog.versions.text() and "Python 3." in dialog.versions.text()
    assert "Apache-2.0" in dialog.licence.text()
    assert "href=" in dialog.docs.text() and dialog.docs.openExternalLinks()


# -- notifications ------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot) -> QMainWindow:
    win = QMainWindow()
    win.setCentralWidget(QWidget())
    win.resize(900, 600)
    qtbot.addWidget(win)
    win.show()
    return win


def test_notifier_falls_back_to_a_clickable_banner(qtbot, window: QMainWindow) -> None:
    notifier = Notifier(window)
    assert not notifier.available_tray  # offscreen: no system tray
    clicked: list[str] = []
    notifier.notify(
        "Run finished", "revenue: 412 rows written", lambda: clicked.append("a"), level="success"
    )
    notifier.notify("Run failed", "warehouse: connection refused", level="error")
    first, second = notifier.banners
    assert first.isVisible() and second.isVisible()
    right = window.width() - 16
    assert first.geometry().right() + 1 == right == second.geometry().right() + 1
    assert second.geometry().bottom() + 1 == window.height() - 16  # newest at the bottom
    assert first.geometry().bottom() < second.geometry().top()  # stacked, not overlapping
    shot(window, "notify-banners")
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert clicked == ["a"]
    assert notifier.banners == [second] and not first.isVisible()
    window.resize(700, 500)  # banners follow the corner
    assert second.geometry().right() + 1 == 700 - 16


def test_banner_hides_by_itself(qtbot, window: QMainWindow) -> None:
    qtbot.mouseMove(window.centralWidget(), QPoint(5, 5))  # a banner under the pointer stays
    notifier = Notifier(window, timeout_ms=50)
    notifier.notify("Saved", "project saved")
    assert notifier.banners and notifier.banners[0].timer.isActive(), QCursor.pos()
    qtbot.waitUntil(lambda: not notifier.banners, timeout=2000)


# -- icons ------------------------------------------------------------------------------------
def _ink(image: QImage) -> int:
    return sum(
        image.pixelColor(x, y).alpha() > 0
        for x in range(image.width())
        for y in range(image.height())
    )


@pytest.mark.parametrize("name", ICON_NAMES)
def test_every_icon_loads_and_draws(name: str, qapp: QApplication) -> None:
    pixmap = icon(name).pixmap(24, 24)
    assert not icon(name).isNull() and not pixmap.isNull()
    assert _ink(pixmap.toImage()) > 15


def test_icon_files_and_names_agree() -> None:
    files = {p.stem for p in ICON_DIR.glob("*.svg")} - {"cauce"}
    assert files == set(ICON_NAMES)
    with pytest.raises(KeyError):
        icon("no-such-icon")
    assert not app_icon().isNull() and _ink(app_icon().pixmap(32, 32).toImage()) > 300


# -- screenshots of every dialog in both themes and languages -----------------------------------
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots(
    qtbot, qapp: QApplication, tmp_path: Path, window: QMainWindow, language: str, theme: str
) -> None:
    install_translator(qapp, language)
    apply_theme(qapp, theme)
    tag = f"{language}-{theme}"
    conns = {
        "chinook": Connection(name="chinook", type="sqlite", params={"path": "c.sqlite"}),
        "pg": Connection(
            name="pg", type="postgres", params={"database": "sales", "user": "analyst"}
        ),
    }
    dialogs: dict[str, QWidget] = {
        "connections": ConnectionsDialog(conns, "demo"),
        "settings": SettingsDialog(),
        "about": AboutDialog(),
    }
    dialogs["connections"].list.setCurrentRow(1)
    dialogs["connections"]._set_status("error", "pg: connection refused")
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    export_project(project, tmp_path / "chinook.cauce")
    (project / "connections" / "warehouse.json").unlink()
    dialogs["import"] = ImportPreviewDialog(preview_import(tmp_path / "chinook.cauce", project))
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        shot(dialog, f"{name}-{tag}")
    Notifier(window).notify(
        dialogs["settings"].tr("Settings"), "revenue: 412 rows", level="warning"
    )
    shot(window, f"notify-{tag}")
    if language == "es":
        assert dialogs["settings"].windowTitle() == "Configuración"
        assert dialogs["import"].apply_button.text() == "Importar"
