"""The definition of a sync, as saved in ``syncs/<name>.json``: strict, canonical, versioned.

Column names in ``primary_key``, ``cursor``, ``columns`` and the keys of ``rename`` are the
*source's* names; destinations receive the renamed columns.

>>> d = SyncDefinition(name="orders", source={"connection": "src", "table": "public.orders"},
...                    destinations=[{"connection": "wh", "table": "raw.orders"}],
...                    mode="merge", primary_key=["id"], rename={"id": "order_id"})
>>> d.destination_keys(), d.destinations[0].key
(['order_id'], 'wh:raw.orders')
"""

from __future__ import annotations

import enum
import hashlib
import json
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from app.i18n import _
from app.model.masking import DETERMINISTIC_METHODS, MaskRule
from app.model.warehouse_options import BigQueryTableOptions

__all__ = [
    "SYNC_FORMAT_VERSION",
    "SchemaPolicy",
    "SourceRead",
    "SyncDefinition",
    "SyncDefinitionError",
    "SyncDestination",
    "SyncMode",
    "SyncSource",
]

SYNC_FORMAT_VERSION = 1


class SyncDefinitionError(ValueError):
    """A sync definition is inconsistent with itself or with its source's columns."""


class SyncMode(enum.StrEnum):
    #: reload everything into a staging table and swap it in atomically
    FULL = "full"
    #: add the rows whose cursor is above the last committed value
    APPEND = "append"
    #: upsert on the primary key (only changed rows when a cursor is given)
    MERGE = "merge"


class SchemaPolicy(enum.StrEnum):
    #: add new columns, widen types
    EVOLVE = "evolve"
    #: fail, naming the columns that changed
    FREEZE = "freeze"
    #: drop new source columns, keep the destination's types
    DISCARD = "discard"
    #: hold every change in the schema inbox until someone approves it (its DDL is applied)
    #: or rejects it (the ``review_fallback`` policy decides it); the destination is not
    #: written meanwhile
    REVIEW = "review"


class SourceRead(BaseModel):
    """How a sync reads some of its source's columns (source names), in addition to what its
    connection's settings say for every sync and pipeline reading it.

    Each option belongs to one kind of source; a sync naming an option its source's connector
    does not have is refused when the sync is saved or run
    (:meth:`SyncDefinition.check_read_options`).
    """

    model_config = ConfigDict(extra="forbid")

    #: SQLite: columns whose values are converted to the declared type even when they do not
    #: fit it exactly (otherwise such a value stops the sync)
    coerce: list[str] = Field(default_factory=list)
    #: MariaDB/MySQL: integer columns (``tinyint(1)`` flags) read as booleans; a value other
    #: than 0 or 1 is refused (otherwise they stay integers)
    booleans: list[str] = Field(default_factory=list)

    def given(self) -> list[str]:
        """The options this sync uses (non-empty), by name."""
        return [name for name in type(self).model_fields if getattr(self, name)]

    def columns(self) -> list[str]:
        """Every column some option names."""
        return [c for name in type(self).model_fields for c in getattr(self, name)]


class SyncSource(BaseModel):
    """Where a sync reads: a table (``schema.table``) or a query, of one connection."""

    model_config = ConfigDict(extra="forbid")

    connection: str = Field(min_length=1)
    table: str | None = None
    query: str | None = None
    #: this sync's own reading choices for some columns (see :class:`SourceRead`)
    read: SourceRead = Field(default_factory=SourceRead)

    @model_validator(mode="after")
    def _one(self) -> SyncSource:
        if (self.table is None) == (self.query is None):
            raise ValueError(_("give exactly one of table and query"))
        return self


class SyncDestination(BaseModel):
    """One destination table; each keeps its own state."""

    model_config = ConfigDict(extra="forbid")

    connection: str = Field(min_length=1)
    table: str = Field(min_length=1)
    #: what a PostgreSQL enum of the source becomes in this destination: "text", or (PostgreSQL
    #: destinations) "create": the same enum type, created in the destination table's schema
    #: (reused when it has the same labels in the same order); other destinations store text
    enums: Literal["text", "create"] = "text"
    #: BigQuery destinations: partitioning and clustering of the table the sync creates
    bigquery: BigQueryTableOptions | None = None

    @property
    def key(self) -> str:
        """``connection:table``: how the metadata DB names this destination's state."""
        return f"{self.connection}:{self.table}"


class SyncDefinition(BaseModel):
    """A table sync: source, destinations, mode, columns and schema policy."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = SYNC_FORMAT_VERSION
    name: str
    description: str = ""
    source: SyncSource
    destinations: list[SyncDestination] = Field(min_length=1)
    mode: SyncMode = SyncMode.FULL
    primary_key: list[str] = Field(default_factory=list)
    cursor: str | None = None
    hard_deletes: bool = False
    columns: list[str] | None = None
    rename: dict[str, str] = Field(default_factory=dict)
    schema_policy: SchemaPolicy = SchemaPolicy.EVOLVE
    #: policy ``review``: what a rejected change becomes, ``freeze`` (the destination stays
    #: held, the run fails naming it) or ``discard`` (new columns dropped, types kept); None:
    #: ``discard``. Written to the sync file only when set.
    review_fallback: Literal["freeze", "discard"] | None = None
    batch_rows: int = Field(default=65_536, ge=1_000, le=1_000_000)
    #: how far back merge re-reads the cursor on sources without transaction positions
    #: (seconds for date/timestamp cursors, cursor units for numbers); None: 600 s for
    #: temporal cursors, 0 for the others (see :mod:`app.engine.sync.position`)
    lookback: float | None = Field(default=None, ge=0)
    #: per source column: "text" stores it as text in every destination, accepting that a
    #: value its destination type cannot hold exactly (an unconstrained numeric like 1e-20 in
    #: DuckDB) keeps its exact text form instead of stopping the sync
    column_types: dict[str, Literal["text"]] = Field(default_factory=dict)
    #: masking before rows reach any destination: rules by source ``column`` or by ``tag``
    #: (the source table's column tags), as a ``mask`` component's (``docs/privacy.md``).
    #: Written to the sync file only when given.
    masks: list[MaskRule] = Field(default_factory=list)

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != SYNC_FORMAT_VERSION:
            raise ValueError(
                _(
                    "unknown sync format version {version} (this Cauce reads version {supported})"
                ).format(version=v, supported=SYNC_FORMAT_VERSION)
            )
        return v

    @field_validator("name")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(_("a sync name cannot be blank"))
        return v

    @model_validator(mode="after")
    def _consistent(self) -> SyncDefinition:
        if self.mode is SyncMode.APPEND and not self.cursor:
            raise ValueError(_("append mode needs a cursor column"))
        if self.mode is SyncMode.MERGE and not self.primary_key:
            raise ValueError(_("merge mode needs primary_key columns"))
        if self.hard_deletes and self.mode is not SyncMode.MERGE:
            raise ValueError(_("hard_deletes is only meaningful in merge mode"))
        if self.review_fallback is not None and self.schema_policy is not SchemaPolicy.REVIEW:
            raise ValueError(_("review_fallback is only meaningful with the review schema policy"))
        if len(set(self.primary_key)) != len(self.primary_key):
            raise ValueError(_("primary_key lists a column twice"))
        if self.columns is not None:
            if not self.columns or len(set(self.columns)) != len(self.columns):
                raise ValueError(_("columns must list each selected column once"))
            needed = [
                *self.primary_key,
                *([self.cursor] if self.cursor else []),
                *self.rename,
                *self.column_types,
            ]
            missing = sorted({c for c in needed if c not in self.columns})
            if missing:
                raise ValueError(
                    _("{columns} are used by the sync but not selected in columns").format(
                        columns=missing
                    )
                )
        targets = list(self.rename.values())
        if any(not t.strip() for t in targets):
            raise ValueError(_("a column cannot be renamed to a blank name"))
        for rule in self.masks:
            if rule.column is not None and rule.column == self.cursor:
                raise ValueError(
                    _("the cursor column {column!r} cannot be masked").format(column=rule.column)
                )
            if rule.column in self.primary_key and rule.method not in DETERMINISTIC_METHODS:
                raise ValueError(
                    _(
                        "the primary-key column {column!r} can only be masked by hash, "
                        "tokenize or vault (the same value gives the same masked value)"
                    ).format(column=rule.column)
                )
            if rule.method == "shuffle":
                raise ValueError(_("a sync cannot shuffle: it masks each batch of rows apart"))
        seen = [d.key for d in self.destinations]
        if len(set(seen)) != len(seen):
            raise ValueError(_("the same destination table is listed twice"))
        return self

    @model_serializer(mode="wrap")
    def _without_unset_fallback(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """``review_fallback`` is left out while unset, and ``masks`` while empty, so that the
        files (and content hashes) of syncs that do not use them stay as they were."""
        data: dict[str, object] = handler(self)
        if data.get("review_fallback") is None:
            data.pop("review_fallback", None)
        if not data.get("masks"):
            data.pop("masks", None)
        return data

    @property
    def fallback_policy(self) -> SchemaPolicy:
        """The policy deciding a rejected change (``review``): ``review_fallback`` or discard."""
        return SchemaPolicy(self.review_fallback or SchemaPolicy.DISCARD.value)

    # -- derived names ------------------------------------------------------------------------
    def dest_name(self, column: str) -> str:
        """The destination name of source column ``column``."""
        return self.rename.get(column, column)

    def check_read_options(self, known: frozenset[str], connector: str) -> None:
        """Refuse the source reading options (``source.read``) that ``connector`` (its label)
        does not have; ``known``: the ones it has."""
        unknown = [o for o in self.source.read.given() if o not in known]
        if unknown:
            raise SyncDefinitionError(
                _(
                    "sync {sync!r}: the source reading option(s) {options} do not apply to "
                    "{connector} sources (options of {connector}: {known})"
                ).format(
                    sync=self.name,
                    options=", ".join(unknown),
                    connector=connector,
                    known=", ".join(sorted(known)) or _("none"),
                )
            )

    def destination_keys(self) -> list[str]:
        return [self.dest_name(k) for k in self.primary_key]

    def select_columns(self, available: list[str]) -> list[str]:
        """The source columns the sync reads, in order; errors name what is missing."""
        if self.columns is None:
            chosen = list(available)
        else:
            absent = [c for c in self.columns if c not in available]
            if absent:
                raise SyncDefinitionError(
                    _(
                        "sync {sync!r}: columns {columns} are not in the "
                        "source (it has {available})"
                    ).format(sync=self.name, columns=absent, available=available)
                )
            chosen = list(self.columns)
        needed = [
            *self.primary_key,
            *([self.cursor] if self.cursor else []),
            *self.rename,
            *self.column_types,
            *self.source.read.columns(),
            *[m.column for m in self.masks if m.column is not None],
        ]
        absent = sorted({c for c in needed if c not in available})
        if absent:
            raise SyncDefinitionError(
                _(
                    "sync {sync!r}: columns {columns} are not in the source (it has {available})"
                ).format(sync=self.name, columns=absent, available=available)
            )
        renamed = [self.dest_name(c) for c in chosen]
        dupes = sorted({n for n in renamed if renamed.count(n) > 1})
        if dupes:
            raise SyncDefinitionError(
                _("sync {sync!r}: renames give two columns the name(s) {names}").format(
                    sync=self.name, names=dupes
                )
            )
        return chosen

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, two-space indent, trailing newline."""
        data = self.model_dump(mode="json")
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def content_hash(self) -> str:
        """SHA-256 (hex) of :meth:`to_json`: the metadata DB's versions of a sync differ in it."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()
