"""Installation key files: the force's own Ed25519 signing key and the receipt pepper, and the overseer's public key.

Embedded default: generated on first use under UPSTANDER_DATA_DIR/keys/. Production (UPSTANDER_PRODUCTION=1):
provided by path (UPSTANDER_FORCE_SIGNING_KEY_FILE, UPSTANDER_RECEIPT_PEPPER_FILE) and never generated.

Signing: the force signs its audit checkpoints and its analysts' published reports with the force's own key. The
overseer's private key never exists on the force's server: the overseer's witness (upstander.witness) holds it on a
machine the force does not control, and the force keeps only its public half (UPSTANDER_OVERSEER_PUBLIC_KEY_FILE,
default keys/overseer.pub) to check the witness's confirmations and the overseer's countersignatures.
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


def _adopt_legacy_signing_files() -> None:
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
    _adopt_legacy_signing_files()
    if not force_signing_key_path().exists() or not force_signing_public_path().exists():
        pair = crypto.new_signing_key()
        write_private(force_signing_public_path(), crypto.b64(pair.public).encode())
        write_private(force_signing_key_path(), crypto.b64(pair.private).encode())


def missing_key_files() -> list[str]:
    return [str(p) for p in (force_signing_key_path(), force_signing_public_path(), pepper_path()) if not p.exists()]


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
