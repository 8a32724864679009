"""A named reporter's update address is readable only by staff holding the report's key, never from a copy of the data
directory alone (issue 11)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from upstander.lib import crypto, keys
from upstander.reports.models import SealedKey
from upstander.testing.journeys import report_for

EMAIL = "sam.public@example.org"


def _data_dir_secrets() -> list[bytes]:
    """Every secret a thief finds in the data directory (the key files, raw and base64-decoded) and every key the
    server derives from them by itself."""
    found: list[bytes] = []
    for path in Path(settings.DATA_DIR, "keys").iterdir():
        raw = path.read_bytes()
        found.append(raw)
        try:
            found.append(crypto.unb64(raw.decode().strip()))
        except (ValueError, UnicodeDecodeError):
            pass
    found.append(settings.SECRET_KEY.encode())
    found += [keys.installation_key(purpose) for purpose in (b"reporter-visit", b"update-email")]
    return [s for s in found if s]


def _legacy_server_key(purpose: bytes) -> bytes:
    """How the address used to be encrypted: a key derived from the server's secret key alone."""
    return bytes.fromhex(hashlib.sha256(b"upstander-server-key:" + purpose + b":" + settings.SECRET_KEY.encode()).hexdigest())


def _blobs() -> list[bytes]:
    blobs = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]
        for row in model._default_manager.values_list(*names) if names else ():
            blobs += [bytes(v) for v in row if v]
    return blobs


def _opens(blob: bytes, key: bytes, contexts: list[bytes]) -> bytes | None:
    for context in contexts:
        try:
            return crypto.decrypt(key[:32].ljust(32, b"\0"), blob, context=context)
        except (crypto.CryptoError, ValueError, TypeError):
            pass
    try:
        return crypto.unseal(key[:32].ljust(32, b"\0"), blob)
    except crypto.CryptoError:
        return None


def test_a_copy_of_the_data_directory_alone_does_not_reveal_a_named_reporters_email(reporter, cast):
    """The attack: copy the data directory — the database and the key files beside it, including the server's secret
    key — and decrypt the update addresses of named reporters who asked to be emailed, which used to be encrypted
    under a key derived from the server's secret key so the server could send the email by itself."""
    report = report_for(reporter(mode="named", name="Sam Public", email=EMAIL, wants_update_email=True).receipt)
    assert report.wants_update_email

    everything = "".join(str(row) for model in apps.get_models() for row in model._default_manager.values_list())
    assert EMAIL not in everything  # not in the clear anywhere

    purpose = b"update-email" + str(report.public_id).encode()
    contexts = [b"", purpose, b"update-email", f"report:{report.public_id}:identity".encode()]
    candidates = _data_dir_secrets() + [_legacy_server_key(purpose)]
    for blob in _blobs():
        for key in candidates:
            opened = _opens(blob, key, contexts)
            assert opened is None or EMAIL.encode() not in opened
    # What does open it: the report's data key, sealed to the organisations' keys, which are not in the data dir.
    assert SealedKey.objects.filter(report=report).count() == 2
