"""A small client of the Cauce REST API, with nothing but the standard library.

It says who its key is, finds a project by name, runs one of its pipelines, follows the run's
events as they happen (server-sent events, no polling of logs), and prints the rows each node
wrote, then the project's last runs and its open alerts.
``tests/api/test_client_example.py`` runs this file against a live server.

    CAUCE_URL=http://127.0.0.1:8710 CAUCE_API_KEY=cauce_… \\
        python docs/examples/api_client.py chinook revenue
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

BASE = os.environ.get("CAUCE_URL", "http://127.0.0.1:8710").rstrip("/")
KEY = os.environ["CAUCE_API_KEY"]


def call(method: str, path: str, **query: str) -> Any:
    """One request; a problem (RFC 9457) becomes an exception with its ``detail``."""
    url = f"{BASE}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {KEY}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        problem = json.loads(err.read() or b"{}")
        raise RuntimeError(f"{method} {path}: {err.code} {problem.get('detail')}") from None


def every(path: str, **query: str) -> Iterator[Any]:
    """All items of a list, page after page (cursor pagination)."""
    cursor = None
    while True:
        page = call("GET", path, **query, **({"cursor": cursor} if cursor else {}))
        yield from page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return


def events(path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event, data) pairs of a server-sent events stream, until the server ends it."""
    request = urllib.request.Request(
        f"{BASE}{path}", headers={"Authorization": f"Bearer {KEY}", "Accept": "text/event-stream"}
    )
    with urllib.request.urlopen(request, timeout=600) as stream:
        event, data = "message", ""
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
            elif not line and data:
                yield event, json.loads(data)
                event, data = "message", ""


def main(project_name: str, pipeline: str) -> int:
    me = call("GET", "/api/v1/me")
    print(f"calling as {me['user']} of {me['organization']} with {', '.join(me['scopes'])}")
    project = next(p for p in every("/api/v1/projects", name=project_name))
    run = call("POST", f"/api/v1/projects/{project['id']}/pipeline/runs", name=pipeline)
    print(f"run {run['id']} is {run['status']}")
    status = "unknown"
    for event, data in events(run["events_url"]):
        if event == "node_finished":
            print(f"  {data['node_name']}: {data['rows_out'] or data['rows_in'] or 0} rows")
        elif event == "end":
            status = data["status"]
    print(f"run {run['id']} {status}")
    nodes = list(every(f"/api/v1/runs/{run['id']}/nodes"))
    print(f"{len(nodes)} nodes recorded")
    versions = list(
        every(f"/api/v1/projects/{project['id']}/versions", kind="pipeline", name=pipeline)
    )
    print(f"{len(versions)} saved version(s) of {pipeline}, newest v{versions[0]['number']}")
    history = call("GET", f"/api/v1/projects/{project['id']}/history", limit="5")["items"]
    print("last runs: " + ", ".join(f"{r['kind']} {r['name']} {r['status']}" for r in history))
    alerts = list(every("/api/v1/alerts", project=project_name, status="open"))
    print(f"{len(alerts)} open alerts")
    return 0 if status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
