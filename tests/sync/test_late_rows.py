"""No committed row is missed by incremental syncs, however late it commits (issue #21).

The race: transaction A writes a row whose cursor is ``clock_timestamp()`` and stays open; B
writes a later value and commits; the sync runs (its cursor passes A's value); A commits. A
cursor filter alone never reads A's row. Also: a row committed later with an *earlier*
explicit value, a row whose cursor was NULL at the first run and is set later, and (merge) a
row written in a savepoint of a transaction open during the run. Each is reproduced for
several rounds against the real servers, and every committed row must arrive exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from app.connectors.base import Connector
from tests.sync.conftest import Harness, mariadb_admin, pg_exec, pg_rows

ROUNDS = 4


def _definition(mode: str, dest: str, table: str) -> dict[str, Any]:
    return {
        "name": f"late-{mode}-{dest}",
        "source": {"connection": "src", "table": table},
        "destinations": [{"connection": dest, "table": f"late_{mode}"}],
        "mode": mode,
        "primary_key": ["id"] if mode == "merge" else [],
        "cursor": "at",
    }


def _dest_ids(connector: Connector, table: str) -> list[int]:
    data = connector.read(table=table).read_all()
    return sorted(int(v) for v in data.column("id").to_pylist())


@pytest.mark.parametrize("mode", ["merge", "append"])
@pytest.mark.parametrize("dest", ["pg", "duck"])
def test_postgres_late_commits_arrive(
    mode: str,
    dest: str,
    pg_db: dict[str, Any],
    pg: Connector,
    duck: Connector,
    harness: Callable[..., Harness],
) -> None:
    """PostgreSQL source (transaction positions), fast path (pg) and Arrow path (duck)."""
    pg_exec(
        pg_db,
        "CREATE TABLE public.src (id bigint PRIMARY KEY, at timestamptz, note text)",
        "INSERT INTO public.src VALUES (1, clock_timestamp(), 'first'), (2, NULL, 'null cursor')",
    )
    h = harness(src=pg, pg=pg, duck=duck)
    definition = _definition(mode, dest, "public.src")
    assert h.run(definition).ok
    next_id = 100
    for round_ in range(ROUNDS):
        late = psycopg.connect(str(pg_db["dsn"]))  # transaction A, left open over the sync
        late.execute("INSERT INTO public.src VALUES (%s, clock_timestamp(), 'late')", [next_id])
        if mode == "merge":  # a savepoint's row: written by a subtransaction of A
            late.execute("SAVEPOINT s")
            late.execute(
                "INSERT INTO public.src VALUES (%s, clock_timestamp(), 'sub')", [next_id + 1]
            )
            late.execute("RELEASE SAVEPOINT s")
        pg_exec(pg_db, f"INSERT INTO public.src VALUES ({next_id + 2}, clock_timestamp(), 'b')")
        report = h.run(definition)
        assert report.ok, report.error
        assert report.destinations[0].path == ("native" if dest == "pg" else "arrow")
        late.commit()
        late.close()
        pg_exec(
            pg_db,  # committed after the run, with an earlier explicit value
            f"INSERT INTO public.src VALUES ({next_id + 3}, '2000-01-01', 'early')",
        )
        if round_ == 0:  # the row whose cursor was NULL at the first run gets a value
            pg_exec(pg_db, "UPDATE public.src SET at = '1999-01-01' WHERE id = 2")
        next_id += 10
    report = h.run(definition)
    assert report.ok, report.error
    source = [r[0] for r in pg_rows(pg_db, "SELECT id FROM public.src ORDER BY id")]
    got = _dest_ids(h.connectors[dest], f"late_{mode}")
    if mode == "append":  # append adds row versions: id 2 twice (NULL, then its new value)
        assert got == sorted([*source, 2])
    else:
        assert got == source
    assert len(source) == 2 + ROUNDS * 4 - (ROUNDS if mode == "append" else 0)


def test_mariadb_late_commits_arrive_within_the_lookback(
    maria_db: str, maria: Connector, duck: Connector, harness: Callable[..., Harness]
) -> None:
    """MariaDB source (no transaction positions): merge re-reads a lookback window of the
    cursor (600 s by default for timestamps) and every NULL-cursor row."""
    with mariadb_admin(database=maria_db) as con, con.cursor() as cur:
        cur.execute("CREATE TABLE src (id int PRIMARY KEY, at datetime(6) NULL, note text)")
        cur.execute(
            "INSERT INTO src VALUES (1, UTC_TIMESTAMP(6), 'first'), (2, NULL, 'null cursor')"
        )
    h = harness(src=maria, duck=duck)
    definition = _definition("merge", "duck", "src")
    assert h.run(definition).ok
    next_id = 100
    for _ in range(ROUNDS):
        late = mariadb_admin(database=maria_db, autocommit=False)
        with late.cursor() as cur:
            cur.execute("INSERT INTO src VALUES (%s, UTC_TIMESTAMP(6), 'late')", [next_id])
        with mariadb_admin(database=maria_db) as con, con.cursor() as cur:
            cur.execute(
                "INSERT INTO src VALUES (%s, UTC_TIMESTAMP(6) + INTERVAL 1 SECOND, 'b')",
                [next_id + 2],
            )
        report = h.run(definition)
        assert report.ok, report.error
        late.commit()
        late.close()
        with mariadb_admin(database=maria_db) as con, con.cursor() as cur:
            cur.execute(
                "INSERT INTO src VALUES (%s, UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE, "
                "'earlier, within the window')",
                [next_id + 3],
            )
            cur.execute("INSERT INTO src VALUES (%s, NULL, 'null later')", [next_id + 4])
        next_id += 10
    report = h.run(definition)
    assert report.ok, report.error
    with mariadb_admin(database=maria_db) as con, con.cursor() as cur:
        cur.execute("SELECT id FROM src ORDER BY id")
        source = [int(r[0]) for r in cur.fetchall()]
    assert _dest_ids(duck, "late_merge") == source
    assert len(source) == 2 + ROUNDS * 4


def test_a_transaction_open_elsewhere_does_not_make_merge_reread_everything(
    pg_db: dict[str, Any], pg_server: dict[str, Any], pg: Connector, harness: Callable[..., Harness]
) -> None:
    """Merge re-reads from the oldest transaction running *in the source's database*: one
    left open in another database of the server (here: one that has written) costs nothing."""
    pg_exec(
        pg_db,
        "CREATE TABLE public.src (id bigint PRIMARY KEY, at timestamptz)",
        # distinct times: clock_timestamp() gives a fast machine ~20 rows per microsecond,
        # and rows tied with the cursor's last value are read again (by design)
        "INSERT INTO public.src SELECT i, now() - (500 - i) * interval '1 ms' "
        "FROM generate_series(1, 500) i",
    )
    elsewhere = psycopg.connect(
        host=str(pg_db["host"]), port=int(pg_db["port"]), user=str(pg_db["user"]), dbname="postgres"
    )
    try:
        elsewhere.execute("CREATE TEMP TABLE held (i int)")  # a transaction id, kept open
        h = harness(src=pg, pg=pg)
        definition = _definition("merge", "pg", "public.src")
        assert h.run(definition).ok
        pg_exec(pg_db, "INSERT INTO public.src VALUES (501, clock_timestamp())")
        again = h.run(definition)
        assert again.ok and again.rows_read <= 2  # the new row (and the boundary row)
    finally:
        elsewhere.close()


def _late_round(
    pg_db: dict[str, Any], h: Harness, definition: dict[str, Any], table: str, next_id: int
) -> None:
    """One race round: A writes and stays open over a sync, B commits later, A commits."""
    late = psycopg.connect(str(pg_db["dsn"]))
    late.execute(f"INSERT INTO {table} VALUES (%s, clock_timestamp())", [next_id])
    pg_exec(pg_db, f"INSERT INTO {table} VALUES ({next_id + 1}, clock_timestamp())")
    report = h.run(definition)
    assert report.ok, report.error
    late.commit()
    late.close()


def test_partitioned_tables_and_roles_without_stats_privileges(
    pg_db: dict[str, Any], harness: Callable[..., Harness]
) -> None:
    """A partitioned table carries row versions too; a role that cannot see other sessions
    falls back to the snapshot's own xmin, and still finds every row."""
    from tests.sync.conftest import pg_connector

    role = f"cauce_plain_{pg_db['dbname'][-8:]}"
    pg_exec(
        pg_db,
        "CREATE TABLE public.parts (id bigint, at timestamptz) PARTITION BY RANGE (id)",
        "CREATE TABLE public.parts_low PARTITION OF public.parts FOR VALUES FROM (0) TO (150)",
        "CREATE TABLE public.parts_high PARTITION OF public.parts FOR VALUES FROM (150) TO (1000)",
        "INSERT INTO public.parts VALUES (1, clock_timestamp())",
        f"DROP ROLE IF EXISTS {role}",
        f"CREATE ROLE {role} LOGIN",
        f"GRANT ALL ON SCHEMA public TO {role}",
        f"GRANT SELECT ON public.parts, public.parts_low, public.parts_high TO {role}",
    )
    try:
        plain = pg_connector({**pg_db, "user": role})
        h = harness(src=plain, pg=plain)
        definition = {
            "name": "parts",
            "source": {"connection": "src", "table": "public.parts"},
            "destinations": [{"connection": "pg", "table": "parts_copy"}],
            "mode": "merge",
            "primary_key": ["id"],
            "cursor": "at",
        }
        assert h.run(definition).ok
        for next_id in (100, 140, 200):
            _late_round(pg_db, h, definition, "public.parts", next_id)
        assert h.run(definition).ok
        got = [r[0] for r in pg_rows(pg_db, "SELECT id FROM parts_copy ORDER BY id")]
        assert got == [r[0] for r in pg_rows(pg_db, "SELECT id FROM public.parts ORDER BY id")]
        state = pg_rows(pg_db, "SELECT cursor_type FROM _cauce_sync_state")[0][0]
        assert state.endswith("/")  # no oldest transaction: this role cannot see them
    finally:
        pg_exec(
            pg_db,
            "DROP TABLE IF EXISTS parts_copy, _cauce_sync_state",
            f"DROP OWNED BY {role}",
            f"DROP ROLE IF EXISTS {role}",
        )


def test_a_view_source_uses_the_lookback_window(
    pg_db: dict[str, Any], pg: Connector, harness: Callable[..., Harness]
) -> None:
    pg_exec(
        pg_db,
        "CREATE TABLE public.base (id bigint PRIMARY KEY, at timestamptz)",
        "INSERT INTO public.base VALUES (1, clock_timestamp())",
        "CREATE VIEW public.v AS SELECT id, at FROM public.base",
    )
    h = harness(src=pg, pg=pg)
    definition = {
        "name": "view",
        "source": {"connection": "src", "table": "public.v"},
        "destinations": [{"connection": "pg", "table": "v_copy"}],
        "mode": "merge",
        "primary_key": ["id"],
        "cursor": "at",
    }
    assert h.run(definition).ok
    _late_round(pg_db, h, definition, "public.base", 100)
    assert h.run(definition).ok
    assert [r[0] for r in pg_rows(pg_db, "SELECT id FROM v_copy ORDER BY id")] == [1, 100, 101]
    assert " @" not in pg_rows(pg_db, "SELECT cursor_type FROM _cauce_sync_state")[0][0]
