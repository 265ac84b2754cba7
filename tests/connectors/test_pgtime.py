"""app.connectors.pgtime against PostgreSQL itself: 20 000 random dates and instants between
4713 BC and 9999 AD (plus ±infinity and the edges of year 1) are parsed from PostgreSQL's text
and compared with PostgreSQL's own count of days / µs since 1970; the text printed back is
parsed by PostgreSQL into the very same value."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from app.connectors.pgtime import DATE_INFINITY, TIMESTAMP_INFINITY, far_value, parse, pg_text

TYPES = {
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
}
EDGES = {
    "date": ["0001-01-01", "0001-12-31 BC", "4713-01-01 BC", "0401-02-29 BC"],
    "timestamp": [
        "0001-01-01 00:00:00",
        "0001-12-31 23:59:59.999999 BC",
        "4713-01-01 00:00:00 BC",
        "0401-02-29 12:00:00.000001 BC",
    ],
    "timestamptz": [
        "0001-01-01 00:00:00+00",
        "0001-12-31 23:59:59.999999+00 BC",
        "4713-01-01 00:00:00+00 BC",
        "0401-02-29 12:00:00.000001+00 BC",
    ],
}


def _connect(pg_db: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        host=pg_db["host"],
        port=pg_db["port"],
        user=pg_db["user"],
        dbname=pg_db["dbname"],
        autocommit=True,
        options="-c TimeZone=UTC -c DateStyle=ISO,YMD",
    )


@pytest.mark.parametrize("kind", list(TYPES))
def test_parse_and_print_agree_with_postgresql(kind: str, pg_db: dict[str, Any]) -> None:
    dtype = TYPES[kind]
    with _connect(pg_db) as con:
        texts = [
            r[0]
            for r in con.execute(
                f"SELECT (CASE WHEN g = 1 THEN 'infinity' WHEN g = 2 THEN '-infinity' "
                f"WHEN g = 3 THEN NULL ELSE ('4713-01-01 BC'::timestamp + random() * "
                f"(date '9999-12-31' - date '4713-01-01 BC') * interval '1 day' "
                f"+ floor(random() * 86400e6) * interval '1 microsecond')::text END)::{kind}::text "
                f"FROM generate_series(1, 20000) g"
            ).fetchall()
        ] + EDGES[kind]
        assert sum(1 for t in texts if t and t.endswith(" BC")) > 5000
        epoch = (
            "(t::date - date '1970-01-01')::text"
            if kind == "date"
            else f"(extract(epoch FROM t::{kind}) * 1000000)::bigint::text"
        )
        truth = [
            r[0]
            for r in con.execute(
                f"SELECT CASE WHEN isfinite(t::{kind}) THEN {epoch} ELSE t END "
                "FROM unnest(%s::text[]) WITH ORDINALITY x(t, n) ORDER BY n",
                (texts,),
            ).fetchall()
        ]
        values = parse(pa.array(texts), dtype)
        infinity = DATE_INFINITY if kind == "date" else TIMESTAMP_INFINITY
        want = [
            None
            if t is None
            else infinity
            if t == "infinity"
            else -infinity
            if t == "-infinity"
            else int(t)
            for t in truth
        ]
        assert values.cast(pa.int32() if kind == "date" else pa.int64()).to_pylist() == want
        printed = pg_text(values)
        assert printed is not None
        assert con.execute(
            f"SELECT count(*) FILTER (WHERE a::{kind} IS DISTINCT FROM b::{kind}) "
            "FROM unnest(%s::text[], %s::text[]) x(a, b)",
            (texts, printed.to_pylist()),
        ).fetchone() == (0,)


def test_ordinary_values_are_left_alone_and_the_first_far_one_is_named() -> None:
    ordinary = pa.array([0, 1, None], pa.date32())
    assert pg_text(ordinary) is None and far_value(ordinary) is None
    assert parse(pa.array(["2024-02-29", None]), pa.date32()).to_pylist()[1] is None
    mixed = pa.array([0, -719163, DATE_INFINITY], pa.date32())
    assert far_value(mixed) == (1, "0001-12-31 BC")
    instants = pa.array([0, -TIMESTAMP_INFINITY], pa.timestamp("us", tz="UTC"))
    assert far_value(pa.chunked_array([instants])) == (1, "-infinity")
