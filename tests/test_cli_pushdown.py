"""``cauce --run-project --local``: the flag forces the local engine where the project would
push down (the Chinook example, its connections pointed at one PostgreSQL database)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.test_cli import EXAMPLE, invoke
from tests.test_example import _load_chinook_into_postgres


@pytest.fixture
def pg_project(tmp_path: Path, pg_db: dict, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    _load_chinook_into_postgres(pg_db)
    params = {k: pg_db[k] for k in ("host", "port", "user")} | {"database": pg_db["dbname"]}
    for name in ("chinook", "warehouse"):
        (project / "connections" / f"{name}.json").write_text(
            json.dumps({"name": name, "type": "postgres", "params": params}), encoding="utf-8"
        )
    return project


def _runs_on(out: str) -> set[str]:
    [pipeline] = json.loads(out)["pipelines"]
    return {n["runs_on"] for n in pipeline["plan"]["nodes"]}


def test_local_flag_forces_the_local_engine(pg_project: Path) -> None:
    code, out, err = invoke("--run-project", str(pg_project), "--json", "--dry-run")
    assert code == 0, err
    assert _runs_on(out) == {"chinook"}
    code, out, err = invoke("--run-project", str(pg_project), "--json", "--dry-run", "--local")
    assert code == 0, err
    assert _runs_on(out) == {"local engine"}


def test_local_flag_goes_with_run_project() -> None:
    code, _, err = invoke("--local")
    assert code != 0 and "--local" in err
