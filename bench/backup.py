# ruff: noqa: B023 - each lambda runs inside its own loop iteration
"""Backup and verified restore of a PostgreSQL metadata DB, side by side with pg_dump -Fc and
pg_restore (issue #17 item 5). See bench/README.md and docs/benchmarks.md.

    uv run python bench/backup.py --pipelines 1000 --versions 20 --events 1000000
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from app.storage.backup import open_archive
from app.storage.backup_restore import restore_archive
from app.storage.db import make_engine
from app.storage.migrate import head_revision, init_db

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def url(name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def create_db() -> str:
    name = f"cauce_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_db(name: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def populate(name: str, pipelines: int, versions: int, events: int) -> None:
    """pipelines x versions (each its own content), one run per pipeline, events on the runs."""
    init_db(url(name))
    sql = f"""
    INSERT INTO projects (organization_id, name, created_at) VALUES (1, 'bench', now());
    INSERT INTO pipelines (organization_id, project_id, uid, name, created_at, updated_at)
      SELECT 1, 1, 'u' || g, 'p' || g, now(), now() FROM generate_series(1, {pipelines}) g;
    INSERT INTO content_blobs (organization_id, hash, content, created_at)
      SELECT 1, md5(p || '-' || v) || md5(v || '-' || p),
             json_build_object('name', 'p' || p, 'version', v, 'nodes',
               json_build_array(json_build_object('id', 'n1', 'type', 'source'),
                                json_build_object('id', 'n2', 'type', 'filter'))), now()
      FROM generate_series(1, {pipelines}) p, generate_series(1, {versions}) v;
    INSERT INTO pipeline_versions (organization_id, pipeline_id, number, parent_id, content_hash,
        semantic_hash, author, message, created_at)
      SELECT 1, p, v, NULL, md5(p || '-' || v) || md5(v || '-' || p), md5(p::text) || md5(v::text),
             'ana', 'version ' || v, now()
      FROM generate_series(1, {pipelines}) p, generate_series(1, {versions}) v ORDER BY p, v;
    UPDATE pipeline_versions c SET parent_id = p.id FROM pipeline_versions p
      WHERE p.pipeline_id = c.pipeline_id AND p.number = c.number - 1;
    UPDATE pipelines SET current_version_id = (SELECT max(id) FROM pipeline_versions v
      WHERE v.pipeline_id = pipelines.id);
    INSERT INTO runs (organization_id, pipeline_version_id, trigger, status, created_at,
        started_at, finished_at)
      SELECT 1, current_version_id, 'cli', 'succeeded', now(), now(), now() FROM pipelines;
    INSERT INTO events (organization_id, type, run_id, payload, created_at)
      SELECT 1, 'node.finished', 1 + (g % {pipelines}),
             json_build_object('node', 'n' || (g % 7), 'rows', g, 'seconds', g / 1000.0), now()
      FROM generate_series(1, {events}) g;
    """
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}") as con:
        con.execute(sql)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pipelines", type=int, default=1000)
    ap.add_argument("--versions", type=int, default=20)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    source = create_db()
    results: dict[str, list[float]] = {
        k: [] for k in ("backup", "pg_dump", "restore", "pg_restore")
    }
    try:
        populate(source, args.pipelines, args.versions, args.events)
        with tempfile.TemporaryDirectory() as tmp:
            archive, dump = Path(tmp) / "b.cauce-backup", Path(tmp) / "b.dump"
            for _round in range(args.repeat):
                from app.storage.backup import write_archive

                engine = make_engine(url(source))
                results["backup"].append(
                    timed(
                        lambda: write_archive(
                            engine,
                            archive,
                            kind="full",
                            revision=head_revision(),
                            cauce_version="bench",
                        )
                    )
                )
                engine.dispose()
                results["pg_dump"].append(
                    timed(
                        lambda: subprocess.run(
                            [
                                "pg_dump",
                                "-Fc",
                                "-h",
                                "127.0.0.1",
                                "-U",
                                "postgres",
                                "-f",
                                str(dump),
                                source,
                            ],
                            check=True,
                        )
                    )
                )
                target = create_db()

                def restore() -> None:
                    with open_archive(archive) as opened:
                        opened.verify_members()
                        restore_archive(opened, url(target))

                results["restore"].append(timed(restore))
                drop_db(target)
                target = create_db()
                results["pg_restore"].append(
                    timed(
                        lambda: subprocess.run(
                            [
                                "pg_restore",
                                "-h",
                                "127.0.0.1",
                                "-U",
                                "postgres",
                                "-d",
                                target,
                                str(dump),
                            ],
                            check=True,
                        )
                    )
                )
                drop_db(target)
            sizes = (archive.stat().st_size, dump.stat().st_size)
    finally:
        drop_db(source)
    print(f"{args.pipelines} pipelines x {args.versions} versions, {args.events} events")
    for k, v in results.items():
        print(f"{k:<11} {statistics.median(v):8.2f} s")
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"backup / pg_dump     {med['backup'] / med['pg_dump']:.2f}x")
    print(f"restore / pg_restore {med['restore'] / med['pg_restore']:.2f}x")
    print(f"sizes: archive {sizes[0] >> 20} MiB, dump {sizes[1] >> 20} MiB")


if __name__ == "__main__":
    main()
