"""Installation key files: the overseer's Ed25519 signing key, the receipt pepper and the recipient key pins.

Embedded default: generated on first use under UPSTANDER_DATA_DIR/keys/. Production (UPSTANDER_PRODUCTION=1):
provided by path (UPSTANDER_SIGNING_KEY_FILE, UPSTANDER_RECEIPT_PEPPER_FILE, UPSTANDER_KEY_PINS_FILE) and never
generated. Organisation keys are not files: their public halves are in the database and their private halves exist
only wrapped (per member, and under the printed recovery secret); the fingerprint of each public half reports are
sealed to is pinned in the pins file, outside the database (reports/pins.py).
"""

from __future__ import annotations

import json
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
        # The private key is created once (a concurrent start reads the winner's), the public one derived from it.
        private = read_or_create(signing_key_path(), lambda: crypto.b64(crypto.new_signing_key().private).encode())
        public = crypto.signing_public_of(crypto.unb64(private.decode().strip()))
        write_private(signing_public_path(), crypto.b64(public).encode())


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


# --- recipient key pins ----------------------------------------------------------------------------------------
# {"force": "sha256:…", "overseer": "sha256:…", "custodians": "sha256:…"}: the fingerprint (lib/crypto.fingerprint)
# of each organisation's public key, by organisation kind. Outside the database, so that whoever can change a row
# cannot also change the pin; in production the operator deploys it (and may make it read-only).


class PinsUnreadable(Exception):
    pass


def pins_path() -> Path:
    return _path("UPSTANDER_KEY_PINS_FILE", "recipient-pins.json")


def read_pins() -> dict[str, str]:
    path = pins_path()
    if not path.exists():
        return {}
    try:
        pins = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise PinsUnreadable(f"the key pins file {path} cannot be read: {exc}") from exc
    if not isinstance(pins, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in pins.items()):
        raise PinsUnreadable(f"the key pins file {path} is not a JSON object of fingerprints")
    return pins


def set_pin(kind: str, fingerprint: str, *, replace: bool = False) -> bool:
    """Pin `fingerprint` for an organisation kind. Without `replace`, an existing pin is never changed. Returns
    whether the file changed."""
    pins = read_pins()
    if pins.get(kind) == fingerprint or (kind in pins and not replace):
        return False
    pins[kind] = fingerprint
    write_private(pins_path(), (json.dumps(pins, indent=2, sort_keys=True) + "\n").encode())
    return True
