"""The definition of a schedule, as saved in ``schedules/<name>.json``: strict and canonical.

A schedule runs one pipeline or one sync of its project, on one trigger: a cron expression
(five fields, in ``timezone``), a fixed interval (``every``), a one-off time (``at``), or after
another schedule of the project succeeds (``after``). Its policies say what happens to runs
that could not start on time (``grace_seconds``, ``catch_up``) and to a run that comes due while
the previous one is still running (``overlap``); ``docs/scheduling.md`` describes each exactly.

Checks here need no scheduler library (a project loads without APScheduler): the cron
expression's shape is checked here, its meaning when a scheduler or a preview builds the
trigger (:mod:`app.services.schedules`).

>>> s = ScheduleDefinition(name="nightly", pipeline="orders", cron="0 2 * * *",
...                        timezone="Europe/Madrid")
>>> s.target, s.trigger_kind, str(s.catch_up), str(s.overlap)
(('pipeline', 'orders'), 'cron', 'one', 'skip')
>>> parse_every("90s"), parse_every("5m"), parse_every("2h"), parse_every("1d")
(90, 300, 7200, 86400)
"""

from __future__ import annotations

import enum
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.i18n import _

__all__ = [
    "SCHEDULE_FORMAT_VERSION",
    "CatchUp",
    "Overlap",
    "ScheduleDefinition",
    "parse_every",
]

SCHEDULE_FORMAT_VERSION = 1
#: the longest interval and grace accepted (a year), and the largest catch-up cap
MAX_SECONDS = 366 * 86400
MAX_CATCH_UP_CAP = 1000

_EVERY = re.compile(r"\s*(\d{1,9})\s*([smhd]?)\s*")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
#: one cron field: digits, names (jan, mon), and the operators * / , - ? L W #
_CRON_FIELD = re.compile(r"[0-9A-Za-z*/,?#-]{1,60}")


class CatchUp(enum.StrEnum):
    #: runs missed by more than the grace time are recorded as missed and not run
    SKIP = "skip"
    #: the runs missed are coalesced into one run (the latest), the others recorded
    ONE = "one"
    #: every missed run is run, oldest first, up to ``catch_up_cap`` (the latest ones)
    ALL = "all"


class Overlap(enum.StrEnum):
    #: a run that comes due while the previous one runs is skipped (and recorded)
    SKIP = "skip"
    #: it waits for the previous one to finish, then runs
    QUEUE = "queue"
    #: it runs at once, alongside the previous one
    ALLOW = "allow"


def parse_every(text: str) -> int:
    """Seconds of an interval written ``30s``, ``5m``, ``2h``, ``1d`` (or plain seconds)."""
    m = _EVERY.fullmatch(text)
    if not m or int(m.group(1)) == 0:
        raise ValueError(
            _("{text!r} is not an interval (write it as 30s, 5m, 2h or 1d)").format(text=text)
        )
    seconds = int(m.group(1)) * _UNITS[m.group(2)]
    if seconds > MAX_SECONDS:
        raise ValueError(_("an interval cannot be longer than a year"))
    return seconds


class ScheduleDefinition(BaseModel):
    """One schedule of a project (``schedules/<name>.json``)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    format_version: int = SCHEDULE_FORMAT_VERSION
    name: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    #: what runs: exactly one of a pipeline and a sync of the project, by name
    pipeline: str | None = Field(None, max_length=200)
    sync: str | None = Field(None, max_length=200)
    #: when: exactly one of these four
    cron: str | None = Field(None, max_length=200)
    every_seconds: int | None = Field(None, ge=1, le=MAX_SECONDS)
    at: datetime | None = None
    after: str | None = Field(None, max_length=200)
    #: the IANA time zone the cron expression (and a naive ``at``) is read in
    timezone: str = Field("UTC", max_length=100)
    #: how late a run may start and still count as on time
    grace_seconds: int = Field(300, ge=1, le=MAX_SECONDS)
    catch_up: CatchUp = CatchUp.ONE
    catch_up_cap: int = Field(10, ge=1, le=MAX_CATCH_UP_CAP)
    overlap: Overlap = Overlap.SKIP
    enabled: bool = True

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != SCHEDULE_FORMAT_VERSION:
            raise ValueError(
                _(
                    "unknown schedule format version {version} (this Cauce reads version {known})"
                ).format(version=v, known=SCHEDULE_FORMAT_VERSION)
            )
        return v

    @field_validator("name")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(_("a schedule name cannot be blank"))
        return v

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

    @field_validator("cron")
    @classmethod
    def _cron_shape(cls, v: str | None) -> str | None:
        if v is None:
            return v
        fields = v.split()
        if len(fields) != 5 or not all(_CRON_FIELD.fullmatch(f) for f in fields):
            raise ValueError(
                _(
                    "{expr!r} is not a cron expression: five fields are expected "
                    "(minute hour day month weekday)"
                ).format(expr=v)
            )
        return " ".join(fields)

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleDefinition:
        if (self.pipeline is None) == (self.sync is None):
            raise ValueError(_("a schedule runs exactly one pipeline or one sync"))
        given = [
            k for k in ("cron", "every_seconds", "at", "after") if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                _(
                    "a schedule has exactly one of cron, every, at and after (given: {given})"
                ).format(given=", ".join(given) or _("none"))
            )
        if self.after is not None and self.after == self.name:
            raise ValueError(_("a schedule cannot run after itself"))
        return self

    @property
    def target(self) -> tuple[str, str]:
        """``("pipeline", name)`` or ``("sync", name)``."""
        if self.pipeline is not None:
            return ("pipeline", self.pipeline)
        return ("sync", self.sync or "")

    @property
    def trigger_kind(self) -> str:
        """``cron``, ``every``, ``at`` or ``after``."""
        if self.cron is not None:
            return "cron"
        if self.every_seconds is not None:
            return "every"
        return "at" if self.at is not None else "after"

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, two-space indent, trailing newline)."""
        data = self.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
