"""The COPY data paths: PostgreSQL CSV <-> Arrow record batches, in bounded memory.

Reading: ``COPY (SELECT …) TO STDOUT (FORMAT csv)`` is pulled chunk by chunk through
:class:`CopySource`, a file-like adapter that pyarrow's streaming CSV reader
(``pyarrow.csv.open_csv``) reads blocks from; columns are parsed with explicit types. In PG's
CSV an unquoted empty field is NULL and ``""`` is an empty string; the reader is told exactly
that (``null_values=[""]``, quoted strings never null).

Dates and timestamps are read as text and parsed by :mod:`app.connectors.pgtime`, and written
as PostgreSQL's text when any is infinite or before year 1, so ``infinity``, ``-infinity`` and
``… BC`` travel exactly (as DuckDB's Arrow infinities and negative dates).

Writing: each batch is rendered by pyarrow's CSV writer (strings always quoted, NULL as an
unquoted empty field) and sent to ``COPY … FROM STDIN (FORMAT csv)`` in writes of about 1 MiB
(COPY is much faster with large writes than with one write per row).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pcsv

from app.connectors import pgtime
from app.connectors.postgres._types import ColumnSpec, csv_type
from app.i18n import _

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "CopySource",
    "CsvValueError",
    "csv_batches",
    "encode_batches",
    "first_unparsable",
    "WRITE_CHUNK",
]

WRITE_CHUNK = 1 << 20
READ_BLOCK = 1 << 20


class CopySource(io.RawIOBase):
    """A read-only binary file over the chunks of a ``COPY … TO STDOUT``."""

    def __init__(self, copy: psycopg.Copy) -> None:
        super().__init__()
        self._copy = copy
        self._buffer = bytearray()  # COPY yields one small chunk per row: append, slice once
        self._eof = False

    def readable(self) -> bool:
        return True

    def empty(self) -> bool:
        """True when the COPY sends no data at all (an empty result)."""
        self._fill(1)
        return not self._buffer

    def _fill(self, size: int) -> None:
        buffer, read = self._buffer, self._copy.read
        while not self._eof and len(buffer) < size:
            chunk = read()
            if not chunk:
                self._eof = True
                break
            buffer += chunk

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            self._fill(1 << 62)
            size = len(self._buffer)
        else:
            self._fill(size)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        self._fill(size)
        n = min(size, len(self._buffer))
        buffer[:n] = self._buffer[:n]
        del self._buffer[:n]
        return n


def _hex_to_bytes(array: pa.Array) -> pa.Array:
    """PostgreSQL's ``\\x0a0b`` bytea text as binary values."""
    return pa.array(
        [None if v is None else bytes.fromhex(v[2:]) for v in array.to_pylist()], type=pa.binary()
    )


class CsvValueError(pa.ArrowInvalid):
    """A value of column ``index`` (of the specs read) that the CSV path cannot parse; the
    message names the column and pyarrow's reason (``detail``), not yet the row."""

    def __init__(
        self, index: int, spec: ColumnSpec, detail: str, message: str | None = None
    ) -> None:
        super().__init__(
            message
            or _("column {column!r} ({type}): {error}").format(
                column=spec.name, type=spec.arrow, error=detail
            )
        )
        self.index, self.spec, self.detail = index, spec, detail


def _convert_options(types: dict[str, pa.DataType]) -> pcsv.ConvertOptions:
    """PG's CSV: an unquoted empty field is NULL, ``""`` an empty string, booleans t/f."""
    return pcsv.ConvertOptions(
        column_types=types,
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
        true_values=["t"],
        false_values=["f"],
    )


def _column_error(err: pa.ArrowInvalid, specs: list[ColumnSpec]) -> pa.ArrowInvalid:
    """pyarrow's CSV error (``In CSV column #4: …``) as a :class:`CsvValueError` naming the
    column, or as it is when it names none."""
    text = str(err)
    found = re.search(r"CSV column #(\d+)", text)
    if found is None or int(found.group(1)) >= len(specs):
        return err
    index = int(found.group(1))
    return CsvValueError(index, specs[index], text.split(": ", 1)[-1])


def csv_batches(copy: psycopg.Copy, specs: list[ColumnSpec]) -> Iterator[pa.RecordBatch]:
    """Parse a running ``COPY … TO STDOUT (FORMAT csv)`` into batches of the specs' types.

    A value that cannot be parsed raises :class:`CsvValueError` (the column, not the row:
    the reader parses whole blocks; see :mod:`._unparsable`).
    """
    schema = pa.schema([s.field for s in specs])
    names = [f"c{i}" for i in range(len(specs))]  # positional: query columns may repeat names
    source = CopySource(copy)
    if source.empty():  # pyarrow refuses an empty CSV stream
        return
    try:  # opening parses the first block already
        batches = iter(
            pcsv.open_csv(
                source,
                read_options=pcsv.ReadOptions(column_names=names, block_size=READ_BLOCK),
                parse_options=pcsv.ParseOptions(newlines_in_values=True),
                convert_options=_convert_options(
                    {n: csv_type(s) for n, s in zip(names, specs, strict=True)}
                ),
            )
        )
    except pa.ArrowInvalid as err:
        raise _column_error(err, specs) from None
    binary = [i for i, s in enumerate(specs) if pa.types.is_binary(s.arrow)]
    times = [i for i, s in enumerate(specs) if pgtime.handles(s.arrow)]
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except pa.ArrowInvalid as err:
            raise _column_error(err, specs) from None
        columns = list(batch.columns)
        for i in binary:
            columns[i] = _hex_to_bytes(columns[i])
        for i in times:
            try:
                columns[i] = pgtime.parse(columns[i], specs[i].arrow)
            except pa.ArrowInvalid as err:  # a timestamp after 294247 (64-bit µs)
                raise CsvValueError(i, specs[i], str(err)) from None
        yield pa.RecordBatch.from_arrays(columns, schema=schema)


def _parses(texts: Sequence[str | None], spec: ColumnSpec) -> bool:
    """Whether :func:`csv_batches` reads ``texts`` (PostgreSQL's text of values of ``spec``'s
    column, None for NULL) without error: the same CSV parse, the same options."""
    if not texts:
        return True
    sink = io.BytesIO()
    table = pa.table({"c0": pa.array(list(texts), type=pa.string())})
    pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False, quoting_style="needed"))
    try:
        column = pcsv.read_csv(
            pa.BufferReader(sink.getvalue()),
            read_options=pcsv.ReadOptions(column_names=["c0"]),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=_convert_options({"c0": csv_type(spec)}),
        ).column(0)
        if pgtime.handles(spec.arrow):
            pgtime.parse(column.combine_chunks(), spec.arrow)
    except pa.ArrowInvalid:
        return False
    return True


def first_unparsable(texts: Sequence[str | None], spec: ColumnSpec) -> int | None:
    """The index of the first of ``texts`` that :func:`csv_batches` cannot parse as
    ``spec``'s column, or None (a binary search over prefixes: a few parses of the list)."""
    if _parses(texts, spec):
        return None
    low, high = 0, len(texts)  # texts[:low] parses, texts[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if _parses(texts[:middle], spec):
            low = middle
        else:
            high = middle
    return high - 1


def _csv_ready(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Columns in a form PostgreSQL parses from CSV (bytea as hex, dictionaries decoded,
    zoned timestamps as UTC wall time)."""
    columns = []
    changed = False
    for col in batch.columns:
        dtype = col.type
        if pa.types.is_dictionary(dtype):
            col, dtype, changed = col.cast(dtype.value_type), dtype.value_type, True
        if (
            pa.types.is_binary(dtype)
            or pa.types.is_large_binary(dtype)
            or pa.types.is_binary_view(dtype)
        ):
            col = pa.array(
                [None if v is None else "\\x" + v.hex() for v in col.to_pylist()], type=pa.string()
            )
            changed = True
        elif (text := pgtime.pg_text(col)) is not None:
            # infinite or BC values: PostgreSQL's own text, which it parses back exactly
            col, changed = text, True
        elif pa.types.is_timestamp(dtype) and dtype.tz:
            # same UTC instants without the zone: pyarrow formats zoned timestamps ~15x slower,
            # and the session's TimeZone is UTC, so PostgreSQL reads them back as UTC
            col, changed = col.cast(pa.timestamp(dtype.unit)), True
        elif pa.types.is_null(dtype) or pa.types.is_string_view(dtype):
            col, changed = col.cast(pa.string()), True
        columns.append(col)
    if not changed:
        return batch
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def encode_batches(batches: Iterable[pa.RecordBatch], counter: list[int]) -> Iterator[bytes]:
    """CSV bytes for ``COPY FROM STDIN (FORMAT csv)`` in chunks of about 1 MiB.

    ``counter[0]`` is increased by the rows of each batch consumed.
    """
    sink = io.BytesIO()
    options = pcsv.WriteOptions(include_header=False, quoting_style="needed")
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pcsv.write_csv(_csv_ready(batch), sink, options)
        counter[0] += batch.num_rows
        if sink.tell() >= WRITE_CHUNK:
            yield sink.getvalue()
            sink = io.BytesIO()
    if sink.tell():
        yield sink.getvalue()
