"""All cryptography in Upstander. The only module that imports PyNaCl or argon2.

Model (DESIGN.md): each report has a random data key; its content is encrypted under it with
XChaCha20-Poly1305; the data key is sealed (X25519 sealed box) to each recipient organisation's public key and to a
key derived from the reporter's receipt with Argon2id. Organisation private keys are wrapped by each member's
password-derived key. The overseer signs audit checkpoints and published reports with Ed25519.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import struct
from dataclasses import dataclass
from typing import BinaryIO

import nacl.exceptions
import nacl.pwhash
import nacl.utils
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

KEY_BYTES = 32
NONCE_BYTES = 24
_VERSION = b"\x01"


class CryptoError(Exception):
    """Decryption, unsealing or verification failed (wrong key, tampered data)."""


# --- symmetric content encryption -------------------------------------------------------------------------------


def new_data_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def encrypt(key: bytes, plaintext: bytes, *, context: bytes = b"") -> bytes:
    """XChaCha20-Poly1305; `context` is bound as associated data (e.g. the report id) so ciphertexts cannot be swapped."""
    nonce = nacl.utils.random(NONCE_BYTES)
    return _VERSION + nonce + crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, context, nonce, key)


def decrypt(key: bytes, blob: bytes, *, context: bytes = b"") -> bytes:
    if not blob or blob[:1] != _VERSION:
        raise CryptoError("unknown ciphertext format")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(body, context, nonce, key)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError("decryption failed") from exc


def encrypt_text(key: bytes, text: str, *, context: bytes = b"") -> bytes:
    return encrypt(key, text.encode("utf-8"), context=context)


def decrypt_text(key: bytes, blob: bytes, *, context: bytes = b"") -> str:
    return decrypt(key, blob, context=context).decode("utf-8")


# --- asymmetric sealing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes


def new_keypair() -> KeyPair:
    sk = PrivateKey.generate()
    return KeyPair(public=bytes(sk.public_key), private=bytes(sk))


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(plaintext)


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(sealed)
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise CryptoError("cannot unseal") from exc


def is_key_pair(public_key: bytes, private_key: bytes) -> bool:
    """Whether `private_key` is the private half of `public_key` (the "probe" before a key is granted or used)."""
    try:
        derived = bytes(PrivateKey(private_key).public_key)
    except (ValueError, TypeError, nacl.exceptions.CryptoError):
        return False
    return hmac.compare_digest(derived, bytes(public_key))


def fingerprint(public_key: bytes) -> str:
    """A public key's fingerprint, as pinned (reports/pins.py): "sha256:" and the hex digest of the key's bytes."""
    return "sha256:" + hashlib.sha256(bytes(public_key)).hexdigest()


# --- password- and receipt-derived keys (Argon2id) ----------------------------------------------------------------


def new_salt() -> bytes:
    return nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)


def derive_key(secret: str, salt: bytes, *, opslimit: int, memlimit_kib: int) -> bytes:
    """Argon2id key derivation; memlimit in KiB."""
    return nacl.pwhash.argon2id.kdf(
        KEY_BYTES, secret.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit_kib * 1024
    )


def wrap_key(wrapping_key: bytes, key: bytes) -> bytes:
    return encrypt(wrapping_key, key, context=b"key-wrap")


def unwrap_key(wrapping_key: bytes, wrapped: bytes) -> bytes:
    return decrypt(wrapping_key, wrapped, context=b"key-wrap")


# Receipts: the lookup value is a keyed hash of the Argon2id output, so the database never holds anything from
# which the receipt or the receipt key could be recomputed without running Argon2id for each guess.
RECEIPT_SALT_CONTEXT = b"upstander-receipt-v1"


def receipt_salt(server_pepper: bytes) -> bytes:
    """A fixed per-installation salt: receipts must be found without knowing which report they belong to."""
    return hashlib.blake2b(server_pepper, digest_size=nacl.pwhash.argon2id.SALTBYTES, person=b"receipt-salt").digest()


def derive_receipt_key(receipt: str, server_pepper: bytes, *, opslimit: int, memlimit_kib: int) -> bytes:
    normalised = " ".join(receipt.lower().split())
    return derive_key(normalised, receipt_salt(server_pepper), opslimit=opslimit, memlimit_kib=memlimit_kib)


def receipt_lookup(receipt_key: bytes) -> str:
    return hmac.new(receipt_key, b"lookup", hashlib.sha256).hexdigest()


def derive_subkey(master: bytes, purpose: bytes) -> bytes:
    """A key for one purpose from an installation secret (BLAKE2b keyed with the secret, the purpose as input):
    keys for different purposes are independent, and none reveals the secret."""
    if len(master) < 16:
        raise CryptoError("installation secret too short")
    return hashlib.blake2b(b"upstander-subkey:" + purpose, key=master[:64], digest_size=KEY_BYTES).digest()


# --- hashing, tokens, signing ------------------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def random_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """How an API token is stored: its SHA-256 (tokens are long and random, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_signing_key() -> KeyPair:
    sk = SigningKey.generate()
    return KeyPair(public=bytes(sk.verify_key), private=bytes(sk))


def signing_public_of(private_key: bytes) -> bytes:
    return bytes(SigningKey(private_key).verify_key)


def sign(private_key: bytes, message: bytes) -> bytes:
    return SigningKey(private_key).sign(message).signature


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public_key).verify(message, signature)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_fingerprint(material: bytes, *, purpose: str) -> str:
    """A fingerprint that names a key without revealing it (BLAKE2b keyed by the purpose, 16 bytes, hex): stored
    with an installation so a key file that does not belong to its database is named as such."""
    return hashlib.blake2b(material, digest_size=16, key=purpose.encode()[:64], person=b"upstander-keyfp").hexdigest()


# --- sealed streams (backups) ------------------------------------------------------------------------------------
# A stream of any length sealed to an X25519 public key: a random stream key sealed to the recipient, then chunks
# encrypted under it with XChaCha20-Poly1305. Each chunk's associated data binds the stream's header, the chunk's
# index and whether it is the last, so chunks cannot be reordered, dropped, swapped between streams or truncated
# without opening failing. Only the holder of the private key (kept offline) can open it.

STREAM_MAGIC = b"UPSEAL\x01\n"
STREAM_CHUNK = 1024 * 1024
_LEN = struct.Struct(">I")
_CHUNK_AD = struct.Struct(">QB")


def _chunk_ad(header_digest: bytes, index: int, last: bool) -> bytes:
    return header_digest + _CHUNK_AD.pack(index, 1 if last else 0)


class SealedStreamWriter(io.RawIOBase):
    """A write-only file object: what is written goes, sealed, to `out`. close() writes the final chunk."""

    def __init__(self, public_key: bytes, out: BinaryIO) -> None:
        super().__init__()
        self._out = out
        self._key = new_data_key()
        sealed_key = seal(public_key, self._key)
        header = STREAM_MAGIC + _LEN.pack(len(sealed_key)) + sealed_key
        out.write(header)
        self._digest = hashlib.sha256(header).digest()
        self._buffer = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > STREAM_CHUNK:
            self._emit(bytes(self._buffer[:STREAM_CHUNK]), last=False)
            del self._buffer[:STREAM_CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = nacl.utils.random(NONCE_BYTES)
        body = crypto_aead_xchacha20poly1305_ietf_encrypt(plain, _chunk_ad(self._digest, self._index, last), nonce,
                                                          self._key)
        self._out.write(_LEN.pack(len(nonce) + len(body)) + nonce + body)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer = bytearray()
            self._out.flush()
        super().close()


class SealedStreamReader(io.RawIOBase):
    """A read-only file object over a sealed stream; raises CryptoError on a wrong key, tampering or truncation."""

    def __init__(self, private_key: bytes, src: BinaryIO) -> None:
        super().__init__()
        self._src = src
        magic = src.read(len(STREAM_MAGIC))
        if magic != STREAM_MAGIC:
            raise CryptoError("not a sealed Upstander stream")
        size_raw = src.read(_LEN.size)
        if len(size_raw) != _LEN.size:
            raise CryptoError("truncated stream header")
        sealed_key = src.read(_LEN.unpack(size_raw)[0])
        self._key = unseal(private_key, sealed_key)
        self._digest = hashlib.sha256(magic + size_raw + sealed_key).digest()
        self._plain = b""
        self._index = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        size_raw = self._src.read(_LEN.size)
        if len(size_raw) != _LEN.size:
            raise CryptoError("the stream is truncated")
        size = _LEN.unpack(size_raw)[0]
        blob = self._src.read(size)
        if len(blob) != size:
            raise CryptoError("the stream is truncated")
        nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        for last in (False, True):
            try:
                self._plain = crypto_aead_xchacha20poly1305_ietf_decrypt(
                    body, _chunk_ad(self._digest, self._index, last), nonce, self._key)
            except (nacl.exceptions.CryptoError, ValueError):
                continue
            self._index += 1
            self._done = last
            if last and self._src.read(1):
                raise CryptoError("data after the end of the stream")
            return
        raise CryptoError("a chunk of the stream was changed, moved or does not belong to it")

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._plain and not self._done:
            self._next_chunk()
        n = min(len(buffer), len(self._plain))
        buffer[:n] = self._plain[:n]
        self._plain = self._plain[n:]
        return n
