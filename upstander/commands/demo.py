"""`upstander demo`: a working installation on the embedded SQLite default, with a synthetic force and one
account per staff persona, served on 127.0.0.1 over plain HTTP. Demo conveniences exist only in demo mode."""

from __future__ import annotations

import json
import os
import sys

import click

from upstander.cli import require_installation, set_up_installation
from upstander.lib import clock

DEMO_STAFF = 3000
DEMO_YEARS = 6
DEMO_SEED = 2024


def _enter_demo_mode() -> None:
    os.environ["UPSTANDER_DEMO"] = "1"
    os.environ.setdefault("UPSTANDER_ALLOWED_HOSTS", "127.0.0.1,localhost")


@click.command()
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--staff", default=DEMO_STAFF, show_default=True, type=int, help="Size of the synthetic force.")
@click.option("--no-serve", is_flag=True, help="Set everything up and print the accounts, but do not serve.")
@click.option("--tick-every", default=300, show_default=True, type=click.IntRange(min=0), metavar="SECONDS",
              help="Run `upstander tick` in the background this often while serving (0: never).")
def demo(port: int, staff: int, no_serve: bool, tick_every: int) -> None:
    """Migrate, generate a synthetic force if the database is empty, create demo accounts, print them, serve."""
    _enter_demo_mode()
    set_up_installation()
    from upstander.people.models import Person

    if not Person.objects.exists():
        from upstander.worldgen.generate import generate

        click.echo(f"Generating a synthetic force of {staff:,} staff over {DEMO_YEARS} years…", err=True)

        # The demo's world ends today so its open cases look current; the seed still fixes everything else.
        generate(staff=staff, years=DEMO_YEARS, seed=DEMO_SEED, end_date=clock.today(), progress=True)
    from upstander.commands.demo_accounts import ensure_demo_accounts

    accounts = ensure_demo_accounts()
    url = f"http://127.0.0.1:{port}/"
    click.echo("\nDemo accounts (synthetic data only; sign in at " + url + "accounts/login):")
    for a in accounts:
        click.echo(f"  {a['role']:<12} username: {a['username']:<12} password: {a['password']}  "
                   f"TOTP secret: {a['totp_base32']}")
    click.echo(f"\nCurrent sign-in code for an account: upstander totp USERNAME   (data dir: {os.environ.get('UPSTANDER_DATA_DIR', 'var')})")
    click.echo(f"Reporter side: {url}report/")
    click.echo(f"Serving on {url}")
    sys.stdout.flush()
    if no_serve:
        return
    from upstander.commands.demo_scheduler import start_tick_loop

    start_tick_loop(tick_every)
    sys.stdout.flush()
    from django.core.management import call_command

    # The overseer's witness: a separate process with its own data directory (oversight/demo_witness.py).
    from upstander.oversight.demo_witness import start_demo_witness

    start_demo_witness(url.rstrip("/"))
    # runserver on loopback only; its request log is silenced in settings (no client addresses are logged).
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True, use_threading=True)


@click.command()
@click.argument("username")
@click.option("--json", "as_json", is_flag=True)
def totp(username: str, as_json: bool) -> None:
    """Print a demo account's current two-factor code (demo mode only)."""
    _enter_demo_mode()
    require_installation()
    from django_otp.oath import totp as totp_code
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from upstander.commands.demo_accounts import is_demo_account

    if not is_demo_account(username):
        click.echo(f"upstander totp: {username!r} is not a demo account of this data dir; codes are only "
                   "printed for demo accounts.", err=True)
        sys.exit(1)
    device = TOTPDevice.objects.get(user__username=username)
    code = f"{totp_code(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    click.echo(json.dumps({"username": username, "code": code}) if as_json else code)
