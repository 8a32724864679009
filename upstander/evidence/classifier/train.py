"""Trains the shipped message classifier (model.py) on ../shared/data/abuse-train/train.tsv.gz and writes
upstander/evidence/data/classifier.npz.

    .venv/bin/python -m upstander.evidence.classifier.train            # train, write, check
    .venv/bin/python -m upstander.evidence.classifier.train --check    # only check the shipped file

Deterministic (liblinear with a fixed seed on fixed data): the same rows give the same coefficients. The approach,
its features and C were chosen by measurement on the development split (bench/evidence_models.py, docs/evidence.md);
the thresholds per category are policy (policy/evidence.toml), chosen on the development split as that bench shows.

Labels: a row is a positive for its primary category (SOURCE.md's mapping), and for its `also` categories only for
the categories in Recipe.also (none ship: counting EDOS threats as sexist and EDOS objectification as sexual
measured worse on the development split); `none` rows and the other categories are negatives.
The shipped file stores float16 coefficients; the check proves the loaded model gives scikit-learn's probabilities
to within CHECK_TOLERANCE and that it was trained on the data now in ../shared/data."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

import numpy as np

from upstander.evidence.classifier import data, model
from upstander.evidence.classifier.normalise import normalise

CHECK_TOLERANCE = 2e-3  # float16 coefficients move a probability by well under this


@dataclass(frozen=True)
class Recipe:
    """What bench/evidence_models.py compares; DEFAULT is what ships."""

    word: bool = True
    char: bool = True
    c: float = 1.0  # inverse regularisation of each one-vs-rest logistic regression
    word_min_df: int = 2  # a bucket must occur in this many training rows to be kept
    char_min_df: int = 5
    also: tuple[str, ...] = field(default=())  # categories whose `also` labels count as positives


DEFAULT = Recipe()


def targets(rows: list[data.Row], recipe: Recipe) -> np.ndarray:
    y = np.zeros((len(rows), len(data.CATEGORIES)), dtype=np.int8)
    for i, row in enumerate(rows):
        for category in (row.category, *[a for a in row.also if a in recipe.also]):
            if category in data.CATEGORIES:
                y[i, data.CATEGORIES.index(category)] = 1
    return y


def _block(kind: str, texts: list[str], min_df: int):
    """The kept buckets and their IDF, and the training rows' TF-IDF from scikit-learn's own transformer (so the
    check below compares two independent computations)."""
    from sklearn.feature_extraction.text import TfidfTransformer  # noqa: PLC0415 - training only

    counts = model.hasher(kind).transform(texts).tocsr()
    df = np.bincount(counts.indices, minlength=model.BUCKETS)
    kept = np.flatnonzero(df >= min_df)
    transformer = TfidfTransformer(sublinear_tf=True)
    features = transformer.fit_transform(counts[:, kept])
    return model.Block(kind, kept, transformer.idf_), features


def fit(rows: list[data.Row], recipe: Recipe = DEFAULT) -> model.Classifier:
    from scipy.sparse import hstack  # noqa: PLC0415 - training only
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    texts = [normalise(r.text) for r in rows]
    made = ([_block("word", texts, recipe.word_min_df)] if recipe.word else []) + (
        [_block("char", texts, recipe.char_min_df)] if recipe.char else [])
    features = hstack([f for _, f in made], format="csr")
    y = targets(rows, recipe)
    coef = np.zeros((features.shape[1], len(data.CATEGORIES)), dtype=np.float64)
    intercept = np.full(len(data.CATEGORIES), -10.0)  # a category with too few rows to learn never fires
    for j in range(len(data.CATEGORIES)):
        if y[:, j].sum() >= 3:
            classifier = LogisticRegression(C=recipe.c, class_weight="balanced", solver="liblinear", max_iter=5000,
                                            random_state=0)
            classifier.fit(features, y[:, j])
            coef[:, j], intercept[j] = classifier.coef_[0], classifier.intercept_[0]
    meta = {"format": 2, "categories": list(data.CATEGORIES), "recipe": recipe.__dict__ | {"also": list(recipe.also)},
            "trained_on": {"rows": len(rows), "sha256": data.digest(rows)}}
    picks = list(range(0, len(rows), max(1, len(rows) // 40)))
    exact = 1.0 / (1.0 + np.exp(-(features[picks] @ coef + intercept)))
    meta["checks"] = [[rows[i].text, [round(float(p), 6) for p in exact[k]]] for k, i in enumerate(picks)]
    return model.Classifier([b for b, _ in made], coef, intercept, meta)


def check(classifier: model.Classifier, rows: list[data.Row] | None = None) -> float:
    """The largest gap between the loaded model's probabilities and scikit-learn's at training time."""
    texts = [text for text, _ in classifier.meta["checks"]]
    expected = np.array([p for _, p in classifier.meta["checks"]])
    gap = float(np.abs(classifier.probabilities(texts) - expected).max())
    if gap > CHECK_TOLERANCE:
        raise SystemExit(f"the shipped model is {gap:.5f} away from scikit-learn's probabilities")
    if rows is not None and classifier.meta["trained_on"]["sha256"] != data.digest(rows):
        raise SystemExit("the shipped model was trained on other data than ../shared/data/abuse-train now holds; "
                         "retrain it")
    return gap


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the shipped model instead of training")
    args = parser.parse_args()
    rows = data.load("train")
    if args.check:
        model.load.cache_clear()
        gap = check(model.load(), rows)
        print(f"{model.MODEL_PATH.name}: matches its training data; largest gap to scikit-learn {gap:.1e}")
        return
    trained = fit(rows)
    model.save(model.MODEL_PATH, trained)
    model.load.cache_clear()
    gap = check(model.load(), rows)
    print(f"wrote {model.MODEL_PATH} ({model.MODEL_PATH.stat().st_size // 1024} KiB): {len(rows)} rows, "
          f"{trained.coef.shape[0]} features; largest gap to scikit-learn {gap:.1e}", file=sys.stderr)


if __name__ == "__main__":
    main()
