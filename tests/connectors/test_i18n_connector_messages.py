"""The connectors' messages in Spanish: real errors of real connectors, through ``app.i18n``.

Driver and server texts stay as the driver gives them (inside the translated message); the
English wording is unchanged when the language is English. Also checks that every message
marked in ``app/connectors`` has a Spanish translation that keeps its placeholders (the core's
catalog test, ``tests/engine/test_i18n_catalog.py``, covers the other packages).
"""

from __future__ import annotations

import sqlite3
import string
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app import i18n
from app.connectors._common import check_write, failure
from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector
from app.connectors.files import FilesConfig, FilesConnector
from app.connectors.mssql._errors import Diagnosis, ErrorKind
from app.connectors.mssql._odbc import explain
from app.connectors.postgres import PostgresConfig, PostgresConnector
from app.connectors.sqlite import SQLiteConfig, SQLiteConnector

CONNECTORS = Path(__file__).resolve().parents[2] / "app" / "connectors"


@pytest.fixture
def spanish() -> Iterator[None]:
    i18n.set_language("es")
    try:
        yield
    finally:
        i18n.set_language("en")


def _refused() -> PostgresConnector:
    # nothing listens on port 1: refused at once, no server needed
    return PostgresConnector(
        PostgresConfig(host="127.0.0.1", port=1, user="postgres", database="postgres"), name="wh"
    )


def _sqlite(tmp_path: Path) -> SQLiteConnector:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    return SQLiteConnector(SQLiteConfig(path=str(path)), name="lite")


def test_a_refused_postgres_connection_in_spanish(spanish: None) -> None:
    with pytest.raises(ConnectionError_) as caught:
        _refused().test()
    message = str(caught.value)
    assert message.startswith("wh: error al conectar con 127.0.0.1:1/postgres: "), message
    assert "failed:" not in message.split(": ", 2)[1]  # the wrapper is Spanish, not English
    assert caught.value.transient  # translation changes nothing but the words


def test_the_same_error_stays_english_in_english() -> None:
    i18n.set_language("en")
    with pytest.raises(ConnectionError_) as caught:
        _refused().test()
    assert str(caught.value).startswith("wh: connecting to 127.0.0.1:1/postgres failed: ")


def test_a_missing_postgres_table_in_spanish(pg_server: dict[str, object], spanish: None) -> None:
    connector = PostgresConnector(
        PostgresConfig(
            host=str(pg_server["host"]),
            port=int(str(pg_server["port"])),
            user=str(pg_server["user"]),
            database="postgres",
        ),
        name="wh",
    )
    with pytest.raises(ConnectionError_, match=r"^wh: la tabla 'no_such_table' no existe$"):
        connector.table_schema("no_such_table")


def test_sqlite_errors_in_spanish(tmp_path: Path, spanish: None) -> None:
    connector = _sqlite(tmp_path)
    with pytest.raises(ConnectionError_, match=r"^lite: la tabla 'missing' no existe$"):
        connector.table_schema("missing")
    with pytest.raises(ConnectionError_) as caught:
        connector.read(query="SELECT * FROM missing")
    # the action is translated, the driver's own text is kept
    assert str(caught.value) == (
        "lite: error al obtener las columnas de la consulta: no such table: missing"
    )
    gone = SQLiteConnector(SQLiteConfig(path=str(tmp_path / "gone.db")), name="lite")
    with pytest.raises(ConnectionError_, match=r"^lite: el archivo SQLite '.*gone\.db' no existe$"):
        gone.list_tables()


def test_duckdb_errors_in_spanish(spanish: None) -> None:
    connector = DuckDBConnector(DuckDBConfig(path=":memory:"), name="pato")
    try:
        with pytest.raises(ConnectionError_, match=r"^pato: error al leer 'missing': "):
            connector.read(table="missing")
        with pytest.raises(ConnectionError_) as caught:
            connector.attach(None, "a", read_only=True)  # type: ignore[arg-type]
        assert str(caught.value) == (
            "pato: una base de datos DuckDB en memoria no se puede "
            "adjuntar a otra conexión; use un archivo de base de datos"
        )
    finally:
        connector.close()


def test_write_checks_and_unsupported_operations_in_spanish(tmp_path: Path, spanish: None) -> None:
    with pytest.raises(ConnectionError_) as caught:
        check_write("wh", "orders", "upsert", None, ["id"])
    assert str(caught.value) == "wh: modo de escritura desconocido 'upsert'"
    with pytest.raises(ConnectionError_) as caught:
        check_write("wh", "orders", WriteMode.MERGE, ["code"], ["id"])
    assert str(caught.value) == (
        "wh: las claves ['code'] del modo combinar no son columnas de los datos para 'orders'"
    )
    files = FilesConnector(FilesConfig(path=str(tmp_path)), name="csv")
    with pytest.raises(ConnectionError_) as caught:
        files.write("out.csv", pa.table({"id": [1]}).to_reader(), mode=WriteMode.MERGE, keys=["id"])
    assert str(caught.value) == (
        "csv: el modo combinar no se admite para 'out.csv'; use añadir o reemplazar"
    )
    with pytest.raises(ConnectionError_) as caught:
        files.execute("SELECT 1")  # base.Connector: files run no SQL statements
    assert str(caught.value) == (
        "las conexiones Files (CSV/Parquet) no pueden ejecutar sentencias SQL"
    )


def test_a_failure_is_masked_after_translation(spanish: None) -> None:
    error = failure(
        "wh",
        i18n.gettext("opening the database"),
        RuntimeError("password=s3cret refused"),
        secret="s3cret",
    )
    assert str(error) == "wh: error al abrir la base de datos: password=*** refused"


def test_sql_server_hints_in_spanish(spanish: None) -> None:
    login = Diagnosis(ErrorKind.LOGIN, "28000", (18456,), "Login failed for user 'ana'. (18456)")
    assert explain(login, "acme.database.windows.net", "ODBC Driver 18 for SQL Server") == (
        "inicio de sesión rechazado: compruebe el usuario, la contraseña y el modo de "
        "autenticación [Login failed for user 'ana'. (18456)]"
    )
    driver = Diagnosis(ErrorKind.DRIVER_MISSING, "IM002", (), "Data source name not found")
    assert explain(driver, "acme", "ODBC Driver 17 for SQL Server").startswith(
        "el controlador ODBC 'ODBC Driver 17 for SQL Server' no está instalado. Instale "
    )
    firewall = Diagnosis(ErrorKind.FIREWALL, "42000", (40615,), "…", client_ip="203.0.113.7")
    hint = explain(firewall, "acme.database.windows.net", "ODBC Driver 18 for SQL Server")
    assert hint.startswith(
        "el firewall de Azure SQL no permite que este equipo (dirección IP "
        "pública 203.0.113.7) acceda al servidor 'acme'."
    )
    assert "\n  az sql server firewall-rule create " in hint  # commands are not translated
    assert "\n  EXECUTE sp_set_firewall_rule N'cauce-203.0.113.7'" in hint


def _fields(text: str) -> set[str]:
    return {
        f"{name}!{conversion}"
        for _lit, name, _spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def test_every_connector_message_is_translated() -> None:
    marked = {
        message: f"{filename}:{lineno}"
        for filename, lineno, message, _c, _x in extract_from_dir(
            str(CONNECTORS), keywords={"_": None, "N_": None}, comment_tags=()
        )
    }
    assert len(marked) > 90, len(marked)
    with open(i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as f:
        catalog = read_po(f, locale="es", domain=i18n.DOMAIN)
    problems = []
    for message, where in sorted(marked.items(), key=lambda item: item[1]):
        entry = catalog.get(message)
        if entry is None or entry.fuzzy or not entry.string:
            problems.append(f"{where}: untranslated {message!r}")
        elif _fields(entry.string) != _fields(message):
            problems.append(f"{where}: placeholders differ in {entry.string!r}")
    assert not problems, "run resources/locale/update.sh, translate, run it again:\n" + "\n".join(
        problems
    )
