"""The storage API's own errors (no SQLAlchemy here: callers that only catch them, such as
the sync use cases, need not import it)."""

from __future__ import annotations

from app.i18n import _

__all__ = [
    "BackupError",
    "DuplicateName",
    "InvalidTransition",
    "NotFound",
    "StaleRevision",
    "StorageError",
    "WrongPassphrase",
]


class StorageError(RuntimeError):
    """Base class of the storage API's own errors."""


class NotFound(StorageError, LookupError):
    """No such row in this organization."""


class DuplicateName(StorageError, ValueError):
    """A name that must be unique in its project is already taken."""


class InvalidTransition(StorageError, ValueError):
    """A run cannot move to the requested status from the one it is in."""


class BackupError(StorageError):
    """A backup archive that cannot be written, read or restored; the message names the member
    (or the archive) and what is wrong. Nothing was changed when a restore raises it."""

    def __init__(self, member: str, problem: str) -> None:
        super().__init__(f"{member}: {problem}")
        self.member = member


class WrongPassphrase(BackupError):
    """The passphrase does not open a backup archive's secrets."""


class StaleRevision(StorageError):
    """An edit based on a revision that is no longer the current one."""

    def __init__(self, current: int) -> None:
        super().__init__(
            _("the object changed since it was read (current revision {revision})").format(
                revision=current
            )
        )
        self.current = current
