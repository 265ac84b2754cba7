"""Bounded resources: oversized and deeply nested projects and bundles are refused cheaply.

Issue #11: a 47 MB bundle of 130 valid 15 MiB pipelines took 6.1 GB to import, a 300 MB pipeline
file 1.07 GB, and a pipeline or manifest nested 5,000 levels crashed with RecursionError. Each
case runs the real CLI in a subprocess that reports its own peak RSS: it must exit 2 with a
clear message, no traceback, well under the memory the content would take.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.services.bundles import export_project
from app.storage.project import save_project
from app.storage.project_format import Project, ProjectMeta

#: peak RSS of a CLI process that refuses the input (importing Cauce costs about 100 MB)
PEAK_LIMIT_KB = 250 * 1024

# VmHWM is this process's own peak (ru_maxrss would include the parent's at fork time)
_WRAPPER = """
import atexit, sys

def peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print("PEAK_KB", kb, file=sys.stderr)

atexit.register(peak)
from app.cli import main
main(sys.argv[1:])
"""


def _cli(*args: str, cwd: Path) -> tuple[int, str, int]:
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    peak = int(proc.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout + proc.stderr, peak


def _project(tmp_path: Path) -> Path:
    p = Pipeline(name="tiny")
    src = p.add_node("source", name="src", params={"connection": "db", "table": "t"})
    dst = p.add_node("destination", name="dst", params={"connection": "db", "table": "u"})
    p.connect(src.id, "out", dst.id, "in")
    project = Project(
        meta=ProjectMeta(name="p"),
        pipelines={"tiny": p},
        connections={
            "db": Connection(name="db", type="duckdb", params={"path": str(tmp_path / "x.duckdb")})
        },
    )
    save_project(project, tmp_path / "p")
    return tmp_path / "p"


def _nested(depth: int) -> str:
    return '{"name": "deep", "nodes": [], "edges": [], "x": ' + "[" * depth + "]" * depth + "}"


def test_a_pipeline_nested_5000_levels_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "pipelines" / "deep.json").write_text(_nested(5000))
    code, out, peak = _cli("--run-project", str(root), "--dry-run", cwd=tmp_path)
    assert code == 2, out
    assert "pipelines/deep.json" in out and "nested deeper than 64 levels" in out
    assert peak < PEAK_LIMIT_KB


def test_a_manifest_nested_5000_levels_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "deep.cauce"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", _nested(5000))
    code, out, peak = _cli("import", str(bundle), str(tmp_path / "out"), cwd=tmp_path)
    assert code == 2, out
    assert "manifest.json" in out and "nested deeper" in out
    assert not (tmp_path / "out").exists()
    assert peak < PEAK_LIMIT_KB


def test_a_300_mb_pipeline_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    root = _project(tmp_path)
    with (root / "pipelines" / "huge.json").open("wb") as f:
        f.truncate(300 * 1024 * 1024)  # sparse: costs no disk, reading it would cost 300 MB
    code, out, peak = _cli("--run-project", str(root), "--dry-run", cwd=tmp_path)
    assert code == 2, out
    assert "pipelines/huge.json" in out and "more than the limit" in out
    assert peak < PEAK_LIMIT_KB


def test_a_bundle_with_too_much_json_is_refused_before_it_is_decompressed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    good = tmp_path / "good.cauce"
    export_project(root, good, include_data=False)
    bundle = tmp_path / "big.cauce"
    noise = base64.b64encode(os.urandom(6 * 1024 * 1024)).decode()  # 8 MiB, incompressible
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(9):  # 9 valid-looking pipelines of 8 MiB each: 72 MiB of JSON
            body = json.dumps(
                {
                    "name": f"p{i}",
                    "description": noise[: 8 * 1024 * 1024 - 200],
                    "nodes": [],
                    "edges": [],
                }
            )
            dst.writestr(f"pipelines/p{i}.json", body)
    code, out, peak = _cli("import", str(bundle), str(tmp_path / "out"), cwd=tmp_path)
    assert code == 2, out
    assert "JSON members declare" in out and "limit" in out
    assert peak < PEAK_LIMIT_KB


def test_a_pipeline_with_too_many_nodes_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    nodes = [
        {
            "id": f"{i:08d}-0000-4000-8000-000000000000",
            "name": f"n{i}",
            "type": "filter",
            "params": {},
        }
        for i in range(2001)
    ]
    (root / "pipelines" / "wide.json").write_text(
        json.dumps({"name": "wide", "nodes": nodes, "edges": []})
    )
    code, out, _peak = _cli("--run-project", str(root), "--dry-run", cwd=tmp_path)
    assert code == 2, out
    assert "2001 nodes, more than the limit of 2000" in out


@pytest.mark.parametrize("depth", [64, 65])
def test_the_depth_limit_is_exact(depth: int) -> None:
    from app.storage.project_format import ProjectError, check_depth

    text = ("[" * depth + "]" * depth).encode()
    if depth <= 64:
        check_depth(text, "x.json")
    else:
        with pytest.raises(ProjectError):
            check_depth(text, "x.json")
