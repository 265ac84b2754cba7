"""What each kind of channel receives for one alert event: pure functions, no I/O.

An *event* is the generic webhook's JSON (``{"type", "timestamp", "data"}``) plus its ``id``;
the other formats are made from it: Slack's Block Kit message, a Teams message carrying an
Adaptive Card, and an e-mail in text and HTML. Everything that comes from data (names, error
texts) is escaped for the format it lands in: HTML for e-mail, Slack's ``&<>`` for mrkdwn.
Adaptive Cards' TextBlocks are plain text with a Markdown subset, so they are escaped too.

>>> event = alert_event("evt_1", "run_failed", {"project": "demo", "severity": "error",
...     "subject_kind": "pipeline", "subject": "<orders>", "message": "boom & bust"}, 0.0)
>>> slack_message(event)["blocks"][1]["text"]["text"]
'boom &amp; bust'
>>> "&lt;orders&gt;" in email_message(event)[2]
True
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from app.i18n import N_, _

__all__ = ["alert_event", "email_message", "slack_message", "teams_message", "title_of"]

_TITLES = {
    "run_failed": N_("Run failed"),
    "run_recovered": N_("Run recovered"),
    "duration_exceeded": N_("Run took longer than its threshold"),
    "freshness_breached": N_("Data is stale"),
    "row_count_anomaly": N_("Unusual row count"),
    "schema_changed": N_("Schema change detected"),
    "quality_check_failed": N_("Data quality check failed"),
    "connection_failed": N_("Connection failed"),
    "scheduled_run_missed": N_("Scheduled run missed"),
    "resource_warning": N_("Resource warning"),
    "node_slowdown": N_("A node ran slower than usual"),
    "test": N_("Test notification"),
}
_EMOJI = {"info": "ℹ️", "warning": "⚠️", "error": "❗", "critical": "🚨"}
_COLOUR = {"info": "accent", "warning": "warning", "error": "attention", "critical": "attention"}


def alert_event(event_id: str, type_: str, data: dict[str, Any], at: float) -> dict[str, Any]:
    """The generic webhook body of an event, with its id (the ``webhook-id``)."""
    stamp = datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")
    return {"id": event_id, "type": type_, "timestamp": stamp, "data": data}


def title_of(event: dict[str, Any]) -> str:
    from app.i18n import gettext

    return gettext(_TITLES.get(event["type"], event["type"]))


def _facts(event: dict[str, Any]) -> list[tuple[str, str]]:
    data = event["data"]
    facts = [
        (_("Project"), str(data.get("project", ""))),
        (_("Subject"), f"{data.get('subject_kind', '')} {data.get('subject', '')}".strip()),
        (_("Severity"), str(data.get("severity", ""))),
        (_("When"), event["timestamp"]),
    ]
    if data.get("alert_id") is not None:
        facts.append((_("Alert"), f"#{data['alert_id']}"))
    return facts


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(event: dict[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook message: ``text`` (the notification's fallback) and blocks."""
    data = event["data"]
    severity = str(data.get("severity", "info"))
    title = f"{_EMOJI.get(severity, '')} {title_of(event)}: {data.get('subject', '')}".strip()
    message = _slack_escape(str(data.get("message", "")))[:2900] or " "
    return {
        "text": _slack_escape(title),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": message}},
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(k)}*\n{_slack_escape(v)}"}
                    for k, v in _facts(event)
                ],
            },
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Cauce · {_slack_escape(event['id'])}"}],
            },
        ],
    }


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def _card_text(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def teams_message(event: dict[str, Any]) -> dict[str, Any]:
    """A Teams (incoming webhook or Workflows) message carrying one Adaptive Card."""
    data = event["data"]
    severity = str(data.get("severity", "info"))
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "size": "Large",
                "weight": "Bolder",
                "color": _COLOUR.get(severity, "default"),
                "wrap": True,
                "text": _card_text(f"{title_of(event)}: {data.get('subject', '')}"),
            },
            {"type": "TextBlock", "wrap": True, "text": _card_text(str(data.get("message", "")))},
            {
                "type": "FactSet",
                "facts": [{"title": k, "value": _card_text(v)} for k, v in _facts(event)],
            },
        ],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def email_message(event: dict[str, Any]) -> tuple[str, str, str]:
    """``(subject, text, html)``; every value from data is escaped in the HTML."""
    data = event["data"]
    severity = str(data.get("severity", "info"))
    subject = f"[Cauce {severity}] {title_of(event)}: {data.get('subject', '')}"
    subject = re.sub(r"[\r\n]+", " ", subject)[:200]  # no header injection
    facts = _facts(event)
    text = "\n".join(
        [title_of(event), "", str(data.get("message", "")), ""]
        + [f"{k}: {v}" for k, v in facts]
        + ["", f"event {event['id']}"]
    )
    rows = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in facts
    )
    body = (
        "<!DOCTYPE html><html><body>"
        f"<h2>{html.escape(title_of(event))}</h2>"
        f"<p>{html.escape(str(data.get('message', '')))}</p>"
        f"<table>{rows}</table>"
        f"<p style='color:#888'>{html.escape(event['id'])}</p>"
        "</body></html>"
    )
    return subject, text, body
