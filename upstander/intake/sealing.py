"""How a report's content is encrypted and whom its data key is sealed to (DESIGN.md, encryption model).

Every ciphertext binds a context naming the object and field it belongs to, so a ciphertext copied into another
row or column fails to decrypt instead of being shown in the wrong place.
"""

from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings

from upstander.accounts.models import Organisation, OrganisationKind
from upstander.lib import crypto
from upstander.reports.choices import Route
from upstander.reports.models import Report, SealedKey


class KeyUnavailable(Exception):
    """The caller holds no key that opens this report."""


def field_context(report_public_id: UUID | str, field: str) -> bytes:
    return f"report:{report_public_id}:{field}".encode()


def message_context(message_public_id: UUID | str) -> bytes:
    return f"message:{message_public_id}".encode()


def attachment_context(attachment_public_id: UUID | str, field: str) -> bytes:
    return f"attachment:{attachment_public_id}:{field}".encode()


def receipt_context(report_public_id: UUID | str) -> bytes:
    return f"receipt-wrap:{report_public_id}".encode()


def recipients(route: str) -> list[Organisation]:
    """The force's professional standards and the overseer; the overseer alone on the independent route."""
    kinds = [OrganisationKind.OVERSEER] if route == Route.INDEPENDENT else [OrganisationKind.FORCE,
                                                                           OrganisationKind.OVERSEER]
    orgs = list(Organisation.objects.filter(kind__in=kinds))
    if len(orgs) != len(kinds):
        raise KeyUnavailable("organisation keys are not set up; run `upstander keys init`")
    return orgs


def handling_org(route: str) -> Organisation:
    kind = OrganisationKind.OVERSEER if route == Route.INDEPENDENT else OrganisationKind.FORCE
    return Organisation.objects.get(kind=kind)


def custodians() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.CUSTODIANS)


def seal_identity(identity: dict) -> bytes:
    """A confidential reporter's identity: sealed to the identity custodians only, never under the data key."""
    return crypto.seal(bytes(custodians().public_key), json.dumps(identity).encode())


def encrypt_identity(data_key: bytes, report_public_id: UUID, identity: dict) -> bytes:
    """A named reporter's identity: under the data key, so the case team can read it."""
    return crypto.encrypt(data_key, json.dumps(identity).encode(), context=field_context(report_public_id, "identity"))


def decrypt_identity(data_key: bytes, report: Report) -> dict | None:
    if not report.identity_ct:
        return None
    return json.loads(crypto.decrypt(data_key, bytes(report.identity_ct),
                                     context=field_context(report.public_id, "identity")))


def encrypt_field(data_key: bytes, report_public_id: UUID, field: str, text: str) -> bytes:
    return crypto.encrypt_text(data_key, text, context=field_context(report_public_id, field))


def decrypt_field(data_key: bytes, report: Report, field: str) -> str:
    blob = getattr(report, f"{field}_ct")
    if not blob:
        return ""
    return crypto.decrypt_text(data_key, bytes(blob), context=field_context(report.public_id, field))


def data_key_for_org(report: Report, organisation: Organisation | None, private_key: bytes | None) -> bytes:
    if organisation is None or private_key is None:
        raise KeyUnavailable("no organisation key is unlocked in this session")
    sealed = SealedKey.objects.filter(report=report, organisation=organisation).values_list("sealed", flat=True).first()
    if sealed is None:
        raise KeyUnavailable("this report is not sealed to your organisation")
    try:
        return crypto.unseal(private_key, bytes(sealed))
    except crypto.CryptoError as exc:
        raise KeyUnavailable("the key in this session does not open this report") from exc


def data_key_from_receipt(report: Report, receipt_key: bytes) -> bytes:
    if not report.receipt_sealed_key:
        raise KeyUnavailable("this report has no receipt")
    try:
        return crypto.decrypt(receipt_key, bytes(report.receipt_sealed_key), context=receipt_context(report.public_id))
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


def encrypt_message(data_key: bytes, message_public_id: UUID, body: str) -> bytes:
    return crypto.encrypt_text(data_key, body, context=message_context(message_public_id))


def decrypt_message(data_key: bytes, message) -> str:
    return crypto.decrypt_text(data_key, bytes(message.body_ct), context=message_context(message.public_id))


# A key held by the server itself, for the one thing it must do without anyone's key: email a named reporter who
# opted in that "there is an update". Derived from the installation's secret key; never used for report content.
def _server_key(purpose: bytes) -> bytes:
    return bytes.fromhex(crypto.sha256_hex(b"upstander-server-key:" + purpose + b":" + settings.SECRET_KEY.encode()))


def server_encrypt(purpose: bytes, plaintext: bytes) -> bytes:
    return crypto.encrypt(_server_key(purpose), plaintext, context=purpose)


def server_decrypt(purpose: bytes, blob: bytes) -> bytes:
    return crypto.decrypt(_server_key(purpose), blob, context=purpose)
