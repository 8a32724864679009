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
from upstander.lib.keyfiles import keys_dir, read_or_create, write_private


class KeyMissing(Exception):
    pass


def _path(env_name: str, filename: str) -> Path:
    provided = os.environ.get(env_name)
    return Path(provided) if provided else keys_dir(settings.DATA_DIR) / filename


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
    read_or_create(pepper_path(), lambda: crypto.new_data_key())
    if not signing_key_path().exists() or not signing_public_path().exists():
        pair = crypto.new_signing_key()
        write_private(signing_public_path(), crypto.b64(pair.public).encode())
        write_private(signing_key_path(), crypto.b64(pair.private).encode())


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


def installation_key(purpose: bytes) -> bytes:
    """A symmetric key the server itself holds, for one purpose, derived from the installation secret
    (keys/receipt-pepper) through lib/crypto. Used only where the server must act without anyone's key — the
    reporter's visit cookie (intake/visit.py) — never for report content, which is under each report's data key."""
    return crypto.derive_subkey(receipt_pepper(), b"installation:" + purpose)
