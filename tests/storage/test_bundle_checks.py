"""Every way a bundle can be bad is refused, naming the member, before anything is written.

Malicious bundles are built with :mod:`zipfile` directly (and a little byte patching for
headers that lie).
"""

from __future__ import annotations

import hashlib
import json
import stat
import struct
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest

from app.model.pipeline import Pipeline
from app.storage.bundles import BundleError, BundleLimits, inspect_bundle
from app.storage.project import load_project

PROJECT = json.dumps(
    {
        "format_version": 1,
        "id": "00000000-0000-4000-8000-000000000001",
        "name": "Shop",
        "description": "",
    }
).encode()
PIPELINE = Pipeline(name="orders", id="00000000-0000-4000-8000-00000000000a").to_json().encode()
BASE = {"project.json": PROJECT, "pipelines/orders.json": PIPELINE, "data/a.csv": b"id\n1\n"}

Entry = tuple[str | zipfile.ZipInfo, bytes]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_for(entries: list[Entry], **overrides: object) -> bytes:
    members = {(e.filename if isinstance(e, zipfile.ZipInfo) else e): sha(d) for e, d in entries}
    doc = {
        "format_version": 1,
        "created_at": "2026-01-01T00:00:00Z",
        "cauce_version": "0.1.0",
        "members": members,
        **overrides,
    }
    return json.dumps(doc).encode()


def write_zip(path: Path, entries: list[Entry], manifest: bytes | None = None) -> Path:
    """A zip of ``entries`` plus a manifest listing them (unless ``manifest`` is given)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries:
                zf.writestr(name, data)
            zf.writestr("manifest.json", manifest or manifest_for(entries))
    return path


def base_entries(**replace: bytes) -> list[Entry]:
    return list({**BASE, **replace}.items())


def assert_refused(path: Path, member: str, fragment: str, **kw: object) -> None:
    with pytest.raises(BundleError) as info:
        inspect_bundle(path, **kw)  # type: ignore[arg-type]
    assert info.value.member == member, str(info.value)
    assert fragment in str(info.value), str(info.value)


def test_valid_bundle_passes(tmp_path: Path) -> None:
    contents = inspect_bundle(write_zip(tmp_path / "ok.cauce", base_entries()))
    assert contents.project.meta.name == "Shop"
    assert list(contents.project.pipelines) == ["orders"]
    assert contents.data_files == ["data/a.csv"]


@pytest.mark.parametrize("name", ["../evil.sh", "data/../../evil.sh", "data/x/../../../evil"])
def test_dotdot_member(tmp_path: Path, name: str) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), (name, b"rm -rf ~")])
    assert_refused(path, name, "'..' component")


@pytest.mark.parametrize(
    "name, why",
    [
        ("/etc/cron.d/evil", "absolute path"),
        ("C:/Windows/evil.dll", "absolute path"),
        ("c:evil.dll", "absolute path"),
        ("data\\..\\evil.dll", "backslash"),
        ("\\\\server\\share\\evil", "backslash"),
    ],
)
def test_absolute_member(tmp_path: Path, name: str, why: str) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), (name, b"x")])
    assert_refused(path, name, why)


def test_symlink_member(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("data/passwd")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), (link, b"/etc/passwd")])
    assert_refused(path, "data/passwd", "symbolic links are not allowed")


def test_duplicate_member(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), ("data/a.csv", b"id\n2\n")])
    assert_refused(path, "data/a.csv", "duplicate member")
    folded = write_zip(tmp_path / "c.cauce", [*base_entries(), ("data/A.CSV", b"id\n2\n")])
    assert_refused(folded, "data/A.CSV", "duplicate member")


def test_checksum_mismatch(tmp_path: Path) -> None:
    entries = base_entries()
    manifest = json.loads(manifest_for(entries))
    manifest["members"]["data/a.csv"] = sha(b"something else")
    path = write_zip(tmp_path / "b.cauce", entries, json.dumps(manifest).encode())
    assert_refused(path, "data/a.csv", "checksum mismatch")


def test_unknown_manifest_format_version(tmp_path: Path) -> None:
    entries = base_entries()
    path = write_zip(tmp_path / "b.cauce", entries, manifest_for(entries, format_version=2))
    assert_refused(path, "manifest.json", "unknown bundle format version 2")


def test_unknown_project_format_version(tmp_path: Path) -> None:
    project = json.loads(PROJECT)
    project["format_version"] = 3
    path = write_zip(
        tmp_path / "b.cauce", base_entries(**{"project.json": json.dumps(project).encode()})
    )
    assert_refused(path, "project.json", "unknown project format version 3")


def test_member_not_in_manifest(tmp_path: Path) -> None:
    entries = base_entries()
    manifest = manifest_for(entries)
    path = write_zip(tmp_path / "b.cauce", [*entries, ("data/extra.csv", b"x")], manifest)
    assert_refused(path, "data/extra.csv", "not listed in the manifest")


def test_manifest_entry_missing(tmp_path: Path) -> None:
    entries = base_entries()
    manifest = manifest_for([*entries, ("data/gone.csv", b"x")])
    path = write_zip(tmp_path / "b.cauce", entries, manifest)
    assert_refused(path, "data/gone.csv", "listed in the manifest but missing")


def test_missing_manifest_and_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "b.cauce"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in base_entries():
            zf.writestr(name, data)
    assert_refused(path, "manifest.json", "missing: this is not a Cauce bundle")
    (tmp_path / "junk.cauce").write_bytes(b"PK\x03\x04 not really")
    assert_refused(tmp_path / "junk.cauce", "junk.cauce", "not a readable zip file")


def test_member_outside_layout(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), ("run.sh", b"#!/bin/sh")])
    assert_refused(path, "run.sh", "not part of the project layout")
    nested = write_zip(tmp_path / "c.cauce", [*base_entries(), ("pipelines/x/y.json", b"{}")])
    assert_refused(nested, "pipelines/x/y.json", "not part of the project layout")


def test_zip_bomb_highly_compressible_member(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), ("data/zeros.bin", bytes(20 << 20))])
    assert_refused(path, "data/zeros.bin", "compression ratio above 200")


def test_member_and_total_size_limits(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), ("data/big.csv", b"1\n" * 1000)])
    assert_refused(
        path,
        "data/big.csv",
        "more than the limit of 1000",
        limits=BundleLimits(max_member_bytes=1000),
    )
    assert_refused(
        path,
        "manifest.json",
        "more than the limit of 1500",
        limits=BundleLimits(max_total_bytes=1500),
    )
    big_json = base_entries(**{"pipelines/orders.json": PIPELINE + b" " * 600})
    assert_refused(
        write_zip(tmp_path / "c.cauce", big_json),
        "pipelines/orders.json",
        "more than the limit of 500",
        limits=BundleLimits(max_json_bytes=500),
    )


def _patch_header(path: Path, name: str, file_size: int, crc: int | None = None) -> None:
    """Rewrite the uncompressed size (and CRC) in both the local and the central header."""
    raw = bytearray(path.read_bytes())
    encoded = name.encode()
    for sig, name_at, crc_at, size_at in ((b"PK\x03\x04", 30, 14, 22), (b"PK\x01\x02", 46, 16, 24)):
        start = 0
        while (start := raw.find(sig, start)) >= 0:
            if raw[start + name_at : start + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", raw, start + size_at, file_size)
                if crc is not None:
                    struct.pack_into("<I", raw, start + crc_at, crc)
            start += 4
    path.write_bytes(bytes(raw))


def test_zip_bomb_lying_header(tmp_path: Path) -> None:
    """The header declares 100 bytes; 50 MiB come out. Refused, never fully decompressed."""
    payload = bytes(50 << 20)
    entries = [*base_entries(), ("data/liar.bin", payload[:100])]
    path = write_zip(tmp_path / "b.cauce", base_entries(), manifest_for(entries))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/liar.bin", payload)
    _patch_header(path, "data/liar.bin", 100)
    assert_refused(path, "data/liar.bin", "lies about its size")
    # Even with a CRC forged to match what zipfile would check, the byte count stops it.
    _patch_header(path, "data/liar.bin", 100, crc=zlib.crc32(payload[:101]))
    assert_refused(path, "data/liar.bin", "more data than the 100 bytes its header declares")


def test_invalid_pipeline_json_names_file(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "b.cauce",
        base_entries(**{"pipelines/orders.json": b'{"name": "orders", "nodes": [}'}),
    )
    assert_refused(path, "pipelines/orders.json", "invalid JSON")
    bad = json.loads(PIPELINE)
    bad["nodes"] = [{"type": "source", "name": " "}]
    path = write_zip(
        tmp_path / "c.cauce", base_entries(**{"pipelines/orders.json": json.dumps(bad).encode()})
    )
    assert_refused(
        path, "pipelines/orders.json", "invalid pipeline: nodes.0.name: a node name cannot be blank"
    )


def test_non_utf8_and_misnamed_members(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "b.cauce", base_entries(**{"project.json": PROJECT.replace(b"Shop", b"Sh\xe9p")})
    )
    assert_refused(path, "project.json", "not UTF-8")
    misnamed = [*base_entries(), ("pipelines/other.json", PIPELINE)]
    assert_refused(
        write_zip(tmp_path / "c.cauce", misnamed),
        "pipelines/other.json",
        "does not match the name 'orders'",
    )
    conn = json.dumps({"name": "db", "type": "postgres", "params": {}, "password": "x"}).encode()
    with_secret = [*base_entries(), ("connections/db.json", conn)]
    assert_refused(
        write_zip(tmp_path / "d.cauce", with_secret),
        "connections/db.json",
        "password: Extra inputs are not permitted",
    )


def test_failed_load_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    entries = base_entries()
    manifest = json.loads(manifest_for(entries))
    manifest["members"]["data/a.csv"] = sha(b"tampered")
    path = write_zip(tmp_path / "b.cauce", entries, json.dumps(manifest).encode())
    with pytest.raises(BundleError, match="data/a.csv: checksum mismatch"):
        load_project(path)
    assert list(scratch.iterdir()) == []
    good = write_zip(tmp_path / "ok.cauce", entries)
    with load_project(good) as opened:
        assert opened.is_bundle and opened.root.parent == scratch
        assert (opened.root / "data" / "a.csv").read_bytes() == b"id\n1\n"
        assert not (opened.root / "manifest.json").exists()
    assert list(scratch.iterdir()) == []  # the extraction directory is gone on close


def test_member_nested_under_a_file_member(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.cauce", [*base_entries(), ("data/a.csv/x.txt", b"x")])
    assert_refused(path, "data/a.csv/x.txt", "conflicts with the file member data/a.csv")
