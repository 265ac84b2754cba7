"""Everything the profiling panel and the HTML report show about one profiled table: the
profile, its score (each point lost explained), the table's checks with their last results,
the score's trend over the stored profiles, and the checks the profile suggests.

:func:`document_report` is the editor's (a project open in it; the panel stores each profile
it computes when asked, so that the trend grows); :func:`project_report` is ``cauce profile
--html``'s. :func:`accept_suggestions` declares suggested checks with one click, through
:func:`app.services.quality.add_checks`, and keeps the open document in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.model.quality import CheckSpec

if TYPE_CHECKING:
    from app.engine.profile import TableProfile
    from app.engine.quality import CheckResult, QualityScore
    from app.services.profile_history import HistoryEntry, StoredProfile
    from app.services.projects import EditorDocument
    from app.services.workspace import Workspace

__all__ = [
    "CheckLine",
    "ProfileReport",
    "ProfileTarget",
    "accept_suggestions",
    "document_report",
    "node_target",
    "project_report",
]


@dataclass(frozen=True)
class ProfileTarget:
    """What was profiled, as profiles are stored: ``connection`` and ``table`` (for a node,
    ``pipeline.node`` and the node's name, as ``cauce profile --pipeline --node`` stores it);
    ``checked``: the (connection, table) whose declared checks apply (None: none do)."""

    connection: str
    table: str
    title: str
    checked: tuple[str | None, str] | None = None


@dataclass
class CheckLine:
    """A declared check of the table, in words, and its last stored result (None: never run)."""

    check: CheckSpec
    description: str
    result: CheckResult | None = None


@dataclass
class ProfileReport:
    target: ProfileTarget
    profile: TableProfile
    score: QualityScore
    checks: list[CheckLine] = field(default_factory=list)
    #: stored profiles of the table, newest first (this one included when stored)
    history: list[HistoryEntry] = field(default_factory=list)
    #: checks the profile suggests that the project does not declare yet
    suggestions: list[CheckSpec] = field(default_factory=list)
    stored: StoredProfile | None = None


def node_target(pipeline: str, node: str, destination: tuple[str, str] | None) -> ProfileTarget:
    """A node's output; a destination node (``destination``: its connection and table) has
    its table's checks."""
    checked = (destination[0], destination[1]) if destination else None
    return ProfileTarget(f"{pipeline}.{node}", node, f"{pipeline} › {node}", checked)


def _same_table(spec: CheckSpec, connection: str | None, table: str) -> bool:
    from app.services.quality import _same_table as same

    return same(spec.table, table) and spec.connection in (None, connection)


def _build(
    profile: TableProfile,
    target: ProfileTarget,
    project: str,
    declared: Sequence[CheckSpec],
    *,
    workspace: Workspace,
    store: bool,
) -> ProfileReport:
    from app.engine.quality import suggest_checks
    from app.services.profile_history import (
        latest_results,
        profile_history,
        score_table,
        store_profile,
    )

    checks: list[CheckSpec] = []
    suggestions: list[CheckSpec] = []
    if target.checked is not None:
        connection, table = target.checked
        checks = [c for c in declared if _same_table(c, connection, table)]
        suggestions = [
            s
            for s in suggest_checks(profile, table, connection)
            if s not in declared and s.model_copy(update={"connection": None}) not in declared
        ]
    results = latest_results(project, checks, workspace=workspace)
    stored = None
    if store:
        stored = store_profile(
            project,
            target.connection,
            profile,
            table=target.table,
            checks=checks,
            results=results,
            workspace=workspace,
        )
        score = stored.score
    else:
        score = score_table(profile, checks, results)
    lines = [
        CheckLine(c, c.describe(), next((r for r in results if r.check == c), None)) for c in checks
    ]
    history = profile_history(project, target.connection, target.table, workspace=workspace)
    return ProfileReport(target, profile, score, lines, history, suggestions, stored)


def document_report(
    doc: EditorDocument, profile: TableProfile, target: ProfileTarget, *, store: bool = False
) -> ProfileReport:
    """The report of ``profile`` for a project open in the editor (``store``: keep the
    profile in the metadata DB first, with its score and drift)."""
    return _build(
        profile,
        target,
        doc.name,
        doc.project.meta.checks,
        workspace=doc.workspace,
        store=store,
    )


def project_report(
    profile: TableProfile,
    target: ProfileTarget,
    project: Path | None,
    *,
    workspace: Workspace | None = None,
) -> ProfileReport:
    """The report of ``profile`` for ``cauce profile --html`` (``project``: the project whose
    checks and stored profiles apply; None for a URL)."""
    from app.services.profile_history import project_name_and_checks
    from app.services.workspace import workspace_of

    name, checks = project_name_and_checks(project, target.table)
    return _build(profile, target, name, checks, workspace=workspace_of(workspace), store=False)


def accept_suggestions(doc: EditorDocument, specs: Sequence[CheckSpec]) -> list[CheckSpec]:
    """Declare suggested checks in the open project (its directory's ``project.json``, as
    ``cauce checks suggest --accept`` does) and in the document; returns those added.

    Raises:
        ValueError: the project has never been saved to a directory.
    """
    from app.services.quality import add_checks

    if doc.root is None or not Path(doc.root).is_dir():
        raise ValueError(_("save the project to a directory before declaring checks"))
    added = add_checks(Path(doc.root), list(specs))
    meta = doc.project.meta
    meta.checks = [*meta.checks, *(s for s in added if s not in meta.checks)]
    return added
