"""Recording the installation row and the marker beside its key files (called once the keys and organisations
exist; `setup.set_up_installation` decides whether that is safe)."""

from __future__ import annotations

import os
import sys

from django.conf import settings

from upstander.accounts.setup import ensure_installation
from upstander.audit.log import Actor
from upstander.lib.keyfiles import embedded_secret_key
from upstander.operations import keyset
from upstander.operations.actions import do_record_installation
from upstander.operations.models import Installation


def keep_embedded_secret_key() -> None:
    """Embedded default: keep this process's secret key in the data dir, or adopt the one another process kept."""
    if os.environ.get("UPSTANDER_SECRET_KEY"):
        return
    kept = embedded_secret_key(settings.DATA_DIR, settings.SECRET_KEY)
    if kept != settings.SECRET_KEY:
        settings.SECRET_KEY = kept


def install(*, adopted: bool = False) -> dict[str, bytes]:
    """Key files, organisations and the installation row, whatever of them is missing; returns the private keys of
    the organisations created now. Only `setup.set_up_installation` (which first decides that making keys is safe),
    the synthetic-force generator on an empty database and the test personas call this."""
    created = ensure_installation()
    record_installation(adopted=adopted)
    return created


def record_installation(*, adopted: bool = False) -> Installation:
    keep_embedded_secret_key()
    keys = keyset.current_keys()
    installation = do_record_installation(actor=Actor.system("setup"), demo=settings.DEMO_MODE,
                                          key_fingerprints=keyset.fingerprints(keys), adopted=adopted)
    marker = keyset.read_marker()
    if marker is None or marker.get("installation") != str(installation.public_id):
        try:
            keyset.write_marker(str(installation.public_id), installation.created_on.isoformat(),
                                dict(installation.key_fingerprints))
        except OSError as exc:  # a read-only key folder: the fingerprints in the database still bind the keys
            print(f"upstander: could not write {keyset.marker_path()} ({exc.strerror}); the key files are still "
                  "checked against the database", file=sys.stderr)
    return installation
