"""Table syncs: copy a source table (or query) to one or more destination tables.

What lives here (Qt-free, never importing :mod:`app.services`):

- :mod:`.schema` — the plan: source schema vs. each destination's table, the changes and the
  policy's decision (evolve, freeze, discard);
- :mod:`.cursor` — cursor values as text + type, SQL literals, the destination state table;
- :mod:`.spool` — the one read of the source, spooled to an Arrow IPC file (bounded memory);
- :mod:`.runner` — the run: plan, read once, write each destination with its own state,
  retries on dropped connections, hard deletes, events (the steps that move rows are in
  :mod:`.transfer`, the events a run publishes in :mod:`.run_events`).

The definition of a sync (:mod:`app.model.sync`), its events (:mod:`app.model.sync_events`) and
the schema changes it reports (:mod:`app.model.schema_changes`) are plain data in
:mod:`app.model`, shared with storage and the front ends.

To support a new destination exactly, give its connector ``capabilities.transactional_state``
and commit ``write(state=...)`` inside its write transaction; without it the runner refuses
``append`` and relies on merge-on-key idempotence (see ``docs/syncs.md``).
"""

from app.engine.sync.runner import DestinationReport, SyncReport, SyncRunner

__all__ = ["DestinationReport", "SyncReport", "SyncRunner"]
