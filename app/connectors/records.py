"""The small records connectors and their callers exchange: capabilities, URL syntax,
errors, table descriptions, write modes and results, sync state, config helpers.

Everything here is importable from :mod:`app.connectors.base` too; this module exists so that
the abstract :class:`~app.connectors.base.Connector` stays readable on its own.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from app.connectors.errors import ConnectionError_

__all__ = [
    "DEFAULT_BATCH_ROWS",
    "Capabilities",
    "ConnectionError_",
    "ConnectorConfig",
    "NativeRows",
    "NativeUnavailable",
    "ReadOptions",
    "STATE_TABLE",
    "StateWrite",
    "TableInfo",
    "UrlForm",
    "UrlSyntax",
    "WriteMode",
    "WriteResult",
    "secret_field",
    "secret_fields",
]

DEFAULT_BATCH_ROWS = 65_536


class NativeUnavailable(ConnectionError_):
    """The native fast path cannot be used with this connection (its driver lacks something
    the server requires, such as an authentication method): write through the Arrow path."""


@dataclass(frozen=True)
class ReadOptions:
    """One reader's own choices for some columns (plain column names), added to what the
    connection's settings say (:meth:`~app.connectors.base.Connector.for_sync`).

    A connector honours the options it lists in ``Connector.read_options`` and ignores the
    others (callers refuse those first).

    >>> ReadOptions(coerce=("v",)).given()
    ['coerce']
    """

    #: SQLite: convert values that do not fit the declared type instead of refusing them
    coerce: tuple[str, ...] = ()
    #: MariaDB/MySQL: read these integer columns as booleans
    booleans: tuple[str, ...] = ()
    #: the reader's key columns (a sync's ``primary_key``): an error about one row's value
    #: names the row by them (not an option a sync chooses; every connector may use it)
    keys: tuple[str, ...] = ()

    def given(self) -> list[str]:
        """The options with at least one column, by name."""
        return [name for name in ("coerce", "booleans") if getattr(self, name)]


#: The table, in each destination, holding the committed position of every sync writing there.
STATE_TABLE = "_cauce_sync_state"


@dataclass(frozen=True)
class StateWrite:
    """A sync's position, committed in the same transaction as the data it describes.

    Transactional connectors upsert one row of :data:`STATE_TABLE` (created when missing)
    keyed by ``(sync_name, table_name)`` inside their write transaction, so the data and the
    cursor are visible together or not at all.
    """

    sync_name: str
    table_name: str
    cursor_value: str | None
    cursor_type: str | None
    updated_at: str

    def statements(self, dialect: str) -> list[str]:
        """``CREATE TABLE IF NOT EXISTS`` the state table, then the upsert, in ``dialect``.

        >>> s = StateWrite("orders", "public.orders", "42", "int64", "2026-01-01T00:00:00Z")
        >>> print(s.statements("postgres")[1])  # doctest: +NORMALIZE_WHITESPACE
        INSERT INTO "_cauce_sync_state" ("sync_name", "table_name", "cursor_value",
        "cursor_type", "updated_at") VALUES ('orders', 'public.orders', '42', 'int64',
        '2026-01-01T00:00:00Z') ON CONFLICT("sync_name", "table_name") DO UPDATE SET
        "cursor_value" = "excluded"."cursor_value", "cursor_type" = "excluded"."cursor_type",
        "updated_at" = "excluded"."updated_at"
        """
        table = exp.Table(this=exp.to_identifier(STATE_TABLE, quoted=True))
        names = ["sync_name", "table_name", "cursor_value", "cursor_type", "updated_at"]
        text = exp.DataType.build("TEXT")
        columns: list[exp.Expression] = [
            exp.ColumnDef(
                this=exp.to_identifier(n, quoted=True),
                kind=text.copy(),
                constraints=[exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
                if n in names[:2]
                else [],
            )
            for n in names
        ]
        columns.append(
            exp.PrimaryKey(expressions=[exp.to_identifier(n, quoted=True) for n in names[:2]])
        )
        create = exp.Create(
            this=exp.Schema(this=table.copy(), expressions=columns), kind="TABLE", exists=True
        )
        values = [
            self.sync_name,
            self.table_name,
            self.cursor_value,
            self.cursor_type,
            self.updated_at,
        ]
        row = exp.Tuple(
            expressions=[exp.Null() if v is None else exp.Literal.string(v) for v in values]
        )
        upsert = exp.insert(
            exp.values([row]),
            table.copy(),
            columns=[exp.to_identifier(n, quoted=True) for n in names],
        )
        upsert.set(
            "conflict",
            exp.OnConflict(
                conflict_keys=[exp.to_identifier(n, quoted=True) for n in names[:2]],
                action=exp.var("DO UPDATE"),
                expressions=[
                    exp.EQ(
                        this=exp.column(exp.to_identifier(n, quoted=True)),
                        expression=exp.column(
                            exp.to_identifier(n, quoted=True),
                            table=exp.to_identifier("excluded", quoted=True),
                        ),
                    )
                    for n in names[2:]
                ],
            ),
        )
        return [create.sql(dialect), upsert.sql(dialect)]


class WriteMode(enum.StrEnum):
    APPEND = "append"
    REPLACE = "replace"
    MERGE = "merge"


@dataclass(frozen=True)
class Capabilities:
    dialect: str
    source: bool = True
    destination: bool = True
    transactions: bool = True
    merge: bool = True
    bulk_load: str = "insert"
    #: can run a whole compiled query itself (ELT pushdown)
    pushdown: bool = False
    #: runs a pipeline's compiled SQL and writes its result in place (:meth:`write_query`):
    #: nodes may be placed in it (:mod:`app.engine.placement`)
    elt: bool = False
    #: the local DuckDB engine can attach or scan it directly (no Python in the data path)
    duckdb_native: bool = False
    #: ``write(state=...)`` commits a sync's state in the data's own transaction
    transactional_state: bool = False
    #: the connector's own wire format for rows (e.g. ``"postgres-binary"``): a source and a
    #: destination with the same value can stream rows to each other undecoded
    #: (:meth:`Connector.open_native` -> :meth:`Connector.write_native`)
    native_copy: str | None = None
    #: a sync's destination may ask for the source's enum types (``"enums": "create"``):
    #: :meth:`Connector.create_enum` makes them
    enum_types: bool = False
    #: how many read queries may run at once, from several threads (each :meth:`read` opens
    #: its own session): a profile sends that many of its independent queries together
    concurrent_reads: int = 1


class UrlForm(enum.StrEnum):
    """The shape of a connection URL after its scheme."""

    #: ``scheme://user@host[:port]/database?option=value``
    SERVER = "server"
    #: ``scheme:///relative/file`` or ``scheme:////absolute/file`` (SQLAlchemy's convention)
    FILE = "file"
    #: ``scheme:///directory``: the path exactly as written
    DIRECTORY = "directory"
    #: ``scheme://project/dataset?option=value`` (BigQuery): no user, host or port
    PROJECT = "project"


@dataclass(frozen=True)
class UrlSyntax:
    """How connection URLs name a connector (``cauce sync`` and ``cauce profile`` take them).

    >>> pg = UrlSyntax(("postgresql", "postgres"), UrlForm.SERVER, default_port=5432)
    >>> pg.schemes[0], pg.host_field
    ('postgresql', 'host')
    """

    #: lower-case schemes; the first is the one messages suggest
    schemes: tuple[str, ...]
    form: UrlForm
    #: server URLs: the port when the URL names none
    default_port: int | None = None
    #: server URLs: the ``Config`` field that takes the URL's host
    host_field: str = "host"
    #: server URLs: the ``Config`` field that takes a second path part
    #: (``scheme://user@host/database/schema``); None: the path is the database only
    schema_field: str | None = None

    def __post_init__(self) -> None:
        if not self.schemes or any(s != s.lower() or not s for s in self.schemes):
            raise ValueError(f"URL schemes must be lower-case and given: {self.schemes!r}")


class NativeRows(abc.ABC):
    """Rows of a query in a connector's own wire format (``capabilities.native_copy``).

    Opened by :meth:`Connector.open_native` on a source and consumed once by
    :meth:`Connector.write_native` of a destination with the same format. ``top`` is the
    largest value of the column named when opening, read in the same snapshot as the rows;
    ``rows`` is the number of rows streamed, known once :meth:`chunks` is exhausted;
    ``position`` the source's transaction position of that snapshot, when it has one
    (:meth:`Connector.row_version`).
    """

    format: str = ""
    top: object | None = None
    rows: int = 0
    position: str | None = None

    @abc.abstractmethod
    def chunks(self) -> Iterator[bytes]:
        """The data, in writes of some hundred KiB; the stream ends with the format's
        trailer."""

    def before_commit(self) -> None:  # noqa: B027 - optional hook
        """Called by the destination once every row is written, just before it commits (the
        run's record must exist by then); what this raises rolls the write back."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the source connection; safe to call twice."""


@dataclass(frozen=True)
class TableInfo:
    schema: str | None
    name: str
    kind: str = "table"  # or "view"
    row_estimate: int | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class WriteResult:
    rows: int
    bytes: int = 0
    #: the statements a write inside DuckDB ran (``app.connectors.native_write.NativeWrite``),
    #: kept so that a run can be replayed (:mod:`app.engine.replay`); None for other writes
    native: Any = None


def secret_field(description: str = "", *, required: bool = False, **kwargs: Any) -> Any:
    """A config field that holds a secret: resolved at run time, never stored or exported.

    ``required`` secrets must be found (environment or secret store) before a connection
    opens; optional ones (a PostgreSQL password under trust or certificate auth) may be unset.
    """
    return Field(
        default=None,
        description=description,
        json_schema_extra={"secret": True, "required_secret": required},
        repr=False,
        exclude=True,
        **kwargs,
    )


class ConnectorConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


def secret_fields(config_cls: type[BaseModel], *, required_only: bool = False) -> list[str]:
    """Names of the secret fields of a connector config (only the required ones if asked)."""
    key = "required_secret" if required_only else "secret"
    return [
        name
        for name, f in config_cls.model_fields.items()
        if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get(key)
    ]
