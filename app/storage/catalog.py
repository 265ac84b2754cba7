"""The catalog store: what a connection holds (schemas, tables, columns), as last refreshed.

A refresh replaces the connection's whole catalog in one transaction, so readers see either
the old catalog or the new one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.catalog_models import CatalogColumnRow, CatalogSchemaRow, CatalogTableRow
from app.storage.models import ConnectionRow, utcnow
from app.storage.sync_records import CatalogColumn, CatalogTable
from app.storage.unit_of_work import NotFound, StoreBase

__all__ = ["CatalogStore"]


class CatalogStore(StoreBase):
    """Catalogs of the connections of one organization."""

    def _connection(self, s: Session, connection_id: int) -> ConnectionRow:
        row = s.get(ConnectionRow, connection_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no connection {id}").format(id=connection_id))
        return row

    def replace_catalog(self, connection_id: int, tables: Iterable[CatalogTable]) -> int:
        """Replace the catalog of a connection; returns the number of tables stored."""
        now = utcnow()
        count = 0
        with self._session() as s:
            self._connection(s, connection_id)
            self._clear(s, connection_id)
            schemas: dict[str, int] = {}
            for table in tables:
                if table.schema not in schemas:
                    row = CatalogSchemaRow(
                        organization_id=self._org_id,
                        connection_id=connection_id,
                        name=table.schema,
                        refreshed_at=now,
                    )
                    s.add(row)
                    s.flush()
                    schemas[table.schema] = row.id
                trow = CatalogTableRow(
                    organization_id=self._org_id,
                    schema_id=schemas[table.schema],
                    name=table.name,
                    kind=table.kind,
                    row_estimate=table.row_estimate,
                    refreshed_at=now,
                )
                s.add(trow)
                s.flush()
                s.add_all(
                    [
                        CatalogColumnRow(
                            organization_id=self._org_id,
                            table_id=trow.id,
                            position=i,
                            name=c.name,
                            canonical_type=c.canonical_type,
                            nullable=c.nullable,
                            pk_position=c.pk_position,
                        )
                        for i, c in enumerate(table.columns, start=1)
                    ]
                )
                count += 1
        return count

    def _clear(self, s: Session, connection_id: int) -> None:
        schema_ids = select(CatalogSchemaRow.id).where(
            CatalogSchemaRow.connection_id == connection_id
        )
        table_ids = select(CatalogTableRow.id).where(CatalogTableRow.schema_id.in_(schema_ids))
        s.execute(delete(CatalogColumnRow).where(CatalogColumnRow.table_id.in_(table_ids)))
        s.execute(delete(CatalogTableRow).where(CatalogTableRow.schema_id.in_(schema_ids)))
        s.execute(delete(CatalogSchemaRow).where(CatalogSchemaRow.connection_id == connection_id))

    def catalog(self, connection_id: int) -> list[CatalogTable]:
        """Every table of the connection with its columns, by schema and name."""
        with self._session(write=False) as s:
            self._connection(s, connection_id)
            rows = s.execute(
                select(CatalogSchemaRow.name, CatalogTableRow)
                .join(CatalogTableRow, CatalogTableRow.schema_id == CatalogSchemaRow.id)
                .where(CatalogSchemaRow.connection_id == connection_id)
                .order_by(CatalogSchemaRow.name, CatalogTableRow.name)
            ).all()
            columns: dict[int, list[CatalogColumn]] = {}
            ids = [t.id for _, t in rows]
            if ids:
                for c in s.scalars(
                    select(CatalogColumnRow)
                    .where(CatalogColumnRow.table_id.in_(ids))
                    .order_by(CatalogColumnRow.table_id, CatalogColumnRow.position)
                ):
                    columns.setdefault(c.table_id, []).append(
                        CatalogColumn(c.name, c.canonical_type, c.nullable, c.pk_position)
                    )
            return [
                CatalogTable(
                    schema=name,
                    name=t.name,
                    kind=t.kind,
                    row_estimate=t.row_estimate,
                    columns=tuple(columns.get(t.id, [])),
                    refreshed_at=t.refreshed_at,
                )
                for name, t in rows
            ]
