"""PostgreSQL values and types that used to change silently in syncs (issue #21).

- unconstrained ``numeric`` became ``numeric(38,9)``: 1e-20 -> 0, 2/3 -> 0.666666667;
- ``jsonb``, ``json``, ``uuid``, arrays, ``interval``, ``inet`` became ``text`` in a PostgreSQL
  destination, and in DuckDB, which has JSON, UUID and INTERVAL.

Values are compared with the source by PostgreSQL itself (``IS NOT DISTINCT FROM`` on the
source's own type) or, for DuckDB, as ``Decimal``/text computed by PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.sync.conftest import pg_exec, pg_rows

SOURCE = """
CREATE TABLE src.odd (
  id int PRIMARY KEY, n numeric, j jsonb, js json, u uuid, arr int[], tags text[],
  span interval, ip inet, net cidr, r int4range, mood_text text
);
INSERT INTO src.odd VALUES
  (1, 1e-20, '{"a": [1, 2.50, "x"]}', '{"b" : 1,  "b": 2}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
   '{1,NULL,3}', '{"a b","c,d",NULL}', '1 year 2 mons 3 days 04:05:06.789', '192.168.0.1/24',
   '10.0.0.0/8', '[1,5)', 'x'),
  (2, 2/3::numeric, 'null', '[]', NULL, '{}', '{}', '-1 days +02:00:00', '::1', '::/0',
   'empty', NULL),
  (3, 123456789012345678901234567890.123456789012345678901234567890, '"s"', '1', NULL,
   NULL, NULL, '0', NULL, NULL, NULL, NULL),
  (4, 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
"""
TYPES = (
    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
    "WHERE attrelid = '{}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
)
COLUMNS = ["n", "j", "js", "u", "arr", "tags", "span", "ip", "net", "r", "mood_text"]


def test_postgres_to_postgres_keeps_types_and_values(
    pg_db: dict[str, Any], pg: Any, harness: Any
) -> None:
    pg_exec(pg_db, "CREATE SCHEMA src", "CREATE SCHEMA dst", SOURCE)
    h = harness(pg=pg)
    for mode, extra in (("full", {}), ("merge", {"primary_key": ["id"], "cursor": "id"})):
        report = h.run(
            {
                "name": f"odd-{mode}",
                "source": {"connection": "pg", "table": "src.odd"},
                "destinations": [{"connection": "pg", "table": f"dst.odd_{mode}"}],
                "mode": mode,
                **extra,
            }
        )
        assert report.ok, report.error
        assert pg_rows(pg_db, TYPES.format(f"dst.odd_{mode}")) == pg_rows(
            pg_db, TYPES.format("src.odd")
        )
        differing = pg_rows(
            pg_db,
            f"""
            SELECT s.id, d.id FROM src.odd s FULL JOIN dst.odd_{mode} d USING (id)
            WHERE {" OR ".join(f"s.{c}::text IS DISTINCT FROM d.{c}::text" for c in COLUMNS)}
              OR s.id IS NULL OR d.id IS NULL""",
        )
        assert differing == []
    # the exact numbers, checked against Decimal arithmetic
    got = dict(pg_rows(pg_db, "SELECT id, n FROM dst.odd_full WHERE id < 4"))
    assert got[1] == Decimal("1e-20") and got[2] == Decimal(2) / Decimal(3) * 0 + got[2]
    assert str(got[2]) == "0.66666666666666666667"  # PostgreSQL's own 2/3, to its 20 digits
    assert got[3] == Decimal("123456789012345678901234567890.123456789012345678901234567890")


def test_postgres_to_duckdb_json_uuid_interval_and_exact_numeric(
    pg_db: dict[str, Any], pg: Any, duck: Any, harness: Any
) -> None:
    pg_exec(
        pg_db,
        "CREATE SCHEMA src",
        SOURCE,
        "CREATE TABLE src.fits AS SELECT id, n, j, u, span FROM src.odd WHERE id IN (2, 5)",
        "CREATE TABLE src.tiny AS SELECT id, n FROM src.odd WHERE id IN (1, 5)",
        "UPDATE src.fits SET n = 0.5, span = '3 days 04:00:00' WHERE id = 2",
    )
    h = harness(pg=pg, duck=duck)
    report = h.run(
        {
            "name": "fits",
            "source": {"connection": "pg", "table": "src.fits"},
            "destinations": [{"connection": "duck", "table": "fits"}],
        }
    )
    assert report.ok, report.error
    import duckdb

    with duckdb.connect(str(duck.path)) as con:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'fits'"
            ).fetchall()
        )
        rows = con.execute(
            "SELECT id, n, j::VARCHAR, u::VARCHAR, span::VARCHAR FROM fits ORDER BY id"
        ).fetchall()
    assert types == {
        "id": "INTEGER",
        "n": "DECIMAL(38,9)",
        "j": "JSON",
        "u": "UUID",
        "span": "INTERVAL",
    }
    assert rows == [
        (2, Decimal("0.5"), "null", None, "3 days 04:00:00"),
        (5, None, None, None, None),
    ]
    # a value DECIMAL(38,9) cannot hold exactly: the sync stops, naming column, key and value
    refused = h.run(
        {
            "name": "tiny",
            "source": {"connection": "pg", "table": "src.tiny"},
            "destinations": [{"connection": "duck", "table": "tiny"}],
            "mode": "merge",
            "primary_key": ["id"],
        }
    )
    assert not refused.ok
    error = str(refused.error)
    assert "column 'n', id=1: the value 0.00000000000000000001 does not fit" in error
    assert not duck.has_table("tiny")
    # the user accepts text for that column in the sync's type settings: exact, as text
    accepted = h.run(
        {
            "name": "tiny",
            "source": {"connection": "pg", "table": "src.tiny"},
            "destinations": [{"connection": "duck", "table": "tiny"}],
            "mode": "merge",
            "primary_key": ["id"],
            "column_types": {"n": "text"},
        }
    )
    assert accepted.ok, accepted.error
    with duckdb.connect(str(duck.path)) as con:
        assert con.execute("SELECT id, n, typeof(n) FROM tiny ORDER BY id").fetchall() == [
            (1, "0.00000000000000000001", "VARCHAR"),
            (5, None, "VARCHAR"),
        ]


SPECIAL = """
CREATE TABLE src.special (id int PRIMARY KEY, f float8, r real, ts timestamptz, day date);
INSERT INTO src.special VALUES
  (1, 'NaN', 'NaN', '2024-01-01 00:00:00+00', '2024-01-01'),
  (2, 'Infinity', '-Infinity', '0001-01-01 00:00:00+00', '0001-01-01'),
  (3, '-0', '-0', '9999-12-31 23:59:59.999999+00', '9999-12-31'),
  (4, 5e-324, 1.4e-45, NULL, NULL);
"""


def test_float_specials_and_extreme_instants_per_destination(
    pg_db: dict[str, Any], pg: Any, duck: Any, lite: Any, harness: Any
) -> None:
    """NaN, ±Infinity and -0.0 arrive bitwise in PostgreSQL and DuckDB, on both paths; SQLite
    (which would store NULL and 0.0) refuses NaN and -0.0 naming the row; infinities and the
    extreme instants arrive everywhere."""
    import math
    import struct

    pg_exec(pg_db, "CREATE SCHEMA src", SPECIAL)
    h = harness(pg=pg, duck=duck, lite=lite)
    expected = {
        1: (math.nan, math.nan),
        2: (math.inf, -math.inf),
        3: (-0.0, -0.0),
        4: (5e-324, struct.unpack("<f", struct.pack("<f", 1.4e-45))[0]),
    }

    def bits(value: float) -> bytes:
        return struct.pack("<d", value)

    for dest, native in (("pg", True), ("pg", False), ("duck", True)):
        out = f"special_{dest}_{native}"
        report = h.run(
            {
                "name": out,
                "source": {"connection": "pg", "table": "src.special"},
                "destinations": [{"connection": dest, "table": out}],
            },
            native=native,
        )
        assert report.ok, report.error
        rows = h.connectors[dest].read(table=out).read_all().sort_by("id").to_pylist()
        for row in rows:
            f, r = expected[row["id"]]
            assert (bits(row["f"]), bits(row["r"])) == (bits(f), bits(r)), (dest, row)
        assert rows[1]["ts"] == dt.datetime(1, 1, 1, tzinfo=dt.UTC)
        assert rows[2]["ts"] == dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)
        assert rows[1]["day"] == dt.date(1, 1, 1)
    refused = h.run(
        {
            "name": "special_lite",
            "source": {"connection": "pg", "table": "src.special"},
            "destinations": [{"connection": "lite", "table": "special"}],
            "mode": "merge",
            "primary_key": ["id"],
        }
    )
    assert not refused.ok and "id=1" in str(refused.error) and "NaN" in str(refused.error)


# ±infinity and BC dates: test_fidelity_matrix.py::test_infinity_and_bc_* (every path)


def test_a_timestamp_after_arrows_last_is_refused_by_column_and_value(
    pg_db: dict[str, Any], pg: Any, duck: Any, harness: Any
) -> None:
    """Years after 9999 arrive (test_fidelity_matrix.py); PostgreSQL's timestamps go on to
    294276 AD, past 64-bit microseconds (Arrow's, DuckDB's): refused by name, never wrapped."""
    pg_exec(
        pg_db,
        "CREATE TABLE far (id int PRIMARY KEY, day date, at timestamp)",
        "INSERT INTO far VALUES (1, '12345-06-07', 'infinity'),"
        " (2, '5874897-12-31', '294270-06-07 00:00:00')",
    )
    refused = harness(pg=pg, duck=duck).run(
        {
            "name": "far",
            "source": {"connection": "pg", "table": "far"},
            "destinations": [{"connection": "duck", "table": "far"}],
        }
    )
    assert not refused.ok
    error = str(refused.error)
    assert "column 'at'" in error and "'294270-06-07 00:00:00'" in error, error
    assert not duck.has_table("far")


LISTS = """
CREATE TABLE src.lists (id int PRIMARY KEY, ints int[], words text[], nums float8[],
                        days date[], flags bool[], span interval);
INSERT INTO src.lists VALUES
  (1, '{1,NULL,-3}', '{"a b","c,d",NULL,"q\\"x","","NULL"}', '{1.5,NaN,-Infinity}',
   '{2024-02-29,NULL}', '{t,f,NULL}', '1 year 2 mons -3 days +04:05:06.789'),
  (2, '{}', '{}', NULL, '{}', '{}', '-1 days +02:00:00'),
  (3, NULL, NULL, NULL, NULL, NULL, '-00:00:00.000001'),
  (4, '{2147483647}', '{ü}', '{0}', '{0001-01-01}', '{t}', '178000000 years');
"""


def test_postgres_arrays_and_intervals_become_duckdb_lists_and_intervals(
    pg_db: dict[str, Any], pg: Any, duck: Any, harness: Any
) -> None:
    import json

    pg_exec(pg_db, "CREATE SCHEMA src", LISTS)
    h = harness(pg=pg, duck=duck)
    for mode in ("full", "merge"):  # merge: into the table the full sync created
        report = h.run(
            {
                "name": f"lists-{mode}",
                "mode": mode,
                "primary_key": ["id"],
                "source": {"connection": "pg", "table": "src.lists"},
                "destinations": [{"connection": "duck", "table": "lists"}],
            }
        )
        assert report.ok, report.error
    import duckdb

    with duckdb.connect(str(duck.path)) as con:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'lists'"
            ).fetchall()
        )
        got = con.execute(
            "SELECT id, ints, words, nums, days, flags, datepart('month', span) "
            "+ 12 * datepart('year', span), datepart('day', span), "
            "datepart('microseconds', span) + 1000000 * (60 * (60 * "
            "datepart('hour', span) + datepart('minute', span))) FROM lists "
            "ORDER BY id"
        ).fetchall()
    assert types == {
        "id": "INTEGER",
        "ints": "INTEGER[]",
        "words": "VARCHAR[]",
        "nums": "DOUBLE[]",
        "days": "DATE[]",
        "flags": "BOOLEAN[]",
        "span": "INTERVAL",
    }
    # PostgreSQL's own reading of the same values: JSON arrays and interval fields
    truth = pg_rows(
        pg_db,
        """
        SELECT id, array_to_json(ints)::text, array_to_json(words)::text,
               array_to_json(nums::text[])::text, array_to_json(days)::text,
               array_to_json(flags)::text,
               (extract(year FROM span) * 12 + extract(month FROM span))::bigint,
               extract(day FROM span)::bigint,
               ((extract(hour FROM span) * 60 + extract(minute FROM span)) * 60000000
                + extract(microseconds FROM span))::bigint
        FROM src.lists ORDER BY id""",
    )
    for have, want in zip(got, truth, strict=True):
        assert have[0] == want[0]
        for column, (value, text) in enumerate(zip(have[1:6], want[1:6], strict=True)):
            expected = None if text is None else json.loads(text)
            if column == 2 and expected is not None:  # floats: NaN, infinities, bitwise
                assert [repr(v) for v in value] == [repr(float(x)) for x in expected]
            elif column == 3 and expected is not None:
                assert [None if v is None else str(v) for v in value] == expected
            else:
                assert value == expected, (want[0], column)
        assert tuple(have[6:]) == tuple(want[6:]), want[0]


FAR_LISTS = """
CREATE TABLE src.far_lists (id int PRIMARY KEY, days date[], ts timestamp[], tz timestamptz[]);
INSERT INTO src.far_lists VALUES
  (1, '{infinity,-infinity,NULL}', '{infinity,-infinity}', '{infinity,-infinity}'),
  (2, '{"0044-03-15 BC","4713-01-01 BC","0001-01-01"}',
   '{"0044-03-15 12:34:56.789012 BC","0001-12-31 23:59:59.999999 BC"}',
   '{"0044-03-15 12:34:56.789012+00 BC"}'),
  (3, '{12345-06-07,5874897-12-31,9999-12-31}', '{"12345-06-07 12:34:56.000001"}',
   '{"294247-01-10 04:00:54.775806+00","2024-02-29 12:00:00+00"}'),
  (4, '{}', NULL, '{NULL}');
"""


def test_infinite_bc_and_late_array_elements_arrive_exactly_in_duckdb_lists(
    pg_db: dict[str, Any], pg: Any, duck: Any, harness: Any
) -> None:
    """``date[]``/``timestamp[]``/``timestamptz[]`` elements hold what the scalar columns
    hold (test_fidelity_matrix.py): DuckDB lists carry them all, compared element by element
    with PostgreSQL's own text of each."""
    import re

    import duckdb

    pg_exec(pg_db, "CREATE SCHEMA src", FAR_LISTS)
    h = harness(pg=pg, duck=duck)
    for mode in ("full", "merge"):
        report = h.run(
            {
                "name": f"far-lists-{mode}",
                "mode": mode,
                "primary_key": ["id"],
                "source": {"connection": "pg", "table": "src.far_lists"},
                "destinations": [{"connection": "duck", "table": "far_lists"}],
            }
        )
        assert report.ok, report.error
    truth = pg_rows(
        pg_db,
        "SELECT id, days::text[], ts::text[], tz::text[] FROM src.far_lists ORDER BY id",
    )
    duck.close()
    with duckdb.connect(duck.path) as con:
        con.execute("SET TimeZone = 'UTC'")
        kinds = con.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'far_lists' "
            "ORDER BY ordinal_position"
        ).fetchall()
        got = con.execute(
            "SELECT id, [x::VARCHAR FOR x IN days], [x::VARCHAR FOR x IN ts], "
            "[x::VARCHAR FOR x IN tz] FROM far_lists ORDER BY id"
        ).fetchall()
    assert [k[0] for k in kinds] == [
        "INTEGER",
        "DATE[]",
        "TIMESTAMP[]",
        "TIMESTAMP WITH TIME ZONE[]",
    ]

    def pg_form(text: str | None) -> str | None:  # DuckDB's "0044-03-15 (BC) 12:00" form
        if text is None:
            return None
        return re.sub(r"^(\d+-\d\d-\d\d) \(BC\)(.*)$", r"\1\2 BC", text)

    have = [(r[0], *[None if v is None else [pg_form(x) for x in v] for v in r[1:]]) for r in got]
    assert have == [tuple(r) for r in truth]


def test_an_array_element_after_arrows_last_timestamp_is_refused_naming_it(
    pg_db: dict[str, Any], pg: Any, duck: Any, harness: Any
) -> None:
    pg_exec(
        pg_db,
        "CREATE TABLE late (id int PRIMARY KEY, ts timestamp[])",
        "INSERT INTO late VALUES (1, '{2024-01-01}'), (2, '{infinity,\"294270-06-07 00:00:00\"}')",
    )
    refused = harness(pg=pg, duck=duck).run(
        {
            "name": "late",
            "source": {"connection": "pg", "table": "late"},
            "destinations": [{"connection": "duck", "table": "late"}],
        }
    )
    assert not refused.ok
    error = str(refused.error)
    assert "column 'ts'" in error and "294270-06-07 00:00:00" in error, error
    assert not duck.has_table("late")


MORE_LISTS = """
CREATE TABLE src.more_lists (id int PRIMARY KEY, ids uuid[], docs jsonb[], raw json[],
                             spans interval[], blobs bytea[], clock time[]);
INSERT INTO src.more_lists VALUES
  (1, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}',
   ARRAY['{"a": [1, "x,y"]}', 'null', NULL]::jsonb[], ARRAY['{"q": "\\"}"}', '[]']::json[],
   '{"1 year 2 mons -3 days +04:05:06.789","-00:00:00.000001",NULL}',
   ARRAY['\\x00ff'::bytea, '\\x'::bytea, NULL, '\\x5c22'::bytea],
   '{00:00:00,24:00:00,01:02:03.000001,NULL}'),
  (2, '{}', '{}', '{}', '{}', '{}', '{}'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL);
"""


def test_arrays_of_uuid_json_interval_and_bytea_become_duckdb_lists_of_them(
    pg_db: dict[str, Any], pg: Any, duck: Any, harness: Any
) -> None:
    import duckdb

    pg_exec(pg_db, "CREATE SCHEMA src", MORE_LISTS)
    report = harness(pg=pg, duck=duck).run(
        {
            "name": "more-lists",
            "source": {"connection": "pg", "table": "src.more_lists"},
            "destinations": [{"connection": "duck", "table": "more"}],
        }
    )
    assert report.ok, report.error
    with duckdb.connect(str(duck.path)) as con:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'more'"
            ).fetchall()
        )
        assert types["spans"] == "INTERVAL[]", types
        got = con.execute(
            "SELECT id, ids::VARCHAR[], docs::VARCHAR[], raw::VARCHAR[], "
            "list_transform(spans, lambda s: [datepart('month', s) + 12 * datepart('year', s), "
            "datepart('day', s), datepart('microseconds', s) + 1000000 * (60 * (60 * "
            "datepart('hour', s) + datepart('minute', s)))]), blobs, clock::VARCHAR[] "
            "FROM more ORDER BY id"
        ).fetchall()
    assert types == {
        "id": "INTEGER",
        "ids": "UUID[]",
        "docs": "JSON[]",
        "raw": "JSON[]",
        "spans": "INTERVAL[]",
        "blobs": "BLOB[]",
        "clock": "TIME[]",
    }
    assert got[0][0] == 1
    assert got[0][1] == ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", None]
    assert got[0][2] == ['{"a": [1, "x,y"]}', "null", None]  # jsonb's own spelling
    assert got[0][3] == ['{"q": "\\"}"}', "[]"]  # json keeps its text
    # (the NULL element's parts are NULL)
    assert got[0][4] == [[14, -3, 14706789000], [0, 0, -1], [None, None, None]]
    assert got[0][5] == [b"\x00\xff", b"", None, b'\\"']
    assert got[0][6] == ["00:00:00", "24:00:00", "01:02:03.000001", None]  # 24:00 kept
    assert got[1] == (2, [], [], [], [], [], [])
    assert got[2] == (3, None, None, None, None, None, None)
