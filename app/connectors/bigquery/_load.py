"""The bulk path: an Arrow stream spooled to a local Parquet file, then one load job.

Rows never go through streaming inserts (``insertAll``) or ``INSERT … VALUES``: a load job
is free, atomic and fast for any size. The file is written completely before BigQuery is
touched, so a source failing mid-stream leaves the destination as it was. Values BigQuery
cannot hold (dates and timestamps outside years 1–9999, ±infinity) are refused here, by
column and value, before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from app.connectors._common import conform_batch
from app.connectors.base import ConnectionError_
from app.i18n import _

__all__ = ["LoadFile", "load_job_config", "spool_parquet"]

_DAY_MIN, _DAY_MAX = -719162, 2932896  # 0001-01-01, 9999-12-31 as days since 1970
_US_MIN, _US_MAX = -62135596800000000, 253402300799999999


class LoadFile:
    """A spooled Parquet file: its path and how many rows it holds."""

    def __init__(self, path: str, rows: int, size: int) -> None:
        self.path, self.rows, self.size = path, rows, size


def _check_range(batch: pa.RecordBatch) -> None:
    for field, col in zip(batch.schema, batch.columns, strict=True):
        t = field.type
        if pa.types.is_date32(t):
            low, high, raw = _DAY_MIN, _DAY_MAX, col.cast(pa.int32())
        elif pa.types.is_timestamp(t):
            low, high, raw = _US_MIN, _US_MAX, col.cast(pa.int64())
        else:
            continue
        bad = pc.or_(pc.less(raw, low), pc.greater(raw, high))
        if pc.any(bad).as_py():
            index = pc.index(bad, True).as_py()
            value = raw[index].as_py()
            shown = (
                "infinity"
                if value in (2**31 - 1, 2**63 - 1)
                else "-infinity"
                if value in (-(2**31) + 1, -(2**31), -(2**63) + 1, -(2**63))
                else str(dt.date(1970, 1, 1) + dt.timedelta(days=value))
                if pa.types.is_date32(t) and abs(value) < 3_000_000
                else str(value)
            )
            raise ConnectionError_(
                _(
                    "column {column!r} holds {value}, outside the years 1 to 9999 that "
                    "BigQuery's DATE, DATETIME and TIMESTAMP hold"
                ).format(column=field.name, value=shown)
            )


@contextmanager
def spool_parquet(
    data: pa.RecordBatchReader, schema: pa.Schema, *, row_column: str | None = None
) -> Iterator[LoadFile]:
    """Write ``data`` (cast to ``schema``) to a temporary Parquet file, removed afterwards;
    with ``row_column``, each row's arrival position is added as that int64 column."""
    out_schema = schema.append(pa.field(row_column, pa.int64())) if row_column else schema
    handle, path = tempfile.mkstemp(prefix="cauce-bq-", suffix=".parquet")
    os.close(handle)
    rows = 0
    try:
        with pq.ParquetWriter(path, out_schema, compression="zstd") as writer:
            for batch in data:
                shaped = conform_batch(batch, schema)
                _check_range(shaped)
                if row_column:
                    order = pa.array(range(rows, rows + shaped.num_rows), pa.int64())
                    shaped = pa.RecordBatch.from_arrays([*shaped.columns, order], schema=out_schema)
                writer.write_batch(shaped)
                rows += shaped.num_rows
        yield LoadFile(path, rows, os.path.getsize(path))
    finally:
        os.unlink(path)


def load_job_config(schema_fields: list[Any]) -> Any:
    """A load job from Parquet into a new (or emptied) staging table with ``schema_fields``."""
    from google.cloud import bigquery

    config = bigquery.LoadJobConfig(
        source_format=bigquery.SourceFormat.PARQUET,
        write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE,
        create_disposition=bigquery.CreateDisposition.CREATE_IF_NEEDED,
        schema=schema_fields,
    )
    config.decimal_target_types = ["NUMERIC", "BIGNUMERIC"]
    return config
