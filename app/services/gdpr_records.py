"""What the data-subject request use cases return (:mod:`app.services.gdpr`), and the small
helpers that build it: a request's state and its subject as shown, keys parsed from text,
the one-month deadline.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.engine.privacy.subject import SubjectKey
from app.i18n import _
from app.services.gdpr_keys import RequestKeys
from app.storage.gdpr import RequestRecord

if TYPE_CHECKING:
    from app.services.access import Principal
    from app.services.gdpr_search import TableMatch

__all__ = [
    "AuditCheck",
    "ErasureResult",
    "ExportResult",
    "FindResult",
    "GdprError",
    "RequestInfo",
    "TableFound",
    "found_tables",
    "one_month_after",
    "parse_keys",
    "request_info",
    "subject_keys",
]


class GdprError(ValueError):
    """A request that cannot be done as asked (nothing was changed)."""


def one_month_after(when: datetime) -> datetime:
    """The same day of the next month (its last day when shorter): GDPR's "one month".

    >>> from datetime import UTC
    >>> one_month_after(datetime(2026, 1, 31, 9, tzinfo=UTC)).date().isoformat()
    '2026-02-28'
    >>> one_month_after(datetime(2026, 12, 5, tzinfo=UTC)).date().isoformat()
    '2027-01-05'
    """
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    return when.replace(
        year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1])
    )


def parse_keys(texts: list[str]) -> list[SubjectKey]:
    """``TAG=VALUE`` texts as subject keys (the tag: a column tag, e.g. ``pii.email``)."""
    from app.engine.privacy.tags import check_tag

    keys = []
    for text in texts:
        tag, sep, value = text.partition("=")
        if not sep or not value.strip():
            raise GdprError(
                _(
                    "subject key {key!r}: write it as TAG=VALUE, e.g. pii.email=ana@example.com"
                ).format(key=text)
            )
        keys.append(SubjectKey(check_tag(tag.strip()), value.strip()))
    if not keys:
        raise GdprError(_("a request needs at least one key of the subject (TAG=VALUE)"))
    return keys


# -- what the use cases return -----------------------------------------------------------------
@dataclass(frozen=True)
class RequestInfo:
    id: int
    kind: str
    #: open, in_progress, done, or overdue (open or in progress past its deadline)
    state: str
    #: "pii.email=****" (the values shown only to who may unmask, while the request is open)
    subject: tuple[str, ...]
    note: str
    created_by: str
    created_at: datetime
    due_at: datetime
    completed_at: datetime | None
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["subject"] = list(self.subject)
        for k in ("created_at", "due_at", "completed_at"):
            out[k] = out[k].isoformat() if out[k] else None
        return out


@dataclass(frozen=True)
class TableFound:
    connection: str
    table: str
    rows: int
    #: "Email (pii.email)", the columns holding the subject's keys
    columns: tuple[str, ...]
    via: tuple[str, ...]
    policy: str
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "columns": list(self.columns), "via": list(self.via)}


@dataclass(frozen=True)
class FindResult:
    request: RequestInfo
    tables: tuple[TableFound, ...]
    problems: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request.to_dict(),
            "total": self.total,
            "tables": [t.to_dict() for t in self.tables],
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class ExportResult:
    request: RequestInfo
    archive: Path
    #: (connection, table, rows)
    tables: tuple[tuple[str, str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _c, _t, n in self.tables)


@dataclass(frozen=True)
class ErasureResult:
    request: RequestInfo
    #: per database: connection, done, error, tables [{table, policy, rows, left}]
    databases: tuple[dict[str, Any], ...]
    #: tables where something of the subject is still found after the erasure
    remaining: tuple[TableFound, ...]
    suppressed: int

    @property
    def ok(self) -> bool:
        return self.request.state == "done"

    @property
    def rows(self) -> int:
        return sum(t["rows"] for d in self.databases if d["done"] for t in d["tables"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request.to_dict(),
            "ok": self.ok,
            "rows": self.rows,
            "databases": list(self.databases),
            "remaining": [t.to_dict() for t in self.remaining],
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def request_info(
    record: RequestRecord, keys: RequestKeys | None, principal: Principal | None, now: datetime
) -> RequestInfo:
    """A request as shown: ``overdue`` past its deadline; its keys' values only to who may
    unmask, while they are kept."""
    from app.services.privacy import SHOWN_MASK, may_unmask

    state = record.state
    if state != "done" and now > record.due_at:
        state = "overdue"
    shown: list[str] = []
    if record.sealed is not None and keys is not None and may_unmask(principal):
        shown = [f"{k['tag']}={k['value']}" for k in keys.unseal(record.sealed)]
    if not shown:
        hidden = SHOWN_MASK if record.sealed is not None else _("(forgotten)")
        shown = [f"{tag}={hidden}" for tag, _h in record.subject]
    return RequestInfo(
        id=record.id,
        kind=record.kind,
        state=state,
        subject=tuple(shown),
        note=record.note,
        created_by=record.created_by,
        created_at=record.created_at,
        due_at=record.due_at,
        completed_at=record.completed_at,
        last_error=record.last_error,
    )


def subject_keys(record: RequestRecord, keys: RequestKeys) -> list[SubjectKey]:
    if record.sealed is None:
        raise GdprError(
            _("request #{id} is done: its subject's keys were forgotten").format(id=record.id)
        )
    return [SubjectKey(k["tag"], k["value"]) for k in keys.unseal(record.sealed)]


def found_tables(
    matches: list[TableMatch], policies: dict[tuple[str, str], str]
) -> tuple[TableFound, ...]:
    from app.engine.privacy.suppress import table_entry

    return tuple(
        TableFound(
            connection=m.connection,
            table=m.table,
            rows=m.rows,
            columns=tuple(f"{c} ({t})" for c, t in m.keys),
            via=tuple(m.via),
            policy=table_entry(policies, m.connection, m.table, "delete"),
            error=m.error,
        )
        for m in matches
    )
