"""Outcomes for those who complain: are complaints upheld less often, or more slowly, depending on who made them
(the complainant's sex and ethnicity, from the form's optional equality questions or the dataset) and what they
were about (the category's theme: sexual misconduct, racism, …)?

Definitions
- by complainant: the unit is a complaint; a complaint counts once in every group one of its complainants belongs to.
  Numerator: complaints with at least one substantiated allegation; denominator: every complaint of the group in
  the window (open ones and those with no finding included). Reference: White (by ethnicity), Male (by sex).
- by theme: the unit is person × complaint × theme; substantiated if any allegation of that theme against that
  person on that complaint was. Each theme is compared with every unit *not* of that theme ("the rest").
- by source: complaints from the public against complaints raised by staff (internal), reference public.
- time to outcome: days from the complaint's received date to its closed date (or, for a theme, the allegation's
  outcome date); median and quartiles over those closed, with the number still open. `time_p_value` is a two-sided
  Mann–Whitney test of the closed durations against the reference group's (for themes: against every other unit's).
  A dataset that records no closing (or outcome) dates cannot say what is open or how long anything took: those
  figures are null with `time_missing_reason`, never "all open"; dates known only to the month or year withhold
  the times in days (the open and closed counts stay).
- coverage (by complainant): how many of the window's complaints have the complainant's data at all — a figure
  over a small share of complaints says so.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from upstander.insight import precision
from upstander.insight import stages as funnel
from upstander.insight.datasets import Dataset
from upstander.insight.fairness import NOT_RECORDED, compare, white_label

REST = "(all other themes)"


def _durations(frame: pl.DataFrame, group: str) -> list[int]:
    return frame.filter((pl.col("group") == group) & pl.col("days").is_not_null())["days"].to_list()


def _time_summary(days: list[int]) -> dict[str, Any]:
    import numpy as np

    summary: dict[str, Any] = {"closed": len(days), "median_days": None, "p25_days": None, "p75_days": None}
    if days:
        p25, median, p75 = np.percentile(days, [25, 50, 75])
        summary.update(median_days=float(median), p25_days=float(p25), p75_days=float(p75))
    return summary


def _mann_whitney(days: list[int], reference_days: list[int]) -> float | None:
    if not days or not reference_days:
        return None
    from scipy.stats import mannwhitneyu

    return float(mannwhitneyu(days, reference_days, alternative="two-sided").pvalue)


def _against_the_rest(units: pl.DataFrame) -> dict[str, float]:
    """Two-sided Mann–Whitney p-value of each group's durations against every other unit's, from one ranking of
    all durations (normal approximation with tie and continuity corrections, as scipy uses for large samples)."""
    import numpy as np
    from scipy.stats import norm, rankdata

    closed = units.filter(pl.col("days").is_not_null())
    n = closed.height
    if n < 3:
        return {}
    ranks = rankdata(closed["days"].to_numpy())
    _, ties = np.unique(closed["days"].to_numpy(), return_counts=True)
    tie_term = float((ties.astype(float) ** 3 - ties).sum()) / (n * (n - 1))
    groups = closed["group"].to_numpy()
    result = {}
    for group in set(groups.tolist()):
        inside = groups == group
        n1 = int(inside.sum())
        n2 = n - n1
        if n1 == 0 or n2 == 0:
            continue
        u = ranks[inside].sum() - n1 * (n1 + 1) / 2
        sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term))
        if sigma == 0:
            continue
        z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
        result[group] = float(min(1.0, 2 * norm.sf(max(z, 0.0))))
    return result


def _grouped(units: pl.DataFrame, reference: str | None, rest: bool = False) -> list[dict[str, Any]]:
    """Rows per group of `units` (one row per key and group; columns group, substantiated, days, open)."""
    counts = {r["group"]: r for r in units.group_by("group").agg(
        pl.len().alias("denominator"), pl.col("substantiated").sum().alias("numerator"),
        pl.col("open").sum().alias("open")).to_dicts()}
    order = sorted(counts, key=lambda g: (g == NOT_RECORDED, g))
    total_num = sum(c["numerator"] for c in counts.values())
    total_den = sum(c["denominator"] for c in counts.values())
    p_values = _against_the_rest(units) if rest else {}
    reference_days = _durations(units, reference) if reference else []
    rows = []
    for group in order:
        c = counts[group]
        if rest:
            row = compare(group, c["numerator"], c["denominator"], REST, total_num - c["numerator"],
                          total_den - c["denominator"])
            row["reference"] = False
            p_value = p_values.get(group)
        else:
            r = counts.get(reference or "", {"numerator": 0, "denominator": 0})
            row = compare(group, c["numerator"], c["denominator"], reference, r["numerator"], r["denominator"])
            p_value = _mann_whitney(_durations(units, group), reference_days) if group != reference else None
        row.update(open=c["open"], **_time_summary(_durations(units, group)), time_p_value=p_value)
        rows.append(row)
    return rows


def complaint_units(data: Dataset) -> pl.DataFrame:
    """One row per complaint: substantiated (any allegation), days to outcome, still open."""
    substantiated = (data.allegations.group_by("complaint_id")
                     .agg(funnel.reached("substantiated").any().alias("substantiated")))
    return (data.complaints.select("complaint_id", "received_date", "closed_date", "source")
            .join(substantiated, on="complaint_id", how="left")
            .with_columns(pl.col("substantiated").fill_null(False),
                          (pl.col("closed_date") - pl.col("received_date")).dt.total_days().alias("days"),
                          pl.col("closed_date").is_null().alias("open")))


TIME_KEYS = ("median_days", "p25_days", "p75_days", "time_p_value")


def _time_known(data: Dataset, table: str, column: str, names: list[str], frame: pl.DataFrame) -> dict[str, Any]:
    """Whether open/closed and times can be given: (open_known, reason for withholding times or None)."""
    if not data.recorded(table, column):
        return {"open_known": False, "reason": f"the dataset records no {column.replace('_', ' ')}s, so what is open "
                                               "and how long anything took is not known"}
    return {"open_known": True, "reason": precision.withheld(frame, names, "Time to outcome")}


def _doubt(section: dict[str, Any], known: dict[str, Any]) -> dict[str, Any]:
    """Null the figures the dataset cannot support, saying why."""
    if known["reason"] is None or section.get("missing"):
        return section
    for row in section["rows"]:
        row.update({key: None for key in TIME_KEYS})
        if not known["open_known"]:
            row.update(open=None, closed=None)
    return {**section, "time_missing_reason": known["reason"]}


def by_complainant(data: Dataset, column: str) -> dict[str, Any]:
    labels = data.complainants.select("complaint_id", pl.col(column).alias("group")).drop_nulls()
    if labels.height == 0:
        return {"missing": True, "missing_reason": f"the dataset records no complainant {column}", "rows": []}
    covered = labels.select("complaint_id").unique().join(data.complaints.select("complaint_id"),
                                                          on="complaint_id", how="semi").height
    units = complaint_units(data).join(labels.unique(), on="complaint_id", how="inner")  # one row per complaint × group
    groups = sorted(set(labels["group"].to_list()))
    if column == "ethnicity":
        reference = white_label(groups)
    else:
        reference = next((g for g in groups if g.strip().lower() in ("male", "m")), None)
    return {"missing": False, "reference": reference, "unit": "complaint",
            "coverage": {"complaints_with_data": covered, "complaints": data.complaints.height},
            "rows": _grouped(units, reference)}


def by_source(data: Dataset) -> dict[str, Any]:
    units = complaint_units(data).with_columns(pl.col("source").fill_null(NOT_RECORDED).alias("group"))
    return {"missing": False, "reference": "public", "unit": "complaint", "rows": _grouped(units, "public")}


def by_theme(data: Dataset) -> dict[str, Any]:
    allegations = data.allegations
    if allegations.height == 0 or allegations["theme"].null_count() == allegations.height:
        return {"missing": True, "missing_reason": "the dataset maps no categories to themes", "rows": []}
    received = data.complaints.select("complaint_id", "received_date")
    units = (allegations.with_columns(pl.col("theme").fill_null(NOT_RECORDED).alias("group"),
                                      funnel.reached("substantiated").alias("substantiated"))
             .join(received, on="complaint_id", how="left")
             .with_columns(pl.coalesce("person_id", "allegation_id").alias("_unit"),
                           (pl.col("outcome_date") - pl.col("received_date")).dt.total_days().alias("days"),
                           pl.col("outcome_date").is_null().alias("open"))
             .group_by("complaint_id", "_unit", "group")
             .agg(pl.col("substantiated").any(), pl.col("days").max(), pl.col("open").all()))
    return {"missing": False, "reference": REST, "unit": "person × complaint × theme",
            "rows": _grouped(units, None, rest=True)}


def outcomes(data: Dataset) -> dict[str, Any]:
    closing = _time_known(data, "complaints", "closed_date", ["received_date", "closed_date"], data.complaints)
    received = data.complaints.select("complaint_id", "received_date", precision.column("received_date"))
    outcome = _time_known(data, "allegations", "outcome_date", ["received_date", "outcome_date"],
                          data.allegations.join(received, on="complaint_id", how="left"))
    return {
        **data.describe(),
        "by_complainant_sex": _doubt(by_complainant(data, "sex"), closing),
        "by_complainant_ethnicity": _doubt(by_complainant(data, "ethnicity"), closing),
        "by_theme": _doubt(by_theme(data), outcome),
        "by_source": _doubt(by_source(data), closing),
        "definitions": {
            "substantiation": "numerator: units with a substantiated allegation; denominator: every unit in the "
                              "window, open ones and those with no finding included",
            "time_to_outcome": "days from received to closed (theme: to the allegation's outcome date), closed only",
        },
    }
