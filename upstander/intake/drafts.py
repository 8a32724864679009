"""Drafts between the pages of the report form, encrypted like the report.

The draft's key lives only in the reporter's cookie (with the draft's id); the database holds ciphertext and a
coarse expiry. Without the cookie the draft cannot be read, so a database dump shows nothing anyone typed.
A draft expires DRAFT_IDLE after it was last saved; once submitted it keeps only the receipt, for RECEIPT_HOLD,
so that a repeated "Submit report" shows the same receipt, and is then deleted.

A draft is working state, not kept by default: "Leave this site quickly" deletes it (and its staged files), and a
new visit starts empty. A reporter who wants to stop and come back chooses "Save and come back later": the draft
is then re-encrypted under a key derived (Argon2id, like a receipt) from a five-word code shown once, moved to an
id derived from the same code, and kept for SAVED_KEEP. Nothing on the device leads back to it; the code does,
once: resuming re-keys the draft under a fresh cookie key and a fresh id.

Drafts, blob reservations and the throttle counter are working state of the reporter side, not records: they are
not written to the audit log, because auditing them would itself keep a trail of a reporter's activity.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from upstander.lib import clock, crypto
from upstander.reports import receipts
from upstander.reports.attachments import StagedFile, discard_staged
from upstander.reports.models import Draft

COOKIE = "upstander_draft"
DRAFT_IDLE = timedelta(hours=2)
RECEIPT_HOLD = timedelta(minutes=10)
SAVED_KEEP = timedelta(days=7)  # a saved draft's code works this long (docs/reporting.md, "Saving a draft")
SAVED_CODE_WORDS = 5  # 64 bits and Argon2id behind a global budget of failures; five, so it is not a receipt
EXPIRY_GRANULARITY = timedelta(minutes=15)


def coarse(moment: datetime) -> datetime:
    """Round up to EXPIRY_GRANULARITY: an expiry that does not say to the second when someone was here."""
    step = EXPIRY_GRANULARITY.total_seconds()
    return datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, tz=moment.tzinfo)


@dataclass
class DraftState:
    """What the encrypted payload holds."""

    token: str  # the idempotency token the final form carries
    pages: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)
    submitted: dict | None = None  # {"receipt": ..., "report": public id} after submission

    def to_json(self) -> bytes:
        return json.dumps({"token": self.token, "pages": self.pages, "files": self.files,
                           "submitted": self.submitted}).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> DraftState:
        d = json.loads(raw)
        return cls(token=d["token"], pages=d.get("pages", {}), files=d.get("files", []), submitted=d.get("submitted"))


@dataclass
class OpenDraft:
    row: Draft
    key: bytes
    state: DraftState

    @property
    def context(self) -> bytes:
        return f"draft:{self.row.public_id}".encode()


def _context(public_id: UUID) -> bytes:
    return f"draft:{public_id}".encode()


def purge_expired() -> int:
    """Delete expired drafts (secure_delete overwrites them). Cheap; run on every new draft and by the sweeper."""
    _, per_model = Draft.objects.filter(expires_at__lt=clock.now()).delete()
    return per_model.get(Draft._meta.label, 0)


def start() -> OpenDraft:
    purge_expired()
    key = crypto.new_data_key()
    state = DraftState(token=crypto.random_token(24))
    row = Draft()
    row.payload_ct = crypto.encrypt(key, state.to_json(), context=_context(row.public_id))
    row.expires_at = coarse(clock.now() + DRAFT_IDLE)
    row.save()
    return OpenDraft(row, key, state)


def _parse_cookie(request: HttpRequest) -> tuple[UUID, bytes] | None:
    raw = request.COOKIES.get(COOKIE, "")
    try:
        draft_id, key = raw.split(":", 1)
        return UUID(draft_id), crypto.unb64(key)
    except (ValueError, TypeError):
        return None


def load(request: HttpRequest, *, for_update: bool = False) -> OpenDraft | None:
    parsed = _parse_cookie(request)
    if parsed is None:
        return None
    draft_id, key = parsed
    rows = Draft.objects.select_for_update() if for_update else Draft.objects
    row = rows.filter(public_id=draft_id, expires_at__gte=clock.now()).first()
    if row is None:
        return None
    try:
        state = DraftState.from_json(crypto.decrypt(key, bytes(row.payload_ct), context=_context(row.public_id)))
    except (crypto.CryptoError, ValueError, KeyError):
        return None
    return OpenDraft(row, key, state)


def load_for_update(draft: OpenDraft) -> OpenDraft | None:
    """Re-read a draft inside a transaction, locking it, so two submissions of the same draft serialise."""
    row = Draft.objects.select_for_update().filter(pk=draft.row.pk).first()
    if row is None:
        return None
    try:
        state = DraftState.from_json(crypto.decrypt(draft.key, bytes(row.payload_ct), context=_context(row.public_id)))
    except (crypto.CryptoError, ValueError, KeyError):
        return None
    return OpenDraft(row, draft.key, state)


def store(draft: OpenDraft) -> None:
    draft.row.payload_ct = crypto.encrypt(draft.key, draft.state.to_json(), context=draft.context)
    if draft.state.submitted is None:
        draft.row.expires_at = coarse(clock.now() + DRAFT_IDLE)
    with transaction.atomic():
        draft.row.save(update_fields=["payload_ct", "expires_at"])


def mark_submitted(draft: OpenDraft, *, receipt: str, report_public_id: UUID) -> None:
    """Inside the submitting transaction: forget the answers and file keys, keep only the receipt for a while."""
    draft.state = DraftState(token=draft.state.token, submitted={"receipt": receipt, "report": str(report_public_id)})
    draft.row.expires_at = coarse(clock.now() + RECEIPT_HOLD)
    draft.row.payload_ct = crypto.encrypt(draft.key, draft.state.to_json(), context=draft.context)
    draft.row.save(update_fields=["payload_ct", "expires_at"])


def set_cookie(response: HttpResponse, draft: OpenDraft) -> None:
    # A session cookie (no expiry date): it goes when the browser closes. HttpOnly, SameSite=Strict, and Secure
    # whenever the site runs over TLS.
    response.set_cookie(COOKIE, f"{draft.row.public_id}:{crypto.b64(draft.key)}", httponly=True, samesite="Strict",
                        secure=settings.TLS, path="/report/")


def clear_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path="/report/", samesite="Strict")


def discard(draft: OpenDraft) -> None:
    """Forget a draft now: its staged files, then the row (and with it the files' reservations)."""
    for staged in draft.state.files:
        discard_staged(StagedFile.from_dict(staged))
    with transaction.atomic():
        Draft.objects.filter(pk=draft.row.pk).delete()


def discard_from(request: HttpRequest) -> bool:
    """The quick exit: delete the draft this browser's cookie names, if any. True when there was one."""
    draft = load(request)
    if draft is None:
        return False
    discard(draft)
    return True


def new_saved_code() -> str:
    return receipts.new_receipt(words=SAVED_CODE_WORDS)


def normalise_code(typed: str) -> str | None:
    words = "".join(c if c.isalpha() else " " for c in typed.lower()).split()
    if len(words) != SAVED_CODE_WORDS or not all(w in receipts.wordlist() for w in words):
        return None
    return " ".join(words)


@dataclass(frozen=True)
class CodeKey:
    key: bytes
    public_id: UUID


def derive_code(code: str) -> CodeKey:
    """Slow (Argon2id): outside any transaction. Domain-separated from receipts by its prefix."""
    derived = receipts.derive(f"saved draft: {code}")
    return CodeKey(key=derived.key, public_id=UUID(hex=derived.lookup[:32]))


def save_for_later(draft: OpenDraft, code_key: CodeKey) -> None:
    """Re-key the draft under the code: a new id and key, kept SAVED_KEEP. The same row, so the reservations of
    its staged files stay with it."""
    draft.row.public_id = code_key.public_id
    draft.row.payload_ct = crypto.encrypt(code_key.key, draft.state.to_json(), context=_context(code_key.public_id))
    draft.row.expires_at = coarse(clock.now() + SAVED_KEEP)
    with transaction.atomic():
        draft.row.save(update_fields=["public_id", "payload_ct", "expires_at"])


def resume(code_key: CodeKey) -> OpenDraft | None:
    """Open a saved draft and re-key it under a new cookie key and id; the code does not open it again."""
    row = Draft.objects.filter(public_id=code_key.public_id, expires_at__gte=clock.now()).first()
    if row is None:
        return None
    try:
        state = DraftState.from_json(crypto.decrypt(code_key.key, bytes(row.payload_ct),
                                                    context=_context(row.public_id)))
    except (crypto.CryptoError, ValueError, KeyError):
        return None
    if state.submitted:
        return None
    row.public_id = uuid4()
    draft = OpenDraft(row, crypto.new_data_key(), state)
    draft.row.payload_ct = crypto.encrypt(draft.key, state.to_json(), context=draft.context)
    draft.row.expires_at = coarse(clock.now() + DRAFT_IDLE)
    with transaction.atomic():
        draft.row.save(update_fields=["public_id", "payload_ct", "expires_at"])
    return draft
