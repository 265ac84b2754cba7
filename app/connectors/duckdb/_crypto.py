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

from typing import TYPE_CHECKING

from app.connectors.records import ConnectionError_
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

__all__ = ["crypto_refusal", "load_writable_crypto", "needs_writable_crypto"]


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
