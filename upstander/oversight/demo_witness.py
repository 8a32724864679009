"""Demo mode only: start the overseer's witness as a separate process with its own data directory, beside the
demo's (`var-witness/` for `var/`), so the separation is visible. A real overseer runs the witness on its own
machine (docs/operations.md, "The overseer's witness"); here the demo plays both parts:

- the overseer's part: `upstander witness init` in a process of its own, which makes the witness's key;
- the force's part: deploy the witness's public key as this installation's overseer key, and give the witness a
  token of scope audit_witness (created for the demo administrator, audited like any other).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from upstander.accounts.models import ApiToken, Role, User
from upstander.audit.log import Actor
from upstander.lib import crypto
from upstander.lib.keyfiles import write_private
from upstander.lib.keys import overseer_public_path
from upstander.oversight.witness_feed import AUDIT_WITNESS_SCOPE
from upstander.people.actions import do_create_api_token

EVERY_SECONDS = 300


def witness_dir() -> Path:
    data = Path(settings.DATA_DIR).resolve()
    return data.parent / f"{data.name}-witness"


def _witness_env() -> dict[str, str]:
    """The witness's process knows nothing of the force's installation: no data dir, no database, no settings."""
    drop = {"UPSTANDER_DATA_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "UPSTANDER_DEMO", "PGHOST", "PGDATABASE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _belongs_elsewhere(folder: Path) -> bool:
    """A witness folder whose token this installation never issued witnessed another installation (an earlier demo
    data dir that was deleted): its heads would rightly refuse this new log."""
    path = folder / "token"
    if not path.exists():
        return False
    digest = crypto.token_digest(path.read_text().strip())
    return not ApiToken.objects.filter(digest=digest, scope=AUDIT_WITNESS_SCOPE, revoked_at__isnull=True).exists()


def _token(folder: Path) -> Path:
    path = folder / "token"
    if path.exists():
        return path
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    assert admin is not None, "the demo accounts are created before the witness"
    new = do_create_api_token(actor=Actor.system("demo"), name="overseer-witness", created_by=admin,
                              scope=AUDIT_WITNESS_SCOPE)
    write_private(path, (new.secret + "\n").encode())
    return path


def start_demo_witness(url: str) -> subprocess.Popen:
    folder = witness_dir()
    if folder.exists() and _belongs_elsewhere(folder):
        previous = folder.with_name(folder.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        folder.rename(previous)
        print(f"The witness folder witnessed an earlier demo installation: moved to {previous}", flush=True)
    command = [sys.executable, "-m", "upstander.cli", "witness"]
    subprocess.run([*command, "init", "--data-dir", str(folder)], env=_witness_env(), check=True,  # noqa: S603
                   capture_output=True)
    public = (folder / "witness.pub").read_bytes()
    pin = overseer_public_path()
    if not pin.exists() or pin.read_bytes() != public:
        write_private(pin, public)
    token = _token(folder)
    log = open(folder / "witness.log", "ab")  # noqa: SIM115 - the child process writes it for as long as it runs
    process = subprocess.Popen(  # noqa: S603 - our own command, a fixed argument list, no shell
        [*command, "run", "--data-dir", str(folder), "--url", url, "--token-file", str(token),
         "--every", str(EVERY_SECONDS)], env=_witness_env(), stdout=log, stderr=subprocess.STDOUT)
    atexit.register(process.terminate)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        # Stopped with SIGTERM, the demo exits through atexit too, so the witness does not outlive it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Overseer's witness: a separate process (pid {process.pid}) with its own data directory {folder}; it "
          f"confirms the audit log every {EVERY_SECONDS // 60} minutes (log: {folder / 'witness.log'})", flush=True)
    return process
