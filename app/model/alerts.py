"""Alerts and notification channels as plain data: types, severities, rules, channels.

A project keeps its notification settings in ``project.json`` (``"notifications"``): the
channels that are told (``channels``) and the thresholds alerts are raised at (``alerts``: the
defaults and per pipeline or sync overrides). The section is optional: projects written before
it existed load unchanged. It is untrusted input like the rest of a bundle: every field is
validated here, a channel never holds a secret (signing secrets, SMTP passwords and Slack or
Teams URLs with their tokens live in the secret store; the file names which fields are there),
and a channel's URL is checked again against SSRF whenever it is used.

>>> Severity.ERROR >= Severity.WARNING
True
>>> DEFAULT_SEVERITY[AlertType.RUN_FAILED]
<Severity.ERROR: 'error'>
>>> c = ChannelDefinition(name="ops", kind="slack", events=["run_failed"], min_severity="error")
>>> c.wants(AlertType.RUN_FAILED, Severity.CRITICAL), c.wants(AlertType.RUN_FAILED, Severity.INFO)
(True, False)
"""

from __future__ import annotations

import enum
import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.i18n import _

__all__ = [
    "DEFAULT_SEVERITY",
    "AlertRule",
    "AlertSettings",
    "AlertType",
    "ChannelDefinition",
    "ChannelKind",
    "NotificationSettings",
    "Severity",
]


class AlertType(enum.StrEnum):
    """What an alert is about. Each is also the event type channels filter on."""

    RUN_FAILED = "run_failed"
    RUN_RECOVERED = "run_recovered"
    DURATION_EXCEEDED = "duration_exceeded"
    FRESHNESS_BREACHED = "freshness_breached"
    ROW_COUNT_ANOMALY = "row_count_anomaly"
    SCHEMA_CHANGED = "schema_changed"
    QUALITY_CHECK_FAILED = "quality_check_failed"
    CONNECTION_FAILED = "connection_failed"
    SCHEDULED_RUN_MISSED = "scheduled_run_missed"
    RESOURCE_WARNING = "resource_warning"
    NODE_SLOWDOWN = "node_slowdown"


class Severity(enum.StrEnum):
    """How bad it is, ordered: ``info < warning < error < critical``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


#: the severity of each type unless a rule says otherwise
DEFAULT_SEVERITY: dict[AlertType, Severity] = {
    AlertType.RUN_FAILED: Severity.ERROR,
    AlertType.RUN_RECOVERED: Severity.INFO,
    AlertType.DURATION_EXCEEDED: Severity.WARNING,
    AlertType.FRESHNESS_BREACHED: Severity.ERROR,
    AlertType.ROW_COUNT_ANOMALY: Severity.WARNING,
    AlertType.SCHEMA_CHANGED: Severity.WARNING,
    AlertType.QUALITY_CHECK_FAILED: Severity.ERROR,
    AlertType.CONNECTION_FAILED: Severity.CRITICAL,
    AlertType.SCHEDULED_RUN_MISSED: Severity.WARNING,
    AlertType.RESOURCE_WARNING: Severity.WARNING,
    AlertType.NODE_SLOWDOWN: Severity.WARNING,
}


class ChannelKind(enum.StrEnum):
    WEBHOOK = "webhook"
    SLACK = "slack"
    TEAMS = "teams"
    EMAIL = "email"


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+")
#: what each kind keeps in the secret store (the file only says *that* it is there)
SECRET_FIELDS: dict[ChannelKind, tuple[str, ...]] = {
    ChannelKind.WEBHOOK: ("signing_secret",),
    ChannelKind.SLACK: ("url",),
    ChannelKind.TEAMS: ("url",),
    ChannelKind.EMAIL: ("password",),
}


class ChannelDefinition(BaseModel):
    """A place to tell: a generic webhook, Slack, Teams or e-mail.

    ``url``: the webhook's endpoint, or for e-mail the SMTP server as
    ``smtp://[user@]host[:port]`` (STARTTLS is required); empty for Slack and Teams, whose
    URLs hold a token and live in the secret store. ``events``: the alert types this channel
    wants (empty: all); ``min_severity``: the least severe alert it is told of.
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: ChannelKind
    url: str = ""
    events: list[AlertType] = Field(default_factory=list)
    min_severity: Severity = Severity.WARNING
    #: e-mail only: who receives it, and the sender address
    to: list[str] = Field(default_factory=list)
    sender: str = ""

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME.fullmatch(v):
            raise ValueError(
                _(
                    "{name!r} is not a channel name (letters, digits, '_', '.', '-'; "
                    "at most 64, starting with a letter or digit)"
                ).format(name=v)
            )
        return v

    @field_validator("to")
    @classmethod
    def _addresses(cls, v: list[str]) -> list[str]:
        for address in v:
            if not _EMAIL.fullmatch(address):
                raise ValueError(_("{address!r} is not an e-mail address").format(address=address))
        return v

    @field_validator("events")
    @classmethod
    def _sorted(cls, v: list[AlertType]) -> list[AlertType]:
        return sorted(set(v))

    @model_validator(mode="after")
    def _consistent(self) -> ChannelDefinition:
        if len(self.url) > 2000 or any(ord(c) < 33 for c in self.url):
            raise ValueError(_("the URL is too long or holds spaces or control characters"))
        if self.kind in (ChannelKind.SLACK, ChannelKind.TEAMS) and self.url:
            raise ValueError(
                _("a {kind} URL holds a token: it is kept in the secret store, not here").format(
                    kind=self.kind.value
                )
            )
        if self.kind == ChannelKind.WEBHOOK and not self.url.startswith(("https://", "http://")):
            raise ValueError(_("a webhook channel needs an http:// or https:// URL"))
        if self.kind == ChannelKind.EMAIL:
            if not self.url.startswith("smtp://"):
                raise ValueError(_("an e-mail channel needs an smtp://[user@]host[:port] URL"))
            if not self.to:
                raise ValueError(_("an e-mail channel needs at least one recipient"))
            if not _EMAIL.fullmatch(self.sender):
                raise ValueError(_("an e-mail channel needs a sender address"))
        if urlsplit(self.url).password is not None:
            raise ValueError(_("a password in the URL is not kept here: use the secret store"))
        return self

    @property
    def secret_fields(self) -> tuple[str, ...]:
        return SECRET_FIELDS[self.kind]

    def wants(self, kind: AlertType, severity: Severity) -> bool:
        """Whether this channel is told of an alert of this type and severity."""
        return (not self.events or kind in self.events) and severity >= self.min_severity


class AlertRule(BaseModel):
    """Thresholds for one pipeline or sync (or the project's defaults). ``None``: not checked.

    ``max_seconds``: a run longer than this raises ``duration_exceeded`` (the SLA).
    ``freshness_hours``: no successful run for longer than this raises ``freshness_breached``.
    ``anomaly_k``, ``anomaly_window``, ``anomaly_min_runs``: rows outside the median ± k·MAD of
    the last ``anomaly_window`` successful runs raise ``row_count_anomaly`` (once at least
    ``anomaly_min_runs`` exist; ``anomaly_k = None`` turns it off). ``slowdown_factor``,
    ``slowdown_window``, ``slowdown_min_runs``, ``slowdown_min_seconds``: a node that took more
    than ``slowdown_factor`` times its median over the last ``slowdown_window`` successful runs
    (at least ``slowdown_min_runs`` of them), and at least ``slowdown_min_seconds`` more, is
    flagged as slower and raises ``node_slowdown`` (``slowdown_factor = None`` turns it off;
    ``docs/query-analytics.md``). ``severity``: a type's
    severity for this subject instead of :data:`DEFAULT_SEVERITY`. ``enabled``: False raises
    nothing for this subject.
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    max_seconds: float | None = Field(default=None, gt=0)
    freshness_hours: float | None = Field(default=None, gt=0)
    anomaly_k: float | None = Field(default=5.0, gt=0)
    anomaly_window: int = Field(default=20, ge=3, le=1000)
    anomaly_min_runs: int = Field(default=5, ge=3, le=1000)
    slowdown_factor: float | None = Field(default=2.0, gt=1)
    slowdown_window: int = Field(default=10, ge=1, le=1000)
    slowdown_min_runs: int = Field(default=3, ge=1, le=1000)
    slowdown_min_seconds: float = Field(default=1.0, ge=0)
    severity: dict[AlertType, Severity] = Field(default_factory=dict)

    def severity_of(self, kind: AlertType) -> Severity:
        return self.severity.get(kind, DEFAULT_SEVERITY[kind])


class AlertSettings(BaseModel):
    """The defaults, and per pipeline or sync overrides (each a whole rule, by name)."""

    model_config = ConfigDict(extra="forbid")

    defaults: AlertRule = Field(default_factory=AlertRule)
    pipelines: dict[str, AlertRule] = Field(default_factory=dict)
    syncs: dict[str, AlertRule] = Field(default_factory=dict)
    #: ``resource_warning`` below this share of free disk in the data directory
    min_free_disk_percent: float = Field(default=10.0, ge=0, le=100)
    #: ``resource_warning`` when the metadata DB grows past this many MiB (None: never)
    max_metadata_db_mb: float | None = Field(default=None, gt=0)

    def rule(self, subject_kind: str, name: str) -> AlertRule:
        table = self.pipelines if subject_kind == "pipeline" else self.syncs
        return table.get(name, self.defaults)


class NotificationSettings(BaseModel):
    """``project.json``'s ``notifications`` section."""

    model_config = ConfigDict(extra="forbid")

    channels: list[ChannelDefinition] = Field(default_factory=list, max_length=100)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @field_validator("channels")
    @classmethod
    def _unique(cls, v: list[ChannelDefinition]) -> list[ChannelDefinition]:
        seen: set[str] = set()
        for c in v:
            if c.name.casefold() in seen:
                raise ValueError(_("two channels are named {name!r}").format(name=c.name))
            seen.add(c.name.casefold())
        return sorted(v, key=lambda c: c.name)

    def channel(self, name: str) -> ChannelDefinition | None:
        return next((c for c in self.channels if c.name == name), None)

    def is_empty(self) -> bool:
        return self == NotificationSettings()

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
