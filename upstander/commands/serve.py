"""`upstander serve`: the production server (gunicorn). Refuses to start without a real secret key, database and
keys, and says what to set. Sizing: docs/operations.md ("Sizing")."""

from __future__ import annotations

import os
import sys

import click

from upstander.env import env_int
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


SHM = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, not data


def gunicorn_command(*, host: str, port: int, workers: int, timeout: int, graceful_timeout: int,
                     max_requests: int) -> list[str]:
    """gunicorn run by this very interpreter (`python -m gunicorn`), so it is the one installed beside Upstander
    whatever PATH holds (systemd and cron give a bare PATH; issue 16: `serve` crashed without the venv on it)."""
    return [sys.executable, "-m", "gunicorn", "upstander.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--worker-class", "sync",
            "--timeout", str(timeout), "--graceful-timeout", str(graceful_timeout),
            # Recycle workers now and then (jittered so they do not all restart at once); 0 turns this off.
            "--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10),
            # No access log: Upstander never logs client addresses or user agents (DESIGN.md rule 6).
            "--access-logfile", "/dev/null", "--error-logfile", "-",
            # Worker heartbeats in memory, not on a disk that may stall (gunicorn's advice for containers).
            *(["--worker-tmp-dir", SHM] if os.path.isdir(SHM) else [])]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (the reverse proxy's).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=lambda: env_int("UPSTANDER_WORKERS", 2, minimum=1), show_default="2",
              type=click.IntRange(min=1), help="Worker processes (UPSTANDER_WORKERS); each needs ~300 MB of memory "
              "and one submit at a time holds 64 MiB more for Argon2id.")
@click.option("--timeout", default=lambda: env_int("UPSTANDER_WORKER_TIMEOUT", 60, minimum=5), show_default="60",
              type=click.IntRange(min=5), help="Seconds before a silent worker is killed and restarted "
              "(UPSTANDER_WORKER_TIMEOUT).")
@click.option("--graceful-timeout", default=30, show_default=True, type=click.IntRange(min=1),
              help="Seconds a worker gets to finish its requests on restart or stop.")
@click.option("--max-requests", default=2000, show_default=True, type=click.IntRange(min=0),
              help="Restart a worker after this many requests (0: never).")
def serve(host: str, port: int, workers: int, timeout: int, graceful_timeout: int, max_requests: int) -> None:
    """Run the production server (gunicorn) in production mode."""
    problems = _refusals()
    if problems:
        click.echo("upstander serve: refusing to start:\n  " + "\n  ".join(problems), err=True)
        sys.exit(2)
    os.environ["UPSTANDER_PRODUCTION"] = "1"
    from upstander.cli import require_installation

    require_installation()
    from upstander.health import run_checks

    failed = {k: v for k, v in run_checks(fresh=True).items() if not v.get("ok")}
    if failed:
        click.echo(f"upstander serve: refusing to start: checks failed: {failed}. Run `upstander check` for "
                   "details.", err=True)
        sys.exit(2)
    args = gunicorn_command(host=host, port=port, workers=workers, timeout=timeout,
                            graceful_timeout=graceful_timeout, max_requests=max_requests)
    click.echo(f"upstander serve: {workers} worker(s) on {host}:{port}, timeout {timeout} s", err=True)
    os.execv(args[0], args)  # noqa: S606 - fixed argument list, no shell
