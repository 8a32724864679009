"""The encrypted file store, in both its places (lib/storage.py: the database's chunk table and the data
directory): nothing in the clear, no escape from the store, no reordered, swapped or truncated blob, a crash at any
point between upload and commit leaves neither half a report nor a plaintext file, and every test runs against
both stores on whichever database the suite runs on."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.db import models, transaction
from django.test import Client

from upstander.audit.log import Actor
from upstander.intake.actions import do_add_information
from upstander.lib import clock, crypto, storage
from upstander.reports import files
from upstander.reports.attachments import FileUnavailable, open_clean_copy, stage_file
from upstander.reports.models import Attachment, Draft, PendingBlob, StoredChunk
from upstander.reports.receipts import derive, normalise
from upstander.reports.sealing import data_key_from_receipt
from upstander.reports.sweeper import sweep
from upstander.testing.journeys import Answers, Journey, report_for


@pytest.fixture(params=storage.BACKENDS)
def file_store(request, settings):
    settings.FILE_STORE = request.param
    return request.param


class Tamper:
    """What someone with write access to the store's medium (the disk, or the database) can do to a blob."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.directory = storage.DirectoryStore()

    def raw(self, name: str) -> bytes:
        if self.kind == "directory":
            return self.directory.locate(name).read_bytes()
        return b"".join(bytes(c) for c in StoredChunk.objects.filter(blob_name=name).values_list("ciphertext", flat=True))

    def drop_last_chunk(self, name: str) -> None:
        if self.kind == "directory":
            path = self.directory.locate(name)
            raw = path.read_bytes()
            path.write_bytes(raw[: len(raw) - (len(raw) - 4) // 3])
        else:
            StoredChunk.objects.filter(blob_name=name, last=True).delete()

    def cut_after_first_chunk(self, name: str) -> None:
        """Keep chunk 0 only, marked as the last one (the database keeps `last` in the clear)."""
        if self.kind == "directory":
            path = self.directory.locate(name)
            raw = path.read_bytes()
            length = int.from_bytes(raw[4:8], "big")
            path.write_bytes(raw[: 8 + length])
        else:
            StoredChunk.objects.filter(blob_name=name, index__gt=0).delete()
            StoredChunk.objects.filter(blob_name=name, index=0).update(last=True)

    def swap_first_two_chunks(self, name: str) -> None:
        if self.kind == "directory":
            path = self.directory.locate(name)
            raw = path.read_bytes()
            first = 8 + int.from_bytes(raw[4:8], "big")
            second = first + 4 + int.from_bytes(raw[first:first + 4], "big")
            path.write_bytes(raw[:4] + raw[first:second] + raw[4:first] + raw[second:])
        else:
            a, b = (StoredChunk.objects.get(blob_name=name, index=i) for i in (0, 1))
            StoredChunk.objects.filter(pk=a.pk).update(ciphertext=bytes(b.ciphertext))
            StoredChunk.objects.filter(pk=b.pk).update(ciphertext=bytes(a.ciphertext))

    def move(self, source: str, target: str) -> None:
        if self.kind == "directory":
            self.directory.locate(source).rename(self.directory.pending_dir() / target)
        else:
            StoredChunk.objects.filter(blob_name=source).update(blob_name=target)


def _stored(data: bytes) -> tuple[str, bytes]:
    key = crypto.new_data_key()
    name = storage.new_name()
    storage.write_pending(name, key, data)
    return name, key


def test_blobs_are_encrypted_in_chunks_that_cannot_be_truncated_or_swapped(db, file_store):
    tamper = Tamper(file_store)
    data = os.urandom(storage.CHUNK * 2 + 10)
    for attack in (tamper.drop_last_chunk, tamper.cut_after_first_chunk, tamper.swap_first_two_chunks):
        name, key = _stored(data)
        assert storage.read(name, key) == data
        assert data[:64] not in tamper.raw(name) and data[-64:] not in tamper.raw(name)
        attack(name)
        with pytest.raises(storage.StoreError):
            storage.read(name, key)
    name, key = _stored(data)
    other = storage.new_name()
    storage.write_pending(other, key, b"short")
    storage.delete(name)
    tamper.move(other, name)  # a blob moved under another name
    with pytest.raises(storage.StoreError):
        storage.read(name, key)


@pytest.mark.parametrize("size", [0, 1, storage.CHUNK - 1, storage.CHUNK, storage.CHUNK + 1, 3 * storage.CHUNK])
def test_a_blob_of_any_size_reads_back_as_it_was_written_from_bytes_or_from_pieces(db, file_store, size):
    data = os.urandom(size)
    name, key = _stored(data)
    assert storage.read(name, key) == data
    pieces = [data[i:i + 77_777] for i in range(0, len(data), 77_777)]
    name, key = storage.new_name(), crypto.new_data_key()
    storage.write_pending(name, key, iter(pieces))
    chunks = list(storage.read_chunks(name, key))
    assert b"".join(chunks) == data and all(len(c) <= storage.CHUNK for c in chunks)
    assert len(chunks) == max(1, -(-size // storage.CHUNK))


def test_reading_streams_one_chunk_at_a_time(db, file_store):
    """Each chunk is fetched as the response is streamed, never the whole blob up front: chunk rows taken away
    after the first chunk was read are missed, and the reader says so instead of ending early."""
    data = os.urandom(3 * storage.CHUNK)
    name, key = _stored(data)
    chunks = storage.read_chunks(name, key)
    assert next(chunks) == data[:storage.CHUNK]
    if file_store == "database":
        StoredChunk.objects.filter(blob_name=name, index__gt=0).delete()
        with pytest.raises(storage.StoreError):
            list(chunks)
    else:
        storage.delete(name)  # the file is already open: its name going does not cut the stream short
        assert b"".join(chunks) == data[storage.CHUNK:]


def test_a_blob_copied_between_the_stores_still_opens_with_its_key(db):
    """Both stores keep the same sealed chunks: an installation's files move into the database without keys."""
    directory, database = storage.store("directory"), storage.store("database")
    data = os.urandom(storage.CHUNK + 5)
    key, name = crypto.new_data_key(), storage.new_name()
    directory.put(name, storage.seal_chunks(name, key, data))
    storage.copy(name, directory, database)
    opened = b"".join(storage.open_chunk(name, key, i, last, c) for i, last, c in database.sealed_chunks(name))
    assert opened == data and database.exists(name)


@pytest.mark.parametrize("name", ["../keys/receipt-pepper", "/etc/passwd", "..", "", "A" * 32, "0" * 31, "0" * 32 + "/x"])
def test_a_name_that_is_not_a_random_store_name_is_refused(db, file_store, name):
    with pytest.raises(storage.StoreError):
        storage.exists(name)
    with pytest.raises(storage.StoreError):
        storage.write_pending(name, crypto.new_data_key(), b"x")
    with pytest.raises(storage.StoreError):
        storage.read(name, crypto.new_data_key())


def test_a_missing_blob_is_refused_before_anything_is_streamed(db, file_store):
    with pytest.raises(storage.StoreError):
        storage.read_chunks(storage.new_name(), crypto.new_data_key())


def test_a_crash_after_the_upload_and_before_the_commit_leaves_nothing(reporter, file_store):
    journey = reporter()
    report = report_for(journey.receipt)
    staged = stage_file(files.check("later.txt", b"something I remembered"))
    # The request dies here: the encrypted blobs exist, the attachment row was never committed.
    assert PendingBlob.objects.count() == 2 and staged.original_blob in storage.inventory().pending
    PendingBlob.objects.filter(draft__isnull=True).update(reserved_on="2000-01-01")  # the reservation is old
    sweep()
    assert not storage.exists(staged.original_blob) and not storage.exists(staged.clean_blob)
    assert not Attachment.objects.filter(report=report).exists()


def test_a_half_written_blob_whose_reservation_expired_is_removed(db, settings):
    """Only the directory store can hold half a blob (the database's chunks commit together)."""
    settings.FILE_STORE = "directory"
    directory = storage.DirectoryStore()
    name = storage.new_name()
    (directory.pending_dir() / (name + ".part")).write_bytes(b"UPB1 half of something")
    assert storage.inventory().partial == [name]
    assert sweep().orphans_deleted == 1 and storage.inventory().partial == []


def test_a_crash_after_the_commit_and_before_the_promotion_is_finished_by_the_sweeper(reporter, file_store):
    journey = reporter()
    report = report_for(journey.receipt)
    data_key = data_key_from_receipt(report, derive(normalise(journey.receipt)).key)
    staged = stage_file(files.check("later.txt", b"something I remembered"))
    with transaction.atomic():  # committed (in the test's savepoint), but on_commit never runs: the "crash"
        do_add_information(actor=Actor.reporter(), report=report, data_key=data_key, body="see file", files=[staged])
    assert storage.read(staged.clean_blob, staged.key) == b"something I remembered"  # readable meanwhile
    result = sweep()
    if file_store == "directory":
        assert result.promoted == 2
        assert storage.DirectoryStore().locate(staged.clean_blob).parent == storage.DirectoryStore().files_dir()
    else:
        assert result.promoted == 0  # nothing to promote: the committed row is what makes the blob visible
    assert storage.read(staged.clean_blob, staged.key) == b"something I remembered"
    assert sweep().orphans_deleted == 0


def test_a_draft_s_files_survive_the_sweeper_until_the_draft_expires(cast, file_store):



    journey = Journey(Client(), Answers())
    journey.how()
    journey.what()
    journey.upload([("note.txt", b"my note")])
    names = list(PendingBlob.objects.values_list("name", flat=True))
    assert len(names) == 2
    sweep()
    assert all(storage.exists(n) for n in names)
    Draft.objects.update(expires_at=clock.now() - timedelta(minutes=1))
    result = sweep()
    assert result.drafts_deleted == 1 and result.orphans_deleted >= 2
    assert not any(storage.exists(n) for n in names)


def test_files_kept_on_disk_before_the_database_store_was_chosen_move_into_the_database_at_the_next_sweep(
        reporter, settings):
    settings.FILE_STORE = "directory"
    journey = reporter(files=[("notes.txt", b"what I wrote down that evening")])
    report = report_for(journey.receipt)
    data_key = data_key_from_receipt(report, derive(normalise(journey.receipt)).key)
    attachment = Attachment.objects.get(report=report)
    settings.FILE_STORE = "database"
    with pytest.raises(FileUnavailable):
        open_clean_copy(report, attachment.public_id, data_key)
    assert sweep().moved_into_database == 2
    assert b"".join(open_clean_copy(report, attachment.public_id, data_key).chunks) == b"what I wrote down that evening"
    assert storage.DirectoryStore().inventory() == storage.Inventory()  # nothing left on this host's disk
    assert sweep().moved_into_database == 0 and storage.exists(attachment.original_blob)


def test_stored_file_times_say_the_day_not_the_moment(db, settings):
    settings.FILE_STORE = "directory"
    name, _ = _stored(b"x")
    stat = storage.DirectoryStore().locate(name).stat()
    assert stat.st_mtime % 86400 == 0 and stat.st_atime % 86400 == 0


def test_stored_chunks_have_no_time_column():
    """Rows in the database store say nothing about when they were written (a database's own commit times stay
    off: docs/operations.md)."""
    kinds = (models.DateTimeField, models.DateField, models.TimeField)
    assert not [f.name for f in StoredChunk._meta.get_fields() if isinstance(f, kinds)]


def test_the_database_keeps_the_files_whenever_it_is_postgresql(settings):
    from django.db import connection

    if os.environ.get("UPSTANDER_FILE_STORE"):
        assert settings.FILE_STORE == os.environ["UPSTANDER_FILE_STORE"]
    else:
        assert settings.FILE_STORE == ("database" if connection.vendor == "postgresql" else "directory")


PROBE = """
import hashlib, os, sys, uuid
import django
django.setup()
from upstander.reports.attachments import open_clean_copy
from upstander.reports.models import Report
report = Report.objects.get(public_id=uuid.UUID(sys.argv[1]))
opened = open_clean_copy(report, uuid.UUID(sys.argv[2]), bytes.fromhex(sys.stdin.read().strip()))
digest = hashlib.sha256()
for chunk in opened.chunks:
    digest.update(chunk)
print(digest.hexdigest(), os.listdir(os.environ["UPSTANDER_DATA_DIR"]).count("store"))
"""


def _database_url() -> str:
    from urllib.parse import quote, urlencode

    from django.db import connection

    d = connection.get_connection_params()  # what this process connects with, wherever the settings put it
    query = urlencode({k: d[k] for k in ("host", "port") if d.get(k)})
    return f"postgres://{quote(d.get('user') or '')}:{quote(d.get('password') or '')}@/{quote(d['dbname'])}?{query}"


@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_through_one_process_is_read_through_another_with_its_own_empty_data_directory(
        reporter, settings, tmp_path):
    """Several stateless app hosts (issue 16): the second process shares only the database, not the first one's
    disk, and streams the same file back."""
    import hashlib
    import subprocess
    import sys

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two processes share a database only on PostgreSQL (the suite's SQLite database is in memory)")
    settings.FILE_STORE = "database"
    evidence = b"\x00\x01" + os.urandom(2 * storage.CHUNK + 12345)
    journey = reporter(files=[("recording.bin", evidence)])
    report = report_for(journey.receipt)
    attachment = Attachment.objects.get(report=report)
    data_key = data_key_from_receipt(report, derive(normalise(journey.receipt)).key)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "UPSTANDER_"))}
    env.update(DATABASE_URL=_database_url(), UPSTANDER_DATA_DIR=str(tmp_path), UPSTANDER_FILE_STORE="database",
               DJANGO_SETTINGS_MODULE="upstander.settings")
    out = subprocess.run([sys.executable, "-c", PROBE, str(report.public_id), str(attachment.public_id)],
                         input=data_key.hex(), capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == [hashlib.sha256(evidence).hexdigest(), "0"]  # the same bytes, and no store/ there
