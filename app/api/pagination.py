"""Cursor pagination, the same on every list: ``?limit=`` (1-200, default 50) and
``?cursor=`` (opaque: the ``next_cursor`` of the previous page). A list answers
``{"items": [...], "next_cursor": "..." | null}``; ``null`` means the last page."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from app.api.problems import ApiProblem

__all__ = [
    "Cursor",
    "Limit",
    "Page",
    "decode_cursor",
    "encode_cursor",
    "page_by_key",
    "page_newest_first",
]

T = TypeVar("T")
K = TypeVar("K", int, str)

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="The next_cursor of the previous page")
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(key: int | str) -> str:
    raw = json.dumps({"k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: type[K]) -> K | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))["k"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiProblem(400, "invalid cursor: pass the next_cursor of a previous page") from None
    out_of_range = isinstance(key, int) and not 0 <= key <= 2_147_483_647
    if not isinstance(key, kind) or isinstance(key, bool) or out_of_range:
        raise ApiProblem(400, "invalid cursor: pass the next_cursor of a previous page")
    return key


def page_by_key(
    items: Sequence[T], key: Callable[[T], K], limit: int, cursor: str | None, kind: type[K]
) -> tuple[list[T], str | None]:
    """A page of ``items`` (sorted by ``key``, ascending) after the cursor's key."""
    after = decode_cursor(cursor, kind)
    rest = [i for i in items if after is None or key(i) > after]  # type: ignore[operator]
    page = rest[:limit]
    more = len(rest) > limit
    return page, encode_cursor(key(page[-1])) if more and page else None


def page_newest_first(
    items: Sequence[T], key: Callable[[T], int], limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """A page of ``items`` (sorted by ``key``, descending: newest first) below the cursor's
    key."""
    before = decode_cursor(cursor, int)
    rest = [i for i in items if before is None or key(i) < before]
    page = rest[:limit]
    more = len(rest) > limit
    return page, encode_cursor(key(page[-1])) if more and page else None
