"""API benchmark (on demand, never in CI): run status under 50 concurrent clients, and how fast
a run started through the API is ``running``.

Two servers run side by side in the same session, each in its own process with uvicorn:
``cauce serve`` (API key checked, rate limit, metadata-DB read) and a bare FastAPI endpoint
returning the same JSON. The same load generator (asyncio + httpx, 50 clients on keep-alive
connections) drives each in turn, ``--rounds`` times alternately; requests/s and p99 latency
are reported per round and as medians.

    uv run python bench/api.py                       # SQLite metadata DB in a temp dir
    uv run python bench/api.py --db postgresql+psycopg://postgres@127.0.0.1/cauce_bench

Targets (issue #16): throughput >= 0.5x the bare endpoint's, p99 < 50 ms, a run ``running``
in < 200 ms after the POST.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "resources" / "examples" / "chinook"

_CAUCE = """
import sys
from app.api.serve import serve
serve(host="127.0.0.1", port=int(sys.argv[1]), db_url=sys.argv[2], log_level="warning")
"""
_BARE = """
import json, sys
import uvicorn
from fastapi import FastAPI
body = json.loads(sys.argv[2])
app = FastAPI()
@app.get("/status")
async def status() -> dict:
    return body
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(script: str, *args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, env=env)


def _wait_up(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


async def _load(
    url: str, headers: dict[str, str], clients: int, requests: int
) -> tuple[float, list[float]]:
    """``clients`` keep-alive HTTP/1.1 connections, each sending its share of GETs one after
    another. Hand-written on asyncio streams: a general client (httpx) costs more CPU than
    the servers it measures on a 2-core machine."""
    parsed = httpx.URL(url)
    head = (
        f"GET {parsed.raw_path.decode()} HTTP/1.1\r\nHost: {parsed.host}\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        + "\r\n"
    ).encode()
    latencies: list[float] = []

    async def one(count: int) -> None:
        reader, writer = await asyncio.open_connection(parsed.host, parsed.port)
        try:
            for _ in range(count):
                t = time.perf_counter()
                writer.write(head)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - t)
                if b" 200 " not in status_line:
                    raise SystemExit(f"{url}: {status_line!r}")
        finally:
            writer.close()

    await one(1)  # warm
    latencies.clear()
    start = time.perf_counter()
    await asyncio.gather(*(one(requests // clients) for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies


def _p99(latencies: list[float]) -> float:
    return sorted(latencies)[int(len(latencies) * 0.99) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="metadata DB URL (default: SQLite in a temp dir)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="per round and server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5, help="runs started to time 'running'")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cauce-bench-api-"))
    env = {
        **os.environ,
        "CAUCE_HOME": str(work / "home"),
        "CAUCE_OUTPUT_DIR": str(work / "out"),
        "CAUCE_ALLOWED_ENV": "CAUCE_OUTPUT_DIR",
        "CAUCE_JWT_SECRET": "bench-" + "k" * 40,
    }
    os.environ.update(env)
    db = args.db or f"sqlite:///{work / 'meta.db'}"
    project = work / "chinook"
    shutil.copytree(EXAMPLE, project)
    from app.services import access, hosting
    from app.services.workspace import Workspace

    workspace = Workspace.open(db)
    key = access.create_credential(
        workspace,
        user="bench",
        name="bench",
        scopes=["read", "run"],
        role="editor",
        rate_limit=10**9,
    ).secret
    hosted = hosting.register_project(workspace, project)
    headers = {"Authorization": f"Bearer {key}"}
    cauce_port, bare_port = _port(), _port()
    servers = [_start(_CAUCE, str(cauce_port), db, env=env)]
    try:
        base = f"http://127.0.0.1:{cauce_port}"
        _wait_up(f"{base}/api/v1/health")
        to_running = []
        run_id = 0
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            for _ in range(args.runs):
                t = time.perf_counter()
                started = client.post(
                    f"/api/v1/projects/{hosted.id}/pipeline/runs", params={"name": "revenue"}
                )
                status = client.get(started.json()["status_url"]).json()["status"]
                to_running.append((time.perf_counter() - t) * 1000)
                run_id = started.json()["id"]
                assert status in ("running", "succeeded"), status
                while client.get(f"/api/v1/runs/{run_id}/status").json()["status"] == "running":
                    time.sleep(0.05)
            body = client.get(f"/api/v1/runs/{run_id}/status").json()
        servers.append(_start(_BARE, str(bare_port), json.dumps(body), env=env))
        _wait_up(f"http://127.0.0.1:{bare_port}/status")
        results: dict[str, list[tuple[float, float]]] = {"bare": [], "cauce": []}
        for _ in range(args.rounds):
            for name, url, h in (
                ("bare", f"http://127.0.0.1:{bare_port}/status", {}),
                ("cauce", f"{base}/api/v1/runs/{run_id}/status", headers),
            ):
                rate, latencies = asyncio.run(_load(url, h, args.clients, args.requests))
                results[name].append((rate, _p99(latencies)))
                print(f"{name:>5}: {rate:8.0f} req/s  p99 {_p99(latencies):6.1f} ms", flush=True)
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    bare = statistics.median(r for r, _ in results["bare"])
    cauce = statistics.median(r for r, _ in results["cauce"])
    p99 = statistics.median(p for _, p in results["cauce"])
    print(
        f"run status, {args.clients} clients: cauce {cauce:.0f} req/s vs bare {bare:.0f} req/s "
        f"= {cauce / bare:.2f}x (target >= 0.5x); cauce p99 {p99:.1f} ms (target < 50 ms)"
    )
    print(
        f"POST run -> status running: median {statistics.median(to_running):.0f} ms, "
        f"max {max(to_running):.0f} ms over {len(to_running)} runs (target < 200 ms): "
        + ", ".join(f"{t:.0f}" for t in to_running)
    )


if __name__ == "__main__":
    main()
