"""Copy as curl: an action's REST API request, as a ``curl`` command, on the clipboard.

The request comes from :func:`app.services.api_requests.curl_command` (one table for every
front end, checked against the API's OpenAPI document); the command names the server
(``CAUCE_API_URL``) and leaves the key to the shell, ``$CAUCE_API_KEY``: never a real key.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.services.api_requests import curl_command

__all__ = ["copy_alert_curl", "copy_run_curl"]


def _copy(text: str) -> str:
    QApplication.clipboard().setText(text)
    return text


def copy_run_curl(pipeline: str) -> str:
    """The request that runs ``pipeline`` on the server, on the clipboard; returns it."""
    return _copy(curl_command("run_pipeline", name=pipeline))


def copy_alert_curl(action: str, alert_id: int) -> str:
    """The request of ``action`` (``acknowledge_alert``, ``resolve_alert``) on an alert."""
    return _copy(curl_command(action, alert_id=alert_id))
