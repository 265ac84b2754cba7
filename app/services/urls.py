"""SQLAlchemy-style connection URLs -> :class:`Connection` objects (ad-hoc syncs, scripts).

Each connector declares the schemes that name it and the shape of its URLs
(:attr:`app.connectors.base.Connector.url`); the built-in ones read (user names and query
options are kept; a password is always refused):

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
``snowflake://user@account/db/schema?…``        Snowflake (``warehouse=…&role=…``)
``redshift://user@host:5439/db``                Amazon Redshift
``bigquery://project/dataset?location=EU``      BigQuery (``credentials=/path/key.json``: a
                                                service-account key file; none: application-
                                                default credentials)
==============================================  ==============================================

Secrets never go on a command line: set ``CAUCE_SECRET_<CONNECTION>_PASSWORD`` or store the
secret with the secret store.

>>> parse_url("postgresql://ana@db.example.com:5433/sales?sslmode=require", "src").params
{'host': 'db.example.com', 'port': 5433, 'database': 'sales', 'user': 'ana', 'sslmode': 'require'}
>>> parse_url("sqlite:///data/app.db", "dest").params
{'path': 'data/app.db'}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from app.connectors.base import UrlForm, UrlSyntax
from app.connectors.registry import connector_for_scheme, url_schemes
from app.i18n import _
from app.model.connection import Connection
from app.storage.redaction import mask_url, url_problem
from app.storage.secrets import secret_env_var

__all__ = ["UrlError", "parse_url"]


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
    connector = connector_for_scheme(scheme)
    if connector is None or connector.url is None:
        raise UrlError(
            _("{url}: unknown scheme {scheme!r} (use {schemes})").format(
                url=mask_url(url), scheme=parts.scheme, schemes=", ".join(url_schemes())
            )
        )
    parse = _FORMS[connector.url.form]
    return Connection(name=name, type=connector.type_name, params=parse(connector.url, url, parts))


def _server(syntax: UrlSyntax, url: str, parts: SplitResult) -> dict[str, Any]:
    """``scheme://user@host[:port]/database?options``."""
    database = unquote(parts.path.lstrip("/"))
    schema = None
    if syntax.schema_field and "/" in database:
        database, schema = database.split("/", 1)
    if not parts.hostname or not database or schema == "":
        raise UrlError(
            _("{url}: expected {scheme}://user@host[:port]/database").format(
                url=mask_url(url), scheme=parts.scheme.lower()
            )
        )
    params: dict[str, Any] = {syntax.host_field: parts.hostname}
    if parts.port or syntax.default_port:
        params["port"] = parts.port or syntax.default_port
    params["database"] = database
    if schema is not None and syntax.schema_field:
        params[syntax.schema_field] = schema
    if parts.username:
        params["user"] = unquote(parts.username)
    params.update(_options(parts.query))
    return params


def _file(syntax: UrlSyntax, url: str, parts: SplitResult) -> dict[str, Any]:
    """``scheme:///relative/path`` or ``scheme:////absolute/path``."""
    path = unquote(parts.path)
    if parts.netloc or not path.startswith("/") or path == "/":
        raise UrlError(
            _("{url}: expected {scheme}:///relative/path or {scheme}:////absolute/path").format(
                url=mask_url(url), scheme=parts.scheme.lower()
            )
        )
    return {"path": path[1:], **_options(parts.query)}


def _directory(syntax: UrlSyntax, url: str, parts: SplitResult) -> dict[str, Any]:
    """``scheme:///directory?options``: the path as written."""
    path = unquote(parts.path)
    if not path:
        raise UrlError(
            _("{url}: expected {scheme}:///directory").format(
                url=mask_url(url), scheme=parts.scheme.lower()
            )
        )
    return {"path": path, **_options(parts.query)}


def _project(syntax: UrlSyntax, url: str, parts: SplitResult) -> dict[str, Any]:
    """``scheme://project/dataset?options`` (the project keeps its case)."""
    project, dataset = unquote(parts.netloc), unquote(parts.path.strip("/"))
    if not project or not dataset or "/" in dataset or "@" in project or ":" in project:
        raise UrlError(
            _("{url}: expected {scheme}://project/dataset").format(
                url=mask_url(url), scheme=parts.scheme.lower()
            )
        )
    return {"project": project, "dataset": dataset, **_options(parts.query)}


_FORMS: dict[UrlForm, Callable[[UrlSyntax, str, SplitResult], dict[str, Any]]] = {
    UrlForm.SERVER: _server,
    UrlForm.FILE: _file,
    UrlForm.DIRECTORY: _directory,
    UrlForm.PROJECT: _project,
}


def _redacted(url: str) -> str:
    return mask_url(url)
