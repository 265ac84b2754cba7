"""Finding a subject's rows in the project's destination tables, reading them, erasing them.

For each destination whose columns carry a tag of one of the subject's keys, the columns are
matched against the table as it is (names ignoring case, types from the database), and one
SQL condition (:func:`app.engine.privacy.subject.match_condition`) finds the subject's rows:
counted, read for an export, or erased.

Erasing runs one transaction per database (connection): every table's ``DELETE`` (or
``UPDATE … SET tagged = NULL`` for a table whose policy anonymises), then, in the same
transaction, a count of what is left of the subject in each table; anything left rolls the
whole database back. A process killed in between leaves that database as it was: it never
committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_, Connector
from app.engine.privacy.subject import (
    SubjectKey,
    count_query,
    delete_statement,
    match_condition,
    rows_query,
    update_statement,
)
from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.services.gdpr_locate import Destination
from app.services.workspace import Workspace
from app.storage.project import Project

__all__ = [
    "DatabaseErasure",
    "ErasureRefused",
    "TableMatch",
    "erase_database",
    "match_tables",
    "read_rows",
    "search_subject",
]


class ErasureRefused(ValueError):
    """An erasure that cannot be done as asked (nothing was changed)."""


@dataclass
class TableMatch:
    """One destination table that can hold the subject, and how to find them there."""

    connection: str
    table: str
    via: list[str]
    #: (column as in the table, tag) holding the subject's keys
    keys: list[tuple[str, str]] = field(default_factory=list)
    #: the table's columns carrying any tag (set to NULL when anonymising)
    tagged: list[str] = field(default_factory=list)
    #: tagged columns that cannot be NULL
    required: list[str] = field(default_factory=list)
    dialect: str = ""
    condition: exp.Expr | None = None
    rows: int = 0
    exists: bool = True
    error: str | None = None

    def count_sql(self) -> str:
        assert self.condition is not None
        return count_query(self.table, self.condition, self.dialect)


def _values(keys: Sequence[SubjectKey]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k in keys:
        out.setdefault(k.tag, []).append(k.normalised())
    return out


def _match(
    connector: Connector, dest: Destination, wanted: dict[str, list[str]], found: TableMatch
) -> None:
    if not connector.has_table(dest.table):
        found.exists = False  # not written yet: nothing of anyone is there
        return
    schema = connector.table_schema(dest.table)
    by_name = {f.name.lower(): f for f in schema}
    columns = []
    for column, tags in sorted(dest.columns.items()):
        f = by_name.get(column.lower())
        if f is None or not tags:
            continue
        found.tagged.append(f.name)
        if not f.nullable:
            found.required.append(f.name)
        for tag in sorted(tags & set(wanted)):
            found.keys.append((f.name, tag))
            columns.append((f.name, f.type, tag, wanted[tag]))
    found.dialect = connector.capabilities.dialect or ""
    try:
        found.condition = match_condition(columns)
    except ValueError:
        return  # no column can hold these values (a text key in a number column)
    found.rows = _scalar(connector, found.count_sql())


def _scalar(connector: Connector, sql: str) -> int:
    table = connector.query(sql).read_all()
    return int(table.column(0)[0].as_py() or 0)


def match_tables(
    destinations: Sequence[Destination],
    provider: ConnectorProvider,
    keys: Sequence[SubjectKey],
) -> list[TableMatch]:
    """Every destination that can hold the subject, with their rows counted (a table that
    cannot be read has its ``error``)."""
    wanted = _values(keys)
    out = []
    for dest in destinations:
        if not any(tags & set(wanted) for tags in dest.columns.values()):
            continue
        found = TableMatch(dest.connection, dest.table, list(dest.via))
        try:
            _match(provider.open(dest.connection), dest, wanted, found)
        except (ConnectionError_, KeyError, ValueError) as err:
            found.error = str(err).strip() or type(err).__name__
        out.append(found)
    return out


def search_subject(
    workspace: Workspace, project: Project, provider: ConnectorProvider, keys: Sequence[SubjectKey]
) -> tuple[list[TableMatch], list[str]]:
    """The project's destination tables that can hold the subject (rows counted), and what
    could not be searched."""
    from app.services.gdpr_locate import project_destinations
    from app.services.gdpr_records import GdprError
    from app.services.masking import project_tag_map

    tag_map = project_tag_map(workspace, project.meta.name)
    if not tag_map:
        raise GdprError(
            _(
                "no column of project {project!r} is tagged: tag the columns that hold "
                "personal data first (cauce tags suggest / cauce tags set)"
            ).format(project=project.meta.name)
        )
    found = project_destinations(project, provider, tag_map)
    return match_tables(found.tables, provider, keys), found.problems


def read_rows(provider: ConnectorProvider, match: TableMatch) -> pa.Table:
    """The subject's rows of one table."""
    assert match.condition is not None
    sql = rows_query(match.table, match.condition, match.dialect)
    return provider.open(match.connection).query(sql).read_all()


@dataclass
class DatabaseErasure:
    """What an erasure did in one database (connection)."""

    connection: str
    #: (table, policy, rows changed, rows of the subject left)
    tables: list[tuple[str, str, int, int]] = field(default_factory=list)
    done: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "connection": self.connection,
            "done": self.done,
            "error": self.error,
            "tables": [
                {"table": t, "policy": p, "rows": n, "left": left} for t, p, n, left in self.tables
            ],
        }


def erase_database(
    connector: Connector,
    connection: str,
    matches: Sequence[TableMatch],
    policy: Callable[[TableMatch], str],
) -> DatabaseErasure:
    """Erase the subject from ``matches`` (tables of one database) in one transaction,
    checking inside it that nothing of them is left; any failure rolls it all back."""
    outcome = DatabaseErasure(connection)
    changed: list[tuple[TableMatch, str, int]] = []
    try:
        with connector.atomic() as tx:
            for m in matches:
                assert m.condition is not None
                action = policy(m)
                if action == "anonymise":
                    sql = update_statement(m.table, m.tagged, m.condition, m.dialect)
                else:
                    sql = delete_statement(m.table, m.condition, m.dialect)
                changed.append((m, action, tx.execute(sql)))
            for m, action, rows in changed:
                left = int(tx.scalar(m.count_sql()) or 0)
                outcome.tables.append((m.table, action, rows, left))
                if left:
                    raise ErasureRefused(
                        _("{table}: {left} row(s) of the subject would be left").format(
                            table=m.table, left=left
                        )
                    )
    except (ConnectionError_, ErasureRefused) as err:
        outcome.error = str(err).strip()
        outcome.tables = [(m.table, a, 0, m.rows) for m, a, _r in changed] or [
            (m.table, policy(m), 0, m.rows) for m in matches
        ]
        return outcome
    outcome.done = True
    return outcome
