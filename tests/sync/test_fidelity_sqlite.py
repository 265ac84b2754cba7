"""SQLite values that used to change silently (issue #21).

Source: a REAL in an INTEGER column was truncated (2.7 -> 2), a BLOB in a TEXT column became
'\\uFFFDA', a DATE holding a time lost it, a BOOLEAN 2 became true, a decimal with more places
than its scale was rounded. Now each is an error naming the column, the row's key and the
value, unless the column is listed in the connection's ``coerce`` setting. Destination: NaN
became NULL and -0.0 became 0.0; now both are refused, naming the row; infinities are stored.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector
from tests.sync.conftest import Harness

CASES = [  # declared type, stored SQL value, words of the refusal, coerced value
    ("INTEGER", "2.7", "not a whole number", 2),
    ("INTEGER", "'x3'", "not a whole number", None),
    ("TEXT", "x'ff41'", "not UTF-8", "\ufffdA"),
    ("DATE", "'2024-01-15 23:59:59'", "a date with a time of day", "2024-01-15"),
    ("BOOLEAN", "2", "neither 0 nor 1", True),
    ("NUMERIC(10,2)", "1.005", "more decimal places", "1.00"),
]


def _source(tmp_path: Path, declared: str, value: str) -> Path:
    path = tmp_path / "src.sqlite"
    with sqlite3.connect(path) as con:
        con.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, v {declared})")
        con.execute("INSERT INTO t VALUES (41, NULL)")
        con.execute(f"INSERT INTO t VALUES (42, {value})")
    return path


@pytest.mark.parametrize(("declared", "value", "words", "coerced"), CASES)
def test_values_that_do_not_fit_are_refused_naming_key_and_value(
    tmp_path: Path,
    duck: SQLiteConnector,
    harness: Callable[..., Harness],
    declared: str,
    value: str,
    words: str,
    coerced: object,
) -> None:
    path = _source(tmp_path, declared, value)
    strict = SQLiteConnector(SQLiteConfig(path=str(path)), name="src")
    h = harness(src=strict, duck=duck)
    definition = {
        "name": "fit",
        "source": {"connection": "src", "table": "t"},
        "destinations": [{"connection": "duck", "table": "t"}],
    }
    report = h.run(definition)
    assert not report.ok
    assert words in str(report.error) and "id=42" in str(report.error)
    assert "'v'" in str(report.error)
    assert not duck.has_table("t")  # nothing written
    if coerced is None:
        return
    loose = SQLiteConnector(SQLiteConfig(path=str(path), coerce=["t.v"]), name="src")
    report = harness(src=loose, duck=duck).run(definition)
    assert report.ok, report.error
    got = duck.read(table="t").read_all().to_pylist()[1]["v"]
    assert str(got) == str(coerced)


def test_values_that_fit_exactly_pass(tmp_path: Path) -> None:
    path = tmp_path / "ok.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (i INTEGER, d DATE, b BOOLEAN, x TEXT, n NUMERIC(10,2))")
        con.execute("INSERT INTO t VALUES (2.0, '2024-01-15 00:00:00', 1, x'6f6b', 1.5)")
        con.execute("INSERT INTO t VALUES (9223372036854775807, '2024-01-16', 0, 7, '2.25')")
    rows = SQLiteConnector(SQLiteConfig(path=str(path))).read(table="t").read_all().to_pylist()
    assert [r["i"] for r in rows] == [2, 2**63 - 1]
    assert [str(r["d"]) for r in rows] == ["2024-01-15", "2024-01-16"]
    assert [r["b"] for r in rows] == [True, False] and [r["x"] for r in rows] == ["ok", "7"]
    assert [str(r["n"]) for r in rows] == ["1.50", "2.25"]


@pytest.mark.parametrize(("value", "words"), [(math.nan, "NaN"), (-0.0, "-0.0")])
def test_sqlite_destination_refuses_what_it_would_change(
    tmp_path: Path, value: float, words: str
) -> None:
    lite = SQLiteConnector(SQLiteConfig(path=str(tmp_path / "d.sqlite")), name="lite")
    data = pa.table({"id": pa.array([1, 2], pa.int64()), "f": pa.array([1.5, value])})
    with pytest.raises(ConnectionError_) as caught:
        lite.write(
            "t",
            pa.RecordBatchReader.from_batches(data.schema, data.to_batches()),
            mode=WriteMode.MERGE,
            keys=["id"],
        )
    message = str(caught.value)
    assert words in message and "id=2" in message and "'f'" in message
    assert not lite.has_table("t")  # the whole write rolled back


def test_sqlite_destination_stores_infinities_and_extremes_exactly(tmp_path: Path) -> None:
    lite = SQLiteConnector(SQLiteConfig(path=str(tmp_path / "d.sqlite")), name="lite")
    values = [math.inf, -math.inf, 5e-324, 1.7976931348623157e308, -1e-300, 0.1]
    data = pa.table({"f": pa.array(values)})
    lite.write(
        "t",
        pa.RecordBatchReader.from_batches(data.schema, data.to_batches()),
        mode=WriteMode.REPLACE,
    )
    got = lite.read(table="t").read_all().column("f").to_pylist()
    assert [struct.pack("<d", v) for v in got] == [struct.pack("<d", v) for v in values]
