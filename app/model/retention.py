"""A retention policy: how long the rows of one table are kept, and where they go after.

A policy names a project's connection, a table of it and a date or timestamp column; a run
archives every row whose column is older than the *cutoff* to Parquet files, then deletes it,
in batches of ``batch_rows`` rows. The cutoff is midnight UTC of the run's day minus
``keep_days`` days: rows dated on or after it are kept (``NULL`` dates are never expired).

``run_at`` (``HH:MM`` in ``timezone``) makes the scheduler run the policy once a day; without
it the policy runs only when asked (``cauce retention run``, the retention window).

>>> p = RetentionPolicy(name="old-invoices", connection="shop", table="invoice",
...                     date_column="invoice_date", keep_days=365, run_at="02:30")
>>> from datetime import UTC, datetime
>>> p.cutoff(datetime(2026, 3, 10, 14, 5, tzinfo=UTC)).isoformat()
'2025-03-10T00:00:00+00:00'
>>> p.due_slot(datetime(2026, 3, 10, 1, 0, tzinfo=UTC)).isoformat()
'2026-03-09T02:30:00+00:00'
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.i18n import _

__all__ = ["DEFAULT_BATCH_ROWS", "MAX_BATCH_ROWS", "RetentionPolicy", "cutoff_for"]

DEFAULT_BATCH_ROWS = 1000
#: a batch is one short transaction: bigger ones would hold their row locks too long
MAX_BATCH_ROWS = 100_000
#: about a hundred years
MAX_KEEP_DAYS = 36_600
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def cutoff_for(keep_days: int, now: datetime) -> datetime:
    """Midnight UTC of ``now``'s day (in UTC) minus ``keep_days`` days."""
    day: date = now.astimezone(UTC).date() - timedelta(days=keep_days)
    return datetime.combine(day, time(0), tzinfo=UTC)


class RetentionPolicy(BaseModel):
    """One table's retention: keep ``keep_days`` days by ``date_column``, archive, delete."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    name: str = Field(max_length=100)
    connection: str = Field(min_length=1, max_length=200)
    table: str = Field(min_length=1, max_length=500)
    date_column: str = Field(min_length=1, max_length=300)
    keep_days: int = Field(ge=1, le=MAX_KEEP_DAYS)
    batch_rows: int = Field(DEFAULT_BATCH_ROWS, ge=1, le=MAX_BATCH_ROWS)
    #: the archive's Parquet files encrypted (AES-GCM) with the project's archive key
    encrypt: bool = False
    #: where archives go (absolute, or relative to the project directory); None: the user
    #: data directory's ``archives/``
    archive_dir: str | None = Field(None, max_length=1000)
    #: daily run time ``HH:MM`` in ``timezone``; None: run on demand only
    run_at: str | None = None
    timezone: str = Field("UTC", max_length=100)
    enabled: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME.fullmatch(v):
            raise ValueError(
                _(
                    "{name!r} is not a policy name: use letters, digits, '.', '_' and '-', "
                    "starting with a letter or a digit"
                ).format(name=v)
            )
        return v

    @field_validator("run_at")
    @classmethod
    def _run_at(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        if not _HHMM.fullmatch(v.strip()):
            raise ValueError(
                _("{time!r} is not a time of day (write it as HH:MM, e.g. 02:30)").format(time=v)
            )
        return v.strip()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            if ".." in v or v.startswith("/"):
                raise ValueError(v)
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                _("unknown time zone {zone!r} (use an IANA name such as Europe/Madrid)").format(
                    zone=v
                )
            ) from None
        return v

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def cutoff(self, now: datetime) -> datetime:
        """Rows whose date is before this are expired at ``now``."""
        return cutoff_for(self.keep_days, now)

    def due_slot(self, now: datetime) -> datetime | None:
        """The latest daily run time at or before ``now`` (None: no daily run)."""
        if self.run_at is None:
            return None
        zone = self.zone()
        hour, minute = (int(p) for p in self.run_at.split(":"))
        local = now.astimezone(zone)
        slot = datetime.combine(local.date(), time(hour, minute), tzinfo=zone)
        if slot > now:
            slot = datetime.combine(local.date() - timedelta(days=1), time(hour, minute), zone)
        return slot.astimezone(UTC)

    def next_run(self, now: datetime) -> datetime | None:
        """The first daily run time after ``now`` (None: no daily run)."""
        last = self.due_slot(now)
        if last is None:
            return None
        zone = self.zone()
        day = last.astimezone(zone).date() + timedelta(days=1)
        hour, minute = (int(p) for p in (self.run_at or "00:00").split(":"))
        return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
