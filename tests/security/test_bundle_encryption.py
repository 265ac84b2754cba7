"""Bundles encrypted under a passphrase (issue #19, item 4): attacks on the file, and the CLI.

The bundle must hold nothing in clear (no canary e-mail, no zip structure, no project name),
open only with its passphrase, and refuse — before writing anything — a wrong passphrase, a
flipped byte, a file cut short (also at a chunk boundary), chunks swapped, and a header whose
key-derivation cost was raised.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.model.connection import Connection
from app.services.bundles import export_project, import_bundle, is_encrypted_bundle
from app.storage.bundle_crypto import MAGIC
from app.storage.bundles import BundleError, export_bundle, inspect_bundle, plan_import
from app.storage.project import Project, ProjectMeta, load_project, save_project
from tests.conftest import REPO

CANARY = "canary.person@example.org"
PASSPHRASE = "a long passphrase for the bundle"
CHUNK = 1 << 20


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    save_project(
        Project(
            meta=ProjectMeta(name="SecretShop", id="00000000-0000-4000-8000-000000000019"),
            connections={"files": Connection(name="files", type="files", params={"path": "data"})},
        ),
        root,
    )
    rows = "".join(
        f"{i},{CANARY if i % 7 == 0 else f'p{i}@x.org'},{os.urandom(8).hex()}\n"
        for i in range(60_000)
    )
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "people.csv").write_text("id,email,noise\n" + rows)
    (root / "data" / "noise.bin").write_bytes(os.urandom(3 * CHUNK))  # several chunks
    return root


def _export(project: Path, tmp_path: Path) -> Path:
    bundle = tmp_path / "shop.cauce"
    export_bundle(project, bundle, passphrase=PASSPHRASE)
    return bundle


def test_the_encrypted_bundle_holds_nothing_in_clear_and_reads_back(
    project: Path, tmp_path: Path
) -> None:
    bundle = _export(project, tmp_path)
    blob = bundle.read_bytes()
    assert blob.startswith(MAGIC) and is_encrypted_bundle(bundle)
    assert len(blob) > 2 * CHUNK  # several chunks: the chunked path is exercised
    # no zip signature: a four-byte one ("PK\x03\x04") turns up by chance in about one
    # 5 MB random blob out of 800, so the zip's own member names stand for its structure
    for clear in (CANARY.encode(), b"manifest.json", b"data/people.csv", b"SecretShop"):
        assert clear not in blob
    # the same project as a plain bundle holds the canary (the check above can fail)
    plain = tmp_path / "plain.cauce"
    export_bundle(project, plain)
    with zipfile.ZipFile(plain) as zf:
        assert CANARY.encode() in zf.read("data/people.csv")

    contents = inspect_bundle(bundle, passphrase=PASSPHRASE)
    assert contents.encrypted and contents.project.meta.name == "SecretShop"
    target = tmp_path / "imported"
    lines = import_bundle(bundle, target, passphrase=PASSPHRASE)
    assert any("imported into" in line for line in lines)
    assert (target / "data" / "people.csv").read_bytes() == (
        project / "data" / "people.csv"
    ).read_bytes()


def test_a_wrong_or_missing_passphrase_is_refused_and_nothing_is_written(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _export(project, tmp_path)
    target = tmp_path / "imported"
    with pytest.raises(BundleError, match="wrong passphrase"):
        import_bundle(bundle, target, passphrase="not the passphrase")
    monkeypatch.delenv("CAUCE_BUNDLE_PASSPHRASE", raising=False)
    with pytest.raises(BundleError, match="this bundle is encrypted: give its passphrase"):
        import_bundle(bundle, target)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop", "shop.cauce"]
    # running it (load_project) reads the passphrase from the environment
    monkeypatch.setenv("CAUCE_BUNDLE_PASSPHRASE", PASSPHRASE)
    with load_project(bundle) as opened:
        assert (opened.root / "data" / "people.csv").is_file()


def _tampered(bundle: Path, change) -> Path:  # type: ignore[no-untyped-def]
    blob = bytearray(bundle.read_bytes())
    (header_size,) = struct.unpack(">I", blob[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4 + header_size
    out = bundle.with_name("tampered.cauce")
    out.write_bytes(bytes(change(blob, start)))
    return out


def _flip(blob: bytearray, start: int) -> bytearray:
    blob[start + CHUNK + 100] ^= 0x01
    return blob


def _cut_at_chunk(blob: bytearray, start: int) -> bytearray:
    return blob[: start + 2 * (CHUNK + 16)]


def _cut_inside(blob: bytearray, start: int) -> bytearray:
    return blob[:-5]


def _swap_chunks(blob: bytearray, start: int) -> bytearray:
    step = CHUNK + 16
    first, second = blob[start : start + step], blob[start + step : start + 2 * step]
    blob[start : start + step], blob[start + step : start + 2 * step] = second, first
    return blob


def _raise_cost(blob: bytearray, start: int) -> bytearray:
    (size,) = struct.unpack(">I", blob[len(MAGIC) : len(MAGIC) + 4])
    header = json.loads(bytes(blob[len(MAGIC) + 4 : start]))
    header["kdf"]["n"] = 2**22
    raw = json.dumps(header).encode()
    return bytearray(MAGIC + struct.pack(">I", len(raw)) + raw) + blob[start:]


def _lower_cost(blob: bytearray, start: int) -> bytearray:
    header = json.loads(bytes(blob[len(MAGIC) + 4 : start]))
    header["kdf"]["n"] = 2**14  # cheaper, but then the key (and its check) differ
    raw = json.dumps(header).encode()
    return bytearray(MAGIC + struct.pack(">I", len(raw)) + raw) + blob[start:]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_flip, "altered or damaged"),
        (_cut_at_chunk, "altered or damaged"),
        (_cut_inside, "altered or damaged"),
        (_swap_chunks, "altered or damaged"),
        (_raise_cost, "beyond what Cauce accepts"),
        (_lower_cost, "wrong passphrase"),
    ],
)
def test_an_altered_bundle_is_refused_before_anything_is_written(
    project: Path,
    tmp_path: Path,
    change,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    bundle = _tampered(_export(project, tmp_path), change)
    target = tmp_path / "imported"
    with pytest.raises(BundleError, match=message):
        plan_import(bundle, target, passphrase=PASSPHRASE)
    assert not target.exists()


def test_cli_export_encrypt_and_import_with_the_passphrase(project: Path, tmp_path: Path) -> None:
    bundle, target = tmp_path / "cli.cauce", tmp_path / "cli-imported"
    env = dict(os.environ, BUNDLE_PASS=PASSPHRASE, WRONG_PASS="nope nope nope")
    env.pop("CAUCE_BUNDLE_PASSPHRASE", None)

    def cauce(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    done = cauce(
        "export", str(project), str(bundle), "--encrypt", "--passphrase-env", "BUNDLE_PASS"
    )
    assert done.returncode == 0, done.stderr
    assert "encrypted" in done.stdout and CANARY.encode() not in bundle.read_bytes()

    asked = cauce("import", str(bundle), str(target))  # no terminal, no passphrase
    assert asked.returncode == 2 and "--passphrase-env" in asked.stderr
    wrong = cauce("import", str(bundle), str(target), "--passphrase-env", "WRONG_PASS")
    assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr
    assert not target.exists()
    right = cauce("import", str(bundle), str(target), "--passphrase-env", "BUNDLE_PASS")
    assert right.returncode == 0, right.stderr
    assert CANARY in (target / "data" / "people.csv").read_text()
    assert PASSPHRASE not in done.stdout + done.stderr + right.stdout + right.stderr


def test_export_project_summary_says_encrypted(project: Path, tmp_path: Path) -> None:
    summary = export_project(project, tmp_path / "s.cauce", passphrase=PASSPHRASE)
    assert "encrypted" in summary and PASSPHRASE not in summary


def test_the_streams_round_trip_empty_and_exact_chunk_sizes() -> None:
    from app.storage.bundle_crypto import (
        DecryptingReader,
        EncryptingWriter,
        derive_key,
        new_header,
    )

    for size in (0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK):
        data = os.urandom(size)
        sink = io.BytesIO()
        with EncryptingWriter(sink, derive_key(PASSPHRASE, new_header())) as writer:
            writer.write(data[: size // 3])
            writer.write(data[size // 3 :])
        reader = io.BufferedReader(DecryptingReader.open_bytes(sink.getvalue(), PASSPHRASE))
        assert reader.read() == data
        reader.seek(size // 2)
        assert reader.read(10) == data[size // 2 : size // 2 + 10]
