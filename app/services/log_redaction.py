"""Keep secrets and personal values out of logs: every handler masks every secret value Cauce
has resolved and the tagged values of the runs under way.

Kept apart from :mod:`app.services.secrets` so that installing it costs no heavy imports.
"""

from __future__ import annotations

import logging

from app.storage.redaction import secret_redactor
from app.storage.value_redaction import value_redactor

__all__ = ["install_log_redaction"]


def install_log_redaction() -> None:
    """Mask every secret value Cauce has seen, and the values of tagged columns of the runs
    under way, in every log record, whatever the handler."""
    for redactor in (secret_redactor(), value_redactor()):
        for handler in logging.getLogger().handlers:
            if redactor not in handler.filters:
                handler.addFilter(redactor)
