"""Timeliness: how long complaints take, how many stay open for a year or two, how often they change hands, how
often a victim is asked for their account again, and how often acknowledgements and feedback are late.

Definitions
- a measure in days needs dates exact to the day: where the window's dates are known only to the month or year
  (an export with a month and a year column), it is withheld with the reason, never computed from the first of the
  month; a dataset that records no closing dates has no time to close and no open count;
- as-of date: --to where given, else the date the dataset was extracted (meta.json `as_of`: for an import, its last
  complaint received or closed; the live dataset: today);
- time to close: received → closed, over the complaints in the window that are closed by the as-of date;
- open over 12 months / 2 years: of the complaints open at the as-of date (received by then, not closed by then),
  those received more than 365 / 730 days before it;
- took over 12 months / 2 years: of every complaint in the window, those closed more than 365 / 730 days after
  receipt or still open at the as-of date after that long;
- time in stage: from a complaint's stage event to its next one (completed stays only); stays still running at the
  as-of date are counted as ongoing;
- handovers: owner changes after the first, where recorded; accounts: times the victim was asked for an account;
- overdue acknowledgement / feedback (where the dataset records "acknowledged" stage events): the periods and the
  events that meet them from the profile's clock policy (upstander.lib.clock; a profile without the clock: not
  known), counted in calendar days (an approximation where the policy counts working days). Late: met
  after the deadline; overdue: not met and the deadline passed by the as-of date. Denominator: complaints whose
  deadline had passed by the as-of date, or that met it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from upstander.insight import precision
from upstander.insight.datasets import Dataset
from upstander.lib import clock


def as_of_date(data: Dataset) -> dt.date | None:
    if data.date_to:
        return data.date_to
    if data.meta.get("as_of"):
        return dt.date.fromisoformat(str(data.meta["as_of"]))
    dates = [data.complaints["received_date"].max(), data.complaints["closed_date"].max()]
    return max((d for d in dates if d is not None), default=None)


def _summary(values: pl.Series) -> dict[str, Any]:
    values = values.drop_nulls()
    if values.len() == 0:
        return {"n": 0, "mean_days": None, "median_days": None, "p25_days": None, "p75_days": None, "p90_days": None}
    return {"n": values.len(), "mean_days": float(values.mean()), "median_days": float(values.median()),
            "p25_days": float(values.quantile(0.25, "linear")), "p75_days": float(values.quantile(0.75, "linear")),
            "p90_days": float(values.quantile(0.9, "linear"))}


def _share(numerator: int, denominator: int) -> dict[str, Any]:
    return {"numerator": numerator, "denominator": denominator,
            "rate": numerator / denominator if denominator else None}


def durations(data: Dataset, as_of: dt.date) -> dict[str, Any]:
    if not data.recorded("complaints", "closed_date"):
        return {"missing": True, "missing_reason": "the dataset records no closing dates, so how long complaints "
                                                   "take and how many are open is not known"}
    complaints = data.complaints.filter(pl.col("received_date").is_not_null() & (pl.col("received_date") <= as_of))
    reason = precision.withheld(complaints, ["received_date", "closed_date"], "Time to close")
    if reason:
        return {"missing": True, "missing_reason": reason}
    closed_by = pl.col("closed_date").is_not_null() & (pl.col("closed_date") <= as_of)
    frame = complaints.with_columns(
        closed_by.alias("closed"),
        (pl.when(closed_by).then(pl.col("closed_date")).otherwise(pl.lit(as_of)) - pl.col("received_date"))
        .dt.total_days().alias("days"))
    closed = frame.filter(pl.col("closed"))
    still_open = frame.filter(~pl.col("closed"))
    document: dict[str, Any] = {"time_to_close": _summary(closed["days"]), "open_at_as_of": still_open.height}
    for label, days in (("12_months", 365), ("2_years", 730)):
        document[f"open_over_{label}"] = _share(still_open.filter(pl.col("days") > days).height, still_open.height)
        document[f"took_over_{label}"] = _share(frame.filter(pl.col("days") > days).height, frame.height)
    by_source = []
    for source in sorted(set(frame["source"].drop_nulls().to_list())):
        part = frame.filter(pl.col("source") == source)
        by_source.append({"source": source, **_summary(part.filter(pl.col("closed"))["days"]),
                          "open_over_12_months": _share(part.filter(~pl.col("closed") & (pl.col("days") > 365)).height,
                                                        part.filter(~pl.col("closed")).height)})
    document["by_source"] = by_source
    return document


def time_in_stage(data: Dataset, as_of: dt.date) -> dict[str, Any]:
    events = data.stage_events.filter(pl.col("date") <= as_of).sort("complaint_id", "date")
    if events.height == 0:
        return {"missing": True, "missing_reason": "the dataset records no stage events", "rows": []}
    reason = precision.withheld(events, ["date"], "Time in each stage")
    if reason:
        return {"missing": True, "missing_reason": reason, "rows": []}
    closed = data.complaints.select("complaint_id", "closed_date")
    stays = (events.with_columns(pl.col("date").shift(-1).over("complaint_id").alias("next"))
             .join(closed, on="complaint_id", how="left")
             .filter(pl.col("stage") != "closed")
             .with_columns((pl.col("next") - pl.col("date")).dt.total_days().alias("days"),
                           (pl.col("next").is_null() & (pl.col("closed_date").is_null()
                                                        | (pl.col("closed_date") > as_of))).alias("ongoing")))
    rows = []
    order = {stage: i for i, stage in enumerate(events["stage"].unique(maintain_order=True).to_list())}
    for stage in sorted(order, key=order.get):
        part = stays.filter(pl.col("stage") == stage)
        if part.height == 0:
            continue
        rows.append({"stage": stage, **_summary(part["days"]), "ongoing": int(part["ongoing"].sum())})
    return {"missing": False, "rows": rows}


def _counts(column: pl.Series, label: str) -> dict[str, Any]:
    values = column.drop_nulls()
    if values.len() == 0:
        return {"missing": True, "missing_reason": f"the dataset does not record {label}"}
    distribution = {str(k): 0 for k in range(3)} | {"3+": 0}
    for value, count in values.value_counts().iter_rows():
        distribution["3+" if value >= 3 else str(value)] += count
    return {"missing": False, "cases": values.len(), "mean": float(values.mean()), "median": float(values.median()),
            "distribution": distribution}


def handovers_and_accounts(data: Dataset) -> dict[str, Any]:
    handovers = _counts(data.complaints["handovers"], "handovers")
    if not handovers["missing"]:
        values = data.complaints["handovers"].drop_nulls()
        handovers["two_or_more"] = _share(int((values >= 2).sum()), values.len())
    accounts = _counts(data.complaints["accounts_taken"], "accounts taken from victims")
    if not accounts["missing"]:
        values = data.complaints["accounts_taken"].drop_nulls()
        accounts["asked_again"] = _share(int((values > 1).sum()), values.len())
    return {"handovers": handovers, "accounts_per_victim": accounts}


def _period(key: str) -> tuple[str, str] | str:
    """The clock `key` of the profile's clock policy as a Polars offset and in words ("7d", "7 days"), or the reason
    it is not known (no fallback: a profile without the clock has no such deadline to count)."""
    try:
        period = clock.clock_spec(key).get("period", {})
    except KeyError:
        return f"the policy profile has no {key!r} clock"
    if "days" in period:
        return f"{int(period['days'])}d", f"{int(period['days'])} days"
    if "months" in period:
        return f"{int(period['months'])}mo", f"{int(period['months'])} months"
    return f"the {key!r} clock of the policy profile has no period in days or months"


def overdue(data: Dataset, as_of: dt.date) -> dict[str, Any]:
    events = data.stage_events
    if events.filter(pl.col("stage") == "acknowledged").height == 0:
        return {"missing": True, "missing_reason": "the dataset records no acknowledgements"}
    acknowledge, feedback_period = _period("acknowledge"), _period("feedback")
    for period in (acknowledge, feedback_period):
        if isinstance(period, str):
            return {"missing": True, "missing_reason": period}
    assert isinstance(acknowledge, tuple) and isinstance(feedback_period, tuple)
    reason = (precision.withheld(data.complaints, ["received_date"], "Counting deadlines")
              or precision.withheld(events, ["date"], "Counting deadlines"))
    if reason:
        return {"missing": True, "missing_reason": reason}
    met_by = clock.clock_spec("feedback").get("met_by", [])
    first = lambda stages, name: (events.filter(pl.col("stage").is_in(stages))  # noqa: E731
                                  .group_by("complaint_id").agg(pl.col("date").min().alias(name)))
    frame = (data.complaints.filter(pl.col("received_date") <= as_of).select("complaint_id", "received_date")
             .join(first(clock.clock_spec("acknowledge").get("met_by", ["acknowledged"]), "acknowledged"),
                   on="complaint_id", how="left")
             .with_columns(pl.col("received_date").dt.offset_by(acknowledge[0]).alias("ack_due")))
    frame = frame.with_columns(pl.coalesce("acknowledged", "ack_due").alias("feedback_start"))
    feedback = (events.join(frame.select("complaint_id", "feedback_start"), on="complaint_id")
                .filter(pl.col("stage").is_in(met_by) & (pl.col("date") >= pl.col("feedback_start")))
                .group_by("complaint_id").agg(pl.col("date").min().alias("feedback")))
    frame = frame.join(feedback, on="complaint_id", how="left").with_columns(
        pl.col("feedback_start").dt.offset_by(feedback_period[0]).alias("feedback_due"))
    result: dict[str, Any] = {"missing": False, "acknowledge_within": acknowledge[1],
                              "feedback_within": feedback_period[1], "day_counting": "calendar"}
    for name, met, due in (("acknowledgement", "acknowledged", "ack_due"), ("feedback", "feedback", "feedback_due")):
        counted = frame.filter(pl.col(met).is_not_null() | (pl.col(due) < as_of))
        late = counted.filter((pl.col(met) > pl.col(due)).fill_null(False))
        pending = counted.filter(pl.col(met).is_null() | (pl.col(met) > as_of))
        result[name] = {"late_or_overdue": _share(late.height + pending.height, counted.height),
                        "late": late.height, "overdue_now": pending.height}
    return result


def timeliness(data: Dataset) -> dict[str, Any]:
    as_of = as_of_date(data)
    document: dict[str, Any] = {**data.describe(), "as_of": as_of.isoformat() if as_of else None}
    if as_of is None:
        none = {"missing": True, "missing_reason": "the dataset has no dates"}
        return {**document, "durations": none, "time_in_stage": none, "overdue": none,
                **handovers_and_accounts(data)}
    return {**document, "durations": durations(data, as_of), "time_in_stage": time_in_stage(data, as_of),
            **handovers_and_accounts(data), "overdue": overdue(data, as_of)}
