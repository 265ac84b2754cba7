"""Encrypted bundles from the editor (issue #19, item 4): the export asks whether to encrypt
and for the passphrase twice; the import of an encrypted bundle asks for it, and a wrong one
is refused with nothing written. The passphrase dialogs are driven as a user does (typed,
clicked) while the real, modal flow waits on them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget  # noqa: E402

from app.ui.dialogs.bundles import (  # noqa: E402
    export_bundle_interactive,
    import_bundle_interactive,
)
from app.ui.dialogs.passphrase import PassphraseDialog  # noqa: E402

from .conftest import shot  # noqa: E402

pytestmark = pytest.mark.gui
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chinook"
SECRET = "correct horse battery staple"


@pytest.fixture
def window(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    widget.resize(800, 600)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _when_asked(qtbot, act: Callable[[PassphraseDialog], None]) -> list[str]:  # type: ignore[no-untyped-def]
    """Act on the passphrase dialog as soon as the flow opens it; returns what it showed."""
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.windowTitle())
        act(dialog)

    QTimer.singleShot(0, poll)
    return seen


def _encrypt(qtbot, passphrase: str, again: str):  # type: ignore[no-untyped-def]
    def act(dialog: PassphraseDialog) -> None:
        assert not dialog.first.isEnabled()  # not encrypted until asked for
        qtbot.mouseClick(dialog.encrypt_box, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(dialog.first, passphrase)
        qtbot.keyClicks(dialog.second, again[:-1])
        assert not dialog.ok_button.isEnabled() and "differ" in dialog.hint.text()
        qtbot.keyClicks(dialog.second, again[-1])
        shot(dialog, "bundle-export-passphrase")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    return act


def _type_passphrase(qtbot, passphrase: str):  # type: ignore[no-untyped-def]
    def act(dialog: PassphraseDialog) -> None:
        qtbot.keyClicks(dialog.first, passphrase)
        shot(dialog, "bundle-import-passphrase")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    return act


def _messages(window: QWidget) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_export_encrypted_then_import_with_the_passphrase(
    qtbot,
    window: QWidget,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    target = tmp_path / "sealed.cauce"
    asked = _when_asked(qtbot, _encrypt(qtbot, SECRET, SECRET))
    written = export_bundle_interactive(window, project, choose_target=lambda _p, _s: target)
    assert asked == ["Encrypt the bundle?"] and written == target
    assert target.read_bytes().startswith(b"CAUCEENC")
    assert b"Chinook" not in target.read_bytes() and b"PK\x03\x04" not in target.read_bytes()
    box = _messages(window)[-1]
    assert "encrypted" in box.informativeText()
    box.close()

    into = tmp_path / "wrong"
    _when_asked(qtbot, _type_passphrase(qtbot, "not it"))
    result = import_bundle_interactive(
        window, choose_bundle=lambda _p: target, choose_dir=lambda _p: into
    )
    assert result is None and not into.exists()
    box = _messages(window)[-1]
    assert "wrong passphrase" in box.informativeText()
    box.close()

    into = tmp_path / "right"
    _when_asked(qtbot, _type_passphrase(qtbot, SECRET))
    result = import_bundle_interactive(
        window,
        choose_bundle=lambda _p: target,
        choose_dir=lambda _p: into,
        confirm=lambda dialog: True,
    )
    assert result == into and (into / "data" / "chinook.sqlite").is_file()


def test_export_without_encryption_stays_a_plain_bundle(
    qtbot,
    window: QWidget,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "plain.cauce"

    def ok(dialog: PassphraseDialog) -> None:
        assert dialog.ok_button.isEnabled()  # no passphrase needed when not encrypting
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    _when_asked(qtbot, ok)
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    assert export_bundle_interactive(window, project, choose_target=lambda _p, _s: target)
    assert target.read_bytes().startswith(b"PK")


def test_cancelling_the_passphrase_writes_nothing(
    qtbot,
    window: QWidget,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "none.cauce"
    _when_asked(qtbot, lambda dialog: dialog.reject())
    assert export_bundle_interactive(window, EXAMPLE, choose_target=lambda _p, _s: target) is None
    assert not target.exists()
