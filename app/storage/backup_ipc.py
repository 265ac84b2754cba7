"""Arrow IPC streams of backup members, written compressed (format 3) and read defensively.

Format 3 compresses inside the stream: each buffer of a record batch is LZ4-frame compressed
by Arrow (C++, buffers in parallel), and the member is stored as it is in the zip
(``ZIP_STORED``), so its checksum covers the bytes on disk.

A compressed buffer starts with its uncompressed length, and Arrow allocates that much before
it decompresses: a hostile stream of a few bytes could ask for terabytes. So a stream is read
message by message (:func:`checked_batches`): each record batch's buffer list is read from its
metadata (a FlatBuffer, :func:`declared_bytes`), and the uncompressed sizes it declares are
added up and checked against :class:`~app.storage.backup_format.BackupLimits` *before* Arrow
decodes the batch. The metadata and the body themselves are read through the member's
:class:`~app.storage.backup_format.LimitedReader`, which never reads past the member's size.

>>> import pyarrow as pa
>>> batch = pa.record_batch([pa.array(["x"] * 1000)], names=["a"])
>>> data = stream_bytes([batch], batch.schema, compressed=True)
>>> len(data) < len(stream_bytes([batch], batch.schema, compressed=False))
True
>>> [b.num_rows for b in checked_batches(pa.BufferReader(data), "t", BackupLimits())]
[1000]
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from app.i18n import _
from app.storage.backup_format import BackupLimits
from app.storage.errors import BackupError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CODEC",
    "checked_batches",
    "declared_bytes",
    "stream_bytes",
    "stream_schema",
    "write_options",
]

#: the codec of format 3's buffers (LZ4 frame: the cheapest to write; zstd level 1 made
#: archives 2.5x smaller but took longer, see docs/benchmarks.md)
CODEC = "lz4"
_RECORD_BATCH = 3  # MessageHeader union: Schema 1, DictionaryBatch 2, RecordBatch 3


def write_options(compressed: bool) -> Any:
    """The IPC options of a member: compressed buffers (format 3) or plain (format 1, 2)."""
    import pyarrow as pa

    return pa.ipc.IpcWriteOptions(compression=CODEC if compressed else None)


def stream_bytes(batches: Iterable[pa.RecordBatch], schema: pa.Schema, compressed: bool) -> bytes:
    """``batches`` as one IPC stream (for tests and doctests)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema, options=write_options(compressed)) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return bytes(sink.getvalue().to_pybytes())


# -- a minimal FlatBuffer reader: just what a RecordBatch message's buffer list needs --------
def _table(data: bytes, pos: int) -> tuple[int, int, int]:
    """(table position, vtable position, vtable size) of the table at ``pos``."""
    vtable = pos - struct.unpack_from("<i", data, pos)[0]
    size = struct.unpack_from("<H", data, vtable)[0]
    return pos, vtable, size


def _field(data: bytes, table: tuple[int, int, int], index: int) -> int | None:
    """The position of field ``index`` in ``table``, or ``None`` when absent."""
    pos, vtable, size = table
    at = 4 + 2 * index
    if at + 2 > size:
        return None
    offset = struct.unpack_from("<H", data, vtable + at)[0]
    return pos + offset if offset else None


def _deref(data: bytes, pos: int) -> int:
    return pos + struct.unpack_from("<I", data, pos)[0]


def declared_bytes(metadata: bytes, body: bytes) -> tuple[int, int]:
    """(rows, bytes its buffers hold once decompressed) of a record-batch message.

    ``metadata`` is the message's FlatBuffer (``Message``: field 1 the header type, 2 the
    header; ``RecordBatch``: 0 the length, 2 the buffers as (offset, length) structs, 3 the
    compression). A compressed buffer's first 8 bytes are its uncompressed length (-1: stored
    uncompressed). Anything out of bounds raises :class:`ValueError`.
    """
    message = _table(metadata, _deref(metadata, 0))
    kind_at = _field(metadata, message, 1)
    header_at = _field(metadata, message, 2)
    if kind_at is None or metadata[kind_at] != _RECORD_BATCH or header_at is None:
        raise ValueError("not a record batch")
    batch = _table(metadata, _deref(metadata, header_at))
    length_at = _field(metadata, batch, 0)
    rows = struct.unpack_from("<q", metadata, length_at)[0] if length_at is not None else 0
    buffers_at = _field(metadata, batch, 2)
    compressed = _field(metadata, batch, 3) is not None
    total = 0
    if buffers_at is not None:
        vector = _deref(metadata, buffers_at)
        count = struct.unpack_from("<I", metadata, vector)[0]
        for i in range(count):
            offset, length = struct.unpack_from("<qq", metadata, vector + 4 + 16 * i)
            if offset < 0 or length < 0 or offset + length > len(body):
                raise ValueError("a buffer outside the message body")
            size = length
            if compressed and length >= 8:
                plain = struct.unpack_from("<q", body, offset)[0]
                size = length - 8 if plain == -1 else plain
            if size < 0:
                raise ValueError("a negative buffer size")
            total += size
    return rows, total


def _schema(messages: Any, refuse: Any) -> pa.Schema:
    import pyarrow as pa

    try:
        first = messages.read_next_message()
    except StopIteration:
        raise refuse(_("it is empty")) from None
    if first.type != "schema":
        raise refuse(_("it does not start with a schema"))
    return pa.ipc.read_schema(first)


def stream_schema(source: IO[bytes] | Any, name: str) -> pa.Schema:
    """The schema at the start of the IPC stream ``source``."""
    import pyarrow as pa

    def refuse(problem: str) -> BackupError:
        return BackupError(name, _("not a valid Arrow stream ({error})").format(error=problem))

    try:
        return _schema(pa.ipc.MessageReader.open_stream(source), refuse)
    except (pa.ArrowInvalid, pa.ArrowIOError, pa.ArrowNotImplementedError) as err:
        raise refuse(str(err)) from None


def checked_batches(source: IO[bytes] | Any, name: str, limits: BackupLimits) -> Iterator[Any]:
    """The record batches of the IPC stream ``source``, each checked against ``limits``
    before Arrow decodes (and allocates) it; :class:`BackupError` names ``name`` otherwise."""
    import pyarrow as pa

    def refuse(problem: str) -> BackupError:
        return BackupError(name, _("not a valid Arrow stream ({error})").format(error=problem))

    try:
        messages = pa.ipc.MessageReader.open_stream(source)
        schema = _schema(messages, refuse)
        total = 0
        for message in messages:
            if message.type != "record batch":
                raise refuse(_("unexpected {kind} message").format(kind=message.type))
            try:
                rows, size = declared_bytes(message.metadata.to_pybytes(), message.body)
            except (ValueError, struct.error, IndexError) as err:
                raise refuse(str(err)) from None
            total += size
            if rows > limits.max_batch_rows or size > limits.max_batch_bytes:
                raise BackupError(
                    name,
                    _(
                        "a batch declares {rows} rows and {size} bytes, more than the limits "
                        "of {max_rows} and {max_size}"
                    ).format(
                        rows=rows,
                        size=size,
                        max_rows=limits.max_batch_rows,
                        max_size=limits.max_batch_bytes,
                    ),
                )
            if total > limits.max_member_bytes:
                raise BackupError(
                    name,
                    _("decompresses to more than the limit of {limit} bytes").format(
                        limit=limits.max_member_bytes
                    ),
                )
            yield pa.ipc.read_record_batch(message, schema)
    except (pa.ArrowInvalid, pa.ArrowIOError, pa.ArrowNotImplementedError) as err:
        raise refuse(str(err)) from None
