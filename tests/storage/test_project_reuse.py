"""``load_project(reuse=True)``: a long-lived process (a scheduler, a server) reads a project
directory once and reuses it until one of its files changes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.storage.project import load_project
from app.storage.project_format import ProjectError
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    return target


def _load(path: Path, broken: dict[str, ProjectError] | None = None) -> object:
    with load_project(path, reuse=True, broken=broken) as opened:
        return opened.project


def test_an_unchanged_project_is_read_once(project: Path) -> None:
    first = _load(project)
    assert _load(project) is first
    with load_project(project) as opened:  # without reuse: read again, as before
        assert opened.project is not first
        assert opened.project == first


def test_a_changed_file_is_read_again(project: Path) -> None:
    first = _load(project)
    path = project / "pipelines" / "revenue.json"
    data = json.loads(path.read_text())
    data["description"] = "changed"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)  # as every save does: a new file in its place
    second = _load(project)
    assert second is not first
    assert second.pipelines["revenue"].description == "changed"  # type: ignore[attr-defined]
    (project / "schedules").mkdir()
    (project / "schedules" / "nightly.json").write_text(
        json.dumps({"name": "nightly", "pipeline": "revenue", "cron": "0 3 * * *"})
    )
    third = _load(project)
    assert third is not second and list(third.schedules) == ["nightly"]  # type: ignore[attr-defined]
    (project / "data" / "extra.csv").write_text("a\n1\n")
    assert _load(project) is not third  # the data files are part of the project


def test_an_edit_in_place_of_the_same_size_is_seen(project: Path) -> None:
    first = _load(project)
    path = project / "project.json"
    text = path.read_text()
    stat = path.stat()
    path.write_text(text.replace('"chinook"', '"chinoox"', 1))  # same size, same inode
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert _load(project).meta.name == "chinoox"  # type: ignore[attr-defined]
    assert first.meta.name == "chinook"  # type: ignore[attr-defined]


def test_broken_pipelines_are_reported_each_time(project: Path) -> None:
    (project / "pipelines" / "bad.json").write_text('{"name": "bad", "nodes": 5}')
    seen: dict[str, ProjectError] = {}
    first = _load(project, seen)
    again: dict[str, ProjectError] = {}
    assert _load(project, again) is first
    assert list(again) == list(seen) == ["bad"]


def test_an_invalid_project_is_still_refused_by_name(project: Path) -> None:
    _load(project)
    (project / "connections" / "evil.json").symlink_to("/etc/passwd")
    with pytest.raises(ProjectError, match="evil.json"):
        _load(project)
