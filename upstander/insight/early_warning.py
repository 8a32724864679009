"""Early warning: threshold rules from policy/early_warning.toml and a learned risk score, compared fairly.

At a cut-off (the end of year `train_to`) both look only at what was known then, and both are judged on who
receives a substantiated (or any) allegation in the next `horizon` years. The comparison is made at the same number
of people flagged: for each rule flagging k people, the model flags its k highest scores.

No leakage (see docs/patterns.md):
- features and rules use allegations received by the snapshot date; a finding counts only once it was known (the
  allegation's outcome date, else its complaint's closed date, on or before the snapshot date);
- the model is trained on earlier snapshots T = cut-off − horizon − j (j = 0..snapshots−1), each labelled by the
  allegations received in (T, T + horizon] — a window that ends by the cut-off — and, for the substantiated outcome,
  whose finding was known by the cut-off. Nothing dated after the cut-off is read until the evaluation labels;
- unit comes from dated unit assignments (hr_events), never from the person's current unit, and rank (current
  only) is not used. Sex and ethnicity are never features.

Population at a date T: people appointed on or before T (or with no appointment date but an allegation in the five
years before T) who had not left by T (no leaving date, or one after T), plus accused people missing from the
people table who had an allegation in the five years before T.

Person-level outputs (scores, alerts) are for the overseer and professional standards, never for analysts.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from upstander.insight.patterns import SUBSTANTIATED, table
from upstander.lib import policy as policy_files

OUTCOMES = ("substantiated", "any")
ACTIVE_YEARS = 5  # "recent history" for the population rule and the long feature window


# --- policy ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    def expr(self, text: pl.Expr) -> pl.Expr:
        hit = pl.lit(False)
        for word in self.keywords:
            hit = hit | text.str.contains(word, literal=True)
        for word in self.exclude:
            hit = hit & ~text.str.contains(word, literal=True)
        return hit.fill_null(False)


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    months: int
    min: int = 1
    kinds: tuple[str, ...] = ()
    min_kinds: int = 1
    percent: float = 0.0


@dataclass(frozen=True)
class Policy:
    kinds: dict[str, Kind]
    rules: list[Rule] = field(default_factory=list)


def load_policy(path: Path | None = None) -> Policy:
    """The rules of the active policy profile (policy/early_warning.toml, or the profile's own), or of `path`."""
    raw = tomllib.loads(Path(path).read_text()) if path else policy_files.load("early_warning")
    kinds = {
        name: Kind(name, spec.get("label", name), tuple(k.upper() for k in spec["keywords"]),
                   tuple(k.upper() for k in spec.get("exclude", ())))
        for name, spec in raw.get("kinds", {}).items()
    }
    rules = []
    for spec in raw.get("rules", []):
        rule = Rule(name=spec["name"], type=spec["type"], months=int(spec["months"]), min=int(spec.get("min", 1)),
                    kinds=tuple(spec.get("kinds", ())), min_kinds=int(spec.get("min_kinds", 1)),
                    percent=float(spec.get("percent", 0)))
        if rule.type not in ("count", "top_percent"):
            raise ValueError(f"rule {rule.name!r}: unknown type {rule.type!r}")
        unknown = set(rule.kinds) - set(kinds)
        if unknown:
            raise ValueError(f"rule {rule.name!r}: unknown kinds {sorted(unknown)}")
        rules.append(rule)
    return Policy(kinds=kinds, rules=rules)


# --- history --------------------------------------------------------------------------------------------------------


def months_before(at: date, months: int) -> date:
    """The date `months` before `at` (day clamped to the month's length)."""
    index = at.year * 12 + at.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (at.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(at)


def history(dataset: Any, policy: Policy) -> pl.DataFrame:
    """One row per person × complaint over the whole dataset: received_date, known_date (when its finding was
    known), substantiated, internal, size (people accused on the complaint) and one boolean column per kind."""
    complaints = table(dataset, "complaints").select(
        "complaint_id", "received_date", "closed_date", "source", pl.col("category").alias("complaint_category"))
    rows = table(dataset, "allegations").filter(pl.col("person_id").is_not_null())
    text = (pl.concat_str([pl.col("category").fill_null(pl.col("complaint_category")), pl.col("theme")],
                          separator=" ", ignore_nulls=True)
            .str.to_uppercase().str.replace_all("_", " "))
    rows = rows.join(complaints, on="complaint_id", how="inner").filter(pl.col("received_date").is_not_null())
    pairs = (
        rows.with_columns(*[kind.expr(text).alias(f"k_{name}") for name, kind in policy.kinds.items()])
        .group_by("person_id", "complaint_id")
        .agg(
            pl.col("received_date").first(),
            pl.coalesce(pl.col("outcome_date").min(), pl.col("closed_date").first()).alias("known_date"),
            (pl.col("finding") == SUBSTANTIATED).fill_null(False).any().alias("substantiated"),
            (pl.col("source").first() == "internal").fill_null(False).alias("internal"),
            *[pl.col(f"k_{name}").any() for name in policy.kinds],
        )
    )
    sizes = pairs.group_by("complaint_id").len("size")
    return pairs.join(sizes, on="complaint_id").sort("person_id", "complaint_id")


def population(dataset: Any, pairs: pl.DataFrame, at: date) -> pl.Series:
    """Ids of the people in the workforce at `at` (module docstring)."""
    active = pairs.filter(
        (pl.col("received_date") <= at) & (pl.col("received_date") > months_before(at, 12 * ACTIVE_YEARS))
    ).select("person_id").unique()
    people = table(dataset, "people")
    employed = people.filter(
        (pl.col("left_date").is_null() | (pl.col("left_date") > at))
        & (pl.col("appointed_date") <= at).fill_null(pl.col("person_id").is_in(active["person_id"].implode()))
    ).select("person_id")
    unknown = active.join(people.select("person_id"), on="person_id", how="anti")
    return pl.concat([employed, unknown]).unique().sort("person_id").get_column("person_id")


# --- rules ----------------------------------------------------------------------------------------------------------


def rule_flags(rule: Rule, pairs: pl.DataFrame, people: pl.Series, at: date) -> set[str]:
    """People of `people` whom `rule` flags at `at`."""
    recent = pairs.filter(
        (pl.col("received_date") <= at) & (pl.col("received_date") > months_before(at, rule.months))
        & pl.col("person_id").is_in(people.implode())
    )
    if rule.type == "count":
        if rule.kinds:
            recent = recent.filter(pl.any_horizontal(*[pl.col(f"k_{k}") for k in rule.kinds]))
        kinds_seen = pl.sum_horizontal(*[pl.col(f"k_{k}").any().cast(pl.Int32) for k in rule.kinds]) \
            if rule.kinds else pl.lit(1)
        flagged = recent.group_by("person_id").agg(pl.len().alias("n"), kinds_seen.alias("kinds")).filter(
            (pl.col("n") >= rule.min) & (pl.col("kinds") >= rule.min_kinds))
        return set(flagged.get_column("person_id").to_list())
    counts = recent.group_by("person_id").len("n").get_column("n").sort(descending=True)
    rank = max(1, math.ceil(rule.percent / 100 * people.len()))
    if counts.len() == 0:
        return set()
    threshold = int(counts[min(rank, counts.len()) - 1])
    flagged = recent.group_by("person_id").len("n").filter(pl.col("n") >= max(threshold, 1))
    return set(flagged.get_column("person_id").to_list())


# --- features -------------------------------------------------------------------------------------------------------


def features(dataset: Any, pairs: pl.DataFrame, people: pl.Series, at: date, policy: Policy,
             *, max_group: int = 10) -> pl.DataFrame:
    """One row per person of `people` with numeric features known at `at` (NaN where unknown)."""
    base = pl.DataFrame({"person_id": people})
    past = pairs.filter(pl.col("received_date") <= at)
    since = {m: months_before(at, m) for m in (6, 12, 24, 60)}
    within = {m: pl.col("received_date") > d for m, d in since.items()}
    known = (pl.col("known_date") <= at).fill_null(False)
    counts = past.group_by("person_id").agg(
        pl.len().alias("n_all"),
        *[within[m].sum().alias(f"n_{m}m") for m in since],
        *[(within[60] & pl.col(f"k_{k}")).sum().alias(f"n_{k}_60m") for k in policy.kinds],
        *[pl.col(f"k_{k}").sum().alias(f"n_{k}_all") for k in policy.kinds],
        *[(within[24] & pl.col(f"k_{k}")).sum().alias(f"n_{k}_24m") for k in policy.kinds],
        (within[24] & pl.col("internal")).sum().alias("n_internal_24m"),
        (within[60] & pl.col("internal")).sum().alias("n_internal_60m"),
        pl.col("internal").sum().alias("n_internal_all"),
        (pl.col("substantiated") & known).sum().alias("sub_all"),
        (pl.col("substantiated") & known & within[24]).sum().alias("sub_24m"),
        (pl.col("substantiated") & known & within[60]).sum().alias("sub_60m"),
        (~pl.col("substantiated") & known & within[60]).sum().alias("cleared_60m"),
        (~known).sum().alias("open_now"),
        ((pl.lit(at) - pl.col("received_date").max()).dt.total_days() / 365.25).alias("years_since_last"),
        ((pl.lit(at) - pl.col("received_date").min()).dt.total_days() / 365.25).alias("years_since_first"),
    )
    frame = base.join(counts, on="person_id", how="left")
    frame = frame.join(_coaccused(past.filter(within[60]), counts, max_group), on="person_id", how="left")
    frame = frame.join(_witnessed(dataset, since[60], at), on="person_id", how="left")
    frame = frame.join(_career(dataset, at), on="person_id", how="left")
    frame = frame.join(_unit(dataset, frame, at), on="person_id", how="left")
    count_columns = [c for c in frame.columns if c.startswith(("n_", "sub_", "open_", "co_", "witness_"))]
    return frame.with_columns(pl.col(count_columns).fill_null(0)).sort("person_id")


def _coaccused(recent: pl.DataFrame, counts: pl.DataFrame, max_group: int) -> pl.DataFrame:
    """Co-accused in the last five years (complaints naming 2..max_group people): how many distinct, how many
    twice or more, and the history of those partners."""
    small = recent.filter((pl.col("size") >= 2) & (pl.col("size") <= max_group)).select("complaint_id", "person_id")
    links = (small.join(small.rename({"person_id": "other"}), on="complaint_id")
             .filter(pl.col("person_id") != pl.col("other"))
             .group_by("person_id", "other").len("together"))
    partner = counts.select(pl.col("person_id").alias("other"), pl.col("n_60m").alias("p_n"),
                            (pl.col("sub_all") > 0).alias("p_sub"))
    return links.join(partner, on="other", how="left").group_by("person_id").agg(
        pl.len().alias("co_people"),
        (pl.col("together") >= 2).sum().alias("co_repeat"),
        pl.col("together").sum().alias("co_complaints"),
        pl.col("p_n").fill_null(0).mean().alias("co_mean_allegations"),
        pl.col("p_n").fill_null(0).max().alias("co_max_allegations"),
        pl.col("p_sub").fill_null(False).sum().alias("co_substantiated_people"),
    )


def _witnessed(dataset: Any, start: date, at: date) -> pl.DataFrame:
    complaints = table(dataset, "complaints").filter(
        (pl.col("received_date") > start) & (pl.col("received_date") <= at)).select("complaint_id")
    return (table(dataset, "witnesses").join(complaints, on="complaint_id").filter(pl.col("person_id").is_not_null())
            .group_by("person_id").agg(pl.col("complaint_id").n_unique().alias("witness_60m")))


def _career(dataset: Any, at: date) -> pl.DataFrame:
    return table(dataset, "people").select(
        "person_id",
        ((pl.lit(at) - pl.col("appointed_date")).dt.total_days() / 365.25).alias("service_years"),
        (pl.lit(at.year) - pl.col("birth_year")).cast(pl.Float64).alias("age"),
    ).unique("person_id")


def _unit(dataset: Any, frame: pl.DataFrame, at: date) -> pl.DataFrame:
    """The unit each person was assigned to at `at` (latest dated assignment on or before it), described by its size
    and its members' mean allegations in the last 12 and 60 months. Empty when no dated assignments exist."""
    postings = table(dataset, "hr_events").filter(
        pl.col("kind").is_in(["unit_assignment", "transfer"]) & pl.col("unit").is_not_null()
        & (pl.col("date") <= at))
    current = postings.sort("date").group_by("person_id").agg(pl.col("unit").last())
    members = frame.select("person_id", "n_12m", "n_60m").join(current, on="person_id")
    units = members.group_by("unit").agg(
        pl.len().alias("unit_size"),
        pl.col("n_12m").fill_null(0).mean().alias("unit_mean_12m"),
        pl.col("n_60m").fill_null(0).mean().alias("unit_mean_60m"),
    )
    return members.join(units, on="unit").select("person_id", "unit_size", "unit_mean_12m", "unit_mean_60m")


def labels(pairs: pl.DataFrame, people: pl.Series, start: date, end: date, outcome: str,
           known_by: date | None = None) -> np.ndarray:
    """1 for each person of `people` with an allegation received in (start, end] — substantiated, and known by
    `known_by` when given, for the substantiated outcome."""
    hits = pairs.filter((pl.col("received_date") > start) & (pl.col("received_date") <= end))
    if outcome == "substantiated":
        hits = hits.filter(pl.col("substantiated"))
        if known_by is not None:
            hits = hits.filter((pl.col("known_date") <= known_by).fill_null(False))
    positive = set(hits.get_column("person_id").to_list())
    return np.fromiter((p in positive for p in people.to_list()), dtype=np.int8, count=people.len())


# --- why it cannot train ---------------------------------------------------------------------------------------------


class CannotTrain(ValueError):
    """The model cannot be trained on this dataset with these options; the message says why, in words that lead
    to the fix (the data's own gap first, the options second)."""


def cannot_train(pairs: pl.DataFrame, outcome: str, train_years: list[int], horizon: int, cutoff: date,
                 y_train: np.ndarray) -> str:
    """Why the training snapshots hold only one class."""
    if pairs.height == 0:
        return ("the dataset has no allegation with both a received date and an accused person: there is nothing "
                "to learn from (check the import's data-quality summary for dates that did not read)")
    received = pairs["received_date"]
    span = f"the allegations run from {received.min()!s} to {received.max()!s}"
    start, end = year_end(min(train_years)), year_end(max(train_years) + horizon)
    windows = f"{start + _DAY} to {end}"
    if len(y_train) == 0:
        return (f"no one is in the workforce at the training snapshots (ends of {min(train_years)}–"
                f"{max(train_years)}); {span}: choose a later --train-to or fewer --snapshots")
    if pairs.filter((pl.col("received_date") > start) & (pl.col("received_date") <= end)).height == 0:
        return f"no allegation was received in the training windows ({windows}); {span}: choose --train-to to match"
    if outcome == "substantiated":
        substantiated = pairs.filter(pl.col("substantiated"))
        if substantiated.height == 0:
            return ("no allegation in the dataset is substantiated: its findings are not recorded, or the import "
                    "mapped none to \"substantiated\" (see the import's data-quality summary); import the findings, "
                    "or predict any allegation with --outcome any")
        if substantiated["known_date"].null_count() == substantiated.height:
            return ("the dataset records no outcome or closing dates, so it cannot tell when a finding became "
                    "known, and counting one without that date would look into the future: import the allegations' "
                    "outcome_date or the complaints' closed_date, or predict any allegation with --outcome any")
        in_time = substantiated.filter((pl.col("received_date") > start) & (pl.col("received_date") <= end)
                                       & (pl.col("known_date") <= cutoff).fill_null(False))
        if in_time.height == 0:
            return (f"no substantiated allegation received in the training windows ({windows}) was known by the "
                    f"cut-off {cutoff}; {span}: choose a later --train-to or a longer --horizon")
    if int(y_train.sum()) == len(y_train):
        return "everyone in the training snapshots has the outcome: choose a shorter --horizon"
    return f"the training windows ({windows}) hold only one class: choose a later --train-to or a longer --horizon"


_DAY = timedelta(days=1)


# --- model and comparison -------------------------------------------------------------------------------------------


def year_end(year: int) -> date:
    return date(year, 12, 31)


def _matrix(frame: pl.DataFrame, columns: list[str]) -> np.ndarray:
    return frame.select([pl.col(c).cast(pl.Float64) for c in columns]).to_numpy()


class RiskModel:
    """A logistic regression on log-scaled counts and a shallow gradient-boosting model, combined by averaging each
    person's score percentile in the two. The linear model ranks well when history is sparse; the trees catch
    interactions (recent violence with a partner's history); together they were steadier across cut-offs than
    either alone (docs/patterns.md)."""

    def __init__(self, seed: int = 0) -> None:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer, StandardScaler

        self.linear = make_pipeline(
            SimpleImputer(strategy="median"), FunctionTransformer(_signed_log), StandardScaler(),
            LogisticRegression(C=0.1, max_iter=2000))
        self.trees = HistGradientBoostingClassifier(
            max_iter=150, learning_rate=0.05, max_depth=3, min_samples_leaf=100, l2_regularization=1.0,
            early_stopping=False, random_state=seed)

    def fit(self, x: np.ndarray, y: np.ndarray) -> RiskModel:
        with _one_thread():
            self.linear.fit(x, y)
            self.trees.fit(x, y)
        return self

    def score(self, x: np.ndarray) -> np.ndarray:
        """Mean percentile of the two models' probabilities: 0 (lowest risk) to 1."""
        from scipy.stats import rankdata

        with _one_thread():
            parts = [m.predict_proba(x)[:, 1] for m in (self.linear, self.trees)]
        return np.mean([rankdata(p) / len(p) for p in parts], axis=0)


def _one_thread():
    """OpenMP threads spin-wait: on a shared two-core machine the gradient boosting ran 4x slower with two threads
    than with one (measured), and the model is small enough that one thread takes a few seconds."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _signed_log(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.log1p(np.abs(x))


def _confusion(flagged: set[str], positives: set[str]) -> dict[str, Any]:
    true_pos = len(flagged & positives)
    return {
        "true_positives": true_pos,
        "false_positives": len(flagged) - true_pos,
        "precision": true_pos / len(flagged) if flagged else None,
        "recall": true_pos / len(positives) if positives else None,
    }


def early_warning(dataset: Any, *, train_to: int, horizon: int, outcome: str = "substantiated",
                  policy: Policy | None = None, snapshots: int = 5, label_lag: int = 1, max_group: int = 10,
                  seed: int = 0, top: int = 0) -> dict[str, Any]:
    """Train at earlier snapshots, score the population at the end of `train_to`, and compare with every rule at the
    same number of people flagged. Returns the `insight early-warning --json` document."""
    from sklearn.metrics import roc_auc_score

    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}")
    if horizon < 1 or snapshots < 1:
        raise ValueError("horizon and snapshots must be at least 1")
    policy = policy or load_policy()
    pairs = history(dataset, policy)
    cutoff = year_end(train_to)

    train_frames, train_labels = [], []
    train_years = [train_to - horizon - label_lag - j for j in range(snapshots)]
    for year in train_years:
        at = year_end(year)
        people = population(dataset, pairs, at)
        train_frames.append(features(dataset, pairs, people, at, policy, max_group=max_group))
        train_labels.append(labels(pairs, people, at, year_end(year + horizon), outcome, known_by=cutoff))
    train = pl.concat(train_frames, how="diagonal_relaxed")
    y_train = np.concatenate(train_labels)
    # a feature the dataset cannot give (no unit history, no birth years) carries no information: leave it out
    columns = [c for c in train.columns if c != "person_id" and train.get_column(c).drop_nulls().n_unique() > 1]
    if y_train.sum() == 0 or y_train.sum() == len(y_train):
        raise CannotTrain("early warning cannot train: " + cannot_train(pairs, outcome, train_years, horizon, cutoff,
                                                                         y_train))

    people = population(dataset, pairs, cutoff)
    test = features(dataset, pairs, people, cutoff, policy, max_group=max_group)
    for column in columns:  # a feature the training snapshots had but the cut-off lacks (or the reverse)
        if column not in test.columns:
            test = test.with_columns(pl.lit(None, dtype=pl.Float64).alias(column))
    model = RiskModel(seed).fit(_matrix(train, columns), y_train)
    scores = model.score(_matrix(test, columns))
    y_test = labels(pairs, people, cutoff, year_end(train_to + horizon), outcome)
    positives = {p for p, y in zip(people.to_list(), y_test, strict=True) if y}

    ids = test.get_column("person_id").to_list()
    order = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))  # ties: by id, so runs are repeatable
    ranked = [ids[i] for i in order]
    rules = []
    for rule in policy.rules:
        flagged = rule_flags(rule, pairs, people, cutoff)
        rules.append({
            "name": rule.name, "flagged": len(flagged), **_confusion(flagged, positives),
            "model_at_same_flagged": _confusion(set(ranked[: len(flagged)]), positives),
        })
    data_end = pairs.get_column("received_date").max()
    document: dict[str, Any] = {
        "cutoff": cutoff.isoformat(),
        "train_to": train_to,
        "horizon": horizon,
        "outcome": outcome,
        "evaluation_window": {"from": date(train_to + 1, 1, 1).isoformat(),
                              "to": year_end(train_to + horizon).isoformat()},
        "data_end": data_end.isoformat() if data_end else None,
        "population": len(ids),
        "positives": len(positives),
        "model": {
            "kind": "mean percentile of logistic regression and gradient boosting (scikit-learn)",
            "auc": float(roc_auc_score(y_test, scores)) if 0 < len(positives) < len(ids) else None,
            "train_snapshots": [year_end(year).isoformat() for year in train_years],
            "label_lag_years": label_lag,
            "train_rows": int(len(y_train)), "train_positives": int(y_train.sum()),
            "features": columns,
        },
        "rules": rules,
    }
    if top:
        document["highest_risk"] = [{"person_id": ids[i], "score": float(scores[i])} for i in order[:top]]
    return document
