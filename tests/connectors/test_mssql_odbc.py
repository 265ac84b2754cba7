"""The SQL Server connector's ODBC code, run for real: against PostgreSQL through psqlODBC
(same connect/fetch/fast_executemany/transaction code, PostgreSQL flavour) and with Microsoft's
ODBC Driver 18 loaded (login timeout against a closed port). No SQL Server runs here.

Drivers are registered in a temporary ``odbcinst.ini`` (``ODBCSYSINI``). Missing drivers skip
with the reason, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.mssql import SqlServerConfig, SqlServerConnector
from app.connectors.mssql._errors import ErrorKind, classify
from app.connectors.mssql._flavour import POSTGRES_ODBC
from app.connectors.sqlite import SQLiteConnector

from .test_suite import ROWS, SPECIAL

PSQLODBC = Path("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so")
MS_DRIVER = "ODBC Driver 18 for SQL Server"


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must not skip driver tests)")
    pytest.skip(reason)


def _ms_driver_library() -> Path | None:
    try:
        import mssql_python_odbc
    except ImportError:
        return None
    libs = Path(mssql_python_odbc.__file__).parent / "libs" / "linux"
    found = sorted(libs.glob("debian_ubuntu/*/lib/libmsodbcsql-18*.so*")) or sorted(
        libs.glob("*/*/lib/libmsodbcsql-18*.so*")
    )
    return found[0] if found else None


@pytest.fixture(scope="module")
def odbcinst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bool]]:
    """An odbcinst.ini registering psqlODBC and Microsoft's driver (when present)."""
    try:
        import pyodbc  # noqa: F401 - needs unixODBC's libodbc
    except ImportError as err:
        _missing(f"pyodbc cannot load (apt-get install unixodbc): {err}")
    folder = tmp_path_factory.mktemp("odbc")
    lines, have = [], {"postgres": PSQLODBC.exists(), "mssql": False}
    if have["postgres"]:
        lines += ["[PostgreSQL Unicode]", f"Driver={PSQLODBC}", ""]
    ms = _ms_driver_library()
    if ms is not None:
        have["mssql"] = True
        lines += [f"[{MS_DRIVER}]", f"Driver={ms}", ""]
    (folder / "odbcinst.ini").write_text("\n".join(lines))
    (folder / "odbc.ini").write_text("")
    old = os.environ.get("ODBCSYSINI")
    os.environ["ODBCSYSINI"] = str(folder)
    try:
        yield have
    finally:
        if old is None:
            os.environ.pop("ODBCSYSINI", None)
        else:
            os.environ["ODBCSYSINI"] = old


class PostgresOverOdbc(SqlServerConnector):
    """The SQL Server connector with the PostgreSQL flavour: only the SQL text differs."""

    flavour = POSTGRES_ODBC

    def connection_string(self) -> str:
        cfg = self.config
        return (
            f"Driver={{PostgreSQL Unicode}};Server={cfg.server};Port={cfg.port};"
            f"Database={cfg.database};Uid={cfg.user};BoolsAsChar=0;"
            "MaxLongVarcharSize=-1;ByteaAsLongVarBinary=1"
        )


@pytest.fixture
def pg_odbc(odbcinst: dict[str, bool], pg_db: dict[str, object]) -> PostgresOverOdbc:
    if not odbcinst["postgres"]:
        _missing(f"psqlODBC is not installed ({PSQLODBC}; apt-get install odbc-postgresql)")
    config = SqlServerConfig(
        server=str(pg_db["host"]),
        port=int(pg_db["port"]),
        database=str(pg_db["dbname"]),
        user=str(pg_db["user"]),
        retry_attempts=1,
    )
    return PostgresOverOdbc(config, name="odbc")


def _reader(table: pa.Table, batch_rows: int = 2) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_rows))


@pytest.mark.postgres
@pytest.mark.parametrize("batch_rows", [1, 1000])
def test_special_values_round_trip(pg_odbc: PostgresOverOdbc, batch_rows: int) -> None:
    data = SPECIAL.append_column(
        "tm", pa.array([dt.time(12, 34, 56, 500000), None, dt.time(0), dt.time(23, 59, 59, 999999)])
    )
    data = data.append_column("raw", pa.array([b"\x00\xff", None, b"", b"x" * 9000]))
    pg_odbc.write("special", _reader(data, batch_rows), mode=WriteMode.REPLACE)
    back = pg_odbc.read(table="special", batch_rows=batch_rows).read_all()
    assert back.schema == data.schema
    assert back.sort_by("id").equals(data), back.to_pylist()


@pytest.mark.postgres
def test_write_modes_and_merge_last_row_wins(pg_odbc: PostgresOverOdbc) -> None:
    assert pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE).rows == 3
    more = pa.table(
        {
            "id": pa.array([4], pa.int64()),
            "name": ["four"],
            "price": pa.array([Decimal("4.40")], pa.decimal128(10, 2)),
        }
    )
    assert pg_odbc.write("items", _reader(more), mode=WriteMode.APPEND).rows == 1
    assert (
        pg_odbc.read(table="items").read_all().sort_by("id").equals(pa.concat_tables([ROWS, more]))
    )
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE)
    changes = pa.table(
        {
            "id": pa.array([2, 5, 2], pa.int64()),
            "name": ["old", "five", "TWO"],
            "price": pa.array([Decimal("9"), Decimal("5.50"), None], pa.decimal128(10, 2)),
        }
    )
    pg_odbc.write("items", _reader(changes, 1), mode=WriteMode.MERGE, keys=["id"])
    assert pg_odbc.read(table="items").read_all().sort_by("id").to_pylist() == [
        {"id": 1, "name": "one", "price": Decimal("1.10")},
        {"id": 2, "name": "TWO", "price": None},
        {"id": 3, "name": "three", "price": None},
        {"id": 5, "name": "five", "price": Decimal("5.50")},
    ]


class SourceBroke(RuntimeError):
    pass


@pytest.mark.postgres
@pytest.mark.parametrize("mode", list(WriteMode))
def test_failed_write_rolls_back(pg_odbc: PostgresOverOdbc, mode: WriteMode) -> None:
    pg_odbc.write("items", _reader(ROWS), mode=WriteMode.REPLACE)
    before = pg_odbc.list_tables()

    def batches() -> Iterator[pa.RecordBatch]:
        yield ROWS.to_batches(1)[0]
        raise SourceBroke("the source failed mid-stream")

    with pytest.raises(SourceBroke):
        pg_odbc.write(
            "items",
            pa.RecordBatchReader.from_batches(ROWS.schema, batches()),
            mode=mode,
            keys=["id"],
        )
    assert pg_odbc.read(table="items").read_all().sort_by("id").equals(ROWS)
    assert pg_odbc.list_tables() == before


@pytest.mark.postgres
def test_catalog_keys_queries_and_streaming(
    pg_odbc: PostgresOverOdbc, pg_db: dict[str, object]
) -> None:
    import psycopg

    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        con.execute("CREATE TABLE big (a int, b int, label text, PRIMARY KEY (b, a))")
        con.execute(
            "INSERT INTO big SELECT g, g % 7, 'row ' || g FROM generate_series(1, 120000) g"
        )
        con.execute("ANALYZE big")
    pg_odbc.test()
    tables = {t.name: t for t in pg_odbc.list_tables()}
    assert tables["big"].row_estimate == 120000
    assert pg_odbc.primary_keys("big") == ["b", "a"]
    assert pg_odbc.table_schema("public.big") == pa.schema(
        [("a", pa.int32()), ("b", pa.int32()), ("label", pa.string())]
    )
    with pytest.raises(ConnectionError_, match="does not exist"):
        pg_odbc.table_schema("nope")
    count = batches = 0
    for batch in pg_odbc.read(table="big", batch_rows=20_000):
        assert batch.num_rows <= 20_000
        count, batches = count + batch.num_rows, batches + 1
    assert (count, batches) == (120000, 6)
    reader = pg_odbc.read(table="big", batch_rows=5)
    assert reader.read_next_batch().num_rows == 5
    reader.close()
    query = "SELECT a, label FROM big WHERE a <= 3"
    assert pg_odbc.query_schema(query).names == ["a", "label"]
    assert pg_odbc.read(query=query).read_all().sort_by("a")["label"].to_pylist() == [
        "row 1",
        "row 2",
        "row 3",
    ]


@pytest.mark.postgres
def test_chinook_through_odbc(pg_odbc: PostgresOverOdbc, chinook_sqlite: Path) -> None:
    chinook = SQLiteConnector(SQLiteConnector.Config(path=str(chinook_sqlite)))
    for name in ["Artist", "Invoice", "InvoiceLine"]:
        expected = chinook.read(table=name).read_all()
        assert (
            pg_odbc.write(name, chinook.read(table=name), mode=WriteMode.REPLACE).rows
            == expected.num_rows
        )
        back = pg_odbc.read(table=name).read_all()
        key = expected.column_names[0]
        assert back.schema == expected.schema and back.sort_by(key).equals(expected.sort_by(key)), (
            name
        )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        ("sql", {"user": "sa"}),
        ("entra_password", {"user": "ana@acme.com"}),
        ("service_principal", {"client_id": "0000-1111"}),
        ("managed_identity", {}),
        ("interactive", {"user": "ana@acme.com"}),
    ],
)
def test_driver18_accepts_the_string_and_times_out(
    odbcinst: dict[str, bool], mode: str, extra: dict[str, str]
) -> None:
    if not odbcinst["mssql"]:
        _missing(
            "Microsoft ODBC Driver 18 not found (uv sync installs mssql-python, which "
            "ships libmsodbcsql-18)"
        )
    config = SqlServerConfig(
        server="127.0.0.1",
        port=_closed_port(),
        database="master",
        authentication=mode,
        login_timeout=1,
        retry_attempts=1,
        password="s3cret;pw}",
        **extra,
    )
    with pytest.raises(ConnectionError_) as info:
        SqlServerConnector(config, name="azure").test()
    text = str(info.value)
    assert "no answer from 127.0.0.1 in time" in text and "Login timeout expired" in text
    assert "s3cret" not in text


def test_driver18_rejects_a_bad_keyword_and_a_missing_driver(odbcinst: dict[str, bool]) -> None:
    if not odbcinst["mssql"]:
        _missing("Microsoft ODBC Driver 18 not found")
    import pyodbc

    with pytest.raises(pyodbc.Error) as info:
        pyodbc.connect(
            f"Driver={{{MS_DRIVER}}};Server=tcp:127.0.0.1,{_closed_port()};"
            "Authentication=ActiveDirectoryNope",
            timeout=1,
        )
    assert classify(info.value).kind is ErrorKind.OTHER
    config = SqlServerConfig(
        server="127.0.0.1",
        database="d",
        user="u",
        password="p",
        driver="ODBC Driver 99 for SQL Server",
        retry_attempts=1,
    )
    with pytest.raises(ConnectionError_, match="brew install msodbcsql18"):
        SqlServerConnector(config).test()
