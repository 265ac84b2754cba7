"""Export and import through the bundle dialogs, on the real Chinook example."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox, QWidget  # noqa: E402

from app.ui.dialogs.bundles import (  # noqa: E402
    ImportPreviewDialog,
    export_bundle_interactive,
    import_bundle_interactive,
)

from .conftest import shot  # noqa: E402

pytestmark = pytest.mark.gui
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chinook"


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    widget.resize(800, 600)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def bundle(tmp_path: Path, window: QWidget) -> Path:
    """The Chinook example exported through the export dialog flow."""
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    target = tmp_path / "exported.cauce"
    asked: list[Path] = []
    written = export_bundle_interactive(
        window,
        project,
        choose_target=lambda _p, suggested: asked.append(suggested) or target,
        ask_encryption=lambda _p: "",  # not encrypted (test_bundle_passphrase.py encrypts)
    )
    assert written == target and target.is_file()
    assert asked == [tmp_path / "chinook.cauce"]
    box = _messages(window)[-1]
    assert box.icon() == QMessageBox.Icon.Information and str(target) in box.text()
    box.close()
    return target


def _messages(window: QWidget) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def _clicking(qtbot, button: str, seen: list[dict[str, object]]):
    """A ``confirm`` that shows the preview, records what it lists, and clicks a button."""

    def confirm(dialog: ImportPreviewDialog) -> bool:
        dialog.show()
        seen.append(
            {
                "rows": dialog.rows(),
                "summary": dialog.summary.text(),
                "header": dialog.header.text(),
            }
        )
        shot(dialog, f"import-preview-{button}")
        target = (
            dialog.apply_button
            if button == "import"
            else dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        )
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
        return dialog.result() == dialog.DialogCode.Accepted

    return confirm


def test_import_shows_the_plan_and_applies_it(
    qtbot, window: QWidget, bundle: Path, tmp_path: Path
) -> None:
    parent_dir = tmp_path / "projects"
    parent_dir.mkdir()
    (parent_dir / "notes.txt").write_text("not a project")  # so a sub-folder is made
    seen: list[dict[str, object]] = []
    result = import_bundle_interactive(
        window,
        choose_bundle=lambda _p: bundle,
        choose_dir=lambda _p: parent_dir,
        confirm=_clicking(qtbot, "import", seen),
    )
    assert result == parent_dir / "chinook"
    assert json.loads((result / "project.json").read_text())["name"] == "chinook"
    assert (result / "data" / "chinook.sqlite").is_file()
    rows = seen[0]["rows"]
    assert ("Connections", "warehouse", "added") in rows
    assert ("Pipelines", "revenue", "added") in rows
    assert ("Data files", "data/chinook.sqlite", "added") in rows
    assert seen[0]["summary"] == "7 added"
    assert str(parent_dir / "chinook") in str(seen[0]["header"])
    assert (
        "Project imported" in _messages(window)[-1].windowTitle()
        or str(result) in _messages(window)[-1].text()
    )


def test_reimport_after_a_change_shows_changed_and_removed(
    qtbot, window: QWidget, bundle: Path, tmp_path: Path
) -> None:
    target = tmp_path / "mine"
    shutil.copytree(EXAMPLE, target)
    (target / "connections" / "extra.json").write_text(
        json.dumps({"name": "extra", "type": "sqlite", "params": {"path": "x.sqlite"}})
    )
    conn = json.loads((target / "connections" / "warehouse.json").read_text())
    conn["description"] = "edited locally"
    (target / "connections" / "warehouse.json").write_text(json.dumps(conn))
    seen: list[dict[str, object]] = []
    result = import_bundle_interactive(
        window,
        choose_bundle=lambda _p: bundle,
        choose_dir=lambda _p: target,
        confirm=_clicking(qtbot, "cancel", seen),
    )
    assert result is None
    rows = seen[0]["rows"]
    assert ("Connections", "extra", "removed") in rows
    assert ("Connections", "warehouse", "changed") in rows
    assert ("Pipelines", "revenue", "unchanged") in rows
    assert (target / "connections" / "extra.json").exists()  # cancelled: nothing written


def test_tampered_bundle_names_the_member_and_writes_nothing(
    window: QWidget, bundle: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "tampered.cauce"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pipelines/revenue.json":
                data = data.replace(b"revenue", b"REVENUE", 1)
            dst.writestr(info, data)
    target = tmp_path / "into"
    target.mkdir()

    def never(_dialog: ImportPreviewDialog) -> bool:
        raise AssertionError("a broken bundle must not be previewed")

    result = import_bundle_interactive(
        window, choose_bundle=lambda _p: tampered, choose_dir=lambda _p: target, confirm=never
    )
    assert result is None
    assert list(target.iterdir()) == []
    box = _messages(window)[-1]
    assert box.icon() == QMessageBox.Icon.Critical
    assert "pipelines/revenue.json" in box.informativeText()
    assert "tampered.cauce" in box.text()
    shot(box, "import-tampered")


def test_cancelled_pickers_do_nothing(window: QWidget, tmp_path: Path) -> None:
    assert import_bundle_interactive(window, choose_bundle=lambda _p: None) is None
    assert export_bundle_interactive(window, EXAMPLE, choose_target=lambda _p, _s: None) is None
    assert _messages(window) == []


def test_export_error_is_shown(window: QWidget, tmp_path: Path) -> None:
    result = export_bundle_interactive(
        window,
        tmp_path / "not-a-project",
        choose_target=lambda _p, _s: tmp_path / "x.cauce",
        ask_encryption=lambda _p: "",
    )
    assert result is None
    box = _messages(window)[-1]
    assert box.icon() == QMessageBox.Icon.Critical and "not-a-project" in box.informativeText()


@pytest.mark.parametrize("trust", [True, False])
def test_import_asks_whether_to_trust_the_project(
    qtbot, window: QWidget, bundle: Path, tmp_path: Path, trust: bool
) -> None:
    """The dialog lists what the project would do; only a ticked box lets it run here."""
    from app.services.trust import needs_trust
    from app.storage.project import load_project

    seen: list[str] = []

    def confirm(dialog: ImportPreviewDialog) -> bool:
        dialog.show()
        seen.append(dialog.access.text())
        assert not dialog.trust_box.isChecked()  # never trusted by default
        if trust:
            qtbot.mouseClick(dialog.trust_box, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        return dialog.result() == dialog.DialogCode.Accepted

    result = import_bundle_interactive(
        window,
        choose_bundle=lambda _p: bundle,
        choose_dir=lambda _p: tmp_path / "mine",
        confirm=confirm,
    )
    assert result is not None
    assert "write revenue_by_country_genre_year in warehouse" in seen[0]
    assert "connect to chinook (sqlite)" in seen[0]
    with load_project(result) as opened:
        assert needs_trust(opened) is not trust
