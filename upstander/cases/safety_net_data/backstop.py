"""The learned backstop for `serious_sexual_offence`: a logistic regression over TF-IDF word 1-2 grams and character
3-5 grams (inside word boundaries), trained on the labelled narratives by train_backstop.py.

The rules miss new ways of saying an act ("he bent me over the desk", "dragged me in there and got on me"); the
backstop catches most of them because it scores the whole wording, not a list of anchors. safety_net.py raises the
flag when the rules fire OR the backstop's probability reaches the threshold, unless the rules found the act and
dropped it as negated, denied, joked about or a topic (the model does not understand "he never raped me").

The model is plain data (data/backstop_model.json.gz: the vocabulary, each n-gram's IDF weight and coefficient, the
intercept), scored here in pure Python, so the runtime needs neither scikit-learn nor pickle; train_backstop.py
checks that this scorer reproduces scikit-learn's probabilities."""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("data") / "backstop_model.json.gz"  # data/* is package data (pyproject.toml)
# The balanced-class decision boundary, fixed before measuring; forward chaining over the held-out splits put it at
# pooled recall 0.981 / precision 0.848 together with the rules (docs/safety-net.md has the trade-off at 0.4-0.7).
THRESHOLD = 0.5

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Model:
    word: dict[str, tuple[float, float]]  # n-gram -> (idf, coefficient)
    char: dict[str, tuple[float, float]]
    intercept: float
    threshold: float


def from_dict(data: dict) -> Model:
    return Model(word={k: (v[0], v[1]) for k, v in data["word"].items()},
                 char={k: (v[0], v[1]) for k, v in data["char"].items()},
                 intercept=float(data["intercept"]), threshold=float(data.get("threshold", THRESHOLD)))


@cache
def load(path: Path = MODEL_PATH) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return from_dict(json.load(handle))


def word_ngrams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_ngrams(text: str) -> list[str]:
    """scikit-learn's char_wb analyser, n = 3..5: each word padded with a space either side."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(3, 6):
            if len(padded) <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def _block(grams: list[str], vocabulary: dict[str, tuple[float, float]]) -> tuple[float, dict[str, float]]:
    """The block's share of the decision value (sublinear TF x IDF, L2-normalised, times the coefficients), and each
    n-gram's part in it."""
    weights = {g: (1.0 + math.log(n)) * vocabulary[g][0] for g, n in Counter(grams).items() if g in vocabulary}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return 0.0, {}
    parts = {g: w / norm * vocabulary[g][1] for g, w in weights.items()}
    return sum(parts.values()), parts


def probability(text: str, model: Model | None = None) -> float:
    """P(serious sexual offence) for one normalised piece of text."""
    model = model or load()
    word, _ = _block(word_ngrams(text), model.word)
    char, _ = _block(char_ngrams(text), model.char)
    return 1.0 / (1.0 + math.exp(-(model.intercept + word + char)))


def windows(sentences: list[str]) -> list[str]:
    """The whole text, each sentence and each pair of neighbours: the model was trained on short narratives, so a long
    statement is also read in short pieces, lest one sentence about the act be diluted by twenty about the evening."""
    pieces = [" ".join(sentences)]
    if len(sentences) > 1:
        pieces += sentences + [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]
    return pieces


def best_window(sentences: list[str], model: Model | None = None) -> tuple[float, str]:
    """The highest probability over the windows, and the window that has it."""
    model = model or load()
    return max(((probability(piece, model), piece) for piece in windows(sentences)), default=(0.0, ""))


def top_words(text: str, model: Model | None = None, count: int = 4) -> list[str]:
    """The word n-grams that pushed the score up most, for telling a handler why."""
    model = model or load()
    _, parts = _block(word_ngrams(text), model.word)
    return [g for g, part in sorted(parts.items(), key=lambda item: -item[1])[:count] if part > 0]
