"""Encrypted DuckDB database files: DuckDB's own encryption (AES-GCM), the key a secret.

A connection with ``encrypted: true`` opens its file with ``ATTACH … (ENCRYPTION_KEY ?)``,
the key bound as a parameter (never in SQL text, plans or logs), from the connection's secret
field ``encryption_key`` (environment ``CAUCE_SECRET_<CONNECTION>_ENCRYPTION_KEY`` or the
secret store). Reading needs nothing more. Writing needs DuckDB's OpenSSL crypto module, which
comes with its ``httpfs`` extension: DuckDB refuses to write with its built-in one (its nonces
come from a non-cryptographic generator), and Cauce never turns on DuckDB's
``force_mbedtls_unsafe``. :func:`load_writable_crypto` loads ``httpfs`` when it is installed on
this machine (never installs it: the engine is offline), before a session is locked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.connectors._common import failure
from app.connectors.duckdb._locks import waiting_for_lock
from app.connectors.duckdb._sql import attach_sql
from app.connectors.records import ConnectionError_
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "attach_file",
    "crypto_refusal",
    "file_key",
    "load_writable_crypto",
    "needs_writable_crypto",
    "open_encrypted",
]


def load_writable_crypto(con: duckdb.DuckDBPyConnection) -> bool:
    """Load DuckDB's OpenSSL crypto module (the ``httpfs`` extension) into ``con`` when it is
    installed here; True when it is loaded."""
    row = con.execute(
        "SELECT installed, loaded FROM duckdb_extensions() WHERE extension_name = 'httpfs'"
    ).fetchone()
    if row is None or not (row[0] or row[1]):
        return False
    if not row[1]:
        con.execute("LOAD httpfs")
    return True


def needs_writable_crypto(err: BaseException) -> bool:
    """Whether DuckDB refused a write because only its read-only crypto module is loaded."""
    return "read-only crypto module" in str(err)


def crypto_refusal(connection: str) -> ConnectionError_:
    """The error for an encrypted write this machine cannot make securely."""
    import duckdb

    return ConnectionError_(
        _(
            "{connection}: writing an encrypted DuckDB file needs DuckDB's httpfs extension "
            "(its OpenSSL crypto; DuckDB's built-in one only reads). Install it once on this "
            "machine: python -c \"import duckdb; duckdb.sql('INSTALL httpfs')\" (or copy "
            "httpfs.duckdb_extension into ~/.duckdb/extensions/v{version}/<platform>/). "
            "Nothing was written."
        ).format(connection=connection, version=duckdb.__version__)
    )


def file_key(connection: str, key: str | None, *, memory: bool) -> str:
    """The key of an encrypted connection's file; a clear error when it has none."""
    if memory:
        raise ConnectionError_(
            _("{connection}: an in-memory database cannot be encrypted").format(
                connection=connection
            )
        )
    if not key:
        raise ConnectionError_(
            _(
                "{connection}: the database file is encrypted, and its key (the secret "
                "encryption_key) is set neither in the environment nor in the secret store"
            ).format(connection=connection)
        )
    return key


def attach_file(
    con: duckdb.DuckDBPyConnection,
    path: str,
    alias: str,
    *,
    read_only: bool,
    key: str | None,
    name: str,
) -> None:
    """``ATTACH`` the file as ``alias`` (with its key, bound, when encrypted)."""
    import duckdb

    try:
        waiting_for_lock(
            lambda: con.execute(
                attach_sql(path, alias, read_only=read_only, encrypted=key is not None),
                [key] if key is not None else None,
            )
        )
    except duckdb.Error as err:
        if key is not None and needs_writable_crypto(err):
            raise crypto_refusal(name) from None
        action = _("attaching as {alias!r}").format(alias=alias)
        raise failure(name, action, err, secret=key) from None


def open_encrypted(path: str, key: str, name: str, *, create: bool) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the encrypted file attached as ``db`` and in use;
    ``create`` for writes (the writable crypto module is loaded, the folder made)."""
    import duckdb

    con = duckdb.connect(":memory:")
    if create:
        load_writable_crypto(con)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        con.execute(attach_sql(path, "db", read_only=not create, encrypted=True), [key])
    except duckdb.Error as err:
        con.close()
        if needs_writable_crypto(err):
            raise crypto_refusal(name) from None
        raise failure(name, _("opening the database"), err, secret=key) from None
    con.execute('USE "db"')
    return con
