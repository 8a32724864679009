"""The few primitives the reports core builds on: the key-pair probe, fingerprints and per-purpose subkeys."""

from __future__ import annotations

import pytest

from upstander.lib import crypto


def test_the_probe_accepts_a_key_pair_and_refuses_any_other_private_key():
    pair, other = crypto.new_keypair(), crypto.new_keypair()
    assert crypto.is_key_pair(pair.public, pair.private)
    assert not crypto.is_key_pair(pair.public, other.private)
    assert not crypto.is_key_pair(pair.public, b"not a key")


def test_a_fingerprint_names_the_exact_public_key():
    pair, other = crypto.new_keypair(), crypto.new_keypair()
    assert crypto.fingerprint(pair.public) == crypto.fingerprint(bytes(pair.public))
    assert crypto.fingerprint(pair.public) != crypto.fingerprint(other.public)
    assert crypto.fingerprint(pair.public).startswith("sha256:")


def test_subkeys_for_different_purposes_are_independent_and_need_a_real_secret():
    secret = crypto.new_data_key()
    visit, other = crypto.derive_subkey(secret, b"visit"), crypto.derive_subkey(secret, b"other")
    assert len(visit) == crypto.KEY_BYTES and visit != other and visit != secret
    assert crypto.derive_subkey(secret, b"visit") == visit
    with pytest.raises(crypto.CryptoError):
        crypto.derive_subkey(b"short", b"visit")
