"""PostgreSQL enums into PostgreSQL: text by default, the same enum type with ``"enums":
"create"`` (issue #21).

The source's labels travel in the Arrow field's metadata (read from ``pg_enum``, in their
sort order); the destination creates the type in the destination table's schema, reuses it
when its labels are the same, and refuses it, by name, when they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
from click.testing import CliRunner

from app.cli import cli
from app.connectors.duckdb import DuckDBConnector
from app.connectors.postgres import PostgresConnector
from app.model.types import pg_enum
from tests.sync.conftest import Harness, pg_exec, pg_rows

LABELS = ["sad", "meh", "ok", "it's", "héureux"]


def _source(db: dict[str, Any]) -> None:
    pg_exec(
        db,
        "CREATE SCHEMA src",
        """CREATE TYPE src."Mood" AS ENUM ('sad', 'ok', 'it''s', 'héureux')""",
        """ALTER TYPE src."Mood" ADD VALUE 'meh' BEFORE 'ok'""",  # a fractional sort order
        """CREATE TABLE src.t (id int PRIMARY KEY, m src."Mood", ms src."Mood"[])""",
        "INSERT INTO src.t VALUES (1, 'ok', NULL), (2, 'it''s', NULL), (3, NULL, NULL),"
        " (4, 'meh', NULL)",
    )


def _sync(enums: str | None = None, table: str = "dst.t", **more: Any) -> dict[str, Any]:
    dest: dict[str, Any] = {"connection": "pg", "table": table}
    if enums is not None:
        dest["enums"] = enums
    return {
        "name": "moods",
        "source": {"connection": "pg", "table": "src.t"},
        "destinations": [dest],
        "columns": ["id", "m"],
        **more,
    }


def _labels(db: dict[str, Any], regtype: str) -> list[str]:
    rows = pg_rows(
        db,
        "SELECT enumlabel FROM pg_enum "
        f"WHERE enumtypid = '{regtype}'::regtype ORDER BY enumsortorder",
    )
    return [r[0] for r in rows]


def _column_type(db: dict[str, Any], table: str, column: str) -> str:
    rows = pg_rows(
        db,
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
        f"WHERE attrelid = '{table}'::regclass AND attname = '{column}'",
    )
    return str(rows[0][0])


def test_the_source_carries_the_labels_in_order(
    pg_db: dict[str, Any], pg: PostgresConnector
) -> None:
    _source(pg_db)
    field = pg.for_sync().table_schema("src.t").field("m")
    assert str(field.type) == "string" and pg_enum(field) == ("Mood", LABELS)
    query = pg.for_sync().query_schema("SELECT m AS feeling, id FROM src.t")
    assert pg_enum(query.field("feeling")) == ("Mood", LABELS)
    assert pg_enum(query.field("id")) is None


def test_enums_are_text_by_default(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Callable[..., Harness]
) -> None:
    _source(pg_db)
    report = harness(pg=pg).run(_sync())
    assert report.ok, report.error
    assert _column_type(pg_db, "dst.t", "m") == "text"
    assert pg_rows(pg_db, "SELECT count(*) FROM pg_type WHERE typname = 'Mood'") == [(1,)]


def test_create_makes_the_same_enum_type(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Callable[..., Harness]
) -> None:
    _source(pg_db)
    definition = _sync("create", mode="merge", primary_key=["id"])
    report = harness(pg=pg).run(definition)
    assert report.ok, report.error
    assert _column_type(pg_db, "dst.t", "m") == 'dst."Mood"'
    assert _labels(pg_db, 'dst."Mood"') == _labels(pg_db, 'src."Mood"') == LABELS
    got = pg_rows(pg_db, "SELECT id, m::text FROM dst.t ORDER BY m, id")
    want = pg_rows(pg_db, "SELECT id, m::text FROM src.t ORDER BY m, id")
    assert got == want  # the same values, sorted by the same label order
    pg_exec(pg_db, "UPDATE src.t SET m = 'héureux' WHERE id = 3")
    again = harness(pg=pg).run(definition)  # the type exists with the same labels: reused
    assert again.ok, again.error
    assert pg_rows(pg_db, "SELECT m::text FROM dst.t WHERE id = 3") == [("héureux",)]
    assert pg_rows(pg_db, "SELECT count(*) FROM pg_type WHERE typname = 'Mood'") == [(2,)]


def test_an_existing_type_with_other_labels_is_refused_by_name(
    pg_db: dict[str, Any], pg: PostgresConnector, harness: Callable[..., Harness]
) -> None:
    _source(pg_db)
    pg_exec(pg_db, "CREATE SCHEMA other", """CREATE TYPE other."Mood" AS ENUM ('ok', 'sad')""")
    report = harness(pg=pg).run(_sync("create", table="other.t"))
    assert not report.ok
    assert '"other"."Mood"' in str(report.error)
    assert "'ok', 'sad'" in str(report.error) and "'sad', 'meh'" in str(report.error)
    assert pg_rows(pg_db, "SELECT to_regclass('other.t')") == [(None,)]
    assert _labels(pg_db, 'other."Mood"') == ["ok", "sad"]


def test_other_destinations_store_text(
    pg_db: dict[str, Any],
    pg: PostgresConnector,
    duck: DuckDBConnector,
    harness: Callable[..., Harness],
) -> None:
    _source(pg_db)
    definition = _sync("create")
    definition["destinations"] = [{"connection": "duck", "table": "t", "enums": "create"}]
    report = harness(pg=pg, duck=duck).run(definition)
    assert report.ok, report.error
    got = duck.read(table="t").read_all()
    assert str(got.schema.field("m").type) == "string"
    assert sorted(got.column("m").to_pylist(), key=str) == sorted(
        ["ok", "it's", None, "meh"], key=str
    )


def test_cli_adhoc_enums_create(pg_db: dict[str, Any], tmp_path: Path) -> None:
    _source(pg_db)
    url = f"postgresql://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    args = ["--db", f"sqlite:///{tmp_path / 'meta.db'}", "sync", "run", "--source", url]
    args += ["--source-table", "src.t", "--dest", url]
    text = CliRunner().invoke(cli, [*args, "--dest-table", "a.t"])
    assert text.exit_code == 0, text.output
    assert _column_type(pg_db, "a.t", "m") == "text"
    created = CliRunner().invoke(cli, [*args, "--dest-table", "b.t", "--enums", "create"])
    assert created.exit_code == 0, created.output
    assert _column_type(pg_db, "b.t", "m") == 'b."Mood"'
    assert _labels(pg_db, 'b."Mood"') == LABELS


ARRAYS = (
    "UPDATE src.t SET ms = CASE id WHEN 1 THEN ARRAY['ok', 'it''s']::src.\"Mood\"[] "
    "WHEN 2 THEN '{}' WHEN 4 THEN ARRAY['héureux', NULL, 'sad']::src.\"Mood\"[] END"
)


def test_arrays_of_enums_stay_arrays(
    pg_db: dict[str, Any],
    pg: PostgresConnector,
    duck: DuckDBConnector,
    harness: Callable[..., Harness],
) -> None:
    """An enum array arrives as an array: ``text[]`` by default, an array of the same enum
    type with ``"enums": "create"``, a list of strings in DuckDB; never one text."""
    _source(pg_db)
    pg_exec(pg_db, ARRAYS)
    field = pg.for_sync().table_schema("src.t").field("ms")
    assert pg_enum(field) == ("Mood", LABELS)
    want = pg_rows(pg_db, "SELECT id, ms::text[] FROM src.t ORDER BY id")
    assert want[0] == (1, ["ok", "it's"]) and want[3] == (4, ["héureux", None, "sad"])
    columns = {"columns": ["id", "m", "ms"]}
    for enums, table, kind in [
        (None, "dst.a", "text[]"),
        ("create", "dst.c", 'dst."Mood"[]'),
    ]:
        report = harness(pg=pg).run({**_sync(enums, table=table), **columns})
        assert report.ok, report.error
        assert _column_type(pg_db, table, "ms") == kind
        assert pg_rows(pg_db, f"SELECT id, ms::text[] FROM {table} ORDER BY id") == want
    assert pg_rows(pg_db, "SELECT ms[1] < ms[2] FROM dst.c WHERE id = 1") == [
        (True,)
    ]  # 'ok' < "it's"
    definition = {**_sync("create"), **columns}
    definition["destinations"] = [{"connection": "duck", "table": "arr", "enums": "create"}]
    report = harness(pg=pg, duck=duck).run(definition)
    assert report.ok, report.error
    got = duck.read(table="arr").read_all().sort_by("id")
    listed = got.schema.field("ms").type
    assert pa.types.is_list(listed) and listed.value_type == pa.string()
    assert [(r["id"], r["ms"]) for r in got.to_pylist()] == want
