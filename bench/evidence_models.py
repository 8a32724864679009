"""Which approach the chat classifier uses, chosen by measurement on the development split of
../shared/data/abuse-train (trained on its train split): a keyword list, word n-grams only, character n-grams only,
and word plus character n-grams (what ships), each a one-vs-rest logistic regression over TF-IDF.

    .venv/bin/python bench/evidence_models.py [--only keywords,word,char,word+char] [--tune]

For each: macro-F1 over the eight categories, per-category F1, banter (offensive_not_hate) called hate, and the mean
F1 per source data set over the categories it has (a model can learn a source's style instead of the abuse). At thresholds 0.5 (the balanced
decision boundary) and at policy/evidence.toml's. --tune also searches thresholds per category on the development
split and reports them twice: fitted and scored on all of it (optimistic), and two-fold cross-fitted (each half
scored with thresholds chosen on the other half) — the honest estimate of what tuning buys. Slow on a busy machine:
each model trains in a few minutes."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")

import django  # noqa: E402

django.setup()

from upstander.evidence.classifier import data, metrics, model  # noqa: E402
from upstander.evidence.classifier.train import Recipe, fit  # noqa: E402
from upstander.evidence.review import thresholds as policy_thresholds  # noqa: E402

# A plain keyword list: the first category with a listed word in the message wins.
KEYWORDS = {
    "racist": "nigger nigga niggers paki pakis chink coon coons spic wetback gook raghead towelhead darkie monkey ape "
              "immigrant immigrants black blacks african asian mexican",
    "sexist": "bitch bitches slut sluts whore whores cunt hoe hoes thot women woman girls feminist feminists skank",
    "homophobic_transphobic": "faggot faggots fag fags dyke queer queers tranny trannies homo homos gay gays lesbian",
    "religious": "kike kikes jew jews muslim muslims moslem muzzie muzzies islam christian christians hindu mosque",
    "ableist": "retard retards retarded spastic spaz mong cripple autistic",
    "violent_threat": "kill rape beat shoot stab hang murder die",
    "sexual": "tits dick cock pussy sex suck boobs naked horny",
    "offensive_not_hate": "fuck fucking shit ass idiot stupid moron damn crap bastard dumb",
}


def keyword_predict(texts: list[str]) -> list[str]:
    lists = {c: set(words.split()) for c, words in KEYWORDS.items()}
    out = []
    for text in texts:
        words = set(re.findall(r"[a-z]+", text.lower()))
        out.append(next((c for c in data.CATEGORIES if words & lists[c]), "none"))
    return out


def predict(probabilities: np.ndarray, cuts: np.ndarray) -> list[str]:
    logit = lambda p: np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))  # noqa: E731
    margins = logit(probabilities) - logit(cuts)
    best = np.argmax(margins, axis=1)
    return [data.CATEGORIES[j] if margins[i, j] >= 0 else "none" for i, j in enumerate(best)]


def tune(probabilities: np.ndarray, truth: list[str], rows: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Coordinate ascent on macro-F1 over a grid of thresholds, using only `rows`."""
    cuts = np.full(len(data.CATEGORIES), 0.5)
    grid = np.arange(0.2, 0.91, 0.05)
    sub_truth = [truth[i] for i in rows]
    for _ in range(rounds):
        for j in range(len(data.CATEGORIES)):
            best = (-1.0, cuts[j])
            for value in grid:
                trial = cuts.copy()
                trial[j] = value
                macro = metrics.score(sub_truth, predict(probabilities[rows], trial)).macro_f1
                if macro > best[0] + 1e-9:
                    best = (macro, value)
            cuts[j] = best[1]
    return cuts


def report(name: str, truth: list[str], predicted: list[str], sources: list[str]) -> None:
    scores = metrics.score(truth, predicted)
    per_source = {}
    for source in sorted(set(sources)):
        part = metrics.score([t for t, x in zip(truth, sources, strict=True) if x == source],
                             [p for p, x in zip(predicted, sources, strict=True) if x == source])
        present = [f for _, _, f, n in part.per_category.values() if n >= 5]  # the categories this source has
        per_source[source] = sum(present) / len(present) if present else 0.0
    f1s = " ".join(f"{c[:6]}={v[2]:.2f}" for c, v in scores.per_category.items())
    print(f"{name:42s} {scores.line()}\n{'':42s} {f1s}\n{'':42s} mean F1 per source, over its categories with 5+ rows: "
          + ", ".join(f"{s} {v:.3f}" for s, v in per_source.items()), flush=True)


def evaluate(name: str, probabilities: np.ndarray, truth: list[str], sources: list[str], do_tune: bool) -> None:
    report(f"{name} @0.5", truth, predict(probabilities, np.full(len(data.CATEGORIES), 0.5)), sources)
    policy = np.array([policy_thresholds()[c] for c in data.CATEGORIES])
    report(f"{name} @policy", truth, predict(probabilities, policy), sources)
    if not do_tune:
        return
    everything = np.arange(len(truth))
    cuts = tune(probabilities, truth, everything)
    report(f"{name} tuned on all dev (optimistic)", truth, predict(probabilities, cuts), sources)
    print(f"{'':42s} thresholds " + ", ".join(f"{c}={v:.2f}" for c, v in zip(data.CATEGORIES, cuts, strict=True)))
    order = np.random.RandomState(0).permutation(len(truth))
    halves = (order[: len(order) // 2], order[len(order) // 2:])
    crossed = [""] * len(truth)
    for fit_on, score_on in (halves, halves[::-1]):
        labels = predict(probabilities[score_on], tune(probabilities, truth, fit_on))
        for i, label in zip(score_on, labels, strict=True):
            crossed[i] = label
    report(f"{name} tuned, two-fold cross-fitted", truth, crossed, sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default="keywords,word,char,word+char")
    parser.add_argument("--tune", action="store_true")
    args = parser.parse_args()
    train, dev = data.load("train"), data.load("dev")
    truth, sources, texts = [r.category for r in dev], [r.source for r in dev], [r.text for r in dev]
    print(f"train {len(train)} rows, dev {len(dev)} rows; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    recipes = {"word": Recipe(char=False), "char": Recipe(word=False), "word+char": Recipe()}
    for name in args.only.split(","):
        if name == "keywords":
            report("keyword list", truth, keyword_predict(texts), sources)
            continue
        started = time.perf_counter()
        classifier = fit(train, recipes[name])
        print(f"{name}: trained in {time.perf_counter() - started:.0f} s, {classifier.coef.shape[0]} features")
        evaluate(name, classifier.probabilities(texts), truth, sources, args.tune)
    shipped = model.load()
    evaluate("shipped model", shipped.probabilities(texts), truth, sources, args.tune)


if __name__ == "__main__":
    main()
