"""Stand-ins for the warehouses: fakesnow for Snowflake, PostgreSQL for Redshift's SQL."""

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
