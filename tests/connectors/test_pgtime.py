"""app.connectors.pgtime against PostgreSQL itself: 20 000 random dates and instants, half
between 4713 BC and 9999 AD, half from 10000 AD to the latest PostgreSQL (dates) or Arrow
(timestamps) holds (plus ±infinity and the edges of years 1 and 10000), are parsed from
PostgreSQL's text and compared with PostgreSQL's own count of days / µs since 1970; the text
printed back is parsed by PostgreSQL into the very same value."""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.pgtime import DATE_INFINITY, TIMESTAMP_INFINITY, far_value, parse, pg_text

TYPES = {
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
}
LATEST = {  # PostgreSQL's last date; Arrow's (and DuckDB's) last µs timestamp before infinity
    "date": "5874897-12-31",
    "timestamp": "294247-01-10 04:00:54.775806",
    "timestamptz": "294247-01-10 04:00:54.775806+00",
}
EDGES = {
    "date": [
        "0001-01-01",
        "0001-12-31 BC",
        "4713-01-01 BC",
        "0401-02-29 BC",
        "9999-12-31",
        "10000-01-01",
        "12345-06-07",
        "10400-02-29",
        LATEST["date"],
    ],
    "timestamp": [
        "9999-12-31 23:59:59.999999",
        "10000-01-01 00:00:00",
        "12345-06-07 12:34:56.000001",
        LATEST["timestamp"],
        "0001-01-01 00:00:00",
        "0001-12-31 23:59:59.999999 BC",
        "4713-01-01 00:00:00 BC",
        "0401-02-29 12:00:00.000001 BC",
    ],
    "timestamptz": [
        "9999-12-31 23:59:59.999999+00",
        "10000-01-01 00:00:00+00",
        "12345-06-07 12:34:56.000001+00",
        LATEST["timestamptz"],
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
        # half 4713 BC - 9999 AD, half 10000 AD - the latest value: a day, then a time of day
        last_day = LATEST["date"] if kind == "date" else "294246-12-31"
        day = (
            "(CASE WHEN g % 2 = 0 THEN date '4713-01-01 BC' + floor(random() * "
            "(date '9999-12-31' - date '4713-01-01 BC'))::int ELSE date '10000-01-01' + "
            f"floor(random() * (date '{last_day}' - date '10000-01-01'))::int END)"
        )
        value = (
            day
            if kind == "date"
            else f"({day}::timestamp + floor(random() * 86400e6) * interval '1 microsecond')"
        )
        texts = [
            r[0]
            for r in con.execute(
                f"SELECT (CASE WHEN g = 1 THEN 'infinity' WHEN g = 2 THEN '-infinity' "
                f"WHEN g = 3 THEN NULL ELSE {value}::text END)::{kind}::text "
                f"FROM generate_series(1, 20000) g"
            ).fetchall()
        ] + EDGES[kind]
        assert sum(1 for t in texts if t and t.endswith(" BC")) > 2500
        assert sum(1 for t in texts if t and len(t.split("-")[0]) > 4) > 5000
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


@pytest.mark.parametrize("text", ["294247-01-10 04:00:54.775807", "294276-12-31 23:59:59.999999"])
def test_a_timestamp_too_late_for_arrow_is_refused_naming_it(text: str) -> None:
    """PostgreSQL's timestamps go to 294276 AD; 64-bit µs (Arrow, DuckDB) end just before
    294247-01-10 04:00:54.775807, which is DuckDB's ``infinity``: refused, never wrapped or
    taken for infinity."""
    for dtype, suffix in ((pa.timestamp("us"), ""), (pa.timestamp("us", tz="UTC"), "+00")):
        with pytest.raises(pa.ArrowInvalid, match=re.escape(repr(text + suffix))):
            parse(pa.array(["2024-01-01 00:00:00" + suffix, text + suffix]), dtype)
