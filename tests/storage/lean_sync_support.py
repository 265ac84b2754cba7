"""The sync recorders' contract tests' harness (``test_lean_syncs.py``): a metadata DB with a
sync, the ORM path under the lean store's method names (:class:`OrmPath`), an operation done
on two copies of the DB by each path (:func:`on_both`), a refusal compared on one
(:func:`refused_alike`), and the comparisons of what they wrote.
"""

from __future__ import annotations

import dataclasses
import hashlib
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.model.connection import Connection
from app.model.schema_changes import ChangeKind, Decision, SchemaChange
from app.model.sync import SyncDefinition
from app.storage.lean_syncs import LeanSyncStore
from app.storage.repository import Repository
from app.storage.syncs import SyncStore
from tests.storage.lean_support import TIMES, error_of, raw_rows, same_rows

ORDERS = SyncDefinition.model_validate(
    {
        "name": "orders",
        "source": {"connection": "a", "table": "orders"},
        "destinations": [{"connection": "b", "table": "orders"}],
    }
)
CUSTOMERS = SyncDefinition.model_validate(
    {
        "name": "clientes ñ",
        "source": {"connection": "a", "table": "clientes"},
        "destinations": [
            {"connection": "b", "table": "clientes"},
            {"connection": "a", "table": "c2"},
        ],
    }
)
A = Connection(name="a", type="sqlite", params={"path": "a.db", "n": 1}, description="origen ñ")
B = Connection(name="b", type="duckdb", params={"path": "b.duckdb"})
DESTINATIONS = {
    "b:orders": {"status": "succeeded", "rows": 120, "seconds": 0.5, "error": None},
    "a:clientes ñ": {"status": "failed", "rows": None, "error": "no: 'señal' ☃", "changes": []},
}
CHANGES = [  # with the run?, destination, change
    (
        True,
        "b:o",
        SchemaChange("precio ñ", ChangeKind.ADDED, None, "decimal(8,2)", Decision.APPLIED),
    ),
    (False, "b:o", SchemaChange("qty", ChangeKind.WIDENED, "int", "bigint", Decision.KEPT)),
    (True, "a:c", SchemaChange("gone", ChangeKind.REMOVED, "text", None, Decision.REFUSED)),
]
SYNC_TABLES = ("syncs", "sync_runs", "sync_destination_states", "schema_changes", "events")


@dataclass(frozen=True)
class World:
    """A metadata DB with project ``shop``, its connections ``a`` and ``b`` and sync ``orders``
    (version 1). Two copies have the same ids."""

    path: Path
    project_id: int
    sync_id: int

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path.as_posix()}"

    def syncs(self) -> SyncStore:
        return SyncStore(self.url)


class OrmPath:
    """The ORM path (``Repository`` and ``SyncStore``) under the lean store's method names."""

    def __init__(self, world: World) -> None:
        self.repo, self.syncs = Repository(world.url), world.syncs()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.syncs, name)

    def start_sync_run(self, sync_id: int, **kwargs: Any) -> int:
        return self.syncs.start_sync_run(sync_id, **kwargs).id

    def record_event(self, type: str, payload: dict[str, Any] | None = None) -> None:
        self.repo.record_event(type, payload)

    def close(self) -> None:
        self.repo.close()
        self.syncs.close()


@contextmanager
def on_path(world: World, *, lean: bool) -> Iterator[Any]:
    """The lean store of ``world``, or its ORM path."""
    found = LeanSyncStore.open(world.path) if lean else OrmPath(world)
    assert found is not None
    try:
        yield found
    finally:
        found.close()


def save_definition(
    recorder: Any, definition: SyncDefinition, project_id: int = 1
) -> tuple[int, int]:
    """``save_sync`` of either path: the lean one given what its caller computes."""
    if isinstance(recorder, OrmPath):
        record = recorder.syncs.save_sync(project_id, definition)
        return record.id, record.version
    digest = hashlib.sha256(definition.to_json().encode()).hexdigest()
    content = definition.model_dump(mode="json")
    return recorder.save_sync(project_id, definition.name, content, digest)


def on_both(orm: World, lean: World, act: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``act`` done by the ORM path on ``orm`` and by the lean store on ``lean``; answers."""
    with on_path(orm, lean=False) as a:
        orm_answer = act(a)
    with on_path(lean, lean=True) as b:
        return orm_answer, act(b)


def refused_alike(world: World, call: Callable[[Any], object]) -> tuple[type[BaseException], str]:
    """``call`` refused alike by both paths on ``world``, nothing written; what was raised."""
    before = {t: rows_of(world, t) for t in SYNC_TABLES}
    with on_path(world, lean=False) as orm_path, on_path(world, lean=True) as store:
        expected = error_of(lambda: call(orm_path))
        assert error_of(lambda: call(store)) == expected
    assert {t: rows_of(world, t) for t in SYNC_TABLES} == before
    return expected


def rows_of(world: World, table: str) -> list[dict[str, Any]]:
    return raw_rows(world.path, f"SELECT * FROM {table} ORDER BY id")


def same_tables(orm: World, lean: World, *tables: str) -> None:
    for table in tables:
        same_rows(rows_of(orm, table), rows_of(lean, table))


def plain(record: Any) -> dict[str, Any]:
    """A record as a dict, times of recording aside (ids are equal on two copies)."""
    return {k: v for k, v in dataclasses.asdict(record).items() if k not in TIMES}


def read_alike(orm: World, lean: World, read: Callable[[SyncStore, int], list[Any]]) -> None:
    """The ORM's reader ``read`` answers alike on both copies (and not nothing)."""
    with orm.syncs() as a, lean.syncs() as b:
        answers = [plain(r) for r in read(a, orm.sync_id)]
        assert answers == [plain(r) for r in read(b, lean.sync_id)] != []


def foreign_sync(world: World) -> int:
    """A sync of organization ``acme`` in ``world``."""
    with Repository(world.url, organization="acme") as acme:
        project = acme.ensure_project("shop")
    with SyncStore(world.url, organization="acme") as syncs:
        return syncs.save_sync(project, ORDERS).id


def record_a_run(recorder: Any) -> None:
    """What :class:`~app.services.sync_recording.SyncRecorder` writes for one run."""
    if isinstance(recorder, OrmPath):
        recorder.repo.save_connections(1, [A, B])
    else:
        fields = [(c.name, c.type, dict(c.params), c.description) for c in (A, B)]
        assert recorder.connections_stored(1, fields)
    sync, _version = save_definition(recorder, CUSTOMERS)
    run = recorder.start_sync_run(sync, trigger="schedule", host=socket.gethostname())
    recorder.destination_states(sync)
    recorder.record_event("sync.started", {"sync_run_id": run})
    recorder.record_schema_change(sync, run, "b:clientes", CHANGES[0][2])
    recorder.record_event("sync.schema_change", {"sync_run_id": run, "column": "precio ñ"})
    recorder.save_destination_state(
        sync, "b:clientes", cursor_value="9", cursor_type="int", run_id=run, rows=9
    )
    recorder.finish_sync_run(run, "succeeded", rows_read=9, destinations=DESTINATIONS)
    recorder.record_event("sync.finished", {"sync_run_id": run, "rows": 9})
