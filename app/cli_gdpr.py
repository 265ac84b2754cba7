"""``cauce gdpr``: data-subject requests — register, list, find, export, erase, close, verify.

Exit codes: 0 ok, 1 an erasure left something (or the audit does not verify), 2 invalid input.

    cauce gdpr request ./shop erasure --key pii.email=ana@example.com --key id.customer=17
    cauce gdpr list ./shop
    cauce gdpr find ./shop 1
    cauce gdpr export ./shop 1 ana.zip
    cauce gdpr erase ./shop 1 --yes
    cauce gdpr policy ./shop -c warehouse -t invoices anonymise
    cauce gdpr close ./shop 2 --note "address corrected in the CRM"
    cauce gdpr verify ./shop
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _, gettext

__all__ = ["gdpr_group"]

EXIT_FAILED, EXIT_INVALID = 1, 2
_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_REQUEST = click.argument("request", type=int)
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))


def _fail(err: BaseException) -> None:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import NOT_FOUND, USER_ERRORS

    return (*USER_ERRORS, *NOT_FOUND, ValueError)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


_STATES = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "overdue": N_("overdue"),
}


def _state(state: str) -> str:
    return gettext(_STATES[state]) if state in _STATES else state


@click.group(
    "gdpr",
    cls=TranslatedGroup,
    help=N_("Data-subject requests (GDPR): register, find, export, erase, verify."),
)
def gdpr_group() -> None:
    pass  # a group: its commands do the work


@gdpr_group.command(
    "request",
    help=N_(
        "Register a request (KIND: access, portability, erasure, rectification) for a "
        "subject identified by one or more keys TAG=VALUE; due in one month."
    ),
)
@_PROJECT
@click.argument("kind", type=click.Choice(["access", "portability", "erasure", "rectification"]))
@click.option(
    "--key",
    "-k",
    "keys",
    multiple=True,
    required=True,
    help=N_("A key of the subject, TAG=VALUE (e.g. pii.email=ana@example.com); repeatable."),
)
@click.option("--note", default="", help=N_("A note kept with the request."))
@_JSON
def request_cmd(project: Path, kind: str, keys: tuple[str, ...], note: str, as_json: bool) -> None:
    from app.services.gdpr import register_request

    try:
        info = register_request(project, kind, list(keys), note=note)
    except _errors() as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(info.to_dict(), indent=2))
        return
    click.echo(
        _("request #{id} ({kind}) registered, due {due}").format(
            id=info.id, kind=info.kind, due=_when(info.due_at)
        )
    )


@gdpr_group.command("list", help=N_("List the project's requests with their deadlines."))
@_PROJECT
@_JSON
def list_cmd(project: Path, as_json: bool) -> None:
    from app.services.gdpr import list_requests

    try:
        found = list_requests(project)
    except _errors() as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in found], indent=2))
        return
    if not found:
        click.echo(_("no request"))
    for r in found:
        due = _("due {date}").format(date=_when(r.due_at))
        click.echo(f"#{r.id}\t{r.kind}\t{_state(r.state)}\t{due}\t" + " ".join(r.subject))


@gdpr_group.command(
    "find", help=N_("Find the request's subject in every table the project writes.")
)
@_PROJECT
@_REQUEST
@_JSON
def find_cmd(project: Path, request: int, as_json: bool) -> None:
    from app.services.gdpr import find_subject

    try:
        found = find_subject(project, request)
    except _errors() as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(found.to_dict(), indent=2))
        return
    for t in found.tables:
        rows = t.error or str(t.rows)
        click.echo(f"{t.connection}\t{t.table}\t{rows}\t{', '.join(t.columns)}\t{t.policy}")
    for problem in found.problems:
        click.echo(_("warning: {problem}").format(problem=problem), err=True)
    click.echo(
        _("{rows} row(s) in {tables} table(s)").format(
            rows=found.total, tables=sum(1 for t in found.tables if t.rows)
        )
    )


@gdpr_group.command(
    "export",
    help=N_(
        "Export the subject's rows as JSON and CSV in one zip ARCHIVE (needs the unmask "
        "permission: CAUCE_UNMASK=1)."
    ),
)
@_PROJECT
@_REQUEST
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
def export_cmd(project: Path, request: int, archive: Path) -> None:
    from app.services.gdpr import export_subject

    try:
        done = export_subject(project, request, archive)
    except _errors() as err:
        _fail(err)
    click.echo(
        _("{rows} row(s) of {tables} table(s) written to {archive}").format(
            rows=done.total, tables=len(done.tables), archive=done.archive
        )
    )


@gdpr_group.command(
    "erase",
    help=N_(
        "Erase the subject of an erasure request from every table the project writes "
        "(one transaction per database), and keep later syncs and runs from writing them again."
    ),
)
@_PROJECT
@_REQUEST
@click.option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@_JSON
def erase_cmd(project: Path, request: int, yes: bool, as_json: bool) -> None:
    from app.services.gdpr import erase_subject

    if not yes and not click.confirm(
        _(
            "Erase the subject of request #{id} from every destination? This cannot be undone"
        ).format(id=request)
    ):
        sys.exit(EXIT_INVALID)

    def progress(line: str) -> None:
        if not as_json:
            click.echo(line)
            sys.stdout.flush()

    try:
        done = erase_subject(project, request, on_progress=progress)
    except _errors() as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(done.to_dict(), indent=2))
    elif done.ok:
        click.echo(
            _("request #{id} done: {rows} row(s) erased, nothing of the subject is left").format(
                id=request, rows=done.rows
            )
        )
    else:
        click.echo(
            _("request #{id} not finished: {error}").format(
                id=request, error=done.request.last_error
            ),
            err=True,
        )
    sys.exit(0 if done.ok else EXIT_FAILED)


@gdpr_group.command(
    "policy",
    help=N_(
        "What an erasure does in a table: delete the subject's rows (default) or anonymise "
        "them (tagged columns set to NULL)."
    ),
)
@_PROJECT
@click.option("--connection", "-c", required=True, help=N_("The connection holding the table."))
@click.option("--table", "-t", required=True, help=N_("The table."))
@click.argument("action", type=click.Choice(["delete", "anonymise"]))
def policy_cmd(project: Path, connection: str, table: str, action: str) -> None:
    from app.services.gdpr import set_table_policy

    try:
        set_table_policy(project, connection, table, action)
    except _errors() as err:
        _fail(err)
    click.echo(_("{table}: {action}").format(table=table, action=action))


@gdpr_group.command(
    "close", help=N_("Mark a request done by hand (e.g. a rectification made at the source).")
)
@_PROJECT
@_REQUEST
@click.option("--note", required=True, help=N_("What was done."))
def close_cmd(project: Path, request: int, note: str) -> None:
    from app.services.gdpr import close_request

    try:
        close_request(project, request, note)
    except _errors() as err:
        _fail(err)
    click.echo(_("request #{id} done").format(id=request))


@gdpr_group.command(
    "verify", help=N_("Check the signatures of the project's audit entries (detects tampering).")
)
@_PROJECT
def verify_cmd(project: Path) -> None:
    from app.services.gdpr import verify_audit

    try:
        check = verify_audit(project)
    except _errors() as err:
        _fail(err)
    for problem in check.problems:
        click.echo(problem, err=True)
    if check.ok:
        click.echo(_("{count} audit entries, all signatures valid").format(count=check.entries))
    sys.exit(0 if check.ok else EXIT_FAILED)
