"""Statements run in one transaction of a connector's database (``Connector.atomic()``).

Inside ``with connector.atomic() as tx:``, :meth:`Transaction.execute` runs a statement and
returns the rows it changed, :meth:`Transaction.scalar` reads one value; everything commits
when the block ends and rolls back when it raises (or when the process dies before: the
database never sees a commit). A connector without transactions refuses ``atomic()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["CursorTransaction", "Transaction"]


class Transaction(Protocol):
    def execute(self, sql: str) -> int:
        """Run one statement; the number of rows it changed."""

    def scalar(self, sql: str) -> Any:
        """The first column of the first row of a query (None when it returns none)."""


class CursorTransaction:
    """A :class:`Transaction` over a DB-API connection already in a transaction.

    ``changed``: how to read a statement's changed rows from its cursor (``rowcount`` by
    default; DuckDB returns them as a result row). ``fail``: turns a driver error into the
    connector's error.
    """

    def __init__(
        self,
        con: Any,
        fail: Callable[[BaseException], BaseException],
        errors: type[BaseException] | tuple[type[BaseException], ...],
        changed: Callable[[Any], int] | None = None,
    ) -> None:
        self._con, self._fail, self._errors = con, fail, errors
        self._changed = changed or (lambda cur: int(cur.rowcount))

    def execute(self, sql: str) -> int:
        try:
            cur = self._con.execute(sql)
            return self._changed(cur)
        except self._errors as err:
            raise self._fail(err) from None

    def scalar(self, sql: str) -> Any:
        try:
            row = self._con.execute(sql).fetchone()
        except self._errors as err:
            raise self._fail(err) from None
        return None if row is None else row[0]
