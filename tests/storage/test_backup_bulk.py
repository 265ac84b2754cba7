"""Backups read and load in bulk (formats 2 and 3: PostgreSQL COPY parsed by Arrow, SQLite on
the cursor): awkward values round-trip exactly PostgreSQL -> archive -> SQLite and PostgreSQL,
compared row by row through SQLAlchemy (another way of reading); format 1 archives still
restore and verify (issue #17)."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    insert,
    select,
    text,
)
from sqlalchemy.types import JSON

from app.services.backups import verify_backup
from app.storage.backup import cauce_tables, digest_tables, open_archive, reflect, write_table
from app.storage.backup_columns import column_kinds
from app.storage.backup_format import BACKUP_FORMAT_VERSION
from app.storage.backup_legacy import utc
from app.storage.backup_postgres import read_batches as pg_read
from app.storage.db import make_engine
from app.storage.repository import Repository
from tests.storage.test_backup import _backup, _digests, _restore, other_pg, populate

__all__ = ["other_pg"]  # the fixture, imported for the tests below

FIXTURES = Path(__file__).parents[1] / "data" / "backup"
BIG = ('línea "citada", con comas\n' * 250_000)[:5_000_000]  # above one COPY piece (4 MiB)
PAYLOADS: list[Any] = [
    {"ñandú": "𝄞 música", "nested": {"b": [1, 2.5, None, True]}, "empty": ""},
    {"quote": 'say "hi", then\nnew line\r\n\\ back', "n": -0.000123, "big": 12345678901234},
    None,  # JSON null (SQL NULL: node_queries.plan below)
    [],
    'a JSON text with , and " and \\n',
]


def _awkward_rows(url: str) -> None:
    """Events with awkward payloads and timestamps, a huge content, texts empty or NULL."""
    populate(url, pipelines=2)
    engine = make_engine(url)
    with engine.begin() as conn:
        run_id = conn.execute(text("SELECT min(id) FROM runs")).scalar_one()
        for i, payload in enumerate(PAYLOADS):
            conn.execute(
                text(
                    "INSERT INTO events (organization_id, type, run_id, payload, created_at) "
                    "VALUES (1, :type, :run, CAST(:payload AS json), :at)"
                ),
                {
                    "type": ["", "ñ", "x,y", '"q"', "t\nu"][i],
                    "run": run_id,
                    "payload": json.dumps(payload),
                    "at": datetime(
                        2026, 3, 29, 1, 30, 0, 123456 + i, timezone(timedelta(hours=5.5))
                    ),
                },
            )
        conn.execute(  # a raw JSON text kept as it is (spaces, key order)
            text(
                "INSERT INTO events (organization_id, type, payload, created_at) "
                """VALUES (1, 'raw', '{"z" : 1,  "a" : [ ]}', '1999-12-31 23:59:59.999999+00')"""
            )
        )
        conn.execute(
            text(
                "INSERT INTO query_texts (organization_id, hash, sql, created_at) "
                "VALUES (1, 'h', :sql, now())"
            ),
            {"sql": BIG},
        )
        plans = ((None, None), ({"Plan": {"Node Type": "Seq Scan"}}, 0.25))
        for node, (plan, seconds) in enumerate(plans):
            conn.execute(
                text(
                    "INSERT INTO node_queries (organization_id, run_id, node_id, dialect, "
                    "runs_on, slow, sql_hash, statement, plan, own_seconds) VALUES (1, :run, "
                    ":node, 'postgres', 'local', false, 'h', 'read', CAST(:plan AS json), :s)"
                ),
                {
                    "run": run_id,
                    "node": f"n{node}",
                    "plan": plan and json.dumps(plan),
                    "s": seconds,
                },
            )
        conn.execute(
            text(
                "INSERT INTO content_blobs (organization_id, hash, content, created_at) "
                "VALUES (1, :h, CAST(:c AS json), now())"
            ),
            {"h": "f" * 64, "c": json.dumps({"text": BIG})},
        )
        conn.execute(text("UPDATE pipeline_versions SET message = '' WHERE number = 2"))
    engine.dispose()


def _rows(url: str, names: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``names`` through SQLAlchemy (JSON parsed, timestamps in UTC), by key."""
    engine = make_engine(url)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            for name, table in reflect(conn, names).items():
                cols = sorted(table.columns, key=lambda c: c.name)
                keys = list(table.primary_key.columns)
                rows = conn.execute(select(*cols).order_by(*keys)).all()
                out[name] = [
                    tuple(utc(v) if isinstance(v, datetime) else v for v in row) for row in rows
                ]
    finally:
        engine.dispose()
    return out


@pytest.mark.postgres
def test_awkward_postgres_rows_round_trip_exactly_into_sqlite_and_postgres(
    tmp_path: Path, other_pg: str, pg_db: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.storage.backup_restore as restore
    from tests.storage.conftest import pg_url

    monkeypatch.setattr(restore, "REBUILD_ROWS", 1)  # every table with rows: keys built after

    source = pg_url(pg_db["dbname"])
    _awkward_rows(source)
    archive = _backup(source, tmp_path / "pg.cauce-backup")
    with open_archive(archive) as opened:
        assert opened.manifest.format_version == BACKUP_FORMAT_VERSION == 3
    with zipfile.ZipFile(archive) as zf:  # format 3: Arrow compresses, the zip stores
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        assert opened.manifest.tables["events"]["rows"] >= len(PAYLOADS) + 1

    names = cauce_tables()
    expected, digests = _rows(source, names), _digests(source)
    sqlite_url = f"sqlite:///{tmp_path / 'restored.db'}"
    for target in (sqlite_url, other_pg):
        _restore(archive, target)
        got = _rows(target, names)
        for name in names:
            assert got[name] == expected[name], name  # row by row, read another way
        assert _digests(target) == digests  # and the same archive bytes
    assert verify_backup(archive).ok
    assert _schema(other_pg) == _schema(source)  # the keys and indexes are all back


def _schema(url: str) -> list[tuple[str, ...]]:
    """Every constraint and index of the database, as the catalog defines them."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                    "UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public' ORDER BY 1, 2, 3"
                )
            ).all()
    finally:
        engine.dispose()
    assert len(found) > 100
    return [tuple(row) for row in found]

    engine = make_engine(other_pg)
    with engine.connect() as conn:  # JSON kept as written, NULL apart from JSON null
        stored = conn.execute(
            text("SELECT payload::text FROM events WHERE type = 'raw'")
        ).scalar_one()
        assert stored == '{"z" : 1,  "a" : [ ]}'
        nulls = conn.execute(text("SELECT count(*) FROM node_queries WHERE plan IS NULL"))
        assert nulls.scalar_one() == 1
        json_nulls = conn.execute(text("SELECT count(*) FROM events WHERE payload::text = 'null'"))
        assert json_nulls.scalar_one() == 1
        big = conn.execute(text("SELECT content->>'text' FROM content_blobs WHERE hash ~ '^f+$'"))
        assert big.scalar_one() == BIG
        assert conn.execute(text("SELECT sql FROM query_texts")).scalar_one() == BIG
    engine.dispose()


def _kinds_table(meta: MetaData) -> Table:
    return Table(
        "backup_kinds",
        meta,
        Column("id", Integer, primary_key=True),
        Column("blob", LargeBinary),
        Column("note", Text),
        Column("doc", JSON),
        Column("at", DateTime(timezone=True)),
        Column("ratio", Float),
        Column("flag", Boolean),
    )


KIND_ROWS = [
    {
        "id": 1,
        "blob": bytes(range(256)),
        "note": 'ñ\n"x",\r\n\\N',
        "doc": {"a": [None]},
        "at": datetime(2026, 12, 7, 3, 0, 5, 123456, UTC),
        "ratio": 0.1 + 0.2,
        "flag": True,
    },
    {"id": 2, "blob": b"", "note": "", "doc": None, "at": None, "ratio": None, "flag": False},
    {
        "id": 3,
        "blob": None,
        "note": None,
        "doc": "",
        "at": datetime(1970, 1, 1, tzinfo=UTC),
        "ratio": -1e300,
        "flag": None,
    },
    {
        "id": 4,
        "blob": b"\x00" * 70_000,
        "note": BIG,
        "doc": [1, "ü"],
        "at": datetime(2038, 1, 19, 3, 14, 8, 1, UTC),
        "ratio": 5e-324,
        "flag": True,
    },
]


@pytest.mark.postgres
def test_every_column_kind_with_bytea_round_trips_through_copy(
    tmp_path: Path, other_pg: str, pg_db: dict[str, object]
) -> None:
    """bytea (no Cauce table has one yet), texts, JSON, timestamps, floats, booleans: read with
    COPY, loaded into SQLite and PostgreSQL in bulk, identical row by row and byte by byte."""
    from app.storage import backup_postgres, backup_sqlite
    from tests.storage.conftest import pg_url

    urls = [pg_url(pg_db["dbname"]), f"sqlite:///{tmp_path / 'kinds.db'}", other_pg]
    engines = [make_engine(u) for u in urls]
    try:
        tables = []
        for engine in engines:
            meta = MetaData()
            tables.append(_kinds_table(meta))
            meta.create_all(engine)
        with engines[0].begin() as conn:
            conn.execute(insert(tables[0]), KIND_ROWS)
        with engines[0].connect() as conn:
            (source,) = reflect(conn, ["backup_kinds"]).values()
            kinds = column_kinds(source)
            batches = list(pg_read(conn, source, kinds, batch_rows=3, piece_bytes=1024))
            assert [b.num_rows for b in batches] == [3, 1]
            want = write_table(conn, source, None)
        for engine, module in ((engines[1], backup_sqlite), (engines[2], backup_postgres)):
            with engine.begin() as conn:
                (target,) = reflect(conn, ["backup_kinds"]).values()
                assert module.load_batches(conn, target, kinds, iter(batches)) == 4
            with engine.connect() as conn:
                assert write_table(conn, target, None) == want
                rows = conn.execute(select(target).order_by(target.c.id)).mappings().all()
                got = [
                    {k: utc(v) if isinstance(v, datetime) else v for k, v in r.items()}
                    for r in rows
                ]
                assert got == KIND_ROWS
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize(
    "dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_archive_of_an_older_format_still_restores_and_verifies(
    tmp_path: Path, dialect: str, version: int, request: pytest.FixtureRequest
) -> None:
    """Kept as fixtures: format 1 written by the row-by-row writer, format 2 (the same rows,
    restored from it) by the COPY writer with zlib members."""
    archive = tmp_path / "old.cauce-backup"
    shutil.copy(FIXTURES / f"format-v{version}.cauce-backup", archive)
    with open_archive(archive) as opened:
        assert opened.manifest.format_version == version
        manifest = opened.manifest
    summary = verify_backup(archive)  # restored into SQLite, read back in its format
    assert summary.ok, summary.problems
    target = f"sqlite:///{tmp_path / 'old.db'}"
    if dialect == "postgres":
        target = request.getfixturevalue("other_pg")
    _restore(archive, target)
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            got = digest_tables(conn, list(manifest.tables), version)
    finally:
        engine.dispose()
    assert got == {n: (e["rows"], e["sha256"]) for n, e in manifest.tables.items()}
    with Repository(target) as repo:  # usable: upgraded to this Cauce's head
        assert repo.ensure_project("demo")
        notes = [e.payload for e in repo.recent_events(type="run.note")]
    assert {"text": 'ñandú 𝄞 — "quoted"\nline', "empty": "", "none": None} in notes


@pytest.mark.postgres
def test_a_copy_that_fails_or_is_abandoned_leaves_the_connection_usable(
    pg_db: dict[str, object],
) -> None:
    """COPY output is read straight from libpq: an error half way raises (naming it), and a
    read abandoned half way is drained, so the connection goes on working either way."""
    import psycopg

    from app.storage.backup_postgres import copy_out

    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={pg_db['dbname']}") as con:
        failing = b"COPY (SELECT 1 / (5000 - g) FROM generate_series(1, 9000) g) TO STDOUT"
        with pytest.raises(psycopg.errors.DivisionByZero):
            list(copy_out(con, failing, 64))
        con.rollback()
        rows = b"COPY (SELECT g FROM generate_series(1, 100000) g) TO STDOUT"
        pieces = copy_out(con, rows, 1024)
        assert next(pieces).startswith(b"1\n2\n")
        pieces.close()  # abandoned: the rest is read and dropped
        assert con.execute("SELECT 41 + 1").fetchone() == (42,)
        whole = b"".join(copy_out(con, rows, 1 << 20))
        assert whole.count(b"\n") == 100_000


@pytest.mark.parametrize(
    "dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_backup_whose_file_fails_half_way_raises_and_the_database_goes_on(
    tmp_path: Path, dialect: str, request: pytest.FixtureRequest
) -> None:
    """A full disk half way through a table: the error comes out (no hang on the
    connection's lock held by the COPY), and the connection is usable afterwards."""
    url = f"sqlite:///{tmp_path / 'full.db'}"
    if dialect == "postgres":
        url = request.getfixturevalue("other_pg")
    populate(url, pipelines=2)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(  # 100,000 events, 15 MB of COPY output: several pieces
            text(
                "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000) "
                "INSERT INTO events (organization_id, type, payload, created_at) "
                "SELECT 1, 'bulk', :pad, CURRENT_TIMESTAMP FROM g"
            ),
            {"pad": json.dumps({"pad": "x" * 120})},
        )

    class DiskFull:
        def __init__(self) -> None:
            self.seen = 0

        def write(self, data: Any) -> int:
            self.seen += len(data)
            if self.seen > 2000:
                raise OSError(28, "No space left on device")
            return len(data)

    try:
        with engine.connect() as conn:
            (events,) = reflect(conn, ["events"]).values()
            with pytest.raises(OSError, match="No space left"):
                write_table(conn, events, DiskFull())  # type: ignore[arg-type]
            assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() > 3
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_timestamps_are_exact_microseconds_whatever_the_session_settings(
    pg_db: dict[str, object],
) -> None:
    """Timestamps travel as UTC wall time parsed by Arrow: exact to the microsecond, before
    1970 and 1900 too, with or without a time zone, whatever the session's time zone and
    date style; values Arrow cannot hold fail the backup instead of changing."""
    from tests.storage.conftest import pg_url

    stamps = (
        "2026-12-07 03:00:05.123456+05:30",
        "1969-12-31 23:59:59.5+00:00",
        "1900-01-01 00:00:00.000001+00:00",
        "2026-03-29 01:30:00+01:00",
        "0001-01-01 00:00:00+00:00",
    )
    meta = MetaData()
    table = Table(
        "backup_times",
        meta,
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=True)),
        Column("naive", DateTime()),
    )
    engine = make_engine(pg_url(pg_db["dbname"]))
    meta.create_all(engine)
    # computed another way: Python's datetime
    want = [datetime.fromisoformat(v).astimezone(UTC) for v in stamps]
    rows = [{"id": i, "at": w, "naive": w.replace(tzinfo=None)} for i, w in enumerate(want)]
    try:
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
        with engine.connect() as conn:
            conn.exec_driver_sql("SET TIME ZONE 'Asia/Kolkata'")
            conn.exec_driver_sql("SET DateStyle = 'SQL, DMY'")
            (source,) = reflect(conn, ["backup_times"]).values()
            (batch,) = pg_read(conn, source, column_kinds(source), batch_rows=100)
            assert batch.column("at").to_pylist() == want
            assert batch.column("naive").to_pylist() == want
        with engine.begin() as conn:
            conn.execute(text("UPDATE backup_times SET at = 'infinity' WHERE id = 1"))
        with engine.connect() as conn, pytest.raises(Exception, match="infinity"):
            list(pg_read(conn, source, column_kinds(source), batch_rows=100))
    finally:
        engine.dispose()


def test_json_numbers_that_sqlite_stored_as_numbers_are_backed_up(tmp_path: Path) -> None:
    """SQLite gives a column declared JSON the NUMERIC affinity: a JSON text ``5`` or ``1.50``
    is stored as a number. The backup keeps the value (as JSON text), and restores it."""
    url = f"sqlite:///{tmp_path / 'numbers.db'}"
    populate(url, pipelines=1)
    engine = make_engine(url)
    with engine.begin() as conn:
        for payload in ("5", "1.50", "12345678901234567890"):
            conn.execute(
                text(
                    "INSERT INTO events (organization_id, type, payload, created_at) "
                    "VALUES (1, 'number', :p, '2026-12-07 03:00:05.000000')"
                ),
                {"p": payload},
            )
        stored = conn.execute(text("SELECT typeof(payload) FROM events WHERE type = 'number'"))
        assert {t for (t,) in stored} == {"integer", "real"}  # what SQLite did with them
    engine.dispose()
    archive = _backup(url, tmp_path / "numbers.cauce-backup")
    target = f"sqlite:///{tmp_path / 'back.db'}"
    _restore(archive, target)
    engine = make_engine(target)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT payload FROM events WHERE type = 'number' ORDER BY id")
        ).scalars()
        assert [json.loads(str(v)) for v in rows] == [5, 1.5, 1.2345678901234567e19]
    engine.dispose()
    assert verify_backup(archive).ok
