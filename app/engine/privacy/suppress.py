"""The suppression list on the write path: rows of erased subjects are not written again.

A project's suppression list holds keyed hashes (:func:`~.subject.key_digest`) of erased
subjects' keys, per tag. A row is *suppressed* when a column carrying one of those tags holds
a value whose hash is on the list. What happens to it follows the destination table's
erasure policy: ``delete`` leaves the row out, ``anonymise`` writes it with its tagged
columns NULL.

Two write paths, one test (:meth:`Suppression.matches`: Python's HMAC over Arrow values):

- syncs: a :class:`RowFilter` on each Arrow batch a destination writes
  (``SyncRunner(row_filters=…)``; such a destination never takes the native fast path);
- pipelines: :mod:`.suppress_stage` wraps the query of each destination that needs it in a
  filter calling the local session's ``cauce_suppressed`` function, which calls
  :meth:`Suppression.matches`.

The key stays in this process: it never reaches SQL, a file or a log.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from app.engine.privacy.subject import normalise

__all__ = ["ColumnTags", "RowFilter", "Suppression", "for_table", "table_entry"]

#: tags by column (column -> tags)
ColumnTags = Mapping[str, frozenset[str]]
V = TypeVar("V")


def table_entry(mapping: Mapping[tuple[str, str], V], connection: str, table: str, default: V) -> V:
    """``mapping``'s value for (connection, table lower-cased); ``crm.customers`` and
    ``customers`` name one table (a schema is optional)."""
    wanted = table.lower()
    for (conn, stored), value in mapping.items():
        if conn == connection and (
            stored == wanted or stored.endswith("." + wanted) or wanted.endswith("." + stored)
        ):
            return value
    return default


@dataclass(frozen=True)
class Suppression:
    """A project's suppression list, its hashing key, and its tables' erasure policies.

    ``tables``: (connection, table lower-cased) -> column lower-cased -> tags set on the
    table itself (a pipeline's destination also gets its columns' tags by lineage).
    ``policies``: (connection, table lower-cased) -> ``"anonymise"`` (default ``"delete"``).
    """

    key: bytes
    digests: Mapping[str, frozenset[str]]
    tables: Mapping[tuple[str, str], ColumnTags] = field(default_factory=dict)
    policies: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def matches(self, tag: str, values: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Which of ``values`` (any type, read as text) are suppressed under ``tag``."""
        text = values if values.type == pa.string() else values.cast(pa.string())
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks() if text.num_chunks else pa.array([], pa.string())
        wanted = self.digests.get(tag, frozenset())
        none = pa.array([False] * len(text), pa.bool_())
        if not wanted or len(text) == 0:
            return none
        inner = hmac.new(self.key, tag.encode() + b"\0", hashlib.sha256)
        hit = []
        for value in pc.unique(text).to_pylist():
            if value is not None:
                mac = inner.copy()
                mac.update(normalise(tag, value).encode())
                if mac.hexdigest() in wanted:
                    hit.append(value)
        if not hit:
            return none
        return pc.fill_null(pc.is_in(text, value_set=pa.array(hit, pa.string())), False)

    def plan(
        self, connection: str, table: str, tags: ColumnTags
    ) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]] | None:
        """What a write to ``table`` must do, from the tags of the columns it writes (and
        the table's own tags): the (column, tag) pairs to test and, when the table's policy
        anonymises, the columns to set to NULL. None: no column carries a suppressed tag."""
        own = table_entry(self.tables, connection, table, {})
        merged = {c: t | own.get(c.lower(), frozenset()) for c, t in tags.items()}
        for column, found in own.items():
            if not any(c.lower() == column for c in merged):
                merged[column] = found
        keys = tuple(
            (column, tag)
            for column, found in sorted(merged.items())
            for tag in sorted(found & set(self.digests))
        )
        if not keys:
            return None
        anonymise = table_entry(self.policies, connection, table, "delete") == "anonymise"
        blank = tuple(c for c, t in sorted(merged.items()) if t) if anonymise else ()
        return keys, blank


@dataclass(frozen=True)
class RowFilter:
    """The suppression of one destination table on Arrow batches (syncs)."""

    suppression: Suppression
    #: (column, tag) whose values are tested
    keys: tuple[tuple[str, str], ...]
    #: the columns set to NULL in suppressed rows; empty: suppressed rows are left out
    anonymise: tuple[str, ...] = ()

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if batch.num_rows == 0:
            return batch
        names = {n.lower(): n for n in batch.schema.names}
        hit: pa.Array | None = None
        for column, tag in self.keys:
            name = names.get(column.lower())
            if name is not None:
                found = self.suppression.matches(tag, batch.column(name))
                hit = found if hit is None else pc.or_(hit, found)
        if hit is None or not pc.any(hit).as_py():
            return batch
        if not self.anonymise:
            return batch.filter(pc.invert(hit))
        blank = {c.lower() for c in self.anonymise}
        arrays = [
            pc.if_else(hit, pa.nulls(batch.num_rows, f.type), batch.column(i))
            if f.name.lower() in blank
            else batch.column(i)
            for i, f in enumerate(batch.schema)
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def for_table(
    suppression: Suppression, connection: str, table: str, tags: ColumnTags
) -> RowFilter | None:
    """The :class:`RowFilter` of a destination table whose written columns carry ``tags``
    (None: nothing to filter)."""
    found = suppression.plan(connection, table, tags)
    return RowFilter(suppression, *found) if found else None
