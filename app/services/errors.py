"""The errors a front end reports to its user as "your input is invalid" (CLI exit code 2).

Anything else escaping a service is a bug and is reported as such.

:func:`describe` gives the message in the current language (:mod:`app.i18n`): every layer,
``app.storage`` included, words its errors with ``_()`` where it raises them (a
:class:`MissingSecret` is worded when it is shown), so nothing is re-worded here.
"""

from __future__ import annotations

from app.connectors.base import ConnectionError_
from app.engine.compiler import CompileError
from app.engine.provider import UnknownConnection
from app.engine.sql_policy import SqlRefused
from app.model.pipeline import GraphError
from app.nodes.base import NodeError
from app.plugins import UnknownPlugin
from app.services.connections import InvalidConnection
from app.services.notify_http import NotificationError
from app.storage.db import InvalidDatabaseUrl, MetadataUnreachable
from app.storage.encrypted_store import SecretStoreError
from app.storage.errors import (
    BackupError,
    DuplicateName,
    InvalidTransition,
    NotFound,
    StaleRevision,
)
from app.storage.migrate import SchemaError
from app.storage.project_format import ProjectError
from app.storage.secrets import MissingSecret

__all__ = ["CONFLICTS", "NOT_FOUND", "USER_ERRORS", "UnknownRef", "describe"]


class UnknownRef(LookupError):
    """A ref that names no version (a number past the end, an unknown tag, a date before the
    first version): raised by :mod:`app.services.versions`."""


#: the object asked for does not exist *for the caller* (another organization's is the same)
NOT_FOUND: tuple[type[BaseException], ...] = (NotFound,)
#: the change collides with the current state: a name taken, a stale revision, a state that
#: cannot move as asked (a notification delivered already)
CONFLICTS: tuple[type[BaseException], ...] = (DuplicateName, StaleRevision, InvalidTransition)

USER_ERRORS: tuple[type[BaseException], ...] = (
    ProjectError,  # includes BundleError
    CompileError,
    GraphError,
    NodeError,
    InvalidConnection,
    UnknownConnection,
    UnknownPlugin,
    MissingSecret,
    SecretStoreError,
    SchemaError,
    MetadataUnreachable,
    InvalidDatabaseUrl,
    ConnectionError_,  # raised while planning: nothing has run yet
    SqlRefused,  # user SQL outside the allow-list (docs/security.md)
    NotificationError,  # an unknown channel or alert, a refused URL (docs/alerts.md)
    UnknownRef,  # a version, tag or date that names no version (docs/versions.md)
    BackupError,  # a damaged or hostile archive, a wrong passphrase (docs/backup.md)
)


def describe(err: BaseException) -> str:
    """One readable message (without a traceback) for a user error, in the current language."""
    if isinstance(err, KeyError) and err.args:
        return str(err)
    return str(err).strip() or type(err).__name__
