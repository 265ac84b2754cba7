"""Each masking method compiled to SQL, run on DuckDB and PostgreSQL: the same rows (HMAC
against Python's ``hmac``), and the dialects that cannot express one refuse it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.engine.privacy.keys import pads, set_mask_key
from tests.nodes.support import build, load_pg, rows, run_duckdb

KEY = bytes(range(32))
PEOPLE = pa.table(
    {
        "id": pa.array([1, 2, 3, 4], pa.int64()),
        "email": pa.array(["ana@example.com", "luis@example.org", None, "zoé@example.es"]),
        "phone": pa.array(["+34 600 123 456", "555-0199", "12", None]),
        "born": pa.array(
            [dt.date(1980, 5, 17), dt.date(1991, 12, 2), None, dt.date(2001, 1, 31)], pa.date32()
        ),
        "salary": pa.array([31500, 47999, 50000, None], pa.int64()),
    }
)
CASES = {
    "redact": ("email", {}, ["[redacted]", "[redacted]", "[redacted]", "[redacted]"]),
    "partial": ("phone", {}, ["*********** 456", "****0199", "12", None]),
    "generalise": (
        "born",
        {},
        [dt.date(1980, 5, 1), dt.date(1991, 12, 1), None, dt.date(2001, 1, 1)],
    ),
    "null": ("email", {}, [None, None, None, None]),
}


def _hmac(text: str | None) -> str | None:
    if text is None:
        return None
    return hmac.new(KEY, text.encode(), hashlib.sha256).hexdigest()


def _duck(sql: str) -> pa.Table:
    ipad, opad = pads(KEY)
    with duckdb.connect() as con:
        con.execute("SET VARIABLE cauce_mask_ipad = ?", [ipad])
        con.execute("SET VARIABLE cauce_mask_opad = ?", [opad])
        con.register("people", PEOPLE)
        return con.sql(sql).to_arrow_table()


def _pg(dsn: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    ipad, opad = pads(KEY)
    with psycopg.connect(dsn) as con:
        con.execute("SELECT set_config('cauce.mask_ipad', %s, false)", [ipad])
        con.execute("SELECT set_config('cauce.mask_opad', %s, false)", [opad])
        return [tuple(r) for r in con.execute(sql).fetchall()]


def _mask(method: str, column: str, **options: object):  # noqa: ANN202
    rule = {"column": column, "method": method, **options}
    return build("mask", {"rules": [rule]}, {"in": [("people", PEOPLE)]})


@pytest.mark.parametrize("method", sorted(CASES))
def test_each_method_masks_the_same_in_duckdb_and_postgres(method: str, pg_db: dict) -> None:
    column, options, expected = CASES[method]
    built = _mask(method, column, **options)
    local = run_duckdb(built.sql("duckdb"), {"people": PEOPLE})
    assert local.column(column).to_pylist() == expected
    load_pg(pg_db["dsn"], {"people": PEOPLE})
    remote = _pg(pg_db["dsn"], built.sql("postgres"))
    assert rows(remote) == rows(local)


def test_generalise_a_number_to_its_range() -> None:
    built = _mask("generalise", "salary", width=10000)
    got = run_duckdb(built.sql("duckdb"), {"people": PEOPLE}).column("salary").to_pylist()
    assert got == [30000, 40000, 50000, None]


def test_hash_is_the_keyed_hmac_in_both_engines(pg_db: dict) -> None:
    built = _mask("hash", "email")
    sql = built.sql("duckdb")
    assert KEY.hex() not in sql and pads(KEY)[0] not in sql  # the key is never in the SQL
    expected = [_hmac(v) for v in PEOPLE.column("email").to_pylist()]
    assert _duck(sql).column("email").to_pylist() == expected
    load_pg(pg_db["dsn"], {"people": PEOPLE})
    pg_sql = built.sql("postgres")
    assert "pgcrypto" not in pg_sql and "hmac" not in pg_sql.lower()
    assert [r[1] for r in _pg(pg_db["dsn"], pg_sql + " ORDER BY id")] == expected


def test_hash_without_a_key_fails_instead_of_hashing_with_none() -> None:
    built = _mask("hash", "email")
    with duckdb.connect() as con:
        con.register("people", PEOPLE)
        with pytest.raises(duckdb.Error, match="no masking key"):
            con.sql(built.sql("duckdb")).fetchall()


def test_the_local_session_gets_the_key_from_the_process(tmp_path: Path) -> None:
    from app.engine.local import LocalSession
    from app.engine.provider import ConnectorProvider

    set_mask_key(KEY)
    try:
        provider = ConnectorProvider({}, lambda c: None, project_dir=tmp_path)  # type: ignore[arg-type, return-value]
        with LocalSession(provider) as session:
            got = session.con.sql("SELECT getvariable('cauce_mask_ipad')").fetchall()[0]
        assert got == (pads(KEY)[0],)
    finally:
        set_mask_key(None)


def test_shuffle_keeps_the_values_and_moves_them(pg_db: dict) -> None:
    many = pa.table({"id": pa.array(range(200), pa.int64()), "v": [f"x{i}" for i in range(200)]})
    built = build(
        "mask", {"rules": [{"column": "v", "method": "shuffle"}]}, {"in": [("people", many)]}
    )
    local = run_duckdb(built.sql("duckdb"), {"people": many})
    assert Counter(local.column("v").to_pylist()) == Counter(many.column("v").to_pylist())
    assert sorted(local.column("id").to_pylist()) == list(range(200))
    moved = {(r["id"], r["v"]) for r in local.to_pylist()} != {
        (r["id"], r["v"]) for r in many.to_pylist()
    }
    assert moved
    load_pg(pg_db["dsn"], {"people": many})
    remote = _pg(pg_db["dsn"], built.sql("postgres"))
    assert Counter(r[1] for r in remote) == Counter(many.column("v").to_pylist())


@pytest.mark.parametrize("dialect", ["tsql", "snowflake", "bigquery", "redshift"])
def test_a_dialect_without_hmac_refuses_the_hash_mask(dialect: str) -> None:
    from sqlglot.errors import UnsupportedError

    with pytest.raises(UnsupportedError, match="local engine"):
        _mask("hash", "email").sql(dialect)


def test_partial_on_a_number_is_a_problem_on_the_rule() -> None:
    built = _mask("partial", "salary")
    assert "text column" in built.error() and built.param() == "rules.0.method"
