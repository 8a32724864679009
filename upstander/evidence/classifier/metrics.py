"""How the classifier is scored, the same way everywhere (bench/evidence_models.py, bench/evidence_measure.py):
per-category precision, recall and F1 over the eight categories (a message is one category or none), macro-F1
(their plain mean, so a category the data barely has counts as much as any other), and how often banter
(`offensive_not_hate`) is called hate (any of the five hate categories)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from upstander.evidence.classifier.data import CATEGORIES, HATE


@dataclass
class Scores:
    rows: int
    per_category: dict[str, tuple[float, float, float, int]]  # precision, recall, F1, support
    macro_f1: float
    banter_called_hate: float  # share of offensive_not_hate rows predicted as a hate category
    banter_rows: int

    def line(self) -> str:
        return (f"macro-F1 {self.macro_f1:.3f}, banter called hate {self.banter_called_hate:.1%} "
                f"({self.rows} rows)")


def score(truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    """truth and predicted: a category or "none"/"" per row."""
    per = {}
    for category in CATEGORIES:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == category and p == category)
        said = sum(1 for p in predicted if p == category)
        real = sum(1 for t in truth if t == category)
        precision = tp / said if said else 0.0
        recall = tp / real if real else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[category] = (precision, recall, f1, real)
    banter = [p for t, p in zip(truth, predicted, strict=True) if t == "offensive_not_hate"]
    return Scores(len(truth), per, sum(f for _, _, f, _ in per.values()) / len(CATEGORIES),
                  sum(1 for p in banter if p in HATE) / len(banter) if banter else 0.0, len(banter))


def table(scores: Scores) -> str:
    """A Markdown table of the per-category scores."""
    lines = ["| category | precision | recall | F1 | rows |", "|---|---:|---:|---:|---:|"]
    for category, (p, r, f, n) in scores.per_category.items():
        lines.append(f"| {category} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |")
    lines.append(f"| **macro** | | | **{scores.macro_f1:.3f}** | {scores.rows} |")
    return "\n".join(lines)
