"""`upstander serve`: the production server (gunicorn). Refuses to start without a real secret key, database and
keys, and says what to set."""

from __future__ import annotations

import os
import sys

import click

from upstander.lib.keys import legacy_signing_settings


def _refusals() -> list[str]:
    problems = []
    if not os.environ.get("UPSTANDER_SECRET_KEY"):
        problems.append("UPSTANDER_SECRET_KEY is not set (a long random value).")
    if not (os.environ.get("DATABASE_URL") or os.environ.get("PGHOST") or os.environ.get("PGDATABASE")):
        problems.append("DATABASE_URL is not set (postgres://user:password@host/dbname).")
    # The force's own signing key. The overseer's private key is never needed here (nor allowed: see lib/keys.py).
    for var in ("UPSTANDER_FORCE_SIGNING_KEY_FILE", "UPSTANDER_FORCE_SIGNING_PUBLIC_FILE",
                "UPSTANDER_RECEIPT_PEPPER_FILE"):
        path = os.environ.get(var)
        if not path:
            problems.append(f"{var} is not set (path to the key file; `upstander keys init` creates them).")
        elif not os.path.exists(path):
            problems.append(f"{var}={path} does not exist.")
    overseer = os.environ.get("UPSTANDER_OVERSEER_PUBLIC_KEY_FILE")
    if overseer and not os.path.exists(overseer):
        problems.append(f"UPSTANDER_OVERSEER_PUBLIC_KEY_FILE={overseer} does not exist.")
    problems += legacy_signing_settings()
    if os.environ.get("UPSTANDER_FAST_HASHES") or os.environ.get("UPSTANDER_AUDIT_RESETTABLE"):
        problems.append("UPSTANDER_FAST_HASHES / UPSTANDER_AUDIT_RESETTABLE are for the test suite only; unset them.")
    return problems


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the production server (gunicorn) in production mode."""
    problems = _refusals()
    if problems:
        click.echo("upstander serve: refusing to start:\n  " + "\n  ".join(problems), err=True)
        sys.exit(2)
    os.environ["UPSTANDER_PRODUCTION"] = "1"
    from upstander.cli import setup_django

    setup_django()
    from upstander.health import run_checks

    failed = {k: v for k, v in run_checks().items() if not v.get("ok")}
    if failed:
        click.echo(f"upstander serve: refusing to start: checks failed: {failed}. Run `upstander migrate` and "
                   "`upstander keys init` first.", err=True)
        sys.exit(2)
    # --no-sendfile keeps things simple; access logs are off: no client addresses are ever logged.
    args = ["gunicorn", "upstander.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "/dev/null", "--error-logfile", "-"]
    os.execvp(args[0], args)  # noqa: S606 - fixed argument list, no shell
