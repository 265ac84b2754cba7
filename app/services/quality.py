"""Data-quality checks: declare them in a project, run them on demand or after a run writes a
table, suggest them from a profile. The use cases behind ``cauce checks``.

Checks live in the project's ``project.json`` (:class:`app.model.quality.CheckSpec`); they run
where the table is (:mod:`app.engine.quality`), and every result is stored in the metadata DB
in a transaction of its own (:class:`app.storage.quality.QualityStore`).

After a pipeline or a sync writes a table, :func:`check_written_tables` runs the checks
declared on it (the run use cases call it only when the project declares checks): a failing
``fail`` check fails the run, naming the check; a failing ``warn`` check adds a warning event.

Personal data: :func:`personal_columns` names the columns whose values are masked in stored
failing-row samples — those tagged in the metadata DB (``cauce tags``), and for a table a
pipeline wrote, those whose tags followed lineage to its destination. Samples are stored
masked whoever runs the checks (a stored sample outlives the permission of its viewer).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.events import CheckFinished, Event
from app.model.quality import CheckSpec

if TYPE_CHECKING:
    from app.connectors.base import Connector
    from app.engine.quality import CheckResult
    from app.model.cancel import CancelToken
    from app.services.workspace import Workspace
    from app.storage.project import Project

__all__ = [
    "CheckOutcome",
    "CheckSpec",
    "add_checks",
    "check_errors",
    "check_written_tables",
    "list_checks",
    "personal_columns",
    "remove_check",
    "resolve_connection",
    "run_project_checks",
    "suggest_project_checks",
]


@dataclass
class CheckOutcome:
    """The results of one checking pass over one or more tables."""

    results: list[CheckResult] = field(default_factory=list)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if not r.ok and r.check.severity == "fail"]

    @property
    def warned(self) -> list[CheckResult]:
        return [r for r in self.results if r not in self.failed and r.status != "passed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def described(self) -> tuple[list[str], list[str]]:
        """The failed and the warned checks, each as ``table check (status)``."""

        def words(results: list[CheckResult]) -> list[str]:
            return [f"{r.check.target} {r.check.name} ({r.status})" for r in results]

        return words(self.failed), words(self.warned)

    def error_text(self) -> str:
        """Why the run failed: the failing checks, named."""
        return _("quality checks failed: {checks}").format(checks="; ".join(self.described()[0]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "succeeded" if self.ok else "failed",
            "results": [r.to_dict() for r in self.results],
        }


def check_errors() -> tuple[type[BaseException], ...]:
    """The errors, beyond ``errors.USER_ERRORS``, that mean the user's input is invalid."""
    from pydantic import ValidationError

    from app.engine.profile import ProfileError
    from app.engine.quality import CheckSqlError

    return (CheckSqlError, ProfileError, ValidationError, ValueError)


def personal_columns(
    connection: str, table: str, tag_map: Mapping[tuple[str, str], Mapping[str, Any]] | None
) -> set[str]:
    """Columns of ``table`` tagged as personal data (``tag_map``: the project's column tags,
    :func:`app.services.masking.project_tag_map`), masked in stored samples."""
    if not tag_map:
        return set()
    from app.services.masking import table_tags

    return set(table_tags(dict(tag_map), connection, table))  # type: ignore[arg-type]


def _same_table(spec_table: str, table: str) -> bool:
    a, b = spec_table.casefold(), table.casefold()
    return a == b or b.endswith("." + a) or a.endswith("." + b)


def _written_by(project: Project, table: str) -> set[str]:
    """Connections the project's pipelines and syncs write a table of that name into."""
    out = set()
    for p in project.pipelines.values():
        for n in p.nodes:
            if n.type == "destination" and _same_table(str(n.params.get("table", "")), table):
                out.add(str(n.params.get("connection")))
    for s in project.syncs.values():
        for d in s.destinations:
            if _same_table(d.table, table):
                out.add(d.connection)
    return out


def resolve_connection(project: Project, spec: CheckSpec) -> str:
    """The connection of the table ``spec`` checks: its own, else the one connection that the
    project writes the table into, else the project's only connection."""
    if spec.connection is not None:
        if spec.connection not in project.connections:
            raise ValueError(_("no connection named {name!r}").format(name=spec.connection))
        return spec.connection
    found = _written_by(project, spec.table) or set(project.connections)
    if len(found) != 1:
        raise ValueError(
            _("say which connection holds {table} (--connection): one of {names}").format(
                table=spec.table, names=", ".join(sorted(found)) or "-"
            )
        )
    return found.pop()


def _check_specs(
    connector: Connector,
    table: str,
    specs: list[CheckSpec],
    *,
    cancel: CancelToken | None,
    on_result: Callable[[CheckResult], None],
    masked: set[str],
) -> list[CheckResult]:
    from app.engine.quality import run_checks
    from app.engine.quality.runner import find_table

    info = find_table(connector, table)
    return run_checks(
        lambda sql: connector.query(sql).read_all(),
        info.qualified,
        connector.capabilities.dialect,
        specs,
        masked=masked,
        on_result=on_result,
        cancel=cancel,
        columns=connector.table_schema(info.qualified).names,
    )


def check_written_tables(
    project_name: str,
    checks: Iterable[CheckSpec],
    written: Iterable[tuple[str, str]],
    open_connector: Callable[[str], Connector],
    *,
    workspace: Workspace,
    run_id: int | None = None,
    sync_run_id: int | None = None,
    publish: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    tagged: Mapping[tuple[str, str], set[str]] | None = None,
) -> CheckOutcome:
    """Run the checks declared on the tables a run wrote (``written``: connection, table)
    and store each result; publish a :class:`CheckFinished` for each one that did not pass.
    One code path for pipelines and syncs. Personal columns (:func:`personal_columns`, and
    ``tagged``: columns a pipeline's tags reached, by written (connection, table)) are stored
    masked in failing-row samples."""
    from app.services.masking import project_tag_map
    from app.storage.quality import QualityStore

    outcome = CheckOutcome()
    chosen = list(checks)
    with workspace.repository() as repo:
        project_id = repo.ensure_project(project_name)
    tag_map = project_tag_map(workspace, project_name)
    with workspace.open_store(QualityStore) as store:
        for connection, table in written:
            specs = [
                s
                for s in chosen
                if s.node is None
                and _same_table(s.table, table)
                and s.connection in (None, connection)
            ]
            if not specs:
                continue
            batch = str(uuid.uuid4())

            def keep(
                result: CheckResult,
                connection: str = connection,
                batch: str = batch,
                table: str = table,
            ) -> None:
                record = {**result.to_dict(), "description": result.check.describe()}
                record["check_spec"] = result.check.model_dump(mode="json")
                store.store_check_result(
                    project_id, batch, connection, record, run_id=run_id, sync_run_id=sync_run_id
                )
                if result.status != "passed" and publish is not None:
                    publish(
                        CheckFinished(
                            str(run_id or sync_run_id or ""),
                            table=table,
                            check=result.check.name,
                            status=result.status,
                            failing=result.failing,
                            error=result.error,
                        )
                    )

            masked = personal_columns(connection, table, tag_map)
            masked |= (tagged or {}).get((connection, table), set())
            outcome.results += _check_specs(
                open_connector(connection),
                table,
                specs,
                cancel=cancel,
                on_result=keep,
                masked=masked,
            )
    return outcome


def _load_dir(project: Path) -> Any:
    from app.storage.project import ProjectError, load_project

    opened = load_project(project)
    if opened.is_bundle:
        opened.close()
        raise ProjectError(
            str(project), _("checks are declared in a project directory, not a bundle")
        )
    return opened


def _selected(
    spec: CheckSpec, table: str | None, pipeline: str | None = None, node: str | None = None
) -> bool:
    """Whether ``spec`` is among the checks chosen: of ``table``, or of ``pipeline``'s nodes
    (of ``node`` only, when given); all when nothing is given."""
    if table is None and pipeline is None:
        return True
    if table is not None:
        return spec.node is None and _same_table(spec.table, table)
    return spec.pipeline == pipeline and node in (None, spec.node)


def list_checks(
    project: Path, table: str | None = None, *, pipeline: str | None = None, node: str | None = None
) -> list[CheckSpec]:
    """The project's declared checks (of ``table``, or of ``pipeline``'s nodes, when given)."""
    from app.storage.project import load_project

    with load_project(project) as opened:
        checks = opened.project.meta.checks
    return [c for c in checks if _selected(c, table, pipeline, node)]


def _known_node(project: Project, spec: CheckSpec) -> None:
    from app.model.pipeline import GraphError

    found = project.pipelines.get(str(spec.pipeline))
    if found is None:
        raise ValueError(_("no pipeline named {name!r}").format(name=spec.pipeline))
    try:
        node = found.node_by_name(str(spec.node))
    except GraphError:
        raise ValueError(
            _("no node {node!r} in pipeline {pipeline!r}").format(
                node=spec.node, pipeline=spec.pipeline
            )
        ) from None
    if node.type == "destination":
        raise ValueError(
            _("{node!r} is a destination: declare its checks on its table").format(node=spec.node)
        )


def add_checks(project: Path, specs: list[CheckSpec]) -> list[CheckSpec]:
    """Declare ``specs`` in a project directory; returns those added (a check already
    declared is not added twice). SQL predicates are parsed and checked first."""
    from app.engine.quality.checks import parse_predicate
    from app.storage.project import save_project

    with _load_dir(project) as opened:
        meta = opened.project.meta
        added = []
        for spec in specs:
            if spec.node is not None:
                _known_node(opened.project, spec)
            if spec.connection is not None and spec.connection not in opened.project.connections:
                raise ValueError(_("no connection named {name!r}").format(name=spec.connection))
            if spec.predicate:
                dialect = _dialect(opened.project, spec)
                parse_predicate(spec.predicate, dialect)
            if spec not in meta.checks and spec not in added:
                added.append(spec)
        if added:
            meta.checks = [*meta.checks, *added]
            save_project(opened.project, opened.root)
    return added


def _dialect(project: Project, spec: CheckSpec) -> str:
    from app.connectors.registry import connector_registry

    if spec.node is not None:
        return "duckdb"  # a node's output is checked on the local engine
    try:
        kind = project.connections[resolve_connection(project, spec)].type
        return connector_registry().get(kind).capabilities.dialect or "duckdb"
    except (ValueError, KeyError, AttributeError):
        return "duckdb"


def remove_check(
    project: Path,
    table: str | None,
    name: str,
    *,
    pipeline: str | None = None,
    node: str | None = None,
) -> CheckSpec:
    """Remove the check ``name`` (``kind:column``, as listed) of ``table`` (or of ``node`` of
    ``pipeline``)."""
    from app.storage.project import save_project

    with _load_dir(project) as opened:
        meta = opened.project.meta
        found = [
            c
            for c in meta.checks
            if (table is not None or node is not None)
            and _selected(c, table, pipeline, node)
            and c.name == name
        ]
        if not found:
            raise ValueError(
                _("no check {name!r} on {table} (see cauce checks list)").format(
                    name=name, table=table if table is not None else f"{pipeline}.{node}"
                )
            )
        meta.checks = [c for c in meta.checks if c is not found[0]]
        save_project(opened.project, opened.root)
    return found[0]


def run_project_checks(
    project: Path,
    *,
    table: str | None = None,
    pipeline: str | None = None,
    node: str | None = None,
    workspace: Workspace | None = None,
    trust: bool = False,
    cancel: CancelToken | None = None,
) -> CheckOutcome:
    """Run the project's checks now (of ``table``, or of ``pipeline``'s nodes, when given),
    storing each result. A node's checks run over its output computed on the local engine
    (:mod:`app.services.quality_nodes`)."""
    from app.services.connections import project_provider
    from app.services.quality_nodes import check_pipeline_nodes
    from app.services.secrets import secret_lookup
    from app.services.trust import require_trust
    from app.services.workspace import workspace_of
    from app.storage.project import load_project

    ws = workspace_of(workspace)
    with load_project(project) as opened:
        require_trust(opened, trust=trust)  # its connections could name any host
        p = opened.project
        chosen = [c for c in p.meta.checks if _selected(c, table, pipeline, node)]
        if not chosen:
            on = table or (f"{pipeline}.{node}" if node else pipeline)
            raise ValueError(_("no checks declared{on}").format(on=f" on {on}" if on else ""))
        on_nodes = sorted({str(c.pipeline) for c in chosen if c.node is not None})
        for name in on_nodes:
            if name not in p.pipelines:
                raise ValueError(_("no pipeline named {name!r}").format(name=name))
        targets: dict[tuple[str, str], None] = {}
        resolved = []
        for spec in (c for c in chosen if c.node is None):
            connection = resolve_connection(p, spec)
            resolved.append(spec.model_copy(update={"connection": connection}))
            targets[(connection, spec.table)] = None
        with project_provider(
            p.connections,
            project_dir=opened.root,
            secrets=secret_lookup(p.meta.name, ws.secrets),
            variables=p.meta.variables,
        ) as provider:
            outcome = check_written_tables(
                p.meta.name, resolved, list(targets), provider.open, workspace=ws, cancel=cancel
            )
            for name in on_nodes:
                outcome.results += check_pipeline_nodes(
                    p.meta.name, chosen, p.pipelines[name], provider, workspace=ws, cancel=cancel
                ).results
            return outcome


def suggest_project_checks(
    project: Path,
    connection: str,
    table: str,
    *,
    accept: bool = False,
    trust: bool = False,
) -> list[CheckSpec]:
    """Checks a profile of ``table`` suggests; with ``accept``, declared in the project."""
    from app.engine.quality import suggest_checks
    from app.services.profiling import profile_project_table

    profile = profile_project_table(project, connection, table, trust=trust)
    suggested = suggest_checks(profile, table, connection)
    if accept:
        add_checks(project, suggested)
    return suggested
