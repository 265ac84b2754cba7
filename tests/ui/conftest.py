"""Fixtures for the editor's GUI tests (offscreen): a main window with the Chinook project."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]
CHINOOK = REPO / "resources" / "examples" / "chinook"
SHOTS = Path("/tmp/cauce-shots")


@pytest.fixture
def chinook_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    return target


@pytest.fixture
def spanish(qapp):  # type: ignore[no-untyped-def]
    """The interface in Spanish for one test (English again afterwards)."""
    from app.ui.i18n import install_translator

    install_translator(qapp, "es")
    yield
    install_translator(qapp, "en")


@pytest.fixture
def window(qtbot, tmp_path: Path, chinook_dir: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from app.ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, db_url=os.environ["CAUCE_DB_URL"])
    win.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # tests that care override it
    win.resize(1600, 1000)  # larger than the 800×800 offscreen screen: the screenshots' size
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    win.shutdown()
    _destroy(win)


def _destroy(widget: object) -> None:
    """Delete a window now, on the GUI thread.

    Closing is not enough: lambdas connected to the window keep its Python wrapper in a
    reference cycle, so each test's window (canvas, undo group, timers) stayed alive until the
    cyclic garbage collector ran, at a random point of a later test and possibly in a worker
    thread ("Timers cannot be stopped from another thread", crashes, a later test's canvas
    disturbed).
    """
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    widget.close()  # type: ignore[attr-defined]
    widget.deleteLater()  # type: ignore[attr-defined]
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def node_id(win, name: str) -> str:  # type: ignore[no-untyped-def]
    """The id of the node named ``name`` in the window's pipeline."""
    return str(win.pipeline.node_by_name(name).id)


def shot(widget, name: str) -> bool:  # type: ignore[no-untyped-def]
    """Render ``widget`` (layouts settled) to ``/tmp/cauce-shots/<name>.png``; True when saved.

    Screenshots are for looking at what a user sees, not assertions of their own.
    """
    from PySide6.QtWidgets import QApplication

    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()  # pending layout requests
    return bool(widget.grab().save(str(SHOTS / f"{name}.png")))


def wait_validated(qtbot, win) -> object:  # type: ignore[no-untyped-def]
    """Trigger a check now and wait for its result (a failed check fails the test)."""
    errors: list[str] = []
    win.validation.failed.connect(errors.append)
    try:
        with qtbot.waitSignal(win.validation.validated, timeout=15_000) as blocker:
            win.validation.validate_now()
    finally:
        win.validation.failed.disconnect(errors.append)
    assert not errors, errors
    return blocker.args[0]
