"""The PostgreSQL row version (``row_version``) is the 64-bit id of the writing transaction,
as PostgreSQL itself reports it to the writer (``pg_current_xact_id()``): the incremental
read's late-rows condition compares it with stored snapshot positions."""

from __future__ import annotations

from typing import Any

import psycopg

from app.connectors.postgres._sql import render, row_version


def test_row_version_is_the_writers_own_64_bit_transaction_id(pg_db: dict[str, Any]) -> None:
    dsn = str(pg_db["dsn"])
    writers: dict[int, int] = {}
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute("CREATE TABLE v (id int PRIMARY KEY, note text)")
        con.execute("CREATE TABLE frozen (id int)")
        with con.transaction():
            con.execute("INSERT INTO frozen VALUES (1)")
            xid = con.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()
            assert xid is not None
            frozen_writer = int(xid[0])
        con.execute("VACUUM FREEZE frozen")  # frozen: its raw xmin is kept, and read
        for i in range(1, 6):
            with con.transaction():
                con.execute("INSERT INTO v VALUES (%s, 'a')", [i])
                xid = con.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()
                assert xid is not None
                writers[i] = int(xid[0])
        with con.transaction():  # an update: the new row version is the updater's
            con.execute("UPDATE v SET note = 'b' WHERE id = 3")
            xid = con.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()
            assert xid is not None
            writers[3] = int(xid[0])
        with con.transaction():  # a transaction that wrote: age() counts from its own id
            con.execute("CREATE TEMP TABLE scratch (x int)")
            mine = con.execute(f"SELECT id, {render(row_version())} FROM v").fetchall()
        con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        read = con.execute(f"SELECT id, {render(row_version())} FROM v").fetchall()
        frozen = con.execute(f"SELECT {render(row_version())} FROM frozen").fetchone()
        con.execute("COMMIT")
    assert dict(read) == writers == dict(mine)
    assert frozen == (frozen_writer,)
