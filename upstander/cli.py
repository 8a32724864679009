"""The `upstander` command. Subcommands live beside the code they drive and are imported only when used, so
`upstander --help` is fast and one app's heavy imports (Splink, WeasyPrint) never slow another's command."""

from __future__ import annotations

import importlib
import sys

import click

from upstander.lib.runtime import setup_django  # noqa: F401 (commands ask the command line for it)

# name -> "module:attribute" of a click command or group.
SUBCOMMANDS = {
    "demo": "upstander.commands.demo:demo",
    "serve": "upstander.commands.serve:serve",
    "backup": "upstander.commands.backup:backup",
    "restore": "upstander.commands.backup:restore",
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


def require_installation() -> None:
    """Fail closed (every command except demo, migrate and keys init): refuse, saying what is missing and how to
    point at it, unless the data dir or database holds an installation whose keys match it. Creates nothing."""
    setup_django()
    from upstander.operations.setup import require_installation as require

    require()


# The old name: commands that used to create what they lacked now refuse instead (issue 16).
ensure_ready = require_installation


def set_up_installation() -> bool:
    """Create or complete an installation (migrate, keys init, demo); True when it was created now."""
    setup_django()
    from upstander.operations.setup import set_up_installation as set_up

    return set_up()[1]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Upstander: speak-up, misconduct cases and accountability."""


def main() -> None:
    from upstander.env import ConfigError
    from upstander.lib.keys import KeyMissing
    from upstander.operations.errors import InstallationError

    try:
        cli(prog_name="upstander")
    except ConfigError as exc:
        click.echo(f"upstander: configuration error: {exc}", err=True)
        sys.exit(2)
    except (InstallationError, KeyMissing) as exc:
        # The fail-closed refusals and missing keys: a message that says what to do, never a traceback.
        click.echo(f"upstander: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
