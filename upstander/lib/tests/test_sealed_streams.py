"""Sealed streams (lib/crypto), what backups are made of: only the secret opens them, and no change goes unseen."""

from __future__ import annotations

import io
import os

import pytest

from upstander.lib import crypto


def _seal(public: bytes, data: bytes, pieces: int = 3) -> bytes:
    out = io.BytesIO()
    writer = crypto.SealedStreamWriter(public, out)
    step = max(1, len(data) // pieces)
    for start in range(0, len(data), step):
        writer.write(data[start:start + step])
    writer.close()
    return out.getvalue()


def _open(private: bytes, blob: bytes) -> bytes:
    return io.BufferedReader(crypto.SealedStreamReader(private, io.BytesIO(blob))).read()


@pytest.mark.parametrize("size", [0, 1, crypto.STREAM_CHUNK, 2 * crypto.STREAM_CHUNK + 17])
def test_what_is_sealed_opens_with_the_secret_whatever_its_size(size):
    pair = crypto.new_keypair()
    data = os.urandom(size)
    assert _open(pair.private, _seal(pair.public, data)) == data


def test_another_secret_opens_nothing():
    pair, other = crypto.new_keypair(), crypto.new_keypair()
    with pytest.raises(crypto.CryptoError):
        _open(other.private, _seal(pair.public, b"the database"))


def test_a_stream_cut_at_a_chunk_boundary_a_changed_byte_or_added_bytes_are_all_refused():
    """The attack: a backup cut short after a whole chunk still decrypts chunk by chunk; only the final-chunk flag in
    the associated data shows that the end is missing."""
    pair = crypto.new_keypair()
    blob = _seal(pair.public, os.urandom(2 * crypto.STREAM_CHUNK + 5), pieces=1)
    last_chunk = 4 + crypto.NONCE_BYTES + 5 + 16
    changed = bytearray(blob)
    changed[len(blob) // 2] ^= 1
    for bad in (blob[:-last_chunk], blob[:-1], bytes(changed), blob + b"\0"):
        with pytest.raises(crypto.CryptoError):
            _open(pair.private, bad)


def test_key_fingerprints_differ_by_purpose_and_never_contain_the_key():
    key = os.urandom(32)
    one = crypto.key_fingerprint(key, purpose="receipt-pepper")
    assert one == crypto.key_fingerprint(key, purpose="receipt-pepper")
    assert one != crypto.key_fingerprint(key, purpose="secret-key")
    assert key.hex()[:8] not in one and len(one) == 32
