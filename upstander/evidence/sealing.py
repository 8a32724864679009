"""How an export and its messages are encrypted, and whose keys open them.

Each export has its own random data key (lib/crypto); the original file, every message's text and the unreadable
lines are encrypted under it, each ciphertext bound to the export and its place in it, so nothing can be swapped
between exports or messages. The data key is sealed to the organisations that `recipients()` names: the same ones a
report on the case's route is sealed to. That one function is the only place this app decides whose keys those
are: it asks the reports core (reports/sealing.py), and every key is checked against its pin before anything is
sealed to it."""

from __future__ import annotations

import json
from uuid import UUID

from upstander.accounts.models import Organisation
from upstander.cases.models import Case
from upstander.lib import crypto
from upstander.reports import pins
from upstander.reports import sealing as report_sealing

CHUNK = 4 * 1024 * 1024


class KeyUnavailable(Exception):
    """No key in this session opens the export."""


def recipients(case: Case) -> list[Organisation]:
    """THE key-handling decision: the organisations whose public keys an export on this case is sealed to — the
    force's professional standards and the overseer, or the overseer alone on the independent route, exactly as
    for the case's reports."""
    return report_sealing.recipients(case.route)


def seal_key(data_key: bytes, organisation: Organisation) -> bytes:
    """Sealed only to the organisation's pinned key: a public key swapped in the database is refused
    (reports/pins.py), as it is for reports."""
    return crypto.seal(pins.verified_public_key(organisation), data_key)


def open_key(sealed: dict[int, bytes], organisation: Organisation | None, private_key: bytes | None) -> bytes:
    """The data key, from the sealed copies (organisation id -> sealed key) and the key unlocked in the session."""
    if organisation is None or private_key is None:
        raise KeyUnavailable("no organisation key is unlocked in this session; sign in again to unlock it")
    if organisation.pk not in sealed:
        raise KeyUnavailable("this export is not sealed to your organisation")
    try:
        return crypto.unseal(private_key, sealed[organisation.pk])
    except crypto.CryptoError as exc:
        raise KeyUnavailable("the key in this session does not open this export") from exc


def _chunk_context(export_id: UUID, index: int, last: bool) -> bytes:
    return f"chat-export:{export_id}:chunk:{index}:{'last' if last else 'more'}".encode()


def encrypt_chunks(data_key: bytes, export_id: UUID, data: bytes) -> list[bytes]:
    count = max(1, -(-len(data) // CHUNK))
    return [crypto.encrypt(data_key, data[i * CHUNK:(i + 1) * CHUNK], context=_chunk_context(export_id, i, i == count - 1))
            for i in range(count)]


def decrypt_chunks(data_key: bytes, export_id: UUID, blobs: list[bytes]) -> bytes:
    return b"".join(crypto.decrypt(data_key, blob, context=_chunk_context(export_id, i, i == len(blobs) - 1))
                    for i, blob in enumerate(blobs))


def _message_context(export_id: UUID, position: int) -> bytes:
    return f"chat-export:{export_id}:message:{position}".encode()


def encrypt_message(data_key: bytes, export_id: UUID, position: int, text: str, why: list[str]) -> bytes:
    payload = json.dumps({"text": text, "why": why}, ensure_ascii=False, separators=(",", ":"))
    return crypto.encrypt_text(data_key, payload, context=_message_context(export_id, position))


def decrypt_message(data_key: bytes, export_id: UUID, position: int, blob: bytes) -> dict:
    return json.loads(crypto.decrypt_text(data_key, blob, context=_message_context(export_id, position)))


def encrypt_json(data_key: bytes, export_id: UUID, field: str, value) -> bytes:
    return crypto.encrypt_text(data_key, json.dumps(value, ensure_ascii=False),
                               context=f"chat-export:{export_id}:{field}".encode())


def decrypt_json(data_key: bytes, export_id: UUID, field: str, blob: bytes):
    return json.loads(crypto.decrypt_text(data_key, blob, context=f"chat-export:{export_id}:{field}".encode()))
