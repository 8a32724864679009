"""Receipts: seven diceware words from the EFF long list (7,772 words once the four hyphenated ones are dropped:
7 x log2(7772) = 90.4 bits). A receipt is shown once and never stored; only an Argon2id-derived lookup value and
the report's data key wrapped under the receipt-derived key are kept (DESIGN.md, encryption model)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.conf import settings

from upstander.lib import crypto
from upstander.lib.keys import receipt_pepper

RECEIPT_WORDS = 7
_WORD = re.compile(r"^[a-z]+$")


@cache
def wordlist() -> tuple[str, ...]:
    text = resources.files("xkcdpass").joinpath("static/eff-long").read_text(encoding="utf-8")
    words = sorted({w.strip() for w in text.split() if _WORD.match(w.strip())})
    return tuple(words)


@cache
def _word_set() -> frozenset[str]:
    return frozenset(wordlist())


def new_receipt(words: int = RECEIPT_WORDS) -> str:
    vocabulary = wordlist()
    return " ".join(secrets.choice(vocabulary) for _ in range(words))


def normalise(typed: str) -> str | None:
    """Forgive case, extra spaces, hyphens and commas between words; None when it cannot be a receipt at all
    (wrong number of words or a word not on the list), so no Argon2 work is spent on it."""
    words = re.sub(r"[^a-z]+", " ", typed.lower()).split()
    if len(words) != RECEIPT_WORDS or not all(w in _word_set() for w in words):
        return None
    return " ".join(words)


@dataclass(frozen=True)
class ReceiptKey:
    key: bytes
    lookup: str


def derive(receipt: str) -> ReceiptKey:
    """The slow part (Argon2id at settings.RECEIPT_ARGON2_*): run it outside any database transaction."""
    key = crypto.derive_receipt_key(receipt, receipt_pepper(), opslimit=settings.RECEIPT_ARGON2_OPSLIMIT,
                                    memlimit_kib=settings.RECEIPT_ARGON2_MEMLIMIT_KIB)
    return ReceiptKey(key=key, lookup=crypto.receipt_lookup(key))
