"""SQLAlchemy-style connection URLs -> :class:`Connection` objects (ad-hoc syncs, scripts).

Supported forms (user names and query options are kept; a password is always refused):

==============================================  ==============================================
``postgresql://user@host:5432/db?sslmode=…``    PostgreSQL (also ``postgres://``,
                                                ``postgresql+psycopg://``)
``sqlite:///relative/file.db``,                 SQLite (three slashes: relative path, four:
``sqlite:////abs/file.db``                      absolute)
``duckdb:///file.duckdb``, ``duckdb:///:memory:``  DuckDB
``mysql://user@host:3306/db``                   MySQL / MariaDB (also ``mariadb://``,
                                                ``mysql+pymysql://``)
``mssql+pyodbc://user@host:1433/db?…``          SQL Server / Azure SQL (also ``mssql://``)
``file:///dir?format=parquet``                  a folder of CSV or Parquet files
==============================================  ==============================================

Secrets never go on a command line: set ``CAUCE_SECRET_<CONNECTION>_PASSWORD`` or store the
secret with the secret store.

>>> parse_url("postgresql://ana@db.example.com:5433/sales?sslmode=require", "src").params
{'host': 'db.example.com', 'port': 5433, 'database': 'sales', 'user': 'ana', 'sslmode': 'require'}
>>> parse_url("sqlite:///data/app.db", "dest").params
{'path': 'data/app.db'}
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from app.i18n import _
from app.model.connection import Connection
from app.storage.redaction import mask_url, url_problem
from app.storage.secrets import secret_env_var

__all__ = ["UrlError", "parse_url"]

_SERVER_SCHEMES = {
    "postgresql": ("postgres", 5432, "host"),
    "postgres": ("postgres", 5432, "host"),
    "postgresql+psycopg": ("postgres", 5432, "host"),
    "postgresql+psycopg2": ("postgres", 5432, "host"),
    "mysql": ("mysql", 3306, "host"),
    "mariadb": ("mysql", 3306, "host"),
    "mysql+pymysql": ("mysql", 3306, "host"),
    "mysql+mysqldb": ("mysql", 3306, "host"),
    "mssql": ("mssql", 1433, "server"),
    "mssql+pyodbc": ("mssql", 1433, "server"),
}
_FILE_SCHEMES = {"sqlite": "sqlite", "duckdb": "duckdb"}


class UrlError(ValueError):
    """A connection URL that cannot be used; the message says why and what to do."""


def _options(query: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in {"password", "pwd", "passwd", "secret", "client_secret"}:
            raise UrlError(
                _(
                    "the URL option {key!r} is a secret: secrets are never given on "
                    "the command line"
                ).format(key=key)
            )
        out[key] = {"true": True, "false": False}.get(value.lower(), value)
    return out


def parse_url(url: str, name: str) -> Connection:
    """The connection ``name`` that ``url`` describes.

    Raises:
        UrlError: unknown scheme, missing part, or a password in the URL.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # parsed lazily: a port that is not a number raises here
    except ValueError:  # Python's own message would repeat the URL, password included
        raise UrlError(
            _("{url}: not a valid URL: {problem}").format(
                url=mask_url(url), problem=url_problem(url)
            )
        ) from None
    scheme = parts.scheme.lower()
    if parts.password is not None:
        raise UrlError(
            _(
                "{url}: a password in a URL is refused (it would end up in shell history and "
                "process lists); set {variable} or store it with the secret store"
            ).format(url=_redacted(url), variable=secret_env_var(name, "password"))
        )
    if scheme in _SERVER_SCHEMES:
        kind, port, host_key = _SERVER_SCHEMES[scheme]
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not database:
            raise UrlError(
                _("{url}: expected {scheme}://user@host[:port]/database").format(
                    url=mask_url(url), scheme=scheme
                )
            )
        params: dict[str, Any] = {
            host_key: parts.hostname,
            "port": parts.port or port,
            "database": database,
        }
        if parts.username:
            params["user"] = unquote(parts.username)
        params.update(_options(parts.query))
        return Connection(name=name, type=kind, params=params)
    if scheme in _FILE_SCHEMES:
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/") or path == "/":
            raise UrlError(
                _("{url}: expected {scheme}:///relative/path or {scheme}:////absolute/path").format(
                    url=mask_url(url), scheme=scheme
                )
            )
        path = path[1:]
        return Connection(
            name=name, type=_FILE_SCHEMES[scheme], params={"path": path, **_options(parts.query)}
        )
    if scheme == "file":
        path = unquote(parts.path)
        if not path:
            raise UrlError(
                _("{url}: expected file:///directory?format=csv|parquet").format(url=mask_url(url))
            )
        return Connection(name=name, type="files", params={"path": path, **_options(parts.query)})
    raise UrlError(
        _(
            "{url}: unknown scheme {scheme!r} (use postgresql, sqlite, duckdb, "
            "mysql, mssql+pyodbc or file)"
        ).format(url=mask_url(url), scheme=parts.scheme)
    )


def _redacted(url: str) -> str:
    return mask_url(url)
