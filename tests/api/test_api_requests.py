""" "Copy as curl": every action's request exists in the live OpenAPI document, and the copied
command, run as a shell runs it, does what the action does on a real server."""

from __future__ import annotations

import shlex
import time

from app.services.alerts import raise_alert
from app.services.api_requests import ACTIONS, api_request, curl_command
from app.storage.project import read_project_dir
from tests.api.conftest import Server, register


def test_every_action_is_an_operation_of_the_live_spec_with_its_scope(server: Server) -> None:
    spec = server.client.get("/api/v1/openapi.json").json()
    for name, action in ACTIONS.items():
        operation = spec["paths"].get(action.path, {}).get(action.method.lower())
        assert operation is not None, (name, action.method, action.path)
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert set(action.query) <= declared, name
    assert api_request("resolve_alert", alert_id=3).path == "/api/v1/alerts/3/resolve"


def _wait(server: Server, run_id: int) -> None:
    for _ in range(600):  # bounded: at most a minute
        url = f"/api/v1/runs/{run_id}/status"
        if server.client.get(url, headers=server.h()).json()["status"] != "running":
            return
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def _run(server: Server, command: str, key: str, project: int) -> tuple[str, str, int]:
    """The command's method, URL and the HTTP status it gets, expanded as a shell would."""
    words = shlex.split(command)
    assert words[0] == "curl" and "Bearer $CAUCE_API_KEY" in command and "cauce_" not in command
    method = words[words.index("-X") + 1] if "-X" in words else "GET"
    url = words[-1].replace("${CAUCE_PROJECT_ID}", str(project))
    path = url.removeprefix("http://testserver")
    response = server.client.request(method, path, headers={"Authorization": f"Bearer {key}"})
    return method, path, response.status_code


def test_copied_commands_do_what_the_actions_do(server: Server) -> None:
    project = register(server)
    alert = raise_alert(
        read_project_dir(server.chinook),
        "run_failed",
        "pipeline",
        "revenue",
        "x",
        workspace=server.workspace,
    )
    key = server.keys["admin"]
    ack = curl_command("acknowledge_alert", alert_id=alert.id, server="http://testserver")
    assert _run(server, ack, key, project)[2] == 200
    got = server.client.get(f"/api/v1/alerts/{alert.id}", headers=server.h()).json()
    assert got["status"] == "acknowledged"
    run = curl_command("run_pipeline", name="revenue", server="http://testserver")
    method, path, status = _run(server, run, key, project)
    assert (method, status) == ("POST", 202) and path.endswith("/pipeline/runs?name=revenue")
    runs = server.client.get("/api/v1/runs", headers=server.h()).json()["items"]
    assert [(r["pipeline"], r["trigger"]) for r in runs] == [("revenue", "api")]
    _wait(server, runs[0]["id"])
    listed = curl_command("list_alerts", project="chinook", server="http://testserver")
    assert _run(server, listed, key, project)[:1] == ("GET",)
    assert _run(server, listed, key, project)[2] == 200
