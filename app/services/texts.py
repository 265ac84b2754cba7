"""Words the front ends show in a run's or a sync's summary, in the current language.

Statuses stay English in JSON reports and events (machines read them); a human summary shows
them through :func:`status_text`.

>>> from app.i18n import set_language
>>> status_text("succeeded"), status_text("something-new")
('succeeded', 'something-new')
"""

from __future__ import annotations

from app.i18n import N_, gettext

__all__ = ["status_text"]

#: the statuses a summary shows, translated where they are shown
_STATUSES = {
    s: s
    for s in (
        N_("succeeded"),
        N_("failed"),
        N_("cancelled"),
        N_("skipped"),
        N_("planned"),
        N_("running"),
        N_("pending"),
        N_("invalid"),
        N_("abandoned"),
        # a schema change of a sync, and what the policy did with it
        N_("added"),
        N_("widened"),
        N_("changed"),
        N_("removed"),
        N_("applied"),
        N_("refused"),
        N_("discarded"),
        N_("kept"),
    )
}


def status_text(status: object) -> str:
    """A run, node or sync status (``succeeded``, ``failed``…) or a schema change's kind or
    decision (``added``, ``refused``…) in the current language; other texts as they are."""
    text = str(status)
    return gettext(_STATUSES[text]) if text in _STATUSES else text
