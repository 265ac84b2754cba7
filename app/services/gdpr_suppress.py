"""The suppression list on every write path: pipeline runs (:func:`run_suppression`) and syncs
(:func:`sync_filters`) leave out — or anonymise, by the table's policy — the rows of subjects
whose erasure was done, so a later run does not bring them back.

A project with a suppression list must have its request key (the secret store): without it
the rows cannot be tested, and the run fails rather than writing them (fail closed).
Projects without a suppression list pay one metadata query per run, and pipelines only when
the project has column tags (no tag, nothing to match).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, cast

from app.model.sync import SyncDefinition, SyncDestination
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.engine.privacy.suppress import RowFilter, Suppression
    from app.services.masking import ColumnTagMap

__all__ = ["project_suppression", "run_suppression", "sync_columns", "sync_filters"]


def sync_columns(
    sync: SyncDefinition, tag_map: Mapping[tuple[str, str], Mapping[str, frozenset[str]]]
) -> dict[str, frozenset[str]]:
    """The tags of a sync's destination columns, from its source table's (renamed), or from
    the tables its source query reads, by lineage (:mod:`app.engine.privacy.source_tags`)."""
    from app.services.masking import table_tags

    known = cast("ColumnTagMap", tag_map)
    if sync.source.table is not None:
        source = table_tags(known, sync.source.connection, sync.source.table)
    elif sync.source.query and known:
        from app.engine.privacy.source_tags import query_tags

        source = query_tags(
            sync.source.query, lambda t: table_tags(known, sync.source.connection, t)
        )
    else:
        return {}
    chosen = None if sync.columns is None else {c.lower() for c in sync.columns}
    renames = {k.lower(): v for k, v in sync.rename.items()}
    out: dict[str, frozenset[str]] = {}
    for column, tags in source.items():
        if chosen is None or column in chosen:
            out[renames.get(column, column)] = tags
    return out


def _project_id(workspace: Workspace, project: str) -> int | None:
    with workspace.repository() as repo:
        ids = [p.id for p in repo.list_projects() if p.name == project]
    return ids[0] if ids else None


def project_suppression(workspace: Workspace, project: str) -> Suppression | None:
    """The project's suppression list with its key, tags and policies (None: it has none).

    Raises:
        MissingRequestKey: the project suppresses subjects but its key is gone.
    """
    if workspace.lean_answer(lambda store: store.has_suppressions(project)) is False:
        return None  # learnt without loading SQLAlchemy: a short sync's process need not
    from app.storage.gdpr import GdprStore

    project_id = _project_id(workspace, project)
    if project_id is None:
        return None
    with workspace.open_store(GdprStore) as store:
        digests = store.suppressions(project_id)
        if not digests:
            return None
        policies = store.policies(project_id)
    from app.engine.privacy.suppress import Suppression
    from app.services.gdpr_keys import project_keys
    from app.services.masking import project_tag_map

    keys = project_keys(project, workspace.secrets)
    return Suppression(keys.suppression_key, digests, project_tag_map(workspace, project), policies)


@contextlib.contextmanager
def run_suppression(workspace: Workspace, project: str) -> Iterator[None]:
    """Within the block, pipeline runs of ``project`` leave suppressed rows out of what they
    write (nothing is loaded when the project suppresses no one)."""
    found = project_suppression(workspace, project)
    if found is None:
        yield
        return
    from app.engine.privacy.suppress_stage import using_suppression

    with using_suppression(found):
        yield


def sync_filters(
    workspace: Workspace, project: str, sync: SyncDefinition
) -> Callable[[SyncDestination], RowFilter | None]:
    """The row filter of each destination of ``sync`` (the metadata DB is read at the first
    call: the runner asks once the destinations are planned)."""
    loaded: list[Suppression | None] = []

    def of(dest: SyncDestination) -> RowFilter | None:
        if not loaded:
            loaded.append(project_suppression(workspace, project))
        found = loaded[0]
        if found is None:
            return None
        from app.engine.privacy.suppress import for_table

        return for_table(found, dest.connection, dest.table, sync_columns(sync, found.tables))

    return of
