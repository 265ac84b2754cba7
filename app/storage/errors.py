"""The storage API's own errors (no SQLAlchemy here: callers that only catch them, such as
the sync use cases, need not import it)."""

from __future__ import annotations

__all__ = ["DuplicateName", "InvalidTransition", "NotFound", "StorageError"]


class StorageError(RuntimeError):
    """Base class of the storage API's own errors."""


class NotFound(StorageError, LookupError):
    """No such row in this organization."""


class DuplicateName(StorageError, ValueError):
    """A name that must be unique in its project is already taken."""


class InvalidTransition(StorageError, ValueError):
    """A run cannot move to the requested status from the one it is in."""
