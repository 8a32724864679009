"""`upstander people import|token`: the roster from HR exports and the HR feed's tokens. Commands act as named
system actors (system:import, system:people). Retaliation monitoring is `upstander safeguarding retaliation-scan`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from upstander.cli import ensure_ready


@click.group()
def people() -> None:
    """The roster and the HR feed."""


def _fail(message: str, as_json: bool, **extra) -> None:
    if as_json:
        click.echo(json.dumps({"ok": False, "error": message, **extra}))
    else:
        click.echo(f"upstander people: {message}", err=True)
    sys.exit(1)


@people.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date a change of unit or team takes effect in the unit history (default: today).")
@click.option("--dry-run", is_flag=True, help="Validate every row and report, but write nothing.")
@click.option("--json", "as_json", is_flag=True)
def import_(files: tuple[Path, ...], as_of, dry_run: bool, as_json: bool) -> None:
    """Import units, teams, people and HR events from CSV or XLSX files (docs/people-import.md).

    Every row is checked first; if any is bad, each bad row is listed with its line and nothing is changed."""
    ensure_ready()
    from django.db import DatabaseError

    from upstander.audit.log import Actor
    from upstander.people.importing import import_files

    try:
        outcome = import_files(list(files), actor=Actor.system("import"), as_of=as_of.date() if as_of else None,
                               dry_run=dry_run)
    except DatabaseError as exc:
        _fail(f"the import could not be written and nothing was changed ({exc})", as_json)
    if as_json:
        click.echo(json.dumps({**outcome.as_dict(), "dry_run": dry_run}))
    elif not outcome.ok:
        for error in outcome.errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(outcome.errors)} problem{'s' if len(outcome.errors) != 1 else ''} found; nothing was "
                   "imported.", err=True)
    elif outcome.result is None:
        click.echo("All rows are valid (dry run: nothing written): "
                   + ", ".join(f"{n} {t}" for t, n in outcome.rows.items()))
    else:
        click.echo(f"Imported: {outcome.result.summary()}")
    sys.exit(0 if outcome.ok else 1)


@people.group()
def token() -> None:
    """API tokens for the HR feed (POST /people/api/feed)."""


@token.command("create")
@click.argument("name")
@click.option("--by", "by_username", default="", help="The administrator account the token is created for "
              "(default: the only administrator).")
@click.option("--scope", default="hr_feed", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def token_create(name: str, by_username: str, scope: str, as_json: bool) -> None:
    """Create a token and print it once: only its digest is kept."""
    ensure_ready()
    from django.core.exceptions import ValidationError

    from upstander.accounts.models import Role, User
    from upstander.audit.log import Actor
    from upstander.people.actions import do_create_api_token

    admins = User.objects.filter(role=Role.ADMIN, is_active=True)
    if by_username:
        admins = admins.filter(username=by_username)
    if admins.count() != 1:
        if by_username:
            problem = f"no active administrator account {by_username}"
        elif not admins.exists():
            problem = "a token is created for an administrator account, and there is none yet: create one first"
        else:
            problem = "name the administrator account responsible for the token with --by USERNAME"
        _fail(problem, as_json)
    try:
        new = do_create_api_token(actor=Actor.system("people"), name=name, scope=scope, created_by=admins.get())
    except ValidationError as exc:
        _fail("; ".join(exc.messages), as_json)
    if as_json:
        click.echo(json.dumps({"ok": True, "id": str(new.token.public_id), "name": new.token.name,
                               "scope": new.token.scope, "token": new.secret}))
    else:
        click.echo(f"Token {new.token.public_id} ({new.token.name}, scope {new.token.scope}). "
                   "Copy it now; it is not shown again:", err=True)
        click.echo(new.secret)


@token.command("revoke")
@click.argument("token_id")
@click.option("--json", "as_json", is_flag=True)
def token_revoke(token_id: str, as_json: bool) -> None:
    """Revoke a token by its id (as printed by `token create` or `token list`)."""
    ensure_ready()
    from django.core.exceptions import ValidationError as DjangoValidationError

    from upstander.accounts.models import ApiToken
    from upstander.audit.log import Actor
    from upstander.people.actions import do_revoke_api_token

    try:
        found = ApiToken.objects.get(public_id=token_id)
    except (ApiToken.DoesNotExist, DjangoValidationError, ValueError):
        _fail(f"no token with id {token_id}", as_json)
    revoked = do_revoke_api_token(actor=Actor.system("people"), token=found)
    if as_json:
        revoked_at = revoked.revoked_at.isoformat() if revoked.revoked_at else None
        click.echo(json.dumps({"ok": True, "id": str(revoked.public_id), "revoked_at": revoked_at}))
    else:
        click.echo(f"Token {revoked.public_id} ({revoked.name}) revoked.")


@token.command("list")
@click.option("--json", "as_json", is_flag=True)
def token_list(as_json: bool) -> None:
    ensure_ready()
    from upstander.accounts.models import ApiToken

    rows = [{"id": str(t.public_id), "name": t.name, "scope": t.scope, "created_at": t.created_at.isoformat(),
             "revoked": t.revoked_at is not None, "last_used_on": t.last_used_on.isoformat() if t.last_used_on else None}
            for t in ApiToken.objects.order_by("created_at")]
    if as_json:
        click.echo(json.dumps(rows))
    else:
        for r in rows:
            click.echo(f"{r['id']}  {r['name']:<24} {r['scope']:<10} {'revoked' if r['revoked'] else 'active':<8} "
                       f"last used {r['last_used_on'] or 'never'}")
