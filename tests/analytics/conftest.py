"""The Chinook example to record runs of: as shipped (SQLite into a DuckDB file), or with its
data in PostgreSQL (whole graph pushed down, or the split case)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.services.workspace import Workspace
from tests.conftest import REPO
from tests.test_example import _load_chinook_into_postgres

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def chinook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    return target


@pytest.fixture
def ws(chinook: Path) -> Workspace:
    return Workspace.open(os.environ["CAUCE_DB_URL"])


def point_at_postgres(project: Path, pg_db: dict, names: tuple[str, ...]) -> None:
    """Load Chinook's tables into ``pg_db`` and point the connections ``names`` at it."""
    _load_chinook_into_postgres(pg_db)
    params = {k: pg_db[k] for k in ("host", "port", "user")} | {"database": pg_db["dbname"]}
    for name in names:
        (project / "connections" / f"{name}.json").write_text(
            json.dumps({"name": name, "type": "postgres", "params": params}), encoding="utf-8"
        )


def set_alert_rule(project: Path, **rule: object) -> None:
    """The project's default alert rule (``notifications.alerts.defaults``)."""
    path = project / "project.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["notifications"] = {"alerts": {"defaults": rule}}
    path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
