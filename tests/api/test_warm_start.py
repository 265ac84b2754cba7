"""A starting server warms the projects it hosts (:func:`app.services.warm_up.warm_project`):
their first run through the API does not pay for reading, planning and recording them. What
warming leaves is only what any run writes first; a project that cannot be warmed does not
stop the server."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from app.api.settings import ServerSettings
from app.services import access, hosting
from app.services.workspace import Workspace
from tests.api.conftest import EXAMPLE, JWT_SECRET


def _start(tmp_path: Path, workspace: Workspace, db_url: str) -> TestClient:
    config = ServerSettings.from_env(
        db_url=db_url,
        jwt_secret=JWT_SECRET,
        projects_dir=tmp_path / "hosted",
        backups_dir=tmp_path / "backups",
    )
    return TestClient(create_app(config))


def test_hosted_projects_are_warm_when_the_server_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    db_url = f"sqlite:///{tmp_path / 'meta.db'}"
    workspace = Workspace.open(db_url)
    chinook, gone = tmp_path / "chinook", tmp_path / "gone" / "chinook"
    shutil.copytree(EXAMPLE, chinook)
    shutil.copytree(EXAMPLE, gone)
    hosting.register_project(workspace.for_organization("acme"), chinook)
    hosting.register_project(workspace, gone)
    shutil.rmtree(gone)  # its directory removed since: the server still starts
    key = access.create_credential(
        workspace.for_organization("acme"),
        user="ana",
        name="k",
        scopes=["read", "run"],
        role="editor",
    ).secret
    with (
        caplog.at_level(logging.INFO, logger="app.api.state"),
        _start(tmp_path, workspace, db_url) as client,
    ):
        acme = workspace.for_organization("acme")
        with acme.repository() as repo:  # the project's row, as its first run would write it
            assert [p.name for p in repo.list_projects()] == ["chinook"]
            assert repo.recent_runs(10) == []  # and no run
        assert "'chinook' not warmed up" in caplog.text  # the removed one, named
        hosted = hosting.list_hosted(acme)[0]
        started = client.post(
            f"/api/v1/projects/{hosted.id}/pipeline/runs",
            params={"name": "revenue"},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert started.status_code == 202, started.text
        assert started.json()["id"] == 1  # SQLite: the warm-up's rolled-back run left no gap
