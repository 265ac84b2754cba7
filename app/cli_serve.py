"""``cauce serve`` (the REST API) and ``cauce api-keys`` (its credentials).

FastAPI and uvicorn are imported only when ``serve`` runs: every other command, and
``--run-project`` above all, never pays for them (``tests/test_cli_imports.py``).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

__all__ = ["api_keys_group", "serve_cmd"]

EXIT_INVALID = 2


def _fail(message: str) -> None:
    click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(EXIT_INVALID)


@click.command("serve", help=N_("Serve the REST API (/api/v1, documentation at /docs)."))
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@click.option("--port", default=8710, show_default=True, type=int, help=N_("Port to listen on."))
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help=N_("Runs that may execute at once."),
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help=N_("Metadata database URL (as cauce --db; CAUCE_DB_URL otherwise)."),
)
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, workers: int, db_url: str | None) -> None:
    try:
        from app.api.serve import serve
    except ImportError as err:
        _fail(
            _(
                "the server is not installed in this environment ({missing}); "
                "install Cauce with the 'server' extra: pip install 'cauce[server]'"
            ).format(missing=err.name or err)
        )
    try:
        serve(host=host, port=port, db_url=db_url or ctx.obj.get("db_url"), workers=workers)
    except ValueError as err:  # a setting that cannot work (a short CAUCE_JWT_SECRET)
        _fail(str(err))


@click.group(
    "api-keys",
    cls=TranslatedGroup,
    help=N_("Create, list and revoke the API keys (and OAuth2 clients) of the REST API."),
)
def api_keys_group() -> None:
    pass  # a group: its commands do the work


@api_keys_group.command(
    "create", help=N_("Create an API key and print it once (only its hash is kept).")
)
@click.option("--name", required=True, help=N_("What the key is for."))
@click.option(
    "--scopes",
    required=True,
    metavar="SCOPES",
    help=N_("Comma-separated: read, write, run, admin, unmask, backup, gdpr."),
)
@click.option("--user", default="admin", show_default=True, help=N_("The user the key acts as."))
@click.option(
    "--role",
    type=click.Choice(["viewer", "editor", "admin"]),
    help=N_("Create the user with (or change it to) this role."),
)
@click.option(
    "--org",
    "organization",
    default="default",
    show_default=True,
    help=N_("The user's organization."),
)
@click.option("--expires", metavar="WHEN", help=N_("30d, 12h, 90m, or an ISO date."))
@click.option(
    "--rate-limit",
    type=click.IntRange(1),
    default=600,
    show_default=True,
    help=N_("Requests a minute."),
)
@click.option(
    "--oauth-client",
    is_flag=True,
    help=N_("Create an OAuth2 client (client credentials) instead of a key."),
)
@click.pass_context
def api_keys_create(
    ctx: click.Context,
    name: str,
    scopes: str,
    user: str,
    role: str | None,
    organization: str,
    expires: str | None,
    rate_limit: int,
    oauth_client: bool,
) -> None:
    from app.services import access
    from app.services.errors import USER_ERRORS, describe

    workspace = ctx.obj["workspace"].for_organization(organization)
    try:
        made = access.create_credential(
            workspace,
            user=user,
            name=name,
            scopes=[s.strip() for s in scopes.split(",") if s.strip()],
            role=role or ("admin" if user == "admin" else None),
            expires_at=access.parse_expiry(expires),
            rate_limit=rate_limit,
            kind="oauth_client" if oauth_client else "api_key",
        )
    except USER_ERRORS + (access.InvalidCredentialRequest,) as err:
        _fail(describe(err))
    record = made.record
    if oauth_client:
        click.echo(_("client_id:     {value}").format(value=made.client_id))
        click.echo(_("client_secret: {value}").format(value=made.secret))
    else:
        click.echo(made.secret)
    click.echo(
        _("id {id}, user {user} ({role}), scopes {scopes}. Shown once: keep it now.").format(
            id=record.id,
            user=record.user.name,
            role=record.user.role,
            scopes=",".join(record.scopes),
        ),
        err=True,
    )


@api_keys_group.command("list", help=N_("List the keys of an organization (never the secrets)."))
@click.option("--org", "organization", default="default", show_default=True)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def api_keys_list(ctx: click.Context, organization: str, as_json: bool) -> None:
    from app.services import access

    records = access.list_credentials(ctx.obj["workspace"].for_organization(organization))
    rows: list[dict[str, Any]] = [
        {
            "id": r.id,
            "kind": r.kind,
            "name": r.name,
            "prefix": r.prefix,
            "user": r.user.name,
            "scopes": list(r.scopes),
            "expires_at": r.expires_at.isoformat() if r.expires_at else None,
            "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None,
            "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
        }
        for r in records
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(_("no keys"))
    for row in rows:
        state = _("revoked") if row["revoked_at"] else _("active")
        click.echo(
            f"{row['id']:>4}  cauce_{row['prefix']}  {row['name']:<20} {row['user']:<12} "
            f"{','.join(row['scopes']):<20} {state}"
        )


@api_keys_group.command("revoke", help=N_("Revoke a key by its id: it stops working at once."))
@click.argument("key_id", type=int)
@click.option("--org", "organization", default="default", show_default=True)
@click.pass_context
def api_keys_revoke(ctx: click.Context, key_id: int, organization: str) -> None:
    from app.services import access
    from app.services.errors import NOT_FOUND, describe

    try:
        record = access.revoke_credential(
            ctx.obj["workspace"].for_organization(organization), key_id
        )
    except NOT_FOUND as err:
        _fail(describe(err))
    click.echo(_("revoked key {id} (cauce_{prefix})").format(id=record.id, prefix=record.prefix))
