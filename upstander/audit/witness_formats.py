"""What the witness signs, in one place, so the force's side checks exactly what the witness wrote.

Each kind of message starts with its own label, so a signature made for one purpose (a head the witness saw) can
never be passed off as another (a countersignature of a published report), although one key makes both.
"""

from __future__ import annotations

import json
from typing import Any

from upstander.lib import crypto

HEAD_LABEL = b"upstander-witness-head/1\n"
COUNTERSIGN_LABEL = b"upstander-overseer-countersignature/1\n"
# The overseer's countersignature of a published report, beside the force's manifest.sig.
COUNTERSIGNATURE = "manifest.countersig"
HEAD_KEYS = ("id", "hash", "seen_at", "sig")


class BadHead(ValueError):
    """A line of a heads file, or a posted head, that is not a well-formed head."""


def head_message(event_id: int, event_hash: str, seen_at: str) -> bytes:
    body = json.dumps({"id": event_id, "hash": event_hash, "seen_at": seen_at}, sort_keys=True,
                      separators=(",", ":"))
    return HEAD_LABEL + body.encode()


def signed_head(private_key: bytes, event_id: int, event_hash: str, seen_at: str) -> dict[str, Any]:
    sig = crypto.sign(private_key, head_message(event_id, event_hash, seen_at))
    return {"id": event_id, "hash": event_hash, "seen_at": seen_at, "sig": crypto.b64(sig)}


def parse_head(doc: Any) -> dict[str, Any]:
    """A head as the witness writes it: {"id": N, "hash": "…", "seen_at": "…", "sig": "…"}. Raises BadHead."""
    if not isinstance(doc, dict) or set(doc) != set(HEAD_KEYS):
        raise BadHead("a head has exactly the fields id, hash, seen_at and sig")
    if not isinstance(doc["id"], int) or isinstance(doc["id"], bool) or doc["id"] < 0:
        raise BadHead("a head's id is a whole number")
    if not isinstance(doc["hash"], str) or len(doc["hash"]) != 64:
        raise BadHead("a head's hash is 64 hexadecimal characters")
    if not isinstance(doc["seen_at"], str) or not isinstance(doc["sig"], str):
        raise BadHead("a head's seen_at and sig are text")
    return doc


def head_signature_ok(public_key: bytes, head: dict[str, Any]) -> bool:
    try:
        sig = crypto.unb64(head["sig"])
    except ValueError:
        return False
    return crypto.verify_signature(public_key, head_message(head["id"], head["hash"], head["seen_at"]), sig)


def countersign_message(manifest_bytes: bytes) -> bytes:
    return COUNTERSIGN_LABEL + manifest_bytes


def read_heads(text: str) -> list[dict[str, Any]]:
    """Every head of a heads file (one JSON object per line). Raises BadHead naming the line."""
    heads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            heads.append(parse_head(json.loads(line)))
        except (ValueError, BadHead) as exc:
            raise BadHead(f"line {number}: {exc}") from None
    return heads


def fingerprint(public_key: bytes) -> str:
    """A short, readable fingerprint of a public key (SHA-256, first 16 bytes, in groups)."""
    digest = crypto.sha256_hex(public_key)[:32]
    return ":".join(digest[i:i + 4] for i in range(0, 32, 4))
