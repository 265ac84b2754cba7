"""Configuration history under concurrent saves (SQLite and PostgreSQL): two processes saving
the same pipeline and the same sync lose no version and duplicate none; the numbers are 1..n
and every version's parent is the one before it."""

from __future__ import annotations

import multiprocessing
import uuid

import pytest

from app.model.pipeline import Pipeline
from app.storage.errors import DuplicateName
from app.storage.migrate import init_db
from app.storage.repository import Repository
from app.storage.version_models import ConfigKind
from app.storage.versions import TagMember

SAVES = 12
PIPELINE_ID = "7d0c1f52-0000-4000-8000-000000000001"


def _saver(url: str, org: str, who: str, start: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    start.wait(30)
    with Repository(url, organization=org) as repo:
        project = repo.ensure_project("p")
        for i in range(SAVES):
            p = Pipeline(name="orders", id=PIPELINE_ID)
            p.add_node("filter", name="f", params={"condition": f"{who} > {i}"})
            repo.save_pipeline_version(project, p, author=who, message=f"{who} {i}")
            repo.save_config_version(
                project, ConfigKind.SYNC, "s", {"who": who, "i": i}, author=who
            )


def _run_two(url: str, org: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_saver, args=(url, org, who, start)) for who in ("ana", "ben")]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0


def test_concurrent_saves_lose_and_duplicate_nothing(db_url: str) -> None:
    init_db(db_url)
    org = f"org_{uuid.uuid4().hex[:8]}"
    _run_two(db_url, org)
    with Repository(db_url, organization=org) as repo:
        project = repo.ensure_project("p")
        versions = repo.pipeline_history(project, PIPELINE_ID)
        syncs = repo.config_history(project, ConfigKind.SYNC, "s")
    for history in (versions, syncs):
        numbers = sorted(v.number for v in history)
        assert numbers == list(range(1, 2 * SAVES + 1))
        by_number = {v.number: v for v in history}
        for v in history:
            expected = by_number[v.number - 1].id if v.number > 1 else None
            assert v.parent_id == expected
    assert {v.message for v in versions} == {
        f"{w} {i}" for w in ("ana", "ben") for i in range(SAVES)
    }


def test_same_content_twice_is_one_version_and_tags_are_unique(db_url: str) -> None:
    init_db(db_url)
    with Repository(db_url) as repo:
        project = repo.ensure_project("p")
        a = repo.save_config_version(
            project, ConfigKind.CONNECTION, "db", {"type": "x"}, author="a"
        )
        b = repo.save_config_version(
            project, ConfigKind.CONNECTION, "db", {"type": "x"}, author="b"
        )
        c = repo.save_config_version(
            project, ConfigKind.CONNECTION, "db", {"type": "y"}, author="c"
        )
        assert (a.id, a.number, c.number, c.parent_id) == (b.id, 1, 2, a.id)
        repo.create_tag(project, "r1", [TagMember("connection", "db", 2)], author="a")
        with pytest.raises(DuplicateName):
            repo.create_tag(project, "r1", [], author="a")
        [tag] = repo.list_tags(project)
        assert (tag.name, tag.members) == ("r1", (TagMember("connection", "db", 2),))
