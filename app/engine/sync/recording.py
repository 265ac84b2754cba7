"""What a sync run needs from whoever records it (the metadata DB, in the services layer).

Recording may happen *alongside* the run instead of before it: opening the metadata DB costs
a CLI sync about 0.2 s of imports and writes, which can overlap the rows' transfer. The runner
then only promises three things, which keep the run as exact and as audited as when the record
is opened first:

- :meth:`RunRecording.begin` is called when rows are about to move (the record may be opened
  from then on, off the runner's thread, while the runner waits on the databases);
- :meth:`RunRecording.ready` is called before anything is committed to a destination (rows,
  state, schema changes): it waits for the record and raises the recording's error, so a run
  that cannot be recorded changes nothing;
- :meth:`RunRecording.stored_state` gives a destination without its own state table the
  metadata DB's copy of it (waiting for the record too);
- :meth:`RunRecording.schema_verdicts` gives, for a sync under the ``review`` policy, what
  was decided about the changes held in the schema inbox (waiting for the record too).

:class:`Unrecorded` is the runner's default: no record, nothing to wait for.
"""

from __future__ import annotations

from typing import Protocol

from app.engine.sync.cursor import CursorState
from app.model.schema_changes import Verdicts

__all__ = ["RunRecording", "Unrecorded"]


class RunRecording(Protocol):
    def begin(self) -> None:
        """Rows are about to move: the record may be opened now (must not block)."""

    def ready(self) -> None:
        """Block until the run is recorded; raise the recording's error if it failed."""

    def stored_state(self, destination: str) -> CursorState | None:
        """The metadata DB's copy of ``destination``'s state (blocks like :meth:`ready`)."""

    def schema_verdicts(self, destination: str) -> Verdicts:
        """The decided changes of ``destination`` in the schema inbox (blocks like
        :meth:`ready`); none decided: every change is held."""


class Unrecorded:
    """A run nobody records (tests, embedded use): nothing to wait for, no stored state."""

    def begin(self) -> None:
        pass

    def ready(self) -> None:
        pass

    def stored_state(self, destination: str) -> CursorState | None:
        return None

    def schema_verdicts(self, destination: str) -> Verdicts:
        return {}
