"""The git drivers, run by real git: ``git diff`` of a pipeline file shows the semantic diff
(``diff.cauce.command``), and ``git merge`` of two branches that edited the same pipeline
merges node by node and parameter by parameter (``merge.cauce.driver``), with a conflict only
where both changed the same value. The lines configured are those docs/versions.md gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.model.merge import CONFLICT_KEY
from app.model.pipeline import Pipeline
from tests.conftest import REPO

CHINOOK = REPO / "resources" / "examples" / "chinook"
CAUCE = Path(sys.executable).parent / "cauce"
PIPELINE = "pipelines/revenue.json"
GOLDEN = Path(__file__).parent / "golden"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=check, timeout=120
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    target = tmp_path / "chinook"
    shutil.copytree(CHINOOK, target)
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "user.email", "t@example.com")
    git(target, "config", "user.name", "t")
    # the lines docs/versions.md tells a user to add
    (target / ".gitattributes").write_text(
        "pipelines/*.json diff=cauce merge=cauce\nsyncs/*.json diff=cauce merge=cauce\n"
    )
    git(target, "config", "diff.cauce.command", f"{CAUCE} git-diff")
    git(target, "config", "merge.cauce.name", "Cauce pipeline merge")
    git(target, "config", "merge.cauce.driver", f"{CAUCE} merge-driver %O %A %B %P")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "chinook")
    return target


def edit(repo: Path, change: Any) -> None:
    path = repo / PIPELINE
    data = json.loads(path.read_text())
    change({n["name"]: n for n in data["nodes"]}, data)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def test_git_diff_shows_the_semantic_diff(repo: Path) -> None:
    def change(nodes: dict[str, Any], data: dict[str, Any]) -> None:
        nodes["ordered"]["name"] = "sorted_rows"
        nodes["paid_lines"]["params"]["condition"] = "Amount > 1"
        data["layout"][nodes["mart"]["id"]] = {"x": 1.0, "y": 2.0}

    edit(repo, change)
    out = git(repo, "diff").stdout
    if os.environ.get("CAUCE_UPDATE_GOLDEN") == "1":
        (GOLDEN / "git_diff.txt").write_text(out)
    expected = (GOLDEN / "git_diff.txt").read_text()
    assert out == expected
    assert '"x"' not in out  # positions never appear


def test_git_merge_merges_node_by_node(repo: Path) -> None:
    git(repo, "checkout", "-qb", "theirs")
    edit(repo, lambda n, d: n["paid_lines"]["params"].update(condition="Amount > 5"))
    git(repo, "commit", "-qam", "theirs: filter")
    git(repo, "checkout", "-q", "main")
    edit(repo, lambda n, d: n["ordered"].update(name="sorted_rows"))
    git(repo, "commit", "-qam", "ours: rename")
    done = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = Pipeline.from_json((repo / PIPELINE).read_text())
    assert merged.node_by_name("paid_lines").params["condition"] == "Amount > 5"
    assert merged.node_by_name("sorted_rows")
    assert (repo / PIPELINE).read_text() == merged.to_json()  # canonical


def test_git_merge_conflicts_only_where_both_changed_the_same_value(repo: Path) -> None:
    git(repo, "checkout", "-qb", "theirs")
    edit(repo, lambda n, d: n["paid_lines"]["params"].update(condition="Amount > 5"))
    edit(repo, lambda n, d: n["mart"]["params"].update(table="theirs_table"))
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    edit(repo, lambda n, d: n["paid_lines"]["params"].update(condition="Amount > 9"))
    git(repo, "commit", "-qam", "ours")
    done = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert done.returncode != 0
    assert "node 'paid_lines'.params.condition" in done.stdout + done.stderr
    data = json.loads((repo / PIPELINE).read_text())
    nodes = {n["name"]: n for n in data["nodes"]}
    assert nodes["paid_lines"]["params"]["condition"] == {
        CONFLICT_KEY: {"base": "Amount > 0", "ours": "Amount > 9", "theirs": "Amount > 5"}
    }
    assert nodes["mart"]["params"]["table"] == "theirs_table"  # no conflict: merged
