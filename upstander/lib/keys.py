"""Installation key files: the force's own Ed25519 signing key, the receipt pepper, the recipient key pins, and the
overseer's public key.

Embedded default: generated on first use under UPSTANDER_DATA_DIR/keys/. Production (UPSTANDER_PRODUCTION=1):
provided by path (UPSTANDER_FORCE_SIGNING_KEY_FILE, UPSTANDER_RECEIPT_PEPPER_FILE, UPSTANDER_KEY_PINS_FILE) and never
generated.

Signing: the force signs its audit checkpoints and its analysts' published reports with the force's own key. The
overseer's private key never exists on the force's server: the overseer's witness (upstander.witness) holds it on a
machine the force does not control, and the force keeps only its public half (UPSTANDER_OVERSEER_PUBLIC_KEY_FILE,
default keys/overseer.pub) to check the witness's confirmations and the overseer's countersignatures.
Organisation keys are not files: their public halves are in the database and their private halves exist only
wrapped (per member, and under the printed recovery secret); the fingerprint of each public half reports are sealed
to is pinned in the pins file, outside the database (reports/pins.py).
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
    # Only a path: looking for a key creates nothing (a command that finds no installation leaves no trace).
    return Path(provided) if provided else Path(settings.DATA_DIR) / "keys" / filename


def force_signing_key_path() -> Path:
    return _path("UPSTANDER_FORCE_SIGNING_KEY_FILE", "force-signing.key")


def force_signing_public_path() -> Path:
    return _path("UPSTANDER_FORCE_SIGNING_PUBLIC_FILE", "force-signing.pub")


def overseer_public_path() -> Path:
    return _path("UPSTANDER_OVERSEER_PUBLIC_KEY_FILE", "overseer.pub")


# Settings and files of earlier versions, when the overseer's signing key was kept on the force's server.
LEGACY_SIGNING_SETTINGS = ("UPSTANDER_SIGNING_KEY_FILE", "UPSTANDER_SIGNING_PUBLIC_FILE")
_LEGACY_FILES = {"overseer-signing.key": "force-signing.key", "overseer-signing.pub": "force-signing.pub"}


def legacy_signing_settings() -> list[str]:
    """Refusals for settings that would put the overseer's private key on this server."""
    return [f"{name} is no longer read: the overseer's private key must not be on the force's server. Set "
            "UPSTANDER_FORCE_SIGNING_KEY_FILE and UPSTANDER_FORCE_SIGNING_PUBLIC_FILE to the force's own signing "
            "key (`upstander keys init` creates one), UPSTANDER_OVERSEER_PUBLIC_KEY_FILE to the overseer's public key, "
            "and remove the overseer's private key from this machine."
            for name in LEGACY_SIGNING_SETTINGS if os.environ.get(name)]


def adopt_legacy_signing_files() -> None:
    """An embedded data dir of an earlier version holds `overseer-signing.*`, which was in truth the installation's
    own key (it lived on this server): keep it, under the name of what it is, so earlier checkpoints still verify."""
    folder = keys_dir(settings.DATA_DIR)
    for old, new in _LEGACY_FILES.items():
        if (folder / old).exists() and not (folder / new).exists():
            os.replace(folder / old, folder / new)


def pepper_path() -> Path:
    return _path("UPSTANDER_RECEIPT_PEPPER_FILE", "receipt-pepper")


def ensure_key_files() -> None:
    """Create missing key files (embedded default only)."""
    if settings.PRODUCTION:
        legacy = legacy_signing_settings()
        if legacy:
            raise KeyMissing(" ".join(legacy))
        missing = missing_key_files()
        if missing:
            raise KeyMissing("missing key files: " + ", ".join(missing))
        return
    read_or_create(pepper_path(), lambda: crypto.new_data_key())
    adopt_legacy_signing_files()
    if not force_signing_key_path().exists() or not force_signing_public_path().exists():
        # The private key is created once (a concurrent start reads the winner's), the public one derived from it.
        private = read_or_create(force_signing_key_path(),
                                 lambda: crypto.b64(crypto.new_signing_key().private).encode())
        public = crypto.signing_public_of(crypto.unb64(private.decode().strip()))
        write_private(force_signing_public_path(), crypto.b64(public).encode())


def missing_key_files() -> list[str]:
    return [str(p) for p in (force_signing_key_path(), force_signing_public_path(), pepper_path()) if not p.exists()]


def receipt_pepper() -> bytes:
    path = pepper_path()
    if not path.exists():
        raise KeyMissing(f"receipt pepper missing at {path}; run `upstander keys init`")
    return path.read_bytes()


def force_signing_private_key() -> bytes:
    return crypto.unb64(force_signing_key_path().read_text().strip())


def force_signing_public_key(path: Path | None = None) -> bytes:
    return crypto.unb64(Path(path or force_signing_public_path()).read_text().strip())


def overseer_public_key() -> bytes | None:
    """The overseer's (its witness's) public key as deployed with the force's configuration, or None if none is."""
    path = overseer_public_path()
    if not path.exists():
        return None
    return crypto.unb64(path.read_text().strip())


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
