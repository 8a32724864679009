"""The encrypted file store: nothing in the clear, no escape from the store, and a crash at any point between
upload and commit leaves neither half a report nor a plaintext file."""

from __future__ import annotations

import os

import pytest
from django.db import transaction

from upstander.audit.log import Actor
from upstander.intake.actions import do_add_information
from upstander.lib import clock, crypto, storage
from upstander.reports import files
from upstander.reports.attachments import stage_file
from upstander.reports.models import Attachment, PendingBlob
from upstander.reports.sweeper import sweep
from upstander.testing.journeys import report_for


def test_blobs_are_encrypted_in_chunks_that_cannot_be_truncated_or_swapped(db, settings):
    key = crypto.new_data_key()
    data = os.urandom(storage.CHUNK * 2 + 10)
    name = storage.new_name()
    storage.write_pending(name, key, data)
    path = storage.locate(name)
    assert storage.read(name, key) == data
    raw = path.read_bytes()
    assert data[:64] not in raw
    path.write_bytes(raw[: len(raw) - (len(raw) - 4) // 3])  # drop the last chunk or more
    with pytest.raises(storage.StoreError):
        storage.read(name, key)
    other = storage.new_name()
    storage.write_pending(other, key, b"short")
    storage.locate(other).rename(storage.pending_dir() / name)  # a blob moved under another name
    with pytest.raises(storage.StoreError):
        storage.read(name, key)


@pytest.mark.parametrize("name", ["../keys/receipt-pepper", "/etc/passwd", "..", "", "A" * 32, "0" * 31, "0" * 32 + "/x"])
def test_a_name_that_is_not_a_random_store_name_is_refused(db, name):
    with pytest.raises(storage.StoreError):
        storage.locate(name)
    with pytest.raises(storage.StoreError):
        storage.write_pending(name, crypto.new_data_key(), b"x")


def test_a_crash_after_the_upload_and_before_the_commit_leaves_nothing(reporter):
    journey = reporter()
    report = report_for(journey.receipt)
    staged = stage_file(files.check("later.txt", b"something I remembered"))
    # The request dies here: the encrypted blobs exist, the attachment row was never committed.
    assert PendingBlob.objects.count() == 2 and storage.locate(staged.original_blob).parent == storage.pending_dir()
    PendingBlob.objects.filter(draft__isnull=True).update(reserved_on="2000-01-01")  # the reservation is old
    sweep()
    for name in (staged.original_blob, staged.clean_blob):
        with pytest.raises(storage.StoreError):
            storage.locate(name)
    assert not Attachment.objects.filter(report=report).exists()


def test_a_crash_after_the_commit_and_before_the_rename_is_finished_by_the_sweeper(reporter):
    journey = reporter()
    report = report_for(journey.receipt)
    from upstander.reports.receipts import derive, normalise
    from upstander.reports.sealing import data_key_from_receipt

    data_key = data_key_from_receipt(report, derive(normalise(journey.receipt)).key)
    staged = stage_file(files.check("later.txt", b"something I remembered"))
    with transaction.atomic():  # committed (in the test's savepoint), but on_commit never runs: the "crash"
        do_add_information(actor=Actor.reporter(), report=report, data_key=data_key, body="see file", files=[staged])
    assert storage.locate(staged.clean_blob).parent == storage.pending_dir()
    assert storage.read(staged.clean_blob, staged.key) == b"something I remembered"  # still readable meanwhile
    result = sweep()
    assert result.promoted == 2
    assert storage.locate(staged.clean_blob).parent == storage.files_dir()


def test_a_draft_s_files_survive_the_sweeper_until_the_draft_expires(cast):
    from datetime import timedelta

    from django.test import Client

    from upstander.reports.models import Draft
    from upstander.testing.journeys import Answers, Journey

    journey = Journey(Client(), Answers())
    journey.how()
    journey.what()
    journey.upload([("note.txt", b"my note")])
    names = list(PendingBlob.objects.values_list("name", flat=True))
    assert len(names) == 2
    sweep()
    assert all(storage.locate(n) for n in names)
    Draft.objects.update(expires_at=clock.now() - timedelta(minutes=1))
    result = sweep()
    assert result.drafts_deleted == 1 and result.orphans_deleted >= 2
    for name in names:
        with pytest.raises(storage.StoreError):
            storage.locate(name)


def test_stored_file_times_say_the_day_not_the_moment(db):
    name = storage.new_name()
    storage.write_pending(name, crypto.new_data_key(), b"x")
    stat = storage.locate(name).stat()
    assert stat.st_mtime % 86400 == 0 and stat.st_atime % 86400 == 0
