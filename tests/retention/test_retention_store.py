"""The parts of retention that need no data system: daily due times (time zones, daylight
saving), the archive file format (durable, sealed, tamper-evident), and the store of policies
and proof records on SQLite and on a PostgreSQL metadata DB."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.model.retention import RetentionPolicy, cutoff_for
from app.storage.errors import DuplicateName, NotFound
from app.storage.retention import ArchiveFile, RetentionStore
from app.storage.retention_archive import (
    ArchiveError,
    open_sealed,
    part_files,
    read_part,
    read_parts,
    remove_partial,
    seal,
    write_part,
)


def _policy(**changes: Any) -> RetentionPolicy:
    fields = {"name": "p", "connection": "c", "table": "t", "date_column": "d", "keep_days": 30}
    return RetentionPolicy(**{**fields, **changes})


def test_cutoff_is_midnight_utc_keep_days_before() -> None:
    assert cutoff_for(30, datetime(2026, 3, 31, 23, 59, tzinfo=UTC)) == datetime(
        2026, 3, 1, tzinfo=UTC
    )
    # 00:30 in Madrid on 1 April (CEST, UTC+2) is 22:30 on 31 March in UTC
    madrid = datetime(2026, 4, 1, 0, 30, tzinfo=_policy(timezone="Europe/Madrid").zone())
    assert cutoff_for(1, madrid) == datetime(2026, 3, 30, tzinfo=UTC)


def test_daily_times_follow_the_wall_clock_across_daylight_saving() -> None:
    p = _policy(run_at="02:30", timezone="Europe/Madrid")
    # the night clocks go forward (29 March 2026): 02:30 does not exist, it runs at 03:30 CEST
    before = datetime(2026, 3, 28, 12, tzinfo=UTC)
    first = p.next_run(before)
    assert first == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    after = p.next_run(first + timedelta(minutes=1))
    assert after == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert p.due_slot(after - timedelta(seconds=1)) == first
    assert p.due_slot(after) == after
    assert _policy().due_slot(before) is None and _policy().next_run(before) is None


def test_archive_files_are_durable_sealed_and_tamper_evident(tmp_path: Path) -> None:
    rows = pa.table({"id": [1, 2, 3], "name": ["Ana", "Bo", None]})
    folder = tmp_path / "a" / "b"
    plain = write_part(folder, 1, rows)
    assert plain.file_name == "part-000001.parquet" and plain.rows == 3
    data = (folder / plain.file_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == plain.sha256 and len(data) == plain.size
    key, other = os.urandom(32), os.urandom(32)
    sealed = write_part(folder, 2, rows, key)
    raw = (folder / sealed.file_name).read_bytes()
    assert sealed.file_name.endswith(".parquet.aes") and b"Ana" not in raw
    assert read_part(folder / sealed.file_name, key, sealed.sha256).equals(rows)
    with pytest.raises(ArchiveError, match="another key"):
        read_part(folder / sealed.file_name, other)
    with pytest.raises(ArchiveError, match="archive key is needed"):
        read_part(folder / sealed.file_name)
    flipped = bytearray(raw)
    flipped[-5] ^= 1
    with pytest.raises(ArchiveError, match="authentication"):
        open_sealed(bytes(flipped), key)
    (folder / "part-000003.parquet.tmp").write_bytes(b"half")
    assert [p.name for p in part_files(folder)] == [plain.file_name, sealed.file_name]
    assert [p.name for p in remove_partial(folder)] == ["part-000003.parquet.tmp"]
    both = read_parts(
        [(folder / plain.file_name, plain.sha256), (folder / sealed.file_name, None)], key
    )
    assert both is not None and both.num_rows == 6
    assert open_sealed(seal(b"x", key), key) == b"x"


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    from app.storage.migrate import init_db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'meta.db'}"
    else:
        db = request.getfixturevalue("pg_db")
        url = f"postgresql+psycopg://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}"
    init_db(url)
    with RetentionStore(url) as s:
        yield s


def _project(store: RetentionStore) -> int:
    from app.storage.repository import Repository

    with Repository(engine=store._engine) as repo:
        return repo.ensure_project("shop")


def test_policies_and_proof_records(store: RetentionStore) -> None:
    pid = _project(store)
    assert store.save_policy(pid, _policy(), replace=False)
    with pytest.raises(DuplicateName):
        store.save_policy(pid, _policy(keep_days=5), replace=False)
    assert not store.save_policy(pid, _policy(keep_days=5, run_at="01:00"), replace=True)
    assert store.policy(pid, "p") == _policy(keep_days=5, run_at="01:00")
    created = store.created_at(pid, "p")
    assert created is not None and created <= datetime.now(UTC)

    cutoff = datetime(2025, 1, 1, tzinfo=UTC)
    slot = datetime(2026, 1, 2, 1, tzinfo=UTC)
    common = {"cutoff": cutoff, "requested_by": "ana", "archive_dir": "/x", "key_id": None}
    run_id = store.start_run(pid, _policy(), trigger="schedule", scheduled_for=slot, **common)
    assert run_id is not None
    # the same due time cannot be claimed twice
    assert store.start_run(pid, _policy(), trigger="schedule", scheduled_for=slot, **common) is None
    assert store.last_scheduled(pid, "p") == slot
    store.add_file(run_id, ArchiveFile(1, "part-000001.parquet", 10, 100, "ab" * 32), deleted=10)
    store.add_file(run_id, ArchiveFile(2, "part-000002.parquet", 4, 50, "cd" * 32), deleted=4)
    store.finish_run(run_id, "succeeded")
    manual = store.start_run(pid, _policy(), trigger="manual", **common)
    assert manual is not None
    store.finish_run(manual, "failed", "it broke")

    first, second = store.runs(pid)
    assert (first.id, first.status, first.error) == (manual, "failed", "it broke")
    assert (second.rows_archived, second.rows_deleted, second.cutoff) == (14, 14, cutoff)
    assert [f.seq for f in second.files] == [1, 2] and second.scheduled_for == slot
    assert store.run(pid, run_id) == second
    store.remove_policy(pid, "p")  # the proof stays
    assert store.policies(pid) == [] and len(store.runs(pid, "p")) == 2
    with pytest.raises(NotFound):
        store.remove_policy(pid, "p")
    with pytest.raises(NotFound):
        store.run(pid, 999_999)
