"""Connection URLs for ad-hoc syncs: every supported form, and passwords refused."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.services.urls import UrlError, parse_url


@pytest.mark.parametrize(
    ("url", "kind", "params"),
    [
        (
            "postgresql://etl@db.local:5433/shop",
            "postgres",
            {"host": "db.local", "port": 5433, "database": "shop", "user": "etl"},
        ),
        (
            "postgres://db.local/shop?sslmode=require",
            "postgres",
            {"host": "db.local", "port": 5432, "database": "shop", "sslmode": "require"},
        ),
        (
            "postgresql+psycopg://a%40b@h/d",
            "postgres",
            {"host": "h", "port": 5432, "database": "d", "user": "a@b"},
        ),
        ("sqlite:///data/app.db", "sqlite", {"path": "data/app.db"}),
        ("sqlite:////var/lib/app.db", "sqlite", {"path": "/var/lib/app.db"}),
        ("duckdb:///wh.duckdb", "duckdb", {"path": "wh.duckdb"}),
        ("duckdb:///:memory:", "duckdb", {"path": ":memory:"}),
        (
            "mysql://root@127.0.0.1:3306/shop",
            "mysql",
            {"host": "127.0.0.1", "port": 3306, "database": "shop", "user": "root"},
        ),
        (
            "mariadb://app@m/shop",
            "mysql",
            {"host": "m", "port": 3306, "database": "shop", "user": "app"},
        ),
        (
            "mssql+pyodbc://sa@sql.example.com:1433/dw?encrypt=true",
            "mssql",
            {
                "server": "sql.example.com",
                "port": 1433,
                "database": "dw",
                "user": "sa",
                "encrypt": True,
            },
        ),
        (
            "file:///srv/exports?format=parquet",
            "files",
            {"path": "/srv/exports", "format": "parquet"},
        ),
    ],
)
def test_supported_urls(url: str, kind: str, params: dict[str, object]) -> None:
    connection = parse_url(url, "source")
    assert (connection.name, connection.type, connection.params) == ("source", kind, params)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://etl:hunter2@db/shop",
        "mysql://root:hunter2@127.0.0.1/shop",
        "mssql+pyodbc://sa:hunter2@sql/dw",
    ],
)
def test_password_in_url_is_refused_and_never_echoed(url: str) -> None:
    with pytest.raises(UrlError) as info:
        parse_url(url, "dest")
    message = str(info.value)
    assert "hunter2" not in message
    assert "CAUCE_SECRET_DEST_PASSWORD" in message and "secret store" in message


def test_password_as_query_option_is_refused() -> None:
    with pytest.raises(UrlError, match="secret"):
        parse_url("postgresql://etl@db/shop?password=x", "src")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("oracle://u@h/db", "unknown scheme"),
        ("postgresql://u@h", "expected"),
        ("sqlite://host/file.db", "expected"),
        ("not a url", "unknown scheme"),
    ],
)
def test_bad_urls_say_why(url: str, problem: str) -> None:
    with pytest.raises(UrlError, match=problem):
        parse_url(url, "src")


def test_unknown_scheme_lists_the_schemes_connectors_declare() -> None:
    with pytest.raises(UrlError) as info:
        parse_url("oracle://u@h/db", "src")
    for scheme in ("postgresql", "sqlite", "duckdb", "mysql", "mssql+pyodbc", "file"):
        assert scheme in str(info.value)


def test_a_plugin_connector_is_found_by_its_own_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.connectors.base import UrlForm, UrlSyntax
    from app.connectors.registry import connector_registry
    from app.connectors.sqlite import SQLiteConnector

    class Warehouse(SQLiteConnector):
        type_name = "warehouse"
        url = UrlSyntax(("wh", "wh+native"), UrlForm.SERVER, default_port=7000, host_field="path")

    registry = connector_registry()
    registry.load_entry_points()
    monkeypatch.setitem(registry._types, "warehouse", Warehouse)
    connection = parse_url("WH+native://ana@node-1/sales", "src")
    assert (connection.type, connection.params) == (
        "warehouse",
        {"path": "node-1", "port": 7000, "database": "sales", "user": "ana"},
    )


BUILT_IN = ("duckdb", "files", "mssql", "mysql", "postgres", "sqlite")


@pytest.mark.parametrize(
    ("url", "only"),
    [
        ("postgresql+psycopg://u@h/db", "postgres"),
        ("mssql+pyodbc://u@h/db", "mssql"),
        ("sqlite:///a.db", "sqlite"),
    ],
)
def test_parsing_a_url_imports_its_own_connector_only(url: str, only: str) -> None:
    code = (
        "import sys\n"
        "from app.services.urls import parse_url\n"
        f"parse_url({url!r}, 'src')\n"
        "print(' '.join(m.split('.')[2] for m in sys.modules if m.count('.') == 2"
        " and m.startswith('app.connectors.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert [name for name in out.stdout.split() if name in BUILT_IN] == [only]
