"""The shipped message classifier: TF-IDF over word 1-2 grams and character 3-5 grams (inside word boundaries) of the
normalised text, one logistic regression per category (one-vs-rest), trained by train.py on
../shared/data/abuse-train and stored as plain arrays in data/classifier.npz (no pickle: the vocabulary as text, the
IDF weights, the coefficients and intercepts). Thresholds per category are policy (policy/evidence.toml).

A message gets the category whose probability clears its threshold by the widest margin (in log-odds), or none.
Each flag says why: the n-grams of the message that pushed that category's score up most."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
from sklearn.preprocessing import normalize

from upstander.evidence.classifier.data import CATEGORIES
from upstander.evidence.classifier.normalise import normalise

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "classifier.npz"  # data/* is package data
WORD = {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b", "lowercase": False}
CHAR = {"analyzer": "char_wb", "ngram_range": (3, 5), "lowercase": False}


@dataclass(frozen=True)
class Verdict:
    category: str  # "" when no category clears its threshold
    score: float  # the probability of that category (of the most likely one when there is none)
    why: tuple[str, ...]  # the n-grams that weighed most for it


def _text_array(values: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode("utf-8"), dtype=np.uint8)


def _text_list(array: np.ndarray) -> list[str]:
    data = bytes(array).decode("utf-8")
    return data.split("\n") if data else []


class Classifier:
    def __init__(self, blocks: list[tuple[str, list[str], np.ndarray]], coef: np.ndarray, intercept: np.ndarray,
                 meta: dict):
        """blocks: (kind, vocabulary in column order, idf) for "word" and/or "char"; coef: features x categories."""
        self.meta = meta
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.terms: list[str] = []
        self._vectorizers: list[tuple[CountVectorizer, np.ndarray]] = []
        for kind, vocabulary, idf in blocks:
            params = WORD if kind == "word" else CHAR
            vectorizer = CountVectorizer(vocabulary={t: i for i, t in enumerate(vocabulary)}, dtype=np.float32,
                                         **params)
            self._vectorizers.append((vectorizer, idf.astype(np.float32)))
            self.terms += vocabulary if kind == "word" else [f"“{t.strip()}…”" for t in vocabulary]
        self.word_count = len(blocks[0][1]) if blocks and blocks[0][0] == "word" else 0

    @property
    def version(self) -> str:
        return str(self.meta.get("trained_on", {}).get("sha256", ""))[:16]

    def features(self, texts: list[str]) -> sparse.csr_matrix:
        """Sublinear TF x IDF, each block L2-normalised, side by side: scikit-learn's TfidfVectorizer exactly."""
        normalised = [normalise(t) for t in texts]
        parts = []
        for vectorizer, idf in self._vectorizers:
            counts = vectorizer.transform(normalised).tocsr()
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
            parts.append(normalize(counts @ sparse.diags(idf), copy=False))
        return sparse.hstack(parts, format="csr")

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """texts x categories, each P(category | text) from its one-vs-rest model."""
        return _sigmoid(self.decision(self.features(texts)))

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef) + self.intercept

    def classify(self, texts: list[str], thresholds: dict[str, float], *, explain: int = 4) -> list[Verdict]:
        features = self.features(texts)
        logits = self.decision(features)
        cut = np.array([_logit(thresholds[c]) for c in CATEGORIES], dtype=np.float32)
        margins = logits - cut
        best = np.argmax(margins, axis=1)
        verdicts = []
        for row, column in enumerate(best):
            probability = float(_sigmoid(logits[row, column]))
            if margins[row, column] < 0:
                verdicts.append(Verdict("", probability, ()))
                continue
            verdicts.append(Verdict(CATEGORIES[column], probability, self.why(features, row, column, explain)))
        return verdicts

    def why(self, features: sparse.csr_matrix, row: int, column: int, count: int = 4) -> tuple[str, ...]:
        """The n-grams with the largest part in the category's score: words (not "the", "is a"), else character
        fragments."""
        start, end = features.indptr[row], features.indptr[row + 1]
        columns, values = features.indices[start:end], features.data[start:end]
        parts = values * self.coef[columns, column]
        order = np.argsort(-parts)
        words = [self.terms[columns[i]] for i in order if parts[i] > 0 and columns[i] < self.word_count
                 and not _only_stop_words(self.terms[columns[i]])]
        if words:
            return tuple(words[:count])
        return tuple(self.terms[columns[i]] for i in order[:count] if parts[i] > 0)


def _only_stop_words(term: str) -> bool:
    return all(word in ENGLISH_STOP_WORDS or word == "0" for word in term.split())


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def save(path: Path, blocks: list[tuple[str, list[str], np.ndarray]], coef: np.ndarray, intercept: np.ndarray,
         meta: dict) -> None:
    arrays = {"meta": _text_array([json.dumps(meta, sort_keys=True)]), "coef": coef.astype(np.float16),
              "intercept": intercept.astype(np.float32), "kinds": _text_array([k for k, _, _ in blocks])}
    for kind, vocabulary, idf in blocks:
        arrays[f"{kind}_vocab"] = _text_array(vocabulary)
        arrays[f"{kind}_idf"] = idf.astype(np.float32)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def from_arrays(arrays) -> Classifier:
    kinds = _text_list(arrays["kinds"])
    blocks = [(k, _text_list(arrays[f"{k}_vocab"]), arrays[f"{k}_idf"]) for k in kinds]
    return Classifier(blocks, arrays["coef"], arrays["intercept"], json.loads(_text_list(arrays["meta"])[0]))


@cache
def load(path: Path = MODEL_PATH) -> Classifier:
    with np.load(path, allow_pickle=False) as arrays:
        return from_arrays(arrays)
