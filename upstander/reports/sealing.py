"""Every choice of key and encryption context for a report (DESIGN.md, encryption model). The cryptography itself
is lib/crypto.py; this module decides what is encrypted under which key, bound to which context.

- A report's content (narrative, place, a named reporter's identity, messages, statements, file keys and names) is
  under the report's own data key. Every ciphertext binds a context naming the object and field it belongs to, so a
  ciphertext copied into another row or column fails to decrypt instead of being shown in the wrong place.
- The data key is sealed to each recipient organisation's public key — the force's professional standards and the
  overseer, or the overseer alone on the independent route — and wrapped under the key derived from the receipt.
  A disclosure a facilitator records is sealed to the listening circles' key too, so they can read it back; that
  copy is deleted when a case team takes the report on (cases/triage.py, `withdraw_from_circles`).
- A confidential reporter's identity is sealed to the identity custodians only, never under the data key.
- Every public key sealed to is first checked against its pin (reports/pins.py): a key the database administrator
  swapped is refused, never sealed to.

Nothing here checks permission or writes the audit log: callers are actions, which do both.
"""

from __future__ import annotations

import json
from uuid import UUID

from upstander.accounts.models import Organisation, OrganisationKind
from upstander.lib import crypto
from upstander.lib.keys import installation_key
from upstander.reports import pins
from upstander.reports.choices import Route
from upstander.reports.models import Attachment, Message, Report, SealedKey


class KeyUnavailable(Exception):
    """The caller holds no key that opens this report."""


# --- contexts ----------------------------------------------------------------------------------------------------


def _field_context(report_public_id: UUID | str, field: str) -> bytes:
    return f"report:{report_public_id}:{field}".encode()


def _message_context(message_public_id: UUID | str) -> bytes:
    return f"message:{message_public_id}".encode()


def _attachment_context(attachment_public_id: UUID | str, field: str) -> bytes:
    return f"attachment:{attachment_public_id}:{field}".encode()


def _receipt_context(report_public_id: UUID | str) -> bytes:
    return f"receipt-wrap:{report_public_id}".encode()


def _statement_context(case_public_id: UUID | str, version: int) -> bytes:
    return f"statement:{case_public_id}:{version}".encode()


def new_data_key() -> bytes:
    """A report's own random data key."""
    return crypto.new_data_key()


# --- whom a report is sealed to ----------------------------------------------------------------------------------


def recipient_kinds(route: str, *, listening_circle: bool = False) -> list[str]:
    """The force's professional standards and the overseer; the overseer alone on the independent route. A
    disclosure recorded in a listening circle is sealed to the listening circles as well, on either route, so the
    facilitator who recorded it can read it back until a case team takes it on (withdraw_from_circles)."""
    kinds: list[str] = [OrganisationKind.OVERSEER]
    if route != Route.INDEPENDENT:
        kinds.insert(0, OrganisationKind.FORCE)
    if listening_circle:
        kinds.append(OrganisationKind.CIRCLES)
    return kinds


def recipients(route: str, *, listening_circle: bool = False) -> list[Organisation]:
    kinds = recipient_kinds(route, listening_circle=listening_circle)
    orgs = list(Organisation.objects.filter(kind__in=kinds))
    if len(orgs) != len(kinds):
        raise KeyUnavailable("organisation keys are not set up; run `upstander keys init`")
    return orgs


def handling_org(route: str) -> Organisation:
    kind = OrganisationKind.OVERSEER if route == Route.INDEPENDENT else OrganisationKind.FORCE
    return Organisation.objects.get(kind=kind)


def force() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.FORCE)


def custodians() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.CUSTODIANS)


def seal_data_key(report: Report, organisation: Organisation, data_key: bytes) -> SealedKey:
    """Seal the report's data key to one organisation's pinned key (unsaved row: the caller saves it in its
    transaction). Raises pins.RecipientKeyRefused for a key that is not the pinned one."""
    return SealedKey(report=report, organisation=organisation,
                     sealed=crypto.seal(pins.verified_public_key(organisation), data_key))


def withdraw_from_circles(report: Report) -> int:
    """Delete the copy of the report's data key sealed to the listening circles: from now on no facilitator can open
    it, even holding the circles' key. Returns how many copies were deleted (0 or 1). The caller (a case team
    taking the report on) runs it in its transaction and audits it."""
    deleted, _ = SealedKey.objects.filter(report=report, organisation__kind=OrganisationKind.CIRCLES).delete()
    return deleted


def reseal(sealed: bytes, old_private_key: bytes, new_public_key: bytes) -> bytes:
    """Something sealed to an organisation's old key, sealed to its new one (key rotation, reports/rotation.py).
    Raises crypto.CryptoError when the old key does not open it."""
    return crypto.seal(new_public_key, crypto.unseal(old_private_key, bytes(sealed)))


# --- opening a report's data key ---------------------------------------------------------------------------------


def data_key_for_org(report: Report, organisation: Organisation | None, private_key: bytes | None) -> bytes:
    """The data key, unsealed with the organisation key unlocked in a staff member's session."""
    if organisation is None or private_key is None:
        raise KeyUnavailable("no organisation key is unlocked in this session")
    sealed = SealedKey.objects.filter(report=report, organisation=organisation).values_list("sealed", flat=True).first()
    if sealed is None:
        raise KeyUnavailable("this report is not sealed to your organisation")
    try:
        return crypto.unseal(private_key, bytes(sealed))
    except crypto.CryptoError as exc:
        raise KeyUnavailable("the key in this session does not open this report") from exc


def wrap_for_receipt(report_public_id: UUID, receipt_key: bytes, data_key: bytes) -> bytes:
    return crypto.encrypt(receipt_key, data_key, context=_receipt_context(report_public_id))


def data_key_from_receipt(report: Report, receipt_key: bytes) -> bytes:
    if not report.receipt_sealed_key:
        raise KeyUnavailable("this report has no receipt")
    try:
        return crypto.decrypt(receipt_key, bytes(report.receipt_sealed_key), context=_receipt_context(report.public_id))
    except (crypto.CryptoError, TypeError) as exc:
        raise KeyUnavailable("receipt does not open this report") from exc


def check_data_key(report: Report, data_key: bytes) -> None:
    """Proof that the caller holds the report's key: its narrative decrypts (every report has one).

    A report whose content was purged at the end of retention has no narrative and no key left to prove."""
    if report.purged_on is not None:
        raise KeyUnavailable("this report's content was purged at the end of its retention period")
    try:
        decrypt_field(data_key, report, "narrative")
    except crypto.CryptoError as exc:
        raise KeyUnavailable("not this report's key") from exc


# --- the report's own fields and identity ------------------------------------------------------------------------


def encrypt_field(data_key: bytes, report_public_id: UUID, field: str, text: str) -> bytes:
    return crypto.encrypt_text(data_key, text, context=_field_context(report_public_id, field))


def decrypt_field(data_key: bytes, report: Report, field: str) -> str:
    blob = getattr(report, f"{field}_ct")
    if not blob:
        return ""
    return crypto.decrypt_text(data_key, bytes(blob), context=_field_context(report.public_id, field))


def encrypt_identity(data_key: bytes, report_public_id: UUID, identity: dict) -> bytes:
    """A named reporter's identity: under the data key, so the case team can read it."""
    return crypto.encrypt(data_key, json.dumps(identity).encode(), context=_field_context(report_public_id, "identity"))


def decrypt_identity(data_key: bytes, report: Report) -> dict | None:
    if not report.identity_ct:
        return None
    return json.loads(crypto.decrypt(data_key, bytes(report.identity_ct),
                                     context=_field_context(report.public_id, "identity")))


def seal_identity(identity: dict) -> bytes:
    """A confidential reporter's identity: sealed to the identity custodians only, never under the data key."""
    return crypto.seal(pins.verified_public_key(custodians()), json.dumps(identity).encode())


def open_sealed_identity(report: Report, custodians_key: bytes) -> bytes:
    """Break-glass (custody/break_glass.py): the sealed identity, opened with the custodians' key. Raises
    crypto.CryptoError when the key does not open it."""
    return crypto.unseal(custodians_key, bytes(report.sealed_identity or b""))


# --- messages, statements and files ------------------------------------------------------------------------------


def encrypt_message(data_key: bytes, message_public_id: UUID, body: str) -> bytes:
    return crypto.encrypt_text(data_key, body, context=_message_context(message_public_id))


def decrypt_message(data_key: bytes, message: Message) -> str:
    return crypto.decrypt_text(data_key, bytes(message.body_ct), context=_message_context(message.public_id))


def encrypt_statement(data_key: bytes, case, version: int, text: str) -> bytes:
    """The victim's account (cases.Statement), under the data key of the case's first report."""
    return crypto.encrypt_text(data_key, text, context=_statement_context(case.public_id, version))


def decrypt_statement(data_key: bytes, statement) -> str:
    """Raises crypto.CryptoError when the key is not the report's."""
    return crypto.decrypt_text(data_key, bytes(statement.body_ct),
                               context=_statement_context(statement.case.public_id, statement.version))


def encrypt_attachment_key(data_key: bytes, attachment_public_id: UUID, file_key: bytes) -> bytes:
    return crypto.encrypt(data_key, file_key, context=_attachment_context(attachment_public_id, "key"))


def encrypt_attachment_name(data_key: bytes, attachment_public_id: UUID, name: str) -> bytes:
    return crypto.encrypt_text(data_key, name, context=_attachment_context(attachment_public_id, "name"))


def attachment_key(attachment: Attachment, data_key: bytes) -> bytes:
    return crypto.decrypt(data_key, bytes(attachment.key_ct), context=_attachment_context(attachment.public_id, "key"))


def attachment_name(attachment: Attachment, data_key: bytes) -> str:
    return crypto.decrypt_text(data_key, bytes(attachment.name_ct),
                               context=_attachment_context(attachment.public_id, "name"))


# --- the reporter's visit ----------------------------------------------------------------------------------------
# A returning reporter's report id and data key travel in their cookie (intake/visit.py), encrypted under a key the
# server holds for this purpose alone (lib/keys.installation_key), so nothing about the visit is stored.

_VISIT = b"reporter-visit"


def encrypt_visit(payload: bytes) -> bytes:
    return crypto.encrypt(installation_key(_VISIT), payload, context=_VISIT)


def decrypt_visit(blob: bytes) -> bytes:
    """Raises crypto.CryptoError for a cookie this installation did not make."""
    return crypto.decrypt(installation_key(_VISIT), blob, context=_VISIT)
