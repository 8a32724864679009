"""Receipts: seven words from the EFF long list (a–z only), about 90 bits, never stored."""

from __future__ import annotations

import math
import re

from upstander.reports import receipts


def test_the_wordlist_is_the_eff_long_list_without_its_hyphenated_words():
    words = receipts.wordlist()
    assert len(words) == 7772 and len(set(words)) == 7772
    assert all(re.fullmatch(r"[a-z]+", w) for w in words)


def test_a_receipt_has_seven_words_and_at_least_eighty_bits():
    receipt = receipts.new_receipt()
    assert len(receipt.split(" ")) == 7
    assert receipts.RECEIPT_WORDS * math.log2(len(receipts.wordlist())) > 90


def test_normalising_forgives_layout_but_not_wrong_words():
    receipt = receipts.new_receipt()
    assert receipts.normalise(receipt.upper().replace(" ", " - ")) == receipt
    assert receipts.normalise(receipt + " abacus") is None
    assert receipts.normalise(receipt.replace(receipt.split()[0], "zzzzqqq")) is None
