"""Portable column kinds of backup archives, their Arrow types, and fixed-size batches.

Every column of a metadata-DB table has one portable kind, whatever the engine it comes from:

======== ============================ ==============================================
kind     SQL types                    Arrow type in the archive
======== ============================ ==============================================
``int``  integers                     ``int64``
``float`` floats, numerics            ``float64``
``bool`` booleans                     ``bool``
``ts``   timestamps                   ``timestamp[us, UTC]``
``json`` JSON                         ``string`` (formats 2, 3: the stored text;
                                      format 1: canonical text, sorted keys)
``str``  texts                        ``string``
``bytes`` binaries (``bytea``, BLOB)  ``binary``
======== ============================ ==============================================

Columns are sorted by name and rows are cut in batches of exactly ``batch_rows`` (the last one
shorter), so the same rows give the same Arrow IPC bytes whichever engine they were read from.

>>> import pyarrow as pa
>>> schema = arrow_schema({"b": "int", "a": "str"})
>>> schema.names
['a', 'b']
>>> parts = [pa.record_batch([pa.array(["x"] * n), pa.array(range(n))], schema=schema)
...          for n in (3, 4, 2)]
>>> [b.num_rows for b in rebatch(parts, schema, 4)]
[4, 4, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Table, types

from app.i18n import _
from app.storage.errors import BackupError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["arrow_schema", "column_kinds", "rebatch"]

#: SQL type -> portable kind, most specific first (``Boolean`` before ``Integer``)
_KINDS: tuple[tuple[type, str], ...] = (
    (types.Boolean, "bool"),
    (types.Integer, "int"),
    (types.Float, "float"),
    (types.Numeric, "float"),
    (types.DateTime, "ts"),
    (types.JSON, "json"),
    (types.String, "str"),
    (types.LargeBinary, "bytes"),
    (types.BINARY, "bytes"),
    (types.VARBINARY, "bytes"),
)


def column_kinds(table: Table) -> dict[str, str]:
    """Each column's portable kind (see the module's table); other types are refused."""
    kinds: dict[str, str] = {}
    for col in table.columns:
        kind = next((k for t, k in _KINDS if isinstance(col.type, t)), None)
        if kind is None:
            raise BackupError(
                table.name,
                _("column {column} has a type backups do not support: {type}").format(
                    column=col.name, type=col.type
                ),
            )
        kinds[col.name] = kind
    return kinds


def arrow_type(kind: str) -> pa.DataType:
    import pyarrow as pa

    return {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "ts": pa.timestamp("us", "UTC"),
        "json": pa.string(),
        "str": pa.string(),
        "bytes": pa.binary(),
    }[kind]


def arrow_schema(kinds: dict[str, str]) -> pa.Schema:
    """The archive's schema of a table: its columns sorted by name."""
    import pyarrow as pa

    return pa.schema([pa.field(n, arrow_type(kinds[n])) for n in sorted(kinds)])


def rebatch(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, batch_rows: int
) -> Iterator[pa.RecordBatch]:
    """The rows of ``batches`` again, cut in batches of exactly ``batch_rows`` (the last one
    shorter; none for no rows). Memory stays bounded by about two batches."""
    import pyarrow as pa

    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        held += batch.num_rows
        while held >= batch_rows:
            table = pa.Table.from_batches(pending, schema)
            yield _contiguous(table.slice(0, batch_rows), schema)
            rest = table.slice(batch_rows)
            pending, held = rest.to_batches(), rest.num_rows
    if held:
        yield _contiguous(pa.Table.from_batches(pending, schema), schema)


def _contiguous(table: pa.Table, schema: pa.Schema) -> pa.RecordBatch:
    import pyarrow as pa

    columns = [pa.concat_arrays(col.chunks) for col in table.columns]
    return pa.RecordBatch.from_arrays(columns, schema=schema)
