"""Trains the learned backstop (backstop.py) on the labelled narratives and writes data/backstop_model.json.gz.

    .venv/bin/python -m upstander.cases.safety_net_data.train_backstop            # train on every split, write
    .venv/bin/python -m upstander.cases.safety_net_data.train_backstop --check    # only check the shipped file

Deterministic (lbfgs on fixed data, no sampling): the same narratives give the same file. Needs scikit-learn, which
the running safety net does not: the file holds the vocabulary, IDF weights and coefficients as JSON, and the check
below proves backstop.py's pure-Python scorer gives scikit-learn's probabilities. Retrain after adding narratives
(a new split is scored first with bench/safety_net_eval.py, before the model or the rules see it)."""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path

from upstander.cases.safety_net import normalise
from upstander.cases.safety_net_data import backstop

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "narratives.tsv"
FLAG = "serious_sexual_offence"
C = 4.0  # inverse regularisation; 1-16 measured much the same in forward chaining


def load_rows(path: Path = DATA) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def digest(rows: list[dict[str, str]]) -> str:
    """A fingerprint of the labels and texts, so a test can tell when the shipped model is older than its data."""
    return hashlib.sha256("\n".join(f"{row[FLAG]}\t{row['text']}" for row in rows).encode()).hexdigest()


def train(texts: list[str], labels: list[bool]) -> dict:
    """Fit on raw narratives (normalised here as at run time); returns the model as plain data."""
    from scipy.sparse import hstack  # noqa: PLC0415 - training-only dependencies
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    normalised = [normalise(text) for text in texts]
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    features = hstack([word.fit_transform(normalised), char.fit_transform(normalised)]).tocsr()
    classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    classifier.fit(features, labels)
    coefficients = classifier.coef_[0]
    offset = len(word.vocabulary_)

    def block(vectorizer, start: int) -> dict[str, list[float]]:
        return {gram: [round(float(vectorizer.idf_[i]), 6), round(float(coefficients[start + i]), 6)]
                for gram, i in sorted(vectorizer.vocabulary_.items())}

    model = {"format": 1, "flag": FLAG, "threshold": backstop.THRESHOLD,
             "intercept": round(float(classifier.intercept_[0]), 6),
             "word": block(word, 0), "char": block(char, offset)}
    # A few narratives with scikit-learn's own probabilities, so the pure-Python scorer can be checked against it.
    probabilities = classifier.predict_proba(features)[:, 1]
    picks = range(0, len(texts), max(1, len(texts) // 25))
    model["checks"] = [[normalised[i], round(float(probabilities[i]), 6)] for i in picks]
    return model


def check(model: dict, tolerance: float = 1e-4) -> float:
    """The largest gap between backstop.py's probability and scikit-learn's on the stored narratives."""
    scorer = backstop.from_dict(model)
    gap = max(abs(backstop.probability(text, scorer) - expected) for text, expected in model["checks"])
    if gap > tolerance:
        raise SystemExit(f"the pure-Python scorer is {gap:.6f} away from scikit-learn")
    return gap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the shipped model instead of training")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if args.check:
        with gzip.open(backstop.MODEL_PATH, "rt", encoding="utf-8") as handle:
            model = json.load(handle)
        print(f"{backstop.MODEL_PATH.name}: trained on {model['trained_on']['rows']} narratives; "
              f"largest gap to scikit-learn {check(model):.2e}")
        return
    rows = load_rows(args.data)
    model = train([row["text"] for row in rows], [row[FLAG] == "1" for row in rows])
    model["trained_on"] = {"rows": len(rows), "splits": sorted({row["split"] for row in rows}), "sha256": digest(rows)}
    gap = check(model)
    payload = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with gzip.GzipFile(backstop.MODEL_PATH, "wb", mtime=0) as handle:  # mtime 0: the same data gives the same bytes
        handle.write(payload)
    print(f"wrote {backstop.MODEL_PATH} ({backstop.MODEL_PATH.stat().st_size // 1024} KiB): {len(rows)} narratives, "
          f"{len(model['word'])} word and {len(model['char'])} character n-grams; largest gap to scikit-learn "
          f"{gap:.2e}", file=sys.stderr)


if __name__ == "__main__":
    main()
