"""The one read of a sync's source, spooled to an Arrow IPC file so each destination (and
each retry) replays it from disk without reading the source again.

Memory stays bounded: batches are written as they arrive and read back one at a time from a
plain file (not memory-mapped, so replayed pages do not count against the process).

Spool files live in Cauce's own data directory (``<data dir>/spool``, see
:func:`app.storage.paths.data_dir`), named after the process that writes them
(``cauce-sync-<pid>-….arrows``). A process killed mid-sync cannot remove its file: the next
spool created on the machine removes every spool whose process no longer exists.

With ``CAUCE_ENCRYPT_SPOOLS=1`` (or ``Spool(encrypted=True)``) the file is sealed as it is
written (AES-256-GCM in authenticated chunks, :mod:`app.storage.bundle_crypto`) under a random
key that lives only in the process's memory: nothing on disk can decrypt it, so the debris of a
killed sync is unreadable too, and no key needs keeping.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from app.engine.sync.cursor import larger
from app.model.cancel import CancelToken

__all__ = ["ENCRYPT_SPOOLS_ENV", "Spool", "SpoolStats", "reap_spools", "spool_directory"]

ENCRYPT_SPOOLS_ENV = "CAUCE_ENCRYPT_SPOOLS"
SPOOL_PREFIX = "cauce-sync-"
_SPOOL_NAME = re.compile(re.escape(SPOOL_PREFIX) + r"(\d+)-.*\.arrows$")


def spool_directory() -> Path:
    """``<Cauce data directory>/spool`` (created when missing)."""
    from app.storage.paths import data_dir  # no SQLAlchemy: paths imports platformdirs only

    path = data_dir() / "spool"
    path.mkdir(parents=True, exist_ok=True)
    return path


def reap_spools(directory: Path) -> list[Path]:
    """Remove the spool files in ``directory`` left by processes that no longer exist."""
    from app.storage.reaping import process_alive

    removed = []
    for entry in directory.glob(SPOOL_PREFIX + "*.arrows"):
        m = _SPOOL_NAME.match(entry.name)
        if m is None or int(m.group(1)) == os.getpid() or process_alive(int(m.group(1))):
            continue
        with contextlib.suppress(FileNotFoundError):
            entry.unlink()
            removed.append(entry)
    return removed


@dataclass(frozen=True)
class SpoolStats:
    rows: int
    bytes: int
    seconds: float
    max_cursor: pa.Scalar | None


def spools_encrypted() -> bool:
    """Whether this machine asks for encrypted spools (``CAUCE_ENCRYPT_SPOOLS``)."""
    return os.environ.get(ENCRYPT_SPOOLS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


class Spool:
    """A temporary Arrow IPC stream file; a context manager that deletes it.

    ``encrypted``: seal it under a key held in memory only (default: ``CAUCE_ENCRYPT_SPOOLS``).
    """

    def __init__(self, directory: Path | None = None, *, encrypted: bool | None = None) -> None:
        from app.storage.bundle_crypto import BundleKey, new_header

        self._key = (
            BundleKey(new_header(), os.urandom(32))
            if (spools_encrypted() if encrypted is None else encrypted)
            else None
        )
        directory = directory or spool_directory()
        reap_spools(directory)  # debris of killed syncs
        fd, name = tempfile.mkstemp(
            prefix=f"{SPOOL_PREFIX}{os.getpid()}-", suffix=".arrows", dir=str(directory)
        )
        os.close(fd)
        self.path = Path(name)
        self.schema: pa.Schema | None = None

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def fill(
        self,
        reader: pa.RecordBatchReader,
        *,
        schema: pa.Schema,
        transform: Callable[[pa.RecordBatch], pa.RecordBatch],
        cursor: str | None = None,
        cancel: CancelToken | None = None,
        progress: Callable[[int, float], None] | None = None,
    ) -> SpoolStats:
        """Write every batch of ``reader`` (after ``transform``) to the file; replaces content.

        Returns the row count and, when ``cursor`` names a column, its largest value.
        """
        import pyarrow.compute as pc  # the Arrow path only

        started = time.perf_counter()
        rows, top = 0, None
        self.schema = schema
        try:
            with self._sink() as sink, pa.ipc.new_stream(sink, schema) as writer:
                for batch in reader:
                    if cancel is not None:
                        cancel.check()
                    batch = transform(batch)
                    if batch.num_rows == 0:
                        continue
                    writer.write_batch(batch)
                    rows += batch.num_rows
                    if cursor is not None:
                        top = larger(top, pc.max(batch.column(cursor)))
                    if progress is not None:
                        progress(rows, time.perf_counter() - started)
        finally:
            reader.close()
        return SpoolStats(
            rows=rows,
            bytes=self.path.stat().st_size,
            seconds=time.perf_counter() - started,
            max_cursor=top,
        )

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    @contextlib.contextmanager
    def _sink(self) -> Iterator[pa.NativeFile | io.RawIOBase]:
        if self._key is None:
            with pa.OSFile(str(self.path), "wb") as plain:
                yield plain
            return
        from app.storage.bundle_crypto import EncryptingWriter

        with open(self.path, "wb") as raw, EncryptingWriter(raw, self._key) as sealed:
            yield sealed

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Replay the spooled batches, one at a time."""
        if self._key is None:
            with pa.OSFile(str(self.path), "rb") as source:
                yield from pa.ipc.open_stream(source)
            return
        from app.storage.bundle_crypto import DecryptingReader

        with (
            open(self.path, "rb") as sealed,
            io.BufferedReader(
                DecryptingReader(sealed, self._key, self.path.name), buffer_size=self._key.chunk
            ) as source,
        ):
            yield from pa.ipc.open_stream(source)

    def reader(
        self, schema: pa.Schema, transform: Callable[[pa.RecordBatch], pa.RecordBatch]
    ) -> pa.RecordBatchReader:
        """A fresh stream over the spool, each batch passed through ``transform``."""

        def gen() -> Iterator[pa.RecordBatch]:
            for batch in self.batches():
                out = transform(batch)
                if out.num_rows:
                    yield out

        return pa.RecordBatchReader.from_batches(schema, gen())
