"""``cauce history``, ``cauce diff``, ``cauce rollback``, ``cauce tag`` and the git drivers
``cauce git-diff`` / ``cauce merge-driver`` (docs/versions.md).

Each command calls :mod:`app.services.version_ops` or :mod:`app.services.version_git` and
writes what they return for a terminal (or as JSON).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from app.cli_help import TranslatedCommand
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.workspace import Workspace

__all__ = [
    "diff_cmd",
    "git_diff_cmd",
    "history_cmd",
    "merge_driver_cmd",
    "rollback_cmd",
    "save_cmd",
    "tag_cmd",
]

EXIT_INVALID = 2
_PROJECT = click.Path(exists=True, path_type=Path)


def _workspace(ctx: click.Context) -> Workspace | None:
    return (ctx.obj or {}).get("workspace")


def _fail(err: BaseException) -> NoReturn:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import CONFLICTS, USER_ERRORS

    return (*USER_ERRORS, *CONFLICTS)


def _subject(
    pipeline: str | None, sync: str | None, connection: str | None
) -> tuple[str, str | None]:
    if sync is not None:
        return "sync", sync
    if connection is not None:
        return "connection", connection
    return "pipeline", pipeline


def _subject_options(f: Any) -> Any:
    f = click.option("--connection", metavar="NAME", help=N_("A connection's history."))(f)
    f = click.option("--sync", metavar="NAME", help=N_("A sync's history."))(f)
    return click.option("--pipeline", metavar="NAME", help=N_("A pipeline's history."))(f)


@click.command(
    "history",
    cls=TranslatedCommand,
    help=N_("List the saved versions of a project's pipelines (or of one sync or connection)."),
)
@click.argument("project", type=_PROJECT)
@_subject_options
@click.option("--layout", is_flag=True, help=N_("Also list versions that only moved nodes."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def history_cmd(
    ctx: click.Context,
    project: Path,
    pipeline: str | None,
    sync: str | None,
    connection: str | None,
    layout: bool,
    as_json: bool,
) -> None:
    from app.services.version_ops import project_history

    kind, name = _subject(pipeline, sync, connection)
    try:
        found = project_history(
            project, kind, name, include_layout=layout, workspace=_workspace(ctx)
        )
    except _user_errors() as err:
        _fail(err)
    if as_json:
        data = {
            n: [
                {
                    "number": e.number,
                    "author": e.author,
                    "created_at": e.created_at.isoformat(),
                    "message": e.message,
                    "layout_only": e.layout_only,
                    "tags": list(e.tags),
                }
                for e in entries
            ]
            for n, entries in found.items()
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for n, entries in found.items():
        click.echo(f"{kind} {n}")
        if not entries:
            click.echo("  " + _("no versions yet"))
        for e in entries:
            flags = "".join(
                [
                    f" [{', '.join(e.tags)}]" if e.tags else "",
                    " " + _("(layout only)") if e.layout_only else "",
                ]
            )
            when = e.created_at.strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"  v{e.number:<4} {when}  {e.author:<12} {e.message}{flags}")


@click.command(
    "save",
    cls=TranslatedCommand,
    help=N_(
        "Record the project's current files as new versions (what the editor's Save does): "
        "for files edited by hand or pulled from git."
    ),
)
@click.argument("project", type=_PROJECT)
@click.option("-m", "--message", default="", help=N_("The versions' message."))
@click.pass_context
def save_cmd(ctx: click.Context, project: Path, message: str) -> None:
    from app.services.version_ops import record

    try:
        record(project, message=message, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    click.echo(_("saved"))


@click.command(
    "diff",
    cls=TranslatedCommand,
    help=N_(
        "Semantic diff between two versions, or a version and the working copy. REF: a "
        "version number, HEAD, HEAD~2, a tag or a date (2026-12-01)."
    ),
)
@click.argument("project", type=_PROJECT)
@click.argument("ref1")
@click.argument("ref2", required=False)
@_subject_options
@click.option("--layout", is_flag=True, help=N_("Show canvas positions that changed, too."))
@click.option("--no-sql", is_flag=True, help=N_("Do not compile: no schema or SQL changes."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def diff_cmd(
    ctx: click.Context,
    project: Path,
    ref1: str,
    ref2: str | None,
    pipeline: str | None,
    sync: str | None,
    connection: str | None,
    layout: bool,
    no_sql: bool,
    as_json: bool,
) -> None:
    from app.services.version_ops import diff_refs

    kind, name = _subject(pipeline, sync, connection)
    try:
        changes = diff_refs(
            project,
            ref1,
            ref2,
            kind=kind,
            name=name,
            with_layout=layout,
            compile_sql=not no_sql,
            workspace=_workspace(ctx),
        )
    except _user_errors() as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False))
        return
    for change in changes:
        click.echo("\n".join(change.lines()))


@click.command(
    "rollback",
    cls=TranslatedCommand,
    help=N_(
        "Bring a pipeline (or one node) back to an earlier version, saved as a new version. "
        "Shows the diff first."
    ),
)
@click.argument("project", type=_PROJECT)
@click.argument("ref")
@click.option(
    "--pipeline", metavar="NAME", help=N_("The pipeline (needed when there are several).")
)
@click.option("--node", metavar="NAME", help=N_("Roll back only this node."))
@click.option("--dry-run", is_flag=True, help=N_("Show the diff, change nothing."))
@click.option("-m", "--message", help=N_("The new version's message."))
@click.pass_context
def rollback_cmd(
    ctx: click.Context,
    project: Path,
    ref: str,
    pipeline: str | None,
    node: str | None,
    dry_run: bool,
    message: str | None,
) -> None:
    from app.services.version_ops import rollback

    try:
        result = rollback(
            project,
            ref,
            pipeline=pipeline,
            node=node,
            dry_run=dry_run,
            message=message,
            workspace=_workspace(ctx),
        )
    except _user_errors() as err:
        _fail(err)
    for change in result.changes:
        click.echo("\n".join(change.lines()))
    if result.saved:
        click.echo(_("rolled back: saved as a new version"))
    elif dry_run:
        click.echo(_("dry run: nothing changed"))
    else:
        click.echo(_("nothing to roll back"))


@click.command(
    "tag",
    cls=TranslatedCommand,
    help=N_(
        "Tag the current versions of a project's pipelines, syncs, connections and schedules; "
        "without NAME, list the tags; --restore puts a tagged set back."
    ),
)
@click.argument("project", type=_PROJECT)
@click.argument("name", required=False)
@click.option("-m", "--message", default="", help=N_("The tag's message."))
@click.option("--restore", is_flag=True, help=N_("Restore the tagged versions (as new versions)."))
@click.option("--dry-run", is_flag=True, help=N_("With --restore: show the diff, change nothing."))
@click.pass_context
def tag_cmd(
    ctx: click.Context, project: Path, name: str | None, message: str, restore: bool, dry_run: bool
) -> None:
    from app.services.version_ops import restore_tag, tag, tags

    try:
        if name is None:
            for t in tags(project, workspace=_workspace(ctx)):
                members = ", ".join(f"{m.kind} v{m.number}" for m in t.members)
                click.echo(
                    f"{t.name}  {t.created_at:%Y-%m-%d %H:%M}  {t.author}  {t.message}  ({members})"
                )
            return
        if restore:
            result = restore_tag(project, name, dry_run=dry_run, workspace=_workspace(ctx))
            for change in result.changes:
                click.echo("\n".join(change.lines()))
            if result.saved:
                click.echo(_("restored tag {name}").format(name=name))
            elif not result.changes:
                click.echo(_("already at tag {name}").format(name=name))
            return
        made = tag(project, name, message=message, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    click.echo(_("tagged {count} versions as {name}").format(count=len(made.members), name=name))


@click.command(
    "git-diff",
    cls=TranslatedCommand,
    help=N_("Git diff driver (diff.cauce.command): the semantic diff of a project file."),
)
@click.argument("args", nargs=-1)
def git_diff_cmd(args: tuple[str, ...]) -> None:
    from app.services.version_git import git_diff

    if len(args) < 7:
        click.echo(_("git-diff expects the 7 arguments git passes to a diff driver"), err=True)
        sys.exit(EXIT_INVALID)
    path, old_file, _old_hex, _old_mode, new_file = args[:5]
    click.echo(git_diff(path, old_file, new_file), nl=False)


@click.command(
    "merge-driver",
    cls=TranslatedCommand,
    help=N_("Git merge driver (merge.cauce.driver = cauce merge-driver %O %A %B %P)."),
)
@click.argument("base")
@click.argument("ours")
@click.argument("theirs")
@click.argument("path", required=False, default="")
def merge_driver_cmd(base: str, ours: str, theirs: str, path: str) -> None:
    from app.services.version_git import merge_files

    conflicts = merge_files(base, ours, theirs, path)
    for conflict in conflicts:
        click.echo(_("conflict in {path}: {what}").format(path=path, what=conflict), err=True)
    sys.exit(1 if conflicts else 0)
