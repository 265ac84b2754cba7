"""Alembic environment for the Cauce metadata database.

Run by :mod:`app.storage.migrate` (no ``alembic.ini`` needed): the caller passes an open
connection in ``config.attributes["connection"]``, or a URL in the ``sqlalchemy.url`` option.
Only Cauce's own tables are compared or migrated (:func:`app.storage.migrate.include_name`),
so a PostgreSQL database shared with other tables (e.g. a scheduler's job store) is safe.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from app.storage.db import make_engine
from app.storage.migrate import VERSION_TABLE, include_name
from app.storage.models import Base

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``), for DBAs."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def main() -> None:
    if context.is_offline_mode():
        run_migrations_offline()
    else:
        run_migrations_online()


# Only when Alembic runs this file: a plain import (e.g. doctest collection) must not fail.
if hasattr(context, "config"):
    main()
