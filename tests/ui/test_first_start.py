"""The first-start dialog, driven as a person does: choose, Test, Initialise or Restore; against
a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from app.services.backups import create_backup
from app.services.setup import needs_first_start
from app.services.workspace import Workspace
from app.ui.dialogs.first_start import FirstStartDialog
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
    _destroy(dlg)


def test_initialise_a_sqlite_file_with_the_example(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: FirstStartDialog,
    tmp_path: Path,
) -> None:
    target = tmp_path / "data" / "meta.db"
    assert needs_first_start(f"sqlite:///{target}")
    dialog.sqlite_file.clear()
    qtbot.keyClicks(dialog.sqlite_file, str(target))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Connected."
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "first-start.png"))
    dialog.with_example.setChecked(True)
    qtbot.mouseClick(dialog.init_button, Qt.MouseButton.LeftButton)
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
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "cannot reach the metadata database" in dialog.status.text()
    assert "pw@" not in dialog.status.text()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "first-start-error.png"))

    dialog.postgres_url.clear()
    url = f"postgresql://postgres@127.0.0.1:5432/{pg_db['dbname']}"
    qtbot.keyClicks(dialog.postgres_url, url)
    qtbot.keyClicks(dialog.backup_file, str(archive))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted, dialog.status.text()
    assert not needs_first_start(url)
