"""A canary phrase typed into a narrative, a place, a confidential identity, a message, a reply and a file appears
nowhere in the clear: not in the database (its raw pages included, on SQLite), not under the data dir, not in the
logs. Neither does the receipt."""

from __future__ import annotations

import logging
import os

import pytest
from django.db import connection
from django.test import Client

from upstander.testing.journeys import come_back, report_for

CANARIES = {
    "narrative": "CANARY narrative aubergine-7731",
    "place": "CANARY place tangerine-4410",
    "identity": "Canary Identity Quillfeather",
    "file": "CANARY file persimmon-2291",
    "message": "CANARY message kumquat-5107",
    "reply": "CANARY reply loganberry-8823",
}


def _database_contents() -> list[bytes]:
    """Every value of every table, and on SQLite the raw database image with its free pages."""
    chunks: list[bytes] = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            for row in cur.fetchall():
                for value in row:
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        chunks.append(bytes(value))
                    elif value is not None:
                        chunks.append(str(value).encode())
    if connection.vendor == "sqlite":
        chunks.append(connection.connection.serialize())
    return chunks


def _data_dir_contents(root) -> list[bytes]:
    out = []
    for folder, _, names in os.walk(root):
        for name in names:
            try:
                with open(os.path.join(folder, name), "rb") as fh:
                    out.append(fh.read())
            except OSError:
                pass
    return out


@pytest.mark.django_db(transaction=True)
def test_canary_phrases_appear_nowhere_in_the_clear(reporter, staff_client, settings, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    anonymous = reporter(narrative=CANARIES["narrative"], place=CANARIES["place"],
                         files=[("notes.txt", CANARIES["file"].encode())])
    confidential = reporter(mode="confidential", name=CANARIES["identity"], narrative="Another report.")
    report = report_for(anonymous.receipt)

    handler = staff_client("handler_a")
    page = handler.get(f"/cases/reports/{report.public_id}/").content.decode()
    assert CANARIES["narrative"] in page and CANARIES["place"] in page  # the handler can read it
    assert handler.post(f"/cases/reports/{report.public_id}/reply", {"body": CANARIES["reply"]}).status_code == 302

    visitor = Client()
    come_back(visitor, anonymous.receipt)
    assert CANARIES["reply"] in visitor.get("/report/status").content.decode()
    visitor.post("/report/status/message", {"message-body": CANARIES["message"]})

    secrets = [c.encode() for c in CANARIES.values()] + [anonymous.receipt.encode(), confidential.receipt.encode()]
    where = {"database": _database_contents(), "data dir": _data_dir_contents(settings.DATA_DIR)}
    out, err = capfd.readouterr()
    where["logs"] = [caplog.text.encode(), out.encode(), err.encode()]
    for place, chunks in where.items():
        for secret in secrets:
            assert not any(secret in chunk for chunk in chunks), f"{secret!r} found in the clear in the {place}"
    # Positive controls: the scan does see what is meant to be in the clear (a category key, a subject's name).
    assert any(b"religious_discrimination" in chunk for chunk in where["database"])
    if connection.vendor == "sqlite":
        assert b"Derek Dyer" in where["database"][-1]
    if settings.FILE_STORE == "directory":
        assert any(chunk.startswith(b"UPB1") for chunk in where["data dir"])  # the encrypted file is there
    else:  # PostgreSQL: the encrypted file is in the store every host shares, and was scanned with the database
        from upstander.reports.models import StoredChunk

        assert StoredChunk.objects.exists()
