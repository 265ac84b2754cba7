"""The first-start dialog, driven as a person does: choose, Test, Initialise or Restore; against
a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer

from app.services.backups import create_backup
from app.services.setup import needs_first_start
from app.services.workspace import Workspace
from app.ui.dialogs.first_start import FirstStartDialog
from app.ui.workers import wait_all
from tests.storage.test_backup import populate
from tests.ui.conftest import _destroy

# the docs' pictures are refreshed on demand only (CAUCE_SHOTS=1): a test run writes nothing
# into the repository
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "images"
    if os.environ.get("CAUCE_SHOTS") == "1"
    else Path("/tmp/cauce-shots")
)


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> Iterator[FirstStartDialog]:  # type: ignore[no-untyped-def]
    dlg = FirstStartDialog(example_dir=tmp_path / "chinook")
    qtbot.addWidget(dlg)
    dlg.resize(560, 520)
    dlg.show()
    yield dlg
    dlg.working = False  # a test that failed midway must not leave it unclosable
    wait_all()
    _destroy(dlg)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def idle(qtbot, dialog: FirstStartDialog) -> None:  # type: ignore[no-untyped-def]
    """Wait for the work started by a button (it runs off the GUI thread)."""
    qtbot.waitUntil(lambda: not dialog.working, timeout=30_000)


def test_initialise_a_sqlite_file_with_the_example(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: FirstStartDialog,
    tmp_path: Path,
) -> None:
    target = tmp_path / "data" / "meta.db"
    assert needs_first_start(f"sqlite:///{target}")
    dialog.sqlite_file.clear()
    qtbot.keyClicks(dialog.sqlite_file, str(target))
    click(qtbot, dialog.test_button)
    idle(qtbot, dialog)
    assert dialog.status.text() == "Connected."
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "first-start.png"))
    dialog.with_example.setChecked(True)
    click(qtbot, dialog.init_button)
    qtbot.waitUntil(lambda: dialog.result() == FirstStartDialog.DialogCode.Accepted, timeout=30_000)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    assert dialog.db_url == f"sqlite:///{target}"
    assert not needs_first_start(dialog.db_url)
    assert (tmp_path / "chinook" / "project.json").is_file()


@pytest.mark.postgres
def test_a_bad_postgres_url_says_why_then_restore_into_a_real_server(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: FirstStartDialog,
    tmp_path: Path,
    pg_db: dict[str, object],
) -> None:
    source = f"sqlite:///{tmp_path / 'src.db'}"
    populate(source, pipelines=1)
    archive = tmp_path / "b.cauce-backup"
    create_backup(archive, workspace=Workspace.open(source))

    radio = dialog.use_postgres  # click its indicator, at the left
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert dialog.postgres_url.isEnabled() and not dialog.sqlite_file.isEnabled()
    qtbot.keyClicks(dialog.postgres_url, "postgresql://postgres:pw@127.0.0.1:1/nowhere")
    click(qtbot, dialog.test_button)
    idle(qtbot, dialog)
    assert "cannot reach the metadata database" in dialog.status.text()
    assert "pw@" not in dialog.status.text()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "first-start-error.png"))

    dialog.postgres_url.clear()
    url = f"postgresql://postgres@127.0.0.1:5432/{pg_db['dbname']}"
    qtbot.keyClicks(dialog.postgres_url, url)
    qtbot.keyClicks(dialog.backup_file, str(archive))
    click(qtbot, dialog.restore_button)
    idle(qtbot, dialog)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted, dialog.status.text()
    assert not needs_first_start(url)


def test_the_window_keeps_repainting_while_the_database_is_initialised(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: FirstStartDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Initialise runs off the GUI thread: while the migrations are held, the GUI thread keeps
    running timers, the dialog shows it is busy, and Escape does not leave it."""
    import app.storage.migrate as migrate

    target = tmp_path / "meta.db"
    release, started = threading.Event(), threading.Event()
    real_init = migrate.init_db
    gui_thread = threading.get_ident()
    workers: list[int] = []

    def held_init(url: str | None = None) -> str:
        workers.append(threading.get_ident())
        started.set()
        assert release.wait(20), "the test never released the migrations"
        return real_init(url)

    monkeypatch.setattr(migrate, "init_db", held_init)
    ticks: list[int] = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    dialog.sqlite_file.clear()
    qtbot.keyClicks(dialog.sqlite_file, str(target))
    click(qtbot, dialog.init_button)
    try:
        qtbot.waitUntil(started.is_set, timeout=10_000)
        before = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= before + 5, timeout=5_000)  # events still flow
        assert dialog.working and dialog.busy.isVisible()
        assert not dialog.init_button.isEnabled() and not dialog.test_button.isEnabled()
        assert not dialog.sqlite_file.isEnabled()
        assert dialog.status.text() == "Initialising the metadata database…"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.close()
        assert dialog.isVisible()  # neither Escape nor closing abandons a half-done set-up
        SHOTS.mkdir(exist_ok=True)
        dialog.grab().save(str(SHOTS / "first-start-busy.png"))
    finally:
        release.set()
    qtbot.waitUntil(lambda: dialog.result() == FirstStartDialog.DialogCode.Accepted, timeout=30_000)
    assert workers and workers[0] != gui_thread
    assert not dialog.working and not dialog.busy.isVisible()
    assert dialog.db_url == f"sqlite:///{target}"
    assert not needs_first_start(dialog.db_url)


def test_a_failed_initialise_says_why_and_leaves_no_half_database(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: FirstStartDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.storage.migrate as migrate

    target = tmp_path / "data" / "meta.db"
    real_upgrade = migrate._run_upgrade

    def broken_upgrade(engine, url):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(migrate, "_run_upgrade", broken_upgrade)
    dialog.sqlite_file.clear()
    qtbot.keyClicks(dialog.sqlite_file, str(target))
    dialog.with_example.setChecked(True)
    click(qtbot, dialog.init_button)
    idle(qtbot, dialog)
    assert dialog.result() != FirstStartDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.status.text() == "Failed: the disk is full"
    assert "#b3261e" in dialog.status.styleSheet()  # said in red
    assert dialog.init_button.isEnabled() and not dialog.busy.isVisible()
    # nothing half-made: no database file, no example copy, no staging folder
    assert not target.exists() and needs_first_start(f"sqlite:///{target}")
    assert not (tmp_path / "chinook").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    monkeypatch.setattr(migrate, "_run_upgrade", real_upgrade)  # the disk has room again
    click(qtbot, dialog.init_button)
    qtbot.waitUntil(lambda: dialog.result() == FirstStartDialog.DialogCode.Accepted, timeout=30_000)
    assert not needs_first_start(f"sqlite:///{target}")
    assert (tmp_path / "chinook" / "project.json").is_file()


def test_initialise_on_an_unreachable_postgres_server_says_why(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: FirstStartDialog,
) -> None:
    """No server listens on port 1: Initialise reports it (password masked), nothing hangs."""
    radio = dialog.use_postgres
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    qtbot.keyClicks(dialog.postgres_url, "postgresql://postgres:pw@127.0.0.1:1/nowhere")
    click(qtbot, dialog.init_button)
    assert dialog.working  # the click returned at once; the connection is tried on the pool
    idle(qtbot, dialog)
    assert "cannot reach the metadata database" in dialog.status.text()
    assert "pw@" not in dialog.status.text()
    assert dialog.result() != FirstStartDialog.DialogCode.Accepted
    assert dialog.init_button.isEnabled() and dialog.postgres_url.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "first-start-unreachable.png"))
