"""Stand-ins for the warehouses: fakesnow for Snowflake, PostgreSQL for Redshift's SQL, and
PostgreSQL behind PgBouncer for Redshift's own driver."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

from app.connectors.snowflake import SnowflakeConnector


@contextlib.contextmanager
def fake_snowflake(name: str = "snow", **config: Any) -> Iterator[SnowflakeConnector]:
    """A :class:`SnowflakeConnector` whose connections go to a fresh fakesnow database."""
    import fakesnow

    database = f"DB_{uuid.uuid4().hex[:8].upper()}"
    settings = {"account": "acct", "user": "ana", "database": database, "password": "pw"}
    settings |= config
    with fakesnow.patch():
        yield SnowflakeConnector(SnowflakeConnector.Config(**settings), name=name)


def redshift_on_postgres(pg_db: dict[str, object], name: str = "rs") -> Any:
    from app.connectors.redshift import RedshiftConnector

    class RedshiftOnPostgres(RedshiftConnector):
        """Redshift's statements, run on PostgreSQL through psycopg (same paramstyle)."""

        def _connect(self) -> Any:
            import psycopg

            con = psycopg.connect(str(pg_db["dsn"]), autocommit=True)
            con.execute("SET TimeZone = 'UTC'")
            return con

    config = RedshiftConnector.Config(
        host=str(pg_db["host"]),
        port=int(str(pg_db["port"])),
        database=str(pg_db["dbname"]),
        user=str(pg_db["user"]),
    )
    return RedshiftOnPostgres(config, name=name)


def redshift_driver(
    pgbouncer: dict[str, object], database: str, monkeypatch: Any, name: str = "rs"
) -> Any:
    """A :class:`RedshiftConnector` that connects with the real ``redshift-connector`` driver
    through PgBouncer to ``database`` of the shared PostgreSQL (no TLS: the stand-in has none).

    One shim (:class:`_BareVersions`) for the driver's reading of ``server_version``.
    """
    from app.connectors.redshift import RedshiftConnector

    monkeypatch.setattr(driver_core(), "version", _BareVersions)
    config = RedshiftConnector.Config(
        host=str(pgbouncer["host"]),
        port=int(str(pgbouncer["port"])),
        database=database,
        user=str(pgbouncer["user"]),
        password=str(pgbouncer["password"]),
        ssl=False,
    )
    return RedshiftConnector(config, name=name)


def driver_core() -> Any:
    import redshift_connector.core as core

    return core


class _BareVersions:
    """``packaging.version`` as redshift-connector uses it, reading only the leading number:
    the driver parses the server's ``server_version`` as a bare version and fails on Debian's
    ``15.20 (Debian 15.20-0+deb12u1)``; Redshift reports a bare number."""

    @staticmethod
    def parse(text: str) -> Any:
        import re

        from packaging import version

        found = re.match(r"\d+(\.\d+)*", text)
        return version.parse(found.group(0) if found else text)


def shim_driver() -> None:
    """Apply the stand-in's shim for the whole process (a subprocess of the tests)."""
    driver_core().version = _BareVersions
