"""Trusting a project from elsewhere: say what it would do, then run it only if the user agrees.

:func:`access_summary` lists what a project would connect to, read and write, with its
connection parameters as written (``${VAR}`` unexpanded) and no secret (connections never
hold one). :func:`require_trust` is called by every use case that runs a project: a bundle, or
a directory imported from one, runs only once the user has trusted that exact content
(``--trust`` on the command line, the question in the editor's import dialog); the answer is
kept per machine (:class:`app.storage.trust.TrustStore`).
"""

from __future__ import annotations

from app.i18n import _
from app.storage.project import OpenProject
from app.storage.project_format import Project, ProjectError
from app.storage.trust import TrustStore

__all__ = [
    "UntrustedProject",
    "access_summary",
    "from_elsewhere",
    "mark_imported",
    "needs_trust",
    "project_needs_trust",
    "require_trust",
    "trust_project",
]

#: connection parameters worth showing: where a connection goes
_WHERE = (
    "host",
    "port",
    "database",
    "dbname",
    "user",
    "path",
    "account",
    "project",
    "dataset",
    "warehouse",
    "server",
    "url",
)


class UntrustedProject(ProjectError):
    """A project from elsewhere that the user has not trusted yet on this machine."""

    def __init__(self, project: Project) -> None:
        lines = "\n".join("  " + line for line in access_summary(project))
        super().__init__(
            project.meta.name,
            _(
                "this project comes from a bundle and has not been trusted on this machine. "
                "It would:\n{summary}\nRun it again with --trust if you agree."
            ).format(summary=lines),
        )


def access_summary(project: Project) -> list[str]:
    """What ``project`` would connect to, read and write, one line each."""
    lines = []
    for name, conn in sorted(project.connections.items()):
        where = ", ".join(f"{k}={conn.params[k]}" for k in _WHERE if k in conn.params)
        lines.append(
            _("connect to {name} ({type}): {where}").format(
                name=name, type=conn.type, where=where or "-"
            )
        )
    for pname, pipeline in sorted(project.pipelines.items()):
        for node in pipeline.nodes:
            p = node.params
            if node.type == "source":
                what = p.get("table") or _("query {query!r}").format(query=p.get("query"))
                lines.append(
                    _("read {what} from {connection} (pipeline {pipeline})").format(
                        what=what, connection=p.get("connection"), pipeline=pname
                    )
                )
            elif node.type == "file_source":
                lines.append(
                    _("read the file {path} (pipeline {pipeline})").format(
                        path=p.get("path"), pipeline=pname
                    )
                )
            elif node.type == "destination":
                lines.append(
                    _("write {table} in {connection} ({mode}, pipeline {pipeline})").format(
                        table=p.get("table"),
                        connection=p.get("connection"),
                        mode=p.get("mode", "replace"),
                        pipeline=pname,
                    )
                )
            elif node.type == "custom_sql":
                lines.append(
                    _("run custom SQL in node {node} (pipeline {pipeline})").format(
                        node=node.name, pipeline=pname
                    )
                )
    for sname, sync in sorted(project.syncs.items()):
        what = sync.source.table or _("query {query!r}").format(query=sync.source.query)
        lines.append(
            _("read {what} from {connection} (sync {sync})").format(
                what=what, connection=sync.source.connection, sync=sname
            )
        )
        for dest in sync.destinations:
            lines.append(
                _("write {table} in {connection} (sync {sync})").format(
                    table=dest.table, connection=dest.connection, sync=sname
                )
            )
    if project.meta.variables:
        lines.append(
            _("read the environment variables {names} (if allowed on this machine)").format(
                names=", ".join(project.meta.variables)
            )
        )
    return lines


def needs_trust(opened: OpenProject, store: TrustStore | None = None) -> bool:
    return project_needs_trust(opened.project, from_bundle=opened.is_bundle, store=store)


def from_elsewhere(project: Project, *, from_bundle: bool, store: TrustStore | None = None) -> bool:
    """A bundle, or a directory imported from one (never a project of one's own)."""
    return from_bundle or (store or TrustStore()).was_imported(project)


def project_needs_trust(
    project: Project, *, from_bundle: bool, store: TrustStore | None = None
) -> bool:
    """True when ``project`` comes from elsewhere and this content was never trusted here."""
    store = store or TrustStore()
    return from_elsewhere(project, from_bundle=from_bundle, store=store) and not store.is_trusted(
        project
    )


def require_trust(opened: OpenProject, *, trust: bool) -> None:
    """Refuse to run a project from elsewhere unless trusted (``trust`` grants it now)."""
    store = TrustStore()
    if trust:
        store.trust(opened.project)
    elif needs_trust(opened, store):
        raise UntrustedProject(opened.project)


def trust_project(project: Project) -> None:
    TrustStore().trust(project)


def mark_imported(project: Project, *, trusted: bool) -> None:
    store = TrustStore()
    store.mark_imported(project)
    if trusted:
        store.trust(project)
