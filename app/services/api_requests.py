"""The REST API request behind a front-end action, as a ``curl`` command ("copy as curl").

One table, :data:`ACTIONS`, maps each action that has an API equivalent to its HTTP method and
path (tested against the live OpenAPI document, so a renamed route breaks a test, not a user's
script). The command names the server (``CAUCE_API_URL``, else ``http://localhost:8710``) and
never holds a key: ``$CAUCE_API_KEY`` is left for the shell to expand. Ids the desktop cannot
know are shell variables too: a project's id on the server is ``${CAUCE_PROJECT_ID}`` unless
given (an alert's id is the same on both when they share the metadata DB).

>>> print(curl_command("acknowledge_alert", alert_id=7, server="https://cauce.example.com"))
curl -X POST -H "Authorization: Bearer $CAUCE_API_KEY" "https://cauce.example.com/api/v1/alerts/7/acknowledge"
>>> print(curl_command("run_pipeline", name="daily revenue", server="http://h:8710"))
curl -X POST -H "Authorization: Bearer $CAUCE_API_KEY" "http://h:8710/api/v1/projects/${CAUCE_PROJECT_ID}/pipeline/runs?name=daily%20revenue"
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from app.i18n import _

__all__ = [
    "ACTIONS",
    "API_URL_ENV",
    "ApiAction",
    "ApiRequest",
    "api_request",
    "api_server_url",
    "curl_command",
]

API_URL_ENV = "CAUCE_API_URL"
DEFAULT_SERVER = "http://localhost:8710"
#: what stands for an id the caller does not know (expanded by the shell)
PROJECT_PLACEHOLDER = "${CAUCE_PROJECT_ID}"
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class ApiAction:
    """An action's HTTP request: method, path template (``{name}`` parts filled from the
    values given) and the values sent as query parameters."""

    method: str
    path: str
    query: tuple[str, ...] = ()
    #: the scope the credential needs (docs/api.md)
    scope: str = "read"


@dataclass(frozen=True)
class ApiRequest:
    method: str
    #: the path, filled (a placeholder may remain for an unknown project id)
    path: str
    query: dict[str, str] = field(default_factory=dict)


ACTIONS: dict[str, ApiAction] = {
    "run_pipeline": ApiAction(
        "POST", "/api/v1/projects/{project_id}/pipeline/runs", ("name",), "run"
    ),
    "run_sync": ApiAction("POST", "/api/v1/projects/{project_id}/sync/runs", ("name",), "run"),
    "acknowledge_alert": ApiAction("POST", "/api/v1/alerts/{alert_id}/acknowledge", (), "write"),
    "resolve_alert": ApiAction("POST", "/api/v1/alerts/{alert_id}/resolve", (), "write"),
    "test_channel": ApiAction(
        "POST", "/api/v1/projects/{project_id}/channels/{name}/test", (), "write"
    ),
    "run_checks": ApiAction("POST", "/api/v1/projects/{project_id}/checks/runs", (), "run"),
    "list_alerts": ApiAction("GET", "/api/v1/alerts", ("project", "status"), "read"),
    "approve_schema_change": ApiAction(
        "POST", "/api/v1/projects/{project_id}/schema-changes/{change_id}/approve", (), "write"
    ),
    "reject_schema_change": ApiAction(
        "POST", "/api/v1/projects/{project_id}/schema-changes/{change_id}/reject", (), "write"
    ),
}


def api_server_url() -> str:
    """The server a copied command talks to: ``CAUCE_API_URL``, else the local default."""
    return (os.environ.get(API_URL_ENV) or DEFAULT_SERVER).rstrip("/")


def api_request(action: str, **values: object) -> ApiRequest:
    """The request of ``action`` with ``values`` (path parts and query parameters; a
    ``project_id`` left out becomes ``${CAUCE_PROJECT_ID}``, a query value left out or None
    is not sent).

    Raises:
        ValueError: an unknown action, or a path part other than the project id missing.
    """
    found = ACTIONS.get(action)
    if found is None:
        raise ValueError(
            _("no API request for {action!r} (known: {known})").format(
                action=action, known=", ".join(sorted(ACTIONS))
            )
        )

    def part(match: re.Match[str]) -> str:
        key = match.group(1)
        value = values.get(key)
        if value is None:
            if key == "project_id":
                return PROJECT_PLACEHOLDER
            raise ValueError(_("{action} needs {key}").format(action=action, key=key))
        return quote(str(value), safe="")

    path = _PARAM.sub(part, found.path)
    query = {k: str(values[k]) for k in found.query if values.get(k) is not None}
    return ApiRequest(found.method, path, query)


def curl_command(action: str, *, server: str | None = None, **values: object) -> str:
    """``action`` as one ``curl`` command line for a POSIX shell, the key as
    ``$CAUCE_API_KEY`` (never a real key)."""
    request = api_request(action, **values)
    url = (server or api_server_url()).rstrip("/") + request.path
    if request.query:
        url += "?" + urlencode(request.query, quote_via=quote)
    method = [] if request.method == "GET" else ["-X", request.method]
    header = '-H "Authorization: Bearer $CAUCE_API_KEY"'
    return " ".join(["curl", *method, header, _double_quoted(url)])


def _double_quoted(text: str) -> str:
    """``text`` in double quotes, its own ``$`` kept for the placeholders only."""
    escaped = re.sub(r'(["\\`])', r"\\\1", text)
    placeholder = re.escape(PROJECT_PLACEHOLDER)
    parts = re.split(f"({placeholder})", escaped)
    return (
        '"' + "".join(p if p == PROJECT_PLACEHOLDER else p.replace("$", "\\$") for p in parts) + '"'
    )
