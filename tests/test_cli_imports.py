"""A headless run imports only what it uses: never pandas or matplotlib, nor the sync engine
when the project has no syncs (each would add a sizeable share of a short run's start-up)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"

# runs the real `cauce` entry point; at exit (cli.leave runs atexit handlers) it writes the
# names of every module the process imported
_RUN = """
import atexit, json, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
from app.cli import main
main(sys.argv[1:])
"""


def _cauce(tmp_path: Path, script: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``script`` (which ends by calling the real ``cauce`` entry point with ``args``) run in a
    process of its own, writing what it reports to ``out``; the example's output and metadata
    DB in ``tmp_path``."""
    env = {
        **os.environ,
        "CAUCE_OUTPUT_DIR": str(tmp_path / "out"),
        "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script, str(out), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def _modules_of_run(tmp_path: Path, *args: str) -> set[str]:
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    modules = tmp_path / "modules.json"
    done = _cauce(tmp_path, _RUN, modules, "--run-project", str(project), *args)
    assert json.loads(done.stdout)["status"] == "succeeded"
    return set(json.loads(modules.read_text()))


def test_run_project_never_imports_pandas_matplotlib_the_sync_engine_or_the_server(
    tmp_path: Path,
) -> None:
    loaded = _modules_of_run(tmp_path, "--json")
    assert "duckdb" in loaded and "app.connectors.sqlite" in loaded  # it did run the pipeline
    heavy_modules = ("pandas", "matplotlib", "app.engine.sync", "app.services.syncs", "PySide6")
    # the scheduler and the notification channels' clients are imported only when used
    # (docs/scheduling.md, docs/alerts.md)
    heavy_extra = ("apscheduler", "app.services.scheduler", "httpx", "httpcore", "smtplib")
    # nothing is encrypted or decrypted: no secret, no bundle (docs/secrets.md)
    heavy_extra += ("cryptography",)
    # Arrow's compute functions serve type conversions this project's data never needs
    heavy_extra += ("pyarrow.compute",)
    # a project without checks runs none
    heavy_extra += ("app.engine.quality", "app.services.quality")
    # a project without tags or masks never loads the privacy engine (docs/privacy.md)
    heavy_extra += ("app.engine.privacy", "app.services.privacy")
    web = ("fastapi", "starlette", "uvicorn", "jwt", "app.api")  # only `cauce serve` needs them
    # backups, first set-up and doctor (docs/backup.md) load only for their commands
    web += ("app.services.backups", "app.services.setup", "app.storage.backup")
    web += ("app.storage.backup_restore", "app.storage.backup_format", "app.storage.doctor")
    web += ("app.storage.backup_columns", "app.storage.backup_legacy")
    web += ("app.storage.backup_postgres", "app.storage.backup_sqlite")
    for heavy in (*heavy_modules, *heavy_extra, *web, "app.services.notify_email"):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in loaded), heavy


def test_every_table_module_is_declared_with_the_models() -> None:
    """Importing the models declares every table: ``TABLE_MODULES`` names every table module
    (one left out would be missing from migrations' comparisons and from backups, and
    declared later, on whatever thread first imports it, while another configures the
    mappers: SQLAlchemy's registry is not safe for that)."""
    from app.storage.models import TABLE_MODULES

    on_disk = {p.stem for p in (REPO / "app" / "storage").glob("*_models.py")}
    assert set(TABLE_MODULES) == on_disk
    script = (
        "import sys; from app.storage.models import Base; "
        "print(sorted(m for m in sys.modules if m.endswith('_models')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert all(f"app.storage.{m}" in done.stdout for m in TABLE_MODULES), done.stdout


def test_pyarrow_still_converts_pandas_objects_after_the_probe() -> None:
    """Skipping the probe never breaks pandas for code that asks for it later."""
    script = (
        "import sys\n"
        "from app.engine.headless import skip_pandas_probe\n"
        "skip_pandas_probe()\n"
        "import pyarrow as pa\n"
        "assert pa.array([1, None]).null_count == 1 and 'pandas' not in sys.modules\n"
        "frame = pa.table({'x': pa.array([1.5, None])}).to_pandas()\n"
        "assert frame['x'].isna().sum() == 1\n"
        "import pandas as pd\n"
        "assert pa.array(pd.Series([1.0, float('nan')])).null_count == 1\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr


_SCAN = """
import atexit, importlib.metadata as metadata, json, sys
out = sys.argv.pop(1)
scans = []
real = metadata.entry_points
metadata.entry_points = lambda **kw: scans.append(kw.get("group")) or real(**kw)
atexit.register(lambda: open(out, "w").write(json.dumps(scans)))
from app.cli import main
main(sys.argv[1:])
"""


def test_a_run_reads_no_entry_points(tmp_path: Path) -> None:
    """Reading entry points scans every installed distribution (up to a tenth of a second of
    a run): built-in components and connectors are found without it, and pydantic's plugin
    look-up is off for the ``cauce`` process."""
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    scans = tmp_path / "scans.json"
    env = {
        **os.environ,
        "CAUCE_OUTPUT_DIR": str(tmp_path / "out"),
        "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}",
    }
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    for _first_then_steady in range(2):  # the first run creates the metadata DB (Alembic's)
        done = subprocess.run(
            [sys.executable, "-c", _SCAN, str(scans), "--run-project", str(project), "--json"],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["status"] == "succeeded"
    assert json.loads(scans.read_text()) == []


_GC = """
import atexit, gc, json, sys
out = sys.argv.pop(1)
atexit.register(
    lambda: open(out, "w").write(json.dumps([gc.isenabled(), gc.get_freeze_count() > 0]))
)
from app.cli import main
main(sys.argv[1:])
"""


def _collector_at_exit(tmp_path: Path, *args: str) -> list[bool]:
    state = tmp_path / "gc.json"
    _cauce(tmp_path, _GC, state, *args)
    return json.loads(state.read_text())


def test_the_collector_paused_for_start_up_collects_again_once_the_run_starts(
    tmp_path: Path,
) -> None:
    """Start-up runs without the cyclic collector (it finds nothing to free there); the run
    itself collects, start-up's objects frozen out of its collections."""
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    enabled, frozen = _collector_at_exit(tmp_path, "--run-project", str(project), "--json")
    assert enabled and frozen


def test_another_command_resumes_the_collector_at_once(tmp_path: Path) -> None:
    """Only a headless run or a sync keeps it paused until its work starts; any other
    command (the editor, the scheduler's daemon, a server) collects from the start."""
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    assert _collector_at_exit(tmp_path, "sync", "list", "--project", str(project))[0]
    assert _collector_at_exit(tmp_path, "db", "status")[0]


def test_resuming_collection_passes_every_event_on() -> None:
    import gc

    from app.services.workspace import pause_collection, resuming_collection

    seen: list[object] = []
    listener = resuming_collection(seen.append)
    pause_collection()
    try:
        listener("started")
        assert gc.isenabled()
        listener("finished")
    finally:
        gc.enable()
    assert seen == ["started", "finished"]
    resuming_collection(None)("no listener: nothing is passed on, the collector resumes")


def test_each_table_module_loads_the_tables_its_foreign_keys_name() -> None:
    """A table module imports the modules of the tables its foreign keys name: it does not
    depend on the order the models module imports them in (declared without them, writing a
    row fails with ``NoReferencedTableError``)."""
    import importlib

    import app.storage.models  # noqa: F401 - declares every table
    from app.storage.model_base import Base

    module_of = {m.local_table.name: m.class_.__module__ for m in Base.registry.mappers}
    for mapper in Base.registry.mappers:
        here = mapper.class_.__module__
        namespace = vars(importlib.import_module(here)).values()
        for fk in mapper.local_table.foreign_keys:
            there = module_of[fk.column.table.name]
            if there in (here, "app.storage.models"):  # the core tables are always there
                continue
            imported = {getattr(v, "__name__", None) for v in namespace}
            imported |= {getattr(v, "__module__", None) for v in namespace}
            assert there in imported, f"{here} must import {there} ({fk.target_fullname})"


def test_a_run_with_checks_stores_their_results_in_a_process_of_its_own(tmp_path: Path) -> None:
    """A run with a check, in a process of its own: the check's result is stored (its table's
    foreign key to the syncs' runs resolves)."""
    import sqlite3

    from app.model.quality import CheckSpec
    from app.services.quality import add_checks

    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    table = "revenue_by_country_genre_year"
    add_checks(project, [CheckSpec(kind="row_count", table=table, min=1)])
    _cauce(tmp_path, _RUN, tmp_path / "init.json", "db", "init")
    modules = tmp_path / "modules.json"
    done = _cauce(tmp_path, _RUN, modules, "--run-project", str(project), "--json")
    assert json.loads(done.stdout)["status"] == "succeeded"
    assert "app.storage.quality_models" in json.loads(modules.read_text())
    with sqlite3.connect(tmp_path / "meta.db") as db:
        (stored,) = db.execute("SELECT count(*) FROM quality_check_results").fetchone()
    assert stored == 1
