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
  resolution of a connection's secrets (environment, then store), and log redaction.

Project files and bundles (``project.py``, ``bundles.py``) live here too but are documented in
their own modules.

Extending the schema:

1. Add or change a model in ``models.py`` (typed ``Mapped[...]``; timestamps ``datetime``,
   set in Python with ``utcnow()``; every domain row carries ``organization_id`` and reaches
   its parent through a composite foreign key).
2. Generate a migration against a database at head with
   :func:`app.storage.migrate.new_revision`, then read and fix it by hand.
3. Expose it through a repository method that returns a frozen dataclass from ``records``.
4. ``tests/storage/test_migrations.py`` fails until the models and migrations agree on SQLite
   and PostgreSQL. See ``docs/storage.md``.
"""

from app.storage.db import data_dir, database_url
from app.storage.migrate import (
    SchemaError,
    SchemaNotInitialized,
    SchemaOutdated,
    SchemaTooNew,
    UpgradeResult,
    current_revision,
    head_revision,
    init_db,
    upgrade_db,
)
from app.storage.records import (
    ConnectionRecord,
    EventRecord,
    NodeLocation,
    NodeRunRecord,
    PipelineVersionRecord,
    ProjectRecord,
    RunDetail,
    RunRecord,
    RunStatus,
    RunTrigger,
)
from app.storage.repository import Repository
from app.storage.secrets import (
    EncryptedFileStore,
    KeyringStore,
    MissingSecret,
    RedactSecrets,
    SecretResolver,
    SecretStore,
    SecretStoreError,
    SecretStoreUnavailable,
    default_secret_store,
    secret_redactor,
)
from app.storage.unit_of_work import DuplicateName, InvalidTransition, NotFound, StorageError

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
