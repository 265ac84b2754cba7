"""Storage: the metadata database, its migrations, and secrets.

What this package owns:

- ``models``: the schema as SQLAlchemy 2 ORM models (organizations, projects, connections,
  pipelines and immutable pipeline versions, runs, node runs, events);
- ``db``: where the database lives (``CAUCE_DB_URL``, else ``cauce.db`` in the user data dir,
  ``CAUCE_HOME`` overriding it) and how connections are set up (SQLite WAL, foreign keys);
- ``migrate``: Alembic configured in code (``init_db``, ``upgrade_db`` with a backup first,
  ``current_revision``, ``check_schema``); revisions live in ``migrations/versions``;
- ``repository`` (with ``runs`` and ``unit_of_work``): the API the services layer calls; each
  call is one transaction and returns plain records from ``records``, never ORM objects;
- ``secrets`` (with ``encrypted_store`` and ``redaction``): OS keyring or encrypted file,
  resolution of a connection's secrets (environment, then store), and log redaction;
  ``value_redaction`` (with ``literal_redaction``) masks the tagged values of the runs under
  way in what is logged and stored;
- ``lean_runs``: the lean run recorder, a headless run's rows in a SQLite metadata DB with
  :mod:`sqlite3` alone (no SQLAlchemy on a run's start-up path), exactly as the ORM writes them
  (``sqlite_text``: the ORM's text of timestamps, JSON and booleans; ``query_records`` and
  ``run_states``: what both paths share); ``lean_syncs``, its sibling for a sync run's record.

Project files and bundles (``project.py``, ``bundles.py``) live here too but are documented in
their own modules, as are backups of the metadata DB (``backup*.py``, ``docs/backup.md``): a
new column type needs a portable kind in ``backup_columns`` (with its conversion in
``backup_postgres`` and ``backup_sqlite``), or backups refuse the table.

Extending the schema:

1. Add or change a model in ``models.py`` or the ``*_models.py`` module of its group (typed
   ``Mapped[...]``; timestamps ``datetime``, set in Python with ``utcnow()``; every domain row
   carries ``organization_id`` and reaches its parent through a composite foreign key); the
   declarative base and the column types tables share are in ``model_base``. A new table
   module goes in ``models.TABLE_MODULES``, which ``models`` imports at its end: every
   class is declared before any thread uses the mappers.
2. Generate a migration against a database at head with
   :func:`app.storage.migrate.new_revision`, then read and fix it by hand.
3. Expose it through a repository method that returns a frozen dataclass from ``records``.
4. ``tests/storage/test_migrations.py`` fails until the models and migrations agree on SQLite
   and PostgreSQL. See ``docs/storage.md``.
5. A new revision is a new ``lean_runs.HEAD_REVISION`` too (``tests/storage/test_lean_runs.py``
   fails until they agree); a change to the run or sync tables needs the lean recorders' SQL
   changed (``lean_runs``, ``lean_syncs``).
"""

# Lazy re-exports: importing a submodule (say, project files) must not pull SQLAlchemy and
# Alembic in; the names below load their module on first use.
_EXPORTS = {
    "ConnectionRecord": "app.storage.records",
    "DuplicateName": "app.storage.unit_of_work",
    "EncryptedFileStore": "app.storage.secrets",
    "EventRecord": "app.storage.records",
    "InvalidTransition": "app.storage.unit_of_work",
    "KeyringStore": "app.storage.keyring_store",
    "MissingSecret": "app.storage.secrets",
    "NodeLocation": "app.storage.records",
    "NodeRunRecord": "app.storage.records",
    "NotFound": "app.storage.unit_of_work",
    "PipelineVersionRecord": "app.storage.records",
    "ProjectRecord": "app.storage.records",
    "RedactSecrets": "app.storage.secrets",
    "Repository": "app.storage.repository",
    "RunDetail": "app.storage.records",
    "RunRecord": "app.storage.records",
    "RunStatus": "app.storage.records",
    "RunTrigger": "app.storage.records",
    "SchemaError": "app.storage.migrate",
    "SchemaNotInitialized": "app.storage.migrate",
    "SchemaOutdated": "app.storage.migrate",
    "SchemaTooNew": "app.storage.migrate",
    "SecretResolver": "app.storage.secrets",
    "SecretStore": "app.storage.secrets",
    "SecretStoreError": "app.storage.secrets",
    "SecretStoreUnavailable": "app.storage.secrets",
    "StorageError": "app.storage.unit_of_work",
    "UpgradeResult": "app.storage.migrate",
    "current_revision": "app.storage.migrate",
    "data_dir": "app.storage.db",
    "database_url": "app.storage.db",
    "default_secret_store": "app.storage.secrets",
    "head_revision": "app.storage.migrate",
    "init_db": "app.storage.migrate",
    "secret_redactor": "app.storage.secrets",
    "upgrade_db": "app.storage.migrate",
}

__all__ = [
    "ConnectionRecord",
    "DuplicateName",
    "EncryptedFileStore",
    "EventRecord",
    "InvalidTransition",
    "KeyringStore",
    "MissingSecret",
    "NodeLocation",
    "NodeRunRecord",
    "NotFound",
    "PipelineVersionRecord",
    "ProjectRecord",
    "RedactSecrets",
    "Repository",
    "RunDetail",
    "RunRecord",
    "RunStatus",
    "RunTrigger",
    "SchemaError",
    "SchemaNotInitialized",
    "SchemaOutdated",
    "SchemaTooNew",
    "SecretResolver",
    "SecretStore",
    "SecretStoreError",
    "SecretStoreUnavailable",
    "StorageError",
    "UpgradeResult",
    "current_revision",
    "data_dir",
    "database_url",
    "default_secret_store",
    "head_revision",
    "init_db",
    "secret_redactor",
    "upgrade_db",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'app.storage' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
