"""Format 3 archives (Arrow-compressed streams in stored zip members): what they hold, and
attacks on them — a stream declaring huge buffers, a member declaring more bytes than the
file, damaged compressed data under a matching checksum — each refused before anything is
allocated or written (issue #17)."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from app.services.backups import restore_backup, verify_backup
from app.services.workspace import Workspace
from app.storage.backup_format import BackupError, BackupLimits
from app.storage.backup_ipc import checked_batches, declared_bytes, stream_bytes
from tests.storage.test_backup import _backup, _digests, populate


def _messages(data: bytes) -> list[pa.ipc.Message]:
    reader = pa.ipc.MessageReader.open_stream(pa.BufferReader(data))
    return list(reader)


def test_declared_sizes_are_the_sizes_of_the_plain_buffers() -> None:
    """What a compressed batch declares equals what the same batch holds written plain
    (another way of counting: the plain stream's buffer lengths)."""
    batch = pa.record_batch(
        [
            pa.array([f"ñandú {i}" if i % 7 else None for i in range(5000)]),
            pa.array(range(5000), pa.int64()),
            pa.array([i % 3 == 0 for i in range(5000)]),
            pa.array([b"\x00" * (i % 50) for i in range(5000)], pa.binary()),
        ],
        names=["a", "b", "c", "d"],
    )
    compressed = stream_bytes([batch], batch.schema, compressed=True)
    plain = stream_bytes([batch], batch.schema, compressed=False)
    assert len(compressed) < len(plain) / 2
    (_schema, packed), (_schema2, flat) = _messages(compressed), _messages(plain)
    got = declared_bytes(packed.metadata.to_pybytes(), packed.body)
    want = declared_bytes(flat.metadata.to_pybytes(), flat.body)
    assert got[0] == want[0] == 5000
    assert got[1] == want[1] <= flat.body.size
    limits = BackupLimits()
    (back,) = checked_batches(pa.BufferReader(compressed), "t", limits)
    assert back.equals(batch)


def _huge_stream(rows: int = 1000, declared: int = 1 << 40) -> bytes:
    """A valid compressed stream of one int64 column whose data buffer then claims
    ``declared`` bytes once decompressed (its first 8 bytes: validity is empty)."""
    batch = pa.record_batch([pa.array(range(rows), pa.int64())], names=["id"])
    data = bytearray(stream_bytes([batch], batch.schema, compressed=True))
    body = _messages(bytes(data))[1].body.size
    start = len(data) - 8 - body  # the body ends before the end-of-stream marker
    assert struct.unpack_from("<q", data, start)[0] == 8 * rows  # found the length
    struct.pack_into("<q", data, start, declared)
    return bytes(data)


def test_a_stream_declaring_huge_buffers_is_refused_before_arrow_allocates() -> None:
    with pytest.raises(BackupError, match="more than the limits"):
        list(checked_batches(pa.BufferReader(_huge_stream()), "tables/x.arrow", BackupLimits()))
    tight = BackupLimits(max_batch_rows=999)  # and too many rows
    with pytest.raises(BackupError, match="1000 rows"):
        list(checked_batches(pa.BufferReader(_huge_stream(declared=8000)), "x", tight))
    small = BackupLimits(max_member_bytes=4000)  # and a member decompressing past its limit
    with pytest.raises(BackupError, match="decompresses to more than"):
        list(checked_batches(pa.BufferReader(_huge_stream(declared=8000)), "x", small))


def _replace_member(src: Path, dst: Path, table: str, data: bytes) -> Path:
    """``src`` with ``table``'s member replaced and the manifest made to match (an attacker
    can write both)."""
    name = f"tables/{table}.arrow"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        manifest = json.loads(zin.read("manifest.json"))
        manifest["tables"][table]["sha256"] = hashlib.sha256(data).hexdigest()
        for info in zin.infolist():
            if info.filename == "manifest.json":
                zout.writestr(info, json.dumps(manifest).encode())
            else:
                zout.writestr(info, data if info.filename == name else zin.read(info))
    return dst


@pytest.fixture
def good(tmp_path: Path) -> Path:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    populate(source, pipelines=2)
    return _backup(source, tmp_path / "good.cauce-backup")


def _refused_and_nothing_written(bad: Path, tmp_path: Path, fragment: str) -> None:
    target = f"sqlite:///{tmp_path / 'target.db'}"
    populate(target, pipelines=1)
    before = _digests(target)
    with pytest.raises(BackupError, match=fragment):
        restore_backup(bad, workspace=Workspace.open(target))
    with pytest.raises(BackupError, match=fragment):
        verify_backup(bad)
    assert _digests(target) == before
    fresh = tmp_path / "fresh.db"
    with pytest.raises(BackupError, match=fragment):
        restore_backup(bad, workspace=Workspace.open(f"sqlite:///{fresh}"))
    assert not fresh.exists()


def test_an_archive_whose_stream_declares_huge_buffers_changes_nothing(
    good: Path, tmp_path: Path
) -> None:
    bad = _replace_member(good, tmp_path / "bad.cauce-backup", "events", _huge_stream())
    _refused_and_nothing_written(bad, tmp_path, "tables/events.arrow.*more than the limits")


def test_damaged_compressed_data_under_a_matching_checksum_changes_nothing(
    good: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(good) as zf:
        data = bytearray(zf.read("tables/events.arrow"))
    frame = data.find(struct.pack("<I", 0x184D2204))  # an LZ4 frame's magic number
    assert frame > 0
    data[frame : frame + 4] = b"\x00\x01\x02\x03"
    bad = _replace_member(good, tmp_path / "bad.cauce-backup", "events", bytes(data))
    _refused_and_nothing_written(bad, tmp_path, "tables/events.arrow.*not a valid Arrow stream")


def test_a_stored_member_declaring_more_than_the_file_holds_is_refused(
    good: Path, tmp_path: Path
) -> None:
    """Both sizes of a stored member's headers say 3 GiB: nothing is read (nor allocated)."""
    raw = bytearray(good.read_bytes())
    name = b"tables/events.arrow"
    for sig, name_at, sizes_at in ((b"PK\x03\x04", 30, 18), (b"PK\x01\x02", 46, 20)):
        start = 0
        while (start := raw.find(sig, start)) >= 0:
            if raw[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<II", raw, start + sizes_at, 3 << 30, 3 << 30)
            start += 4
    bad = tmp_path / "bad.cauce-backup"
    bad.write_bytes(bytes(raw))
    _refused_and_nothing_written(bad, tmp_path, "more than the file's")
