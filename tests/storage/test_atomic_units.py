"""``StoreBase.atomic``: the units of work inside it are one transaction — all stored with
one commit, or none of them when anything inside fails (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.model.connection import Connection
from app.storage.repository import Repository


def _commits(repo: Repository) -> list[int]:
    seen: list[int] = []
    event.listen(repo._engine, "commit", lambda conn: seen.append(1))
    return seen


def test_units_inside_atomic_commit_once(repo: Repository) -> None:
    project = repo.ensure_project("p")
    commits = _commits(repo)
    with repo.atomic():
        for name in ("a", "b", "c"):
            repo.save_connection(project, Connection(name=name, type="duckdb", params={}))
        with repo.atomic():  # nested: joins the same transaction
            repo.save_connection(project, Connection(name="d", type="duckdb", params={}))
    assert len(commits) == 1
    assert {c.name for c in repo.list_connections(project)} == {"a", "b", "c", "d"}


def test_a_failure_inside_atomic_stores_none_of_its_units(repo: Repository) -> None:
    project = repo.ensure_project("p")
    with pytest.raises(RuntimeError, match="disk full"), repo.atomic():
        repo.save_connection(project, Connection(name="a", type="duckdb", params={}))
        repo.save_connection(project, Connection(name="b", type="duckdb", params={}))
        raise RuntimeError("disk full")
    assert repo.list_connections(project) == []
    # and the store works normally afterwards
    repo.save_connection(project, Connection(name="c", type="duckdb", params={}))
    assert [c.name for c in repo.list_connections(project)] == ["c"]


def test_another_thread_s_work_never_joins_the_transaction(repo: Repository) -> None:
    """A store shared between threads (a server's): what another thread writes while one
    thread is inside ``atomic()`` is its own unit of work, kept when that transaction is
    rolled back."""
    import threading

    project = repo.ensure_project("p")
    done = threading.Event()

    def other() -> None:
        repo.save_connection(project, Connection(name="theirs", type="duckdb", params={}))
        done.set()

    with pytest.raises(RuntimeError, match="undo"), repo.atomic():
        repo.save_connection(project, Connection(name="mine", type="duckdb", params={}))
        worker = threading.Thread(target=other)
        worker.start()
        # on SQLite the other thread waits for this transaction's write lock: let it wait
        done.wait(0.5)
        raise RuntimeError("undo")
    worker.join(30)
    assert [c.name for c in repo.list_connections(project)] == ["theirs"]
