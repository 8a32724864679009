"""The installation keys an installation's database depends on, their fingerprints, and the marker file that records
beside the key files which installation they belong to.

Organisation keys are not here: their public halves are in the database itself (and pinned elsewhere)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from upstander.lib import crypto
from upstander.lib.keyfiles import write_private
from upstander.lib.keys import force_signing_key_path, force_signing_public_path, pepper_path


@dataclass(frozen=True)
class KeyState:
    name: str
    label: str  # plain words, with where it is set
    consequence: str  # what goes wrong with the wrong one
    path: str  # where this process looks for it ("" when it comes from the environment)
    material: bytes | None  # None: missing


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _signing_public() -> bytes | None:
    raw = _read(force_signing_public_path())
    if raw is None:
        return None
    try:
        return crypto.unb64(raw.decode().strip())
    except ValueError:
        return b"unreadable:" + raw


def current_keys() -> list[KeyState]:
    """The keys an installation's data depends on. The secret key is not among them: it signs sessions only (a
    rotated one signs staff out), so it is backed up but not bound to the database."""
    return [
        KeyState("receipt-pepper", "the receipt pepper (UPSTANDER_RECEIPT_PEPPER_FILE)",
                 "every receipt would be \"not recognised\" and no return visit would open", str(pepper_path()),
                 _read(pepper_path())),
        KeyState("signing-key", "the force's signing key (UPSTANDER_FORCE_SIGNING_PUBLIC_FILE and "
                 "UPSTANDER_FORCE_SIGNING_KEY_FILE)", "signed checkpoints would not verify, which is not tampering",
                 str(force_signing_public_path()), _signing_public()),
    ]


def fingerprints(keys: list[KeyState]) -> dict[str, str]:
    return {k.name: crypto.key_fingerprint(k.material, purpose=k.name) for k in keys if k.material is not None}


def missing(keys: list[KeyState]) -> list[KeyState]:
    return [k for k in keys if k.material is None]


def mismatched(stored: dict[str, str], keys: list[KeyState]) -> list[KeyState]:
    """Keys present here whose fingerprint differs from the one the database recorded at set-up."""
    now = fingerprints(keys)
    return [k for k in keys if k.name in stored and k.name in now and stored[k.name] != now[k.name]]


def signing_pair_problem() -> str:
    """The private signing key, where this server holds it, must belong to the public key."""
    private_raw, public = _read(force_signing_key_path()), _signing_public()
    if private_raw is None or public is None:
        return ""
    try:
        derived = crypto.signing_public_of(crypto.unb64(private_raw.decode().strip()))
    except ValueError:
        return f"the signing key file {force_signing_key_path()} is not a signing key"
    if derived != public:
        return (f"the private signing key {force_signing_key_path()} does not belong to the public key "
                f"{force_signing_public_path()}; restore both from the same backup")
    return ""


# --- the marker beside the key files -----------------------------------------------------------------------------


def marker_path() -> Path:
    provided = os.environ.get("UPSTANDER_INSTALLATION_FILE")
    return Path(provided) if provided else pepper_path().parent / "installation.json"


def read_marker() -> dict | None:
    path = marker_path()
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text())
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and doc.get("installation") else None


def write_marker(installation_id: str, created_on: str, prints: dict[str, str]) -> None:
    doc = {"installation": installation_id, "created_on": created_on, "key_fingerprints": prints,
           "note": "The key files in this folder belong to this Upstander installation. Back them up with it."}
    write_private(marker_path(), (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode())
