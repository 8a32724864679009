"""`upstander accounts create|set-role|disable|list`: staff accounts outside demo mode, for the operator who sets an
installation up (the administrator's page /accounts/staff/ does the same). Acts as the named system actor
system:accounts, audited like anyone else."""

from __future__ import annotations

import json
import sys

import click

from upstander.cli import ensure_ready

ROLES = ["facilitator", "handler", "supervisor", "custodian", "overseer", "analyst", "admin"]


@click.group()
def accounts() -> None:
    """Staff accounts: create, change role, disable, list."""


def _actor():
    from upstander.audit.log import Actor

    return Actor.system("accounts")


def _account(username: str):
    from upstander.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        click.echo(f"upstander accounts: no account is called {username!r} (see `upstander accounts list`).", err=True)
        sys.exit(1)
    return user


def _refuse(exc: Exception) -> None:
    message = " ".join(getattr(exc, "messages", None) or [str(exc)])
    click.echo(f"upstander accounts: {message}", err=True)
    sys.exit(1)


@accounts.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--email", default="")
@click.option("--json", "as_json", is_flag=True)
def create(username: str, role: str, first_name: str, last_name: str, email: str, as_json: bool) -> None:
    """Create an account. Prints a temporary password once: the member replaces it, and enrols their authenticator,
    at first sign-in. A role that reads case content gets its key through key custody afterwards."""
    ensure_ready()
    from django.core.exceptions import PermissionDenied, ValidationError

    from upstander.accounts.staff import do_create_account

    try:
        new = do_create_account(actor=_actor(), username=username, role=role, first_name=first_name,
                                last_name=last_name, email=email)
    except (ValidationError, PermissionDenied) as exc:
        _refuse(exc)
        return
    if as_json:
        click.echo(json.dumps({"username": username, "role": role, "temporary_password": new.temporary_password}))
    else:
        click.echo(f"Created {username} ({role}). Temporary password (shown once): {new.temporary_password}")
        click.echo("They choose their own password and set up their authenticator app when they first sign in.")


@accounts.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--reason", required=True, help="Why the role changes (kept in the audit log).")
def set_role(username: str, role: str, reason: str) -> None:
    """Change an account's role; a key it held for another organisation is taken away."""
    ensure_ready()
    from django.core.exceptions import PermissionDenied, ValidationError

    from upstander.accounts.staff import do_change_role

    try:
        do_change_role(actor=_actor(), user=_account(username), role=role, reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        _refuse(exc)
    click.echo(f"{username} is now {role}.")


@accounts.command("disable")
@click.argument("username")
@click.option("--reason", required=True, help="Why the account is disabled (kept in the audit log).")
def disable(username: str, reason: str) -> None:
    """Stop an account signing in and revoke every key it held."""
    ensure_ready()
    from django.core.exceptions import PermissionDenied, ValidationError

    from upstander.accounts.staff import do_disable_account

    try:
        do_disable_account(actor=_actor(), user=_account(username), reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        _refuse(exc)
    click.echo(f"{username} can no longer sign in.")


@accounts.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_(as_json: bool) -> None:
    """Every account, its role and whether it is active."""
    ensure_ready()
    from upstander.accounts.models import User

    rows = [{"username": u.username, "name": u.get_full_name(), "role": u.role, "active": u.is_active,
             "first_sign_in_pending": u.must_change_password}
            for u in User.objects.order_by("username")]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        state = "disabled" if not r["active"] else "not signed in yet" if r["first_sign_in_pending"] else "active"
        click.echo(f"{r['username']:<20} {r['role']:<12} {state:<18} {r['name']}")
