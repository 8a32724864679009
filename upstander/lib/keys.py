"""Installation key files: the overseer's Ed25519 signing key and the receipt pepper.

Embedded default: generated on first use under UPSTANDER_DATA_DIR/keys/. Production (UPSTANDER_PRODUCTION=1):
provided by path (UPSTANDER_SIGNING_KEY_FILE, UPSTANDER_RECEIPT_PEPPER_FILE) and never generated.
Organisation keys are not files: their public halves are in the database and their private halves exist only
wrapped (per member, and under the printed recovery secret).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from upstander.lib import crypto
from upstander.lib.keyfiles import keys_dir, read_or_create


class KeyMissing(Exception):
    pass


def _path(env_name: str, filename: str) -> Path:
    provided = os.environ.get(env_name)
    # Only a path: looking for a key creates nothing (a command that finds no installation leaves no trace).
    return Path(provided) if provided else Path(settings.DATA_DIR) / "keys" / filename


def signing_key_path() -> Path:
    return _path("UPSTANDER_SIGNING_KEY_FILE", "overseer-signing.key")


def signing_public_path() -> Path:
    return _path("UPSTANDER_SIGNING_PUBLIC_FILE", "overseer-signing.pub")


def pepper_path() -> Path:
    return _path("UPSTANDER_RECEIPT_PEPPER_FILE", "receipt-pepper")


def ensure_key_files() -> None:
    """Create missing key files (embedded default only)."""
    if settings.PRODUCTION:
        missing = missing_key_files()
        if missing:
            raise KeyMissing("missing key files: " + ", ".join(missing))
        return
    keys_dir(settings.DATA_DIR)  # the embedded default's folder; a folder named by a variable must exist already
    read_or_create(pepper_path(), lambda: crypto.new_data_key())
    # The private key is created first (atomically: racing processes all end with the first one's key) and the
    # public file is derived from it, so the pair always matches.
    private = read_or_create(signing_key_path(), lambda: crypto.b64(crypto.new_signing_key().private).encode())
    public = crypto.signing_public_for(crypto.unb64(private.decode().strip()))
    read_or_create(signing_public_path(), lambda: crypto.b64(public).encode())


def missing_key_files() -> list[str]:
    return [str(p) for p in (signing_key_path(), signing_public_path(), pepper_path()) if not p.exists()]


def missing_keys() -> list[str]:
    missing = missing_key_files()
    from upstander.accounts.models import Organisation, OrganisationKind

    present = set(Organisation.objects.values_list("kind", flat=True))
    missing += [f"organisation key: {k}" for k in OrganisationKind.values if k not in present]
    return missing


def receipt_pepper() -> bytes:
    path = pepper_path()
    if not path.exists():
        raise KeyMissing(f"receipt pepper missing at {path}; run `upstander keys init`")
    return path.read_bytes()


def signing_private_key() -> bytes:
    return crypto.unb64(signing_key_path().read_text().strip())


def signing_public_key(path: Path | None = None) -> bytes:
    return crypto.unb64(Path(path or signing_public_path()).read_text().strip())
