"""Keep secrets out of logs: every handler masks every secret value Cauce has resolved.

Kept apart from :mod:`app.services.secrets` so that installing it costs no heavy imports.
"""

from __future__ import annotations

import logging

from app.storage.redaction import secret_redactor

__all__ = ["install_log_redaction"]


def install_log_redaction() -> None:
    """Mask every secret value Cauce has seen in every log record, whatever the handler."""
    redactor = secret_redactor()
    for handler in logging.getLogger().handlers:
        if redactor not in handler.filters:
            handler.addFilter(redactor)
