"""The editor's metadata inboxes. :class:`SchemaInbox` is the schema-evolution inbox: the
schema changes ``review`` syncs hold, with their impact, and Approve, Reject and Roll back
(the same use cases as ``cauce schema-changes``, :mod:`app.services.schema_inbox`); how it
words a change (:mod:`.change_texts`) and its decisions (:mod:`.decisions`) are mixins of it.

A new inbox is one module here with a thin dialog over its service, opened from the Monitor
menu (:mod:`app.ui.monitor.menu`).
"""

from app.ui.inbox.schema import SchemaInbox

__all__ = ["SchemaInbox"]
