"""Deterministic randomness and identifiers: everything in the synthetic world derives from the seed.

Each purpose (names, HR history, case codes, the UUIDs of one table …) has its own stream, so changing how many
draws one part makes never shifts another part's identifiers.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date

import numpy as np

# Case codes avoid characters that are easily confused when read aloud or written down (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _digest(seed: int, purpose: str) -> bytes:
    return hashlib.sha256(f"upstander-worldgen:{seed}:{purpose}".encode()).digest()


def stream(seed: int, purpose: str) -> random.Random:
    """A plain-Python random stream for one purpose."""
    return random.Random(int.from_bytes(_digest(seed, purpose), "big"))


def np_stream(seed: int, purpose: str) -> np.random.Generator:
    """A numpy stream for one purpose (bulk draws)."""
    return np.random.default_rng(int.from_bytes(_digest(seed, purpose)[:16], "big"))


class UuidSource:
    """Version-4 UUIDs, as 32-character hex, made in blocks from a seeded stream.

    The same bits as `uuid.UUID(int=rng.getrandbits(128), version=4)`, made with numpy because a large world needs
    millions of them."""

    BLOCK = 65536

    def __init__(self, seed: int, purpose: str) -> None:
        self._rng = np_stream(seed, f"uuid:{purpose}")
        self._buffer: list[str] = []

    def _refill(self) -> None:
        raw = self._rng.integers(0, 256, size=(self.BLOCK, 16), dtype=np.uint8)
        raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
        raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
        blob = raw.tobytes()
        # Reversed so that pop() hands them out in order.
        self._buffer = [blob[i:i + 16].hex() for i in range(0, len(blob), 16)][::-1]

    def next(self) -> str:
        if not self._buffer:
            self._refill()
        return self._buffer.pop()


class CaseCodes:
    """Short random-looking case references such as UP-7KQ2-M9XD, unique within the world."""

    def __init__(self, seed: int) -> None:
        self._rng = stream(seed, "case-codes")
        self._used: set[str] = set()

    def next(self) -> str:
        while True:
            chars = "".join(self._rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"UP-{chars[:4]}-{chars[4:]}"
            if code not in self._used:
                self._used.add(code)
                return code


# Dates are handled as proleptic ordinals (ints) inside the generator, datetimes as ordinal * 86400 + seconds.
def iso(ordinal: int | None) -> str | None:
    return None if ordinal is None else date.fromordinal(ordinal).isoformat()


def moment(ordinal: int, seconds: int) -> int:
    return ordinal * 86400 + seconds


def office_seconds(rng: random.Random) -> int:
    """A time of day in working hours (08:00–18:00)."""
    return 8 * 3600 + int(rng.random() * 36000)


# Cheaper than randrange/choices, which dominate a large world's build time; still a function of the seed.
def between(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high)."""
    return low + int(rng.random() * (high - low))


def pick(rng: random.Random, items, weights):
    """One item, chosen with the given relative weights."""
    x = rng.random() * sum(weights)
    for item, weight in zip(items, weights, strict=True):
        x -= weight
        if x < 0:
            return item
    return items[-1]
