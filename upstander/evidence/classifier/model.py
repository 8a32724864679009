"""The shipped message classifier: TF-IDF over word 1-2 grams and character 3-5 grams (inside word boundaries) of the
normalised text, one logistic regression per category (one-vs-rest), trained by train.py on
../shared/data/abuse-train and stored as plain arrays in data/classifier.npz (no pickle).

N-grams are hashed into 2**20 buckets per block (scikit-learn's HashingVectorizer, whose counting loop is compiled,
so 100,000 messages are read in seconds); only buckets seen in at least `min_df` training rows are kept, and the
file holds their numbers, IDF weights and coefficients. Thresholds per category are policy (policy/evidence.toml).

A message gets the category whose probability clears its threshold by the widest margin (in log-odds), or none.
Each flag says why: the n-grams of the message that pushed that category's score up most (found by hashing the
message's own n-grams again, so no vocabulary needs shipping)."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from upstander.evidence.classifier.data import CATEGORIES
from upstander.evidence.classifier.normalise import normalise

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "classifier.npz"  # data/* is package data
BUCKETS = 2**20
BLOCKS = {
    "word": {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b", "lowercase": False},
    "char": {"analyzer": "char_wb", "ngram_range": (3, 5), "lowercase": False},
}


def hasher(kind: str) -> HashingVectorizer:
    return HashingVectorizer(n_features=BUCKETS, alternate_sign=False, norm=None, dtype=np.float64, **BLOCKS[kind])


def bucket(ngram: str) -> int:
    """The bucket HashingVectorizer puts an n-gram in (its murmurhash, as its compiled loop computes it)."""
    h = murmurhash3_32(ngram, seed=0)
    return (2147483647 - (BUCKETS - 1)) % BUCKETS if h == -2147483648 else abs(h) % BUCKETS


@dataclass(frozen=True)
class Verdict:
    category: str  # "" when no category clears its threshold
    score: float  # the probability of that category (of the most likely one when there is none)
    why: tuple[str, ...]  # the n-grams that weighed most for it


@dataclass
class Block:
    kind: str
    kept: np.ndarray  # bucket numbers, ascending
    idf: np.ndarray  # one per kept bucket

    def __post_init__(self) -> None:
        self.hasher = hasher(self.kind)
        self.analyzer = self.hasher.build_analyzer()
        self.select = sparse.csr_matrix((np.ones(len(self.kept)), (self.kept, np.arange(len(self.kept)))),
                                        shape=(BUCKETS, len(self.kept)))

    def counts(self, normalised: list[str]) -> sparse.csr_matrix:
        return (self.hasher.transform(normalised) @ self.select).tocsr()

    def tfidf(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Sublinear TF x IDF, L2-normalised: scikit-learn's TfidfTransformer(sublinear_tf=True) exactly."""
        counts = counts.astype(np.float64)
        np.log(counts.data, out=counts.data)
        counts.data += 1.0
        return normalize(counts @ sparse.diags(self.idf), copy=False)


class Classifier:
    def __init__(self, blocks: list[Block], coef: np.ndarray, intercept: np.ndarray, meta: dict):
        """coef: (kept buckets of every block, in block order) x categories."""
        self.blocks, self.meta = blocks, meta
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.offsets = np.cumsum([0] + [len(b.kept) for b in blocks])

    @property
    def version(self) -> str:
        return str(self.meta.get("trained_on", {}).get("sha256", ""))[:16]

    def features(self, texts: list[str]) -> sparse.csr_matrix:
        normalised = [normalise(t) for t in texts]
        return sparse.hstack([b.tfidf(b.counts(normalised)) for b in self.blocks], format="csr")

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef) + self.intercept

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """texts x categories, each P(category | text) from its one-vs-rest model."""
        return _sigmoid(self.decision(self.features(texts)))

    def classify(self, texts: list[str], thresholds: dict[str, float], *, explain: int = 4) -> list[Verdict]:
        features = self.features(texts)
        logits = self.decision(features)
        margins = logits - np.array([_logit(thresholds[c]) for c in CATEGORIES], dtype=np.float32)
        best = np.argmax(margins, axis=1)
        verdicts = []
        for row, column in enumerate(best):
            probability = float(_sigmoid(logits[row, column]))
            if margins[row, column] < 0:
                verdicts.append(Verdict("", probability, ()))
            else:
                verdicts.append(Verdict(CATEGORIES[column], probability,
                                        self.why(texts[row], features, row, column, explain)))
        return verdicts

    def _names(self, normalised: str, which: int) -> dict[int, str]:
        """Feature column -> an n-gram of this text that falls in it, for one block."""
        block, offset = self.blocks[which], int(self.offsets[which])
        grams = list(dict.fromkeys(block.analyzer(normalised)))
        buckets = np.array([bucket(g) for g in grams], dtype=np.int64)
        at = np.minimum(np.searchsorted(block.kept, buckets), len(block.kept) - 1)
        names: dict[int, str] = {}
        for gram, position, found in zip(grams, at, block.kept[at] == buckets, strict=True):
            if found:
                names.setdefault(offset + int(position), gram if block.kind == "word" else f"“{gram.strip()}…”")
        return names

    def why(self, text: str, features: sparse.csr_matrix, row: int, column: int, count: int = 4) -> tuple[str, ...]:
        """The n-grams with the largest part in the category's score: words (not "the", "is a"), else character
        fragments (looked up only when no word counts, as they are many)."""
        start, end = features.indptr[row], features.indptr[row + 1]
        columns = features.indices[start:end]
        parts = features.data[start:end] * self.coef[columns, column]
        ranked = [int(columns[i]) for i in np.argsort(-parts) if parts[i] > 0]
        normalised = normalise(text)
        for which in range(len(self.blocks)):
            low, high = self.offsets[which], self.offsets[which + 1]
            mine = [c for c in ranked if low <= c < high]
            if not mine:
                continue
            names = self._names(normalised, which)
            found = [names[c] for c in mine if c in names and not _only_stop_words(names[c])]
            if found:
                return tuple(found[:count])
        return ()


_PLACEHOLDERS = {"0", "xuser", "xurl"}  # what normalise() puts for numbers, handles and links


def _only_stop_words(term: str) -> bool:
    return all(word in ENGLISH_STOP_WORDS or word in _PLACEHOLDERS or len(word) == 1 for word in term.split())


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def save(path: Path, classifier: Classifier) -> None:
    arrays: dict[str, np.ndarray] = {
        "meta": np.frombuffer(json.dumps(classifier.meta, sort_keys=True).encode(), dtype=np.uint8),
        "coef": classifier.coef.astype(np.float16), "intercept": classifier.intercept.astype(np.float32),
        "kinds": np.frombuffer(",".join(b.kind for b in classifier.blocks).encode(), dtype=np.uint8)}
    for block in classifier.blocks:
        arrays[f"{block.kind}_kept"] = block.kept.astype(np.int32)
        arrays[f"{block.kind}_idf"] = block.idf.astype(np.float32)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub types the keywords too narrowly
    path.write_bytes(buffer.getvalue())


@cache
def load(path: Path = MODEL_PATH) -> Classifier:
    with np.load(path, allow_pickle=False) as arrays:
        kinds = bytes(arrays["kinds"]).decode().split(",")
        blocks = [Block(k, arrays[f"{k}_kept"].astype(np.int64), arrays[f"{k}_idf"].astype(np.float64)) for k in kinds]
        return Classifier(blocks, arrays["coef"], arrays["intercept"], json.loads(bytes(arrays["meta"]).decode()))
