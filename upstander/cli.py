"""The `upstander` command. Subcommands live beside the code they drive and are imported only when used, so
`upstander --help` is fast and one app's heavy imports (Splink, WeasyPrint) never slow another's command."""

from __future__ import annotations

import importlib
import os
import sys

import click

# name -> "module:attribute" of a click command or group.
SUBCOMMANDS = {
    "demo": "upstander.commands.demo:demo",
    "serve": "upstander.commands.serve:serve",
    "migrate": "upstander.commands.basic:migrate",
    "check": "upstander.commands.basic:check",
    "keys": "upstander.commands.keys:keys",
    "totp": "upstander.commands.demo:totp",
    "worldgen": "upstander.worldgen.command:worldgen",
    "triage": "upstander.cases.triage_command:triage",
    "tick": "upstander.cases.tick_command:tick",
    "audit": "upstander.audit.commands:audit",
    "insight": "upstander.insight.commands:insight",
    "people": "upstander.people.commands:people",
    "safeguarding": "upstander.safeguarding.commands:safeguarding",
    "intake": "upstander.intake.commands:intake",
    "accounts": "upstander.accounts.commands:accounts",
    "witness": "upstander.witness.commands:witness",
    "evidence": "upstander.evidence.command:evidence",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # not built yet in this checkout
            raise
        return getattr(module, attr)


def setup_django() -> None:
    """Configure Django for a command. Safe to call twice."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def ensure_ready(*, quiet: bool = True) -> None:
    """Every command except serve and check works on an empty data dir: create the schema and keys it needs.
    Migrations and key creation are idempotent, so an interrupted earlier run is simply completed."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0, stdout=sys.stderr)
    from upstander.accounts.setup import ensure_installation

    ensure_installation(quiet=quiet)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Upstander: speak-up, misconduct cases and accountability."""


def main() -> None:
    from upstander.env import ConfigError

    try:
        cli(prog_name="upstander")
    except ConfigError as exc:
        click.echo(f"upstander: configuration error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
