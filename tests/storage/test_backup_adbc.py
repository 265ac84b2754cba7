"""Backups of PostgreSQL read through the ADBC driver (binary COPY into Arrow in C++): the same
batches as the CSV path for every column kind, read in the backup's snapshot, and values the
driver would change (``infinity``) refused (issue #17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, insert, text
from sqlalchemy.engine import Engine

from app.storage.backup import open_archive, reflect
from app.storage.backup_adbc import ADBC_KEY, sharing_snapshot
from app.storage.backup_columns import column_kinds
from app.storage.backup_format import BackupError
from app.storage.backup_postgres import read_batches
from app.storage.db import make_engine
from tests.storage.test_backup import _backup
from tests.storage.test_backup_bulk import KIND_ROWS, _awkward_rows, _kinds_table

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(pg_db: dict[str, object]) -> Iterator[Engine]:
    from tests.storage.conftest import pg_url

    engine = make_engine(pg_url(pg_db["dbname"]))
    meta = MetaData()
    table = _kinds_table(meta)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), KIND_ROWS)
    yield engine
    engine.dispose()


def _read(engine: Engine, through_adbc: bool) -> list[object]:
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        (table,) = reflect(conn, ["backup_kinds"]).values()
        if not through_adbc:
            return list(read_batches(conn, table, column_kinds(table), 3))
        with sharing_snapshot(conn):
            assert conn.info.get(ADBC_KEY) is not None
            return list(read_batches(conn, table, column_kinds(table), 3))


def test_adbc_gives_the_csv_paths_batches_for_every_column_kind(engine: Engine) -> None:
    """bytea, texts (a 5 MB one), JSON (as stored, null apart from NULL), timestamps,
    floats (5e-324, -1e300), booleans: equal batches, cut alike (the CSV path is checked
    against Python's values in test_backup_bulk)."""
    csv, adbc = _read(engine, through_adbc=False), _read(engine, through_adbc=True)
    assert [b.num_rows for b in adbc] == [3, 1]  # type: ignore[attr-defined]
    assert [b.equals(c) for b, c in zip(adbc, csv, strict=True)] == [True, True]  # type: ignore[attr-defined]


def test_adbc_reads_in_the_backups_snapshot(engine: Engine) -> None:
    """A row committed after the backup started is not read, though ADBC reads on a
    connection of its own."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        (table,) = reflect(conn, ["backup_kinds"]).values()
        with sharing_snapshot(conn):
            with engine.begin() as other:
                other.execute(insert(table), [{"id": 99, "note": "later"}])
            rows = sum(b.num_rows for b in read_batches(conn, table, column_kinds(table), 10))
    assert rows == len(KIND_ROWS)
    with engine.connect() as conn:  # it is there for a later backup
        assert conn.execute(text("SELECT count(*) FROM backup_kinds")).scalar_one() == 5


@pytest.mark.parametrize("value", ["infinity", "-infinity", "0044-03-15 00:00:00+00 BC"])
def test_a_timestamp_arrow_cannot_hold_fails_the_read(engine: Engine, value: str) -> None:
    """The driver would turn these into other numbers: the backup stops, naming the column."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE backup_kinds SET at = CAST(:v AS timestamptz)"), {"v": value})
    with pytest.raises(BackupError, match="column at holds a timestamp outside"):
        _read(engine, through_adbc=True)


def test_a_driver_that_cannot_connect_leaves_the_csv_path(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import adbc_driver_postgresql.dbapi as dbapi

    real = dbapi.connect

    def refuse(conninfo: str, **kwargs: object) -> object:  # an option its libpq refuses
        return real(conninfo + " no_such_option=1", **kwargs)

    csv = _read(engine, through_adbc=False)
    monkeypatch.setattr(dbapi, "connect", refuse)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        (table,) = reflect(conn, ["backup_kinds"]).values()
        with sharing_snapshot(conn):
            assert ADBC_KEY not in conn.info
            got = list(read_batches(conn, table, column_kinds(table), 3))
    assert [b.equals(c) for b, c in zip(got, csv, strict=True)] == [True, True]
    assert "cannot connect" in caplog.text


def test_archives_written_through_adbc_and_through_csv_are_identical(
    pg_db: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The awkward rows (JSON as written, JSON null, 5 MB texts, time zones, empty texts):
    every member the same bytes whichever way the tables were read."""
    import app.storage.backup_adbc as backup_adbc
    from tests.storage.conftest import pg_url

    source = pg_url(pg_db["dbname"])
    _awkward_rows(source)
    through_adbc = _backup(source, tmp_path / "adbc.cauce-backup")
    monkeypatch.setattr(backup_adbc, "available", lambda: False)
    through_csv = _backup(source, tmp_path / "csv.cauce-backup")
    with open_archive(through_adbc) as one, open_archive(through_csv) as other:
        assert one.manifest.tables == other.manifest.tables
        assert one.manifest.tables["events"]["rows"] >= 6
