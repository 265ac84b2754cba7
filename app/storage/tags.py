"""The column-tag store: set, remove and read the tags of a project's columns."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from app.storage.models import utcnow
from app.storage.tag_models import ColumnTagRow
from app.storage.unit_of_work import StoreBase

__all__ = ["ColumnTag", "TagStore"]


@dataclass(frozen=True)
class ColumnTag:
    connection: str
    table: str
    column: str
    tag: str
    origin: str = "manual"


class TagStore(StoreBase):
    """Column tags of the projects of one organization (tables and columns match ignoring
    case, as Cauce matches columns)."""

    def set_tags(self, project_id: int, tags: list[ColumnTag], *, replace: bool = False) -> int:
        """Add ``tags`` (``replace``: the columns named keep only these); returns how many
        were new."""
        added = 0
        with self._session() as s:
            if replace:
                for column in {(t.connection, t.table, t.column) for t in tags}:
                    s.execute(delete(ColumnTagRow).where(*self._where(project_id, *column)))
            for t in tags:
                found = s.scalar(
                    select(ColumnTagRow.id).where(
                        *self._where(project_id, t.connection, t.table, t.column),
                        ColumnTagRow.tag == t.tag,
                    )
                )
                if found is None:
                    s.add(
                        ColumnTagRow(
                            organization_id=self._org_id,
                            project_id=project_id,
                            connection=t.connection,
                            table_name=t.table,
                            column_name=t.column,
                            tag=t.tag,
                            origin=t.origin,
                            created_at=utcnow(),
                        )
                    )
                    added += 1
        return added

    def remove_tag(
        self, project_id: int, connection: str, table: str, column: str, tag: str
    ) -> int:
        with self._session() as s:
            result = s.execute(
                delete(ColumnTagRow).where(
                    *self._where(project_id, connection, table, column), ColumnTagRow.tag == tag
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def tags(
        self, project_id: int, connection: str | None = None, table: str | None = None
    ) -> list[ColumnTag]:
        """Tags of the project (of one connection, of one table), sorted."""
        query = select(ColumnTagRow).where(
            ColumnTagRow.organization_id == self._org_id, ColumnTagRow.project_id == project_id
        )
        with self._session(write=False) as s:
            rows = s.scalars(query).all()
            out = [
                ColumnTag(r.connection, r.table_name, r.column_name, r.tag, r.origin)
                for r in rows
                if (connection is None or r.connection == connection)
                and (table is None or _same_table(r.table_name, table))
            ]
        return sorted(out, key=lambda t: (t.connection, t.table.lower(), t.column.lower(), t.tag))

    def _where(self, project_id: int, connection: str, table: str, column: str) -> tuple:  # type: ignore[type-arg]
        from sqlalchemy import func

        return (
            ColumnTagRow.organization_id == self._org_id,
            ColumnTagRow.project_id == project_id,
            ColumnTagRow.connection == connection,
            func.lower(ColumnTagRow.table_name) == table.lower(),
            func.lower(ColumnTagRow.column_name) == column.lower(),
        )


def _same_table(stored: str, table: str) -> bool:
    """``main.customers`` and ``customers`` name one table (a schema is optional)."""
    a, b = stored.casefold(), table.casefold()
    return a == b or a.endswith("." + b) or b.endswith("." + a)
