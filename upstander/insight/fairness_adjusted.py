"""Disproportionality adjusted for rank, length of service and unit: logistic regression (statsmodels).

For each stage modelled, the outcome is whether the unit reached the stage — per head (a person in the workforce
had an allegation in the window: the `allegation` stage) or per allegation (person × complaint, every later stage).
The covariates are those the dataset has: rank and unit as categories (rare levels pooled into "other" so the model
stays estimable), and length of service in years (at the complaint for allegations; at the end of the window or
leaving for people). Reported per group against the reference group:

Rank and unit are categories (rare levels pooled into "other"); length of service is in 5-year bands. Because
every covariate is categorical the model is fitted on covariate patterns (binomial GLM on counts), which gives the
same estimates as a unit-level logistic regression in a fraction of the time.

- the crude and adjusted odds ratios, the adjusted one with its 95% Wald interval;
- the adjusted rate by marginal standardisation (everyone given the group's label, predictions averaged) and the
  adjusted relative rate (a ratio of two such rates; no interval is given for it).

Slower than `fairness` (seconds per model), hence a separate command.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from upstander.insight import stages as funnel
from upstander.insight.datasets import Dataset, DatasetError
from upstander.insight.fairness import NOT_RECORDED, allegation_units, choose_reference, group_expr

MIN_LEVEL = 200  # rank or unit levels with fewer units are pooled as "other"
MAX_LEVELS = 30
MIN_GROUP = 30  # groups with fewer units (or no events) are left out of the model and reported as such
DEFAULT_STAGES = ["allegation", "substantiated"]


def _pool(series: pd.Series) -> pd.Series:
    filled = series.fillna("unknown").astype(str)
    counts = filled.value_counts()
    keep = set(counts[counts >= MIN_LEVEL].index[:MAX_LEVELS])
    return filled.where(filled.isin(keep), "other")


def _per_head_frame(data: Dataset, by: str) -> pd.DataFrame:
    end = data.date_to or data.complaints["received_date"].max() or data.people["left_date"].max()
    accused = data.allegations.select("person_id").drop_nulls().unique().with_columns(pl.lit(True).alias("y"))
    frame = (data.workforce().select("person_id", group_expr(by), "rank", "unit", "appointed_date", "left_date")
             .join(accused, on="person_id", how="left")
             .with_columns(pl.col("y").fill_null(False),
                           pl.min_horizontal(pl.col("left_date"), pl.lit(end)).alias("_at")))
    return frame.with_columns(
        ((pl.col("_at") - pl.col("appointed_date")).dt.total_days() / 365.25).alias("service")).to_pandas()


def _per_allegation_frame(data: Dataset, by: str, stage: str) -> pd.DataFrame:
    units = allegation_units(data, by)
    received = data.complaints.select("complaint_id", "received_date")
    people = data.people.select("person_id", "rank", "unit", "appointed_date").unique("person_id")
    frame = (units.join(received, on="complaint_id", how="left").join(people, on="person_id", how="left")
             .with_columns(pl.col(stage).alias("y"),
                           ((pl.col("received_date") - pl.col("appointed_date")).dt.total_days() / 365.25)
                           .alias("service")))
    return frame.select("group", "y", "rank", "unit", "service").to_pandas()


SERVICE_BANDS = [0, 5, 10, 15, 20, 25, 30]


def _service_band(service: pd.Series) -> pd.Series:
    bands = pd.cut(service.clip(lower=0), bins=[*SERVICE_BANDS, np.inf], right=False,
                   labels=[f"{b}+" for b in SERVICE_BANDS])
    return bands.astype(str).where(service.notna(), "unknown")


def _collapse(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Covariate patterns: rank and unit pooled, service in 5-year bands; one row per group × pattern with its
    units and events. A binomial model on these rows is the same model as on the units, in a fraction of the time."""
    used: list[str] = []
    columns = ["group"]
    frame = frame.copy()
    for column in ("rank", "unit"):
        if frame[column].notna().mean() >= 0.5:
            frame[column] = _pool(frame[column])
            if frame[column].nunique() > 1:
                columns.append(column)
                used.append(column)
    if frame["service"].notna().mean() >= 0.5:
        frame["service_band"] = _service_band(frame["service"])
        if frame["service_band"].nunique() > 1:
            columns.append("service_band")
            used.append("length_of_service")
    frame["y"] = frame["y"].astype(float)
    patterns = frame.groupby(columns, observed=True)["y"].agg(n="size", events="sum").reset_index()
    return patterns, used


def _fit(patterns: pd.DataFrame, design: pd.DataFrame) -> Any:
    import statsmodels.api as sm
    from threadpoolctl import threadpool_limits

    endog = np.column_stack([patterns["events"], patterns["n"] - patterns["events"]])
    # One BLAS thread: these matrices are small, and OpenBLAS threads spinning against each other on a busy machine
    # made one fit take seconds instead of a fraction of one.
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        return sm.GLM(endog, sm.add_constant(design, has_constant="add"), family=sm.families.Binomial()).fit()


def _design(patterns: pd.DataFrame, others: list[str], covariates: list[str]) -> pd.DataFrame:
    groups = pd.DataFrame({f"group={g}": (patterns["group"] == g).astype(float) for g in others})
    dummies = [pd.get_dummies(patterns[c].astype(str), prefix=c, drop_first=True, dtype=float) for c in covariates]
    return pd.concat([groups, *dummies], axis=1)


def model_stage(frame: pd.DataFrame, reference: str, stage: str, basis: str) -> dict[str, Any]:
    """Fit crude and adjusted binomial models for one stage and summarise them per group."""
    sizes = frame.groupby("group")["y"].agg(["size", "sum"])
    modelled = [g for g, row in sizes.iterrows() if row["size"] >= MIN_GROUP and 0 < row["sum"] < row["size"]
                and g != NOT_RECORDED]
    result: dict[str, Any] = {"stage": stage, "basis": basis, "missing": False}
    if reference not in modelled:
        return {**result, "missing": True, "missing_reason": "the reference group is too small or has no events"}
    patterns, used = _collapse(frame[frame["group"].isin(modelled)])
    others = [g for g in modelled if g != reference]
    covariate_columns = [c for c in ("rank", "unit", "service_band") if c in patterns.columns]
    crude = _fit(patterns, _design(patterns, others, []))
    design = _design(patterns, others, covariate_columns)
    model = _fit(patterns, design)
    import statsmodels.api as sm

    def standardised(label: str) -> float:
        """Mean predicted rate over every unit, all given `label` (marginal standardisation)."""
        as_group = design.copy()
        for g in others:
            as_group[f"group={g}"] = 1.0 if g == label else 0.0
        predicted = model.predict(sm.add_constant(as_group, has_constant="add"))
        return float(np.average(predicted, weights=patterns["n"]))

    reference_rate = standardised(reference)
    intervals = model.conf_int()
    rows = []
    for g in modelled:
        n, events = int(sizes.loc[g, "size"]), int(sizes.loc[g, "sum"])
        row: dict[str, Any] = {"group": g, "n": n, "events": events, "rate": events / n, "reference": g == reference}
        if g == reference:
            row.update(odds_ratio=1.0, adjusted_odds_ratio=1.0, ci_low=None, ci_high=None, p_value=None,
                       adjusted_rate=reference_rate, adjusted_relative_rate=1.0)
        else:
            name = f"group={g}"
            rate = standardised(g)
            row.update(odds_ratio=float(np.exp(crude.params[name])),
                       adjusted_odds_ratio=float(np.exp(model.params[name])),
                       ci_low=float(np.exp(intervals.loc[name, 0])), ci_high=float(np.exp(intervals.loc[name, 1])),
                       p_value=float(model.pvalues[name]),
                       adjusted_rate=rate, adjusted_relative_rate=rate / reference_rate if reference_rate else None)
        rows.append(row)
    return {**result, "adjusted_for": used, "n": int(sizes.loc[modelled, "size"].sum()),
            "covariate_patterns": len(patterns), "groups": rows,
            "left_out": sorted(set(sizes.index) - set(modelled))}


def adjusted(data: Dataset, by: str = "ethnicity", reference: str | None = None,
             stage_names: list[str] | None = None) -> dict[str, Any]:
    available = set(funnel.stages_available(data.allegations, data.meta))
    wanted = stage_names or DEFAULT_STAGES
    for stage in wanted:
        if stage not in funnel.STAGES:
            raise DatasetError(f"unknown stage {stage!r} (stages: {', '.join(funnel.STAGES)})")
    labels = sorted(set(data.people.select(group_expr(by))["group"].to_list()))
    chosen = choose_reference(by, data.people, labels, reference)
    models = []
    for stage in wanted:
        basis = "per_head" if stage == "allegation" else "per_allegation"
        if stage not in available:
            models.append({"stage": stage, "basis": basis, "missing": True,
                           "missing_reason": "the dataset has no data for this stage"})
        elif chosen is None:
            models.append({"stage": stage, "basis": basis, "missing": True, "missing_reason": "no reference group"})
        elif basis == "per_head" and not data.workforce_known:
            models.append({"stage": stage, "basis": basis, "missing": True,
                           "missing_reason": "the dataset does not know its workforce"})
        else:
            frame = _per_head_frame(data, by) if basis == "per_head" else _per_allegation_frame(data, by, stage)
            models.append(model_stage(frame, chosen, stage, basis))
    return {**data.describe(), "by": by, "reference": chosen, "models": models,
            "method": "binomial logistic regression (statsmodels GLM) on covariate patterns; 95% Wald intervals for odds ratios; adjusted rates "
                      "by marginal standardisation"}
