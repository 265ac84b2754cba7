"""The error every connector raises: kept apart from :mod:`app.connectors.records` (which loads
pydantic and sqlglot) so that a replayed run (:mod:`app.engine.replay`) raises and catches the
same class without loading them."""

from __future__ import annotations

__all__ = ["ConnectionError_"]


class ConnectionError_(RuntimeError):
    """A connector could not reach, read or write its system; the message says which and why.

    ``transient`` is true when the failure is the connection's, not the data's (a dropped or
    refused connection, a terminated backend): the same request may succeed when retried.
    """

    transient: bool = False
