"""Disproportionality: how often each group of staff reaches each stage of the misconduct funnel, against a
reference group, with a 95% confidence interval for the relative rate (Katz log method).

Two bases, as in the issue:

- per head of workforce (only where the dataset knows its workforce): the denominator is the distinct people of the
  group in the workforce at some time in the window; the numerator is the distinct people among them with at least
  one allegation in the window that reached the stage. "81% more likely to be in the misconduct system" is the
  per-head relative rate of the `allegation` stage.
- per allegation: the unit is an allegation counted once per person × complaint (several categories against the same
  person on the same complaint are one unit; it reached a stage if any of them did). The denominator is every such
  allegation in the window against the group, including those with no finding recorded; the numerator is those that
  reached the stage. The `allegation` stage has no per-allegation rate (it would always be 1).

A third basis, per person-year, divides the allegations (person × complaint) reaching a stage against the group's
workforce by the group's person-years of employment in the period (the window, else first complaint to the extract
date), with a Poisson rate-ratio interval: the measure of "rate of allegations per officer-year" (the synthetic
force plants its relative rate on it). `staff_kind` ("officer" / "staff") restricts people and allegations to one kind.

The JSON `rates` list holds exactly one row per stage and group, each stage on its headline basis (named in the row's
`basis`): `allegation` per head; every later stage per allegation — so `substantiated` is the substantiated
allegations (distinct person × complaint) over every allegation in the window, as the issue defines it.
`rates_per_head`, `rates_per_allegation` and `rates_per_person_year` hold the complete list on each basis (one row
per stage and group each).
A stage the dataset has no data for, or the per-head basis where the workforce is unknown, is a row with
`missing: true` and null figures — never zeros.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import polars as pl

from upstander.insight import stages as funnel
from upstander.insight.datasets import Dataset, DatasetError

GROUPINGS = ("ethnicity", "sex", "ethnicity_sex")
NOT_RECORDED = "(not recorded)"
Z95 = 1.959963984540054
PER_HEAD = "per_head"
PER_ALLEGATION = "per_allegation"
PER_PERSON_YEAR = "per_person_year"
STAFF_KINDS = ("officer", "staff", "all")


# --- statistics ---------------------------------------------------------------------------------------------------


def katz_interval(a: int, n1: int, c: int, n0: int, z: float = Z95) -> tuple[float | None, float | None, float | None]:
    """Relative rate (a/n1)/(c/n0) with the Katz log confidence interval:
    exp(ln RR ± z·sqrt(1/a − 1/n1 + 1/c − 1/n0)). The interval is undefined (None) when a or c is zero."""
    if n1 <= 0 or n0 <= 0 or c <= 0:
        return None, None, None
    rr = (a / n1) / (c / n0)
    if a <= 0:
        return rr, None, None
    se = math.sqrt(max(1 / a - 1 / n1 + 1 / c - 1 / n0, 0.0))
    return rr, math.exp(math.log(rr) - z * se), math.exp(math.log(rr) + z * se)


def rate_ratio_interval(a: int, t1: float, c: int, t0: float,
                        z: float = Z95) -> tuple[float | None, float | None, float | None]:
    """Ratio of two Poisson rates (a/t1)/(c/t0) with the log interval exp(ln RR ± z·sqrt(1/a + 1/c))."""
    if t1 <= 0 or t0 <= 0 or c <= 0:
        return None, None, None
    rr = (a / t1) / (c / t0)
    if a <= 0:
        return rr, None, None
    se = math.sqrt(1 / a + 1 / c)
    return rr, math.exp(math.log(rr) - z * se), math.exp(math.log(rr) + z * se)


def compare(group: str, numerator: int, denominator: int, reference: str | None, ref_numerator: int,
            ref_denominator: int) -> dict[str, Any]:
    """One rate row against a reference group: rate, relative rate, Katz 95% CI and whether it excludes 1."""
    rr, low, high = (None, None, None)
    if reference is not None and group != reference:
        rr, low, high = katz_interval(numerator, denominator, ref_numerator, ref_denominator)
    elif group == reference and ref_denominator and ref_numerator:
        rr = 1.0
    return {"group": group, "numerator": numerator, "denominator": denominator,
            "rate": numerator / denominator if denominator else None, "relative_rate": rr, "ci_low": low,
            "ci_high": high, "reference": group == reference,
            "significant": low is not None and high is not None and (low > 1 or high < 1)}


# --- groups -------------------------------------------------------------------------------------------------------


def group_expr(by: str) -> pl.Expr:
    """A person's group label (the dataset's own words) from the people table."""
    if by not in GROUPINGS:
        raise DatasetError(f"--by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    ethnicity = pl.col("ethnicity").fill_null(NOT_RECORDED)
    sex = pl.col("sex").fill_null(NOT_RECORDED)
    if by == "ethnicity":
        return ethnicity.alias("group")
    if by == "sex":
        return sex.alias("group")
    return pl.concat_str(ethnicity, pl.lit(" / "), sex).alias("group")


def white_label(labels: list[str]) -> str | None:
    """The dataset's own label for White: an exact case-insensitive match, else the only label starting so."""
    for label in labels:
        if label.strip().lower() == "white":
            return label
    starting = [label for label in labels if label.strip().lower().startswith("white")]
    return starting[0] if len(starting) == 1 else None


def choose_reference(by: str, people: pl.DataFrame, labels: list[str], requested: str | None) -> str | None:
    """The reference group: `requested` matched case-insensitively against the labels, else White (by sex: Male;
    for the intersection: White with the sex most common among White people)."""
    if requested:
        for label in labels:
            if label.lower() == requested.strip().lower():
                return label
        raise DatasetError(f"no group {requested!r} in this dataset (groups: {', '.join(labels)})")
    if by == "sex":
        return next((label for label in labels if label.strip().lower() in ("male", "m")), None)
    if by == "ethnicity":
        return white_label(labels)
    white = white_label(sorted(set(people["ethnicity"].drop_nulls().to_list())))
    if white is None:
        return None
    sexes = people.filter(pl.col("ethnicity") == white)["sex"].drop_nulls().value_counts(sort=True)
    if sexes.height == 0:
        return None
    label = f"{white} / {sexes['sex'][0]}"
    return label if label in labels else None


def _order(labels: set[str]) -> list[str]:
    return sorted(labels, key=lambda label: (label == NOT_RECORDED, label))


# --- counting -----------------------------------------------------------------------------------------------------


def allegation_units(data: Dataset, by: str) -> pl.DataFrame:
    """One row per person × complaint in the window, with its group and whether it reached each stage."""
    people = data.people.select("person_id", group_expr(by)).unique("person_id")
    units = (
        data.allegations.with_columns(pl.coalesce(pl.col("person_id"), "allegation_id").alias("_unit"))
        .group_by("complaint_id", "_unit")
        .agg(pl.col("person_id").first(), *[funnel.reached(s).any().alias(s) for s in funnel.STAGES])
    )
    return units.join(people, on="person_id", how="left").with_columns(pl.col("group").fill_null(NOT_RECORDED))


def per_head_counts(data: Dataset, by: str, units: pl.DataFrame) -> pl.DataFrame:
    """group, stage, numerator, denominator on the per-head basis (workforce in the window)."""
    workforce = data.workforce().select("person_id", group_expr(by)).unique("person_id")
    reached = (units.join(workforce.select("person_id"), on="person_id", how="semi")
               .group_by("person_id").agg(*[pl.col(s).any() for s in funnel.STAGES]))
    people = workforce.join(reached, on="person_id", how="left")
    counts = people.group_by("group").agg(
        pl.len().alias("denominator"), *[pl.col(s).fill_null(False).sum().alias(s) for s in funnel.STAGES])
    return counts.unpivot(index=["group", "denominator"], on=list(funnel.STAGES),
                          variable_name="stage", value_name="numerator")


def period(data: Dataset) -> tuple[dt.date | None, dt.date | None]:
    """The period person-years are counted over: the window, else first complaint to the extract date."""
    start = data.date_from or data.complaints["received_date"].min()
    end = data.date_to
    if end is None and data.meta.get("as_of"):
        end = dt.date.fromisoformat(str(data.meta["as_of"]))
    return start, end or data.complaints["received_date"].max()


def per_person_year_counts(data: Dataset, by: str, units: pl.DataFrame) -> pl.DataFrame | None:
    """group, stage, numerator (allegations reaching the stage against the group's workforce) and denominator
    (the group's person-years of employment in the period)."""
    start, end = period(data)
    if start is None or end is None:
        return None
    workforce = data.workforce().select("person_id", group_expr(by), "appointed_date", "left_date")
    entered = pl.max_horizontal(pl.col("appointed_date").fill_null(start), pl.lit(start))
    exited = pl.min_horizontal(pl.col("left_date").fill_null(end), pl.lit(end))
    years = (workforce.with_columns(((exited - entered).dt.total_days().clip(0) + 1).alias("days"))
             .group_by("group").agg((pl.col("days").sum() / 365.25).alias("denominator")))
    reached = (units.drop("group").join(workforce.select("person_id", "group"), on="person_id", how="inner")
               .group_by("group").agg(*[pl.col(s).sum() for s in funnel.STAGES]))
    counts = years.join(reached, on="group", how="left").with_columns(
        *[pl.col(s).fill_null(0) for s in funnel.STAGES])
    return counts.unpivot(index=["group", "denominator"], on=list(funnel.STAGES),
                          variable_name="stage", value_name="numerator")


def per_allegation_counts(units: pl.DataFrame) -> pl.DataFrame:
    counts = units.group_by("group").agg(pl.len().alias("denominator"), *[pl.col(s).sum() for s in funnel.STAGES])
    return counts.unpivot(index=["group", "denominator"], on=list(funnel.STAGES),
                          variable_name="stage", value_name="numerator")


def _rows(counts: pl.DataFrame, basis: str, stage_list: list[str], available: set[str], groups: list[str],
          reference: str | None, missing_reason: str | None = None) -> list[dict[str, Any]]:
    exposure = basis == PER_PERSON_YEAR
    lookup = {(r["stage"], r["group"]): (int(r["numerator"]),
                                         float(r["denominator"]) if exposure else int(r["denominator"]))
              for r in counts.to_dicts()}
    rows = []
    for stage in stage_list:
        ref_num, ref_den = lookup.get((stage, reference), (0, 0)) if reference else (0, 0)
        for group in groups:
            row: dict[str, Any] = {"stage": stage, "group": group, "basis": basis}
            reason = missing_reason or (None if stage in available else "the dataset has no data for this stage")
            if reason:
                row.update(numerator=None, denominator=None, rate=None, relative_rate=None, ci_low=None,
                           ci_high=None, missing=True, missing_reason=reason, reference=group == reference,
                           significant=False)
                rows.append(row)
                continue
            numerator, denominator = lookup.get((stage, group), (0, 0))
            row.update(compare(group, numerator, denominator, reference, ref_num, ref_den), missing=False)
            if exposure:
                rr, low, high = rate_ratio_interval(numerator, denominator, ref_num, ref_den) \
                    if reference is not None and group != reference else (row["relative_rate"], None, None)
                row.update(relative_rate=rr, ci_low=low, ci_high=high,
                           significant=low is not None and high is not None and (low > 1 or high < 1))
            rows.append(row)
    return rows


def restrict_kind(data: Dataset, staff_kind: str) -> Dataset:
    """Only officers, or only police staff: people of that kind and the allegations against them."""
    if staff_kind == "all":
        return data
    if staff_kind not in STAFF_KINDS:
        raise DatasetError(f"--staff-kind must be one of {', '.join(STAFF_KINDS)}, not {staff_kind!r}")
    if data.people["staff_kind"].null_count() == data.people.height:
        raise DatasetError("this dataset does not record whether people are officers or staff")
    people = data.people.filter(pl.col("staff_kind") == staff_kind)
    allegations = data.allegations.join(people.select("person_id"), on="person_id", how="semi")
    return dataclasses.replace(data, people=people, allegations=allegations)


def fairness(data: Dataset, by: str = "ethnicity", reference: str | None = None,
             staff_kind: str = "all") -> dict[str, Any]:
    """The disproportionality document (see the module docstring for the definitions)."""
    data = restrict_kind(data, staff_kind)
    available = set(funnel.stages_available(data.allegations, data.meta))
    units = allegation_units(data, by)
    head = per_head_counts(data, by, units) if data.workforce_known else None
    person_years = per_person_year_counts(data, by, units) if data.workforce_known else None
    per_allegation = per_allegation_counts(units)
    labels = set(per_allegation["group"].to_list())
    if head is not None:
        labels |= set(head["group"].to_list())
    groups = _order(labels)
    chosen = choose_reference(by, data.people, groups, reference)

    no_workforce = None if head is not None else "the dataset does not know its workforce"
    head_counts = head if head is not None else per_allegation.clear()
    rates_per_head = _rows(head_counts, PER_HEAD, list(funnel.STAGES), available, groups, chosen, no_workforce)
    later = [s for s in funnel.STAGES if s != "allegation"]
    rates_per_allegation = _rows(per_allegation, PER_ALLEGATION, later, available, groups, chosen)
    rates_per_person_year = _rows(person_years if person_years is not None else per_allegation.clear(),
                                  PER_PERSON_YEAR, list(funnel.STAGES), available, groups, chosen,
                                  None if person_years is not None else "the dataset does not know its workforce")
    headline = [r for r in rates_per_head if r["stage"] == "allegation"] + rates_per_allegation
    start, end = period(data)

    notes = list(data.meta.get("notes", []))
    if chosen is None:
        notes.append("No reference group: relative rates are not given (use --reference).")
    return {
        **data.describe(),
        "by": by,
        "staff_kind": staff_kind,
        "reference": chosen,
        "workforce_known": head is not None,
        "person_years_period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "stages": [{"stage": s, "label": funnel.LABELS[s], "available": s in available} for s in funnel.STAGES],
        "definitions": {
            "allegation_unit": "distinct person × complaint",
            PER_HEAD: "distinct people of the group in the workforce in the window (denominator) with at least one "
                      "allegation in the window reaching the stage (numerator)",
            PER_ALLEGATION: "allegations against the group in the window (denominator, including those with no "
                            "finding recorded) that reached the stage (numerator)",
            PER_PERSON_YEAR: "allegations against the group's workforce reaching the stage (numerator) per "
                             "person-year employed in the period (denominator); rate ratio with a Poisson log "
                             "interval",
            "rates": "one row per stage and group: allegation per head, later stages per allegation",
            "confidence_interval": "95%, Katz log method, against the reference group",
        },
        "rates": headline,
        "rates_per_head": rates_per_head,
        "rates_per_allegation": rates_per_allegation,
        "rates_per_person_year": rates_per_person_year,
        "notes": notes,
    }
