"""Attrition and careers: who leaves, why, how soon after reporting or being accused, and who passes a promotion
board without being promoted.

Definitions
- observation window: --from/--to where given, else from the first complaint received to the last date the
  dataset records (complaints, people leaving, HR events);
- leaving rate: numerator the people of the group in the workforce in the window who left within it; denominator
  everyone of the group in the workforce in the window; also per 1,000 person-years in the window;
- time to leaving after reporting / after being accused: index date the (first) report made by a staff member, or
  the first allegation against them, in the window. Each exposed person is matched to up to `matched_peers`
  (policy/attrition.toml) peers of the same
  rank and 5-year length-of-service band, employed at the middle of the index year, not accused (or, for reporters,
  not reporting) on or before the index date; a peer takes the index date of the exposed person it is matched to.
  A person may be the peer of several exposed people (once each): keeping only their first match removed
  long-serving people, who sit in every year's pool, and left short-serving peers who leave more — a false alarm
  (hazard ratio 0.88–0.91 with nothing planted). Someone accused later may have served as a peer before (as in
  sequential matched designs). Follow-up ends at leaving (event) or when the dataset was extracted (censored), past the window.
  Kaplan–Meier curves with 95% bands for both cohorts; a Cox model (lifelines) gives the hazard ratio of exposed
  against peers with its 95% interval (not given with fewer than `min_leavers` leavers in a cohort);
- promotion: of the people who passed a promotion board in the window, those with no promotion within
  `promotion_within_days` days after it — by group, and for staff who reported before the board against those who did not
  (a blocked promotion is one of the detriments retaliation takes). Boards too recent to tell are left out.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import polars as pl

from upstander.insight.datasets import Dataset
from upstander.insight.fairness import NOT_RECORDED, choose_reference, compare, group_expr
from upstander.lib import policy

SEED = 20240607  # orders the peer pool reproducibly; not a policy choice
CURVE_YEARS = [0.25 * i for i in range(0, 41)]  # points drawn on the survival charts (quarters, up to ten years)


def settings() -> dict[str, Any]:
    """policy/attrition.toml: matched peers, the smallest cohort and number of leavers compared, the years survival
    is reported at and how long a promotion may take."""
    return policy.load("attrition")


def window(data: Dataset) -> tuple[dt.date | None, dt.date | None]:
    candidates_start = [data.complaints["received_date"].min()]
    if candidates_start[0] is None:
        candidates_start.append(data.people["appointed_date"].min())
    candidates_end = [data.complaints["received_date"].max(), data.complaints["closed_date"].max(),
                      data.people["left_date"].max(), data.hr_events["date"].max()]
    start = data.date_from or min((d for d in candidates_start if d is not None), default=None)
    end = data.date_to or max((d for d in candidates_end if d is not None), default=None)
    return start, end


def followup_end(data: Dataset) -> dt.date | None:
    """Follow-up after reporting or being accused runs past the window, to the date the dataset was extracted."""
    if data.meta.get("as_of"):
        return dt.date.fromisoformat(str(data.meta["as_of"]))
    dates = [data.complaints["received_date"].max(), data.complaints["closed_date"].max(),
             data.people["left_date"].max()]
    return max((d for d in dates if d is not None), default=None)


def leaving_rates(data: Dataset, by: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    workforce = data.workforce().with_columns(group_expr(by))
    if workforce.height == 0:
        return {"missing": True, "missing_reason": "the dataset does not know its workforce", "rows": []}
    if workforce["left_date"].null_count() == workforce.height:
        return {"missing": True, "missing_reason": "the dataset records no leaving dates", "rows": []}
    left_in = pl.col("left_date").is_between(start, end)
    entered = pl.max_horizontal(pl.col("appointed_date").fill_null(start), pl.lit(start))
    exited = pl.min_horizontal(pl.col("left_date").fill_null(end), pl.lit(end))
    frame = workforce.with_columns(left_in.fill_null(False).alias("left"),
                                   ((exited - entered).dt.total_days().clip(0) / 365.25).alias("years"),
                                   pl.col("left_reason").fill_null(NOT_RECORDED))
    counts = frame.group_by("group").agg(pl.len().alias("denominator"), pl.col("left").sum().alias("numerator"),
                                         pl.col("years").sum().alias("person_years"))
    lookup = {r["group"]: r for r in counts.to_dicts()}
    groups = sorted(lookup, key=lambda g: (g == NOT_RECORDED, g))
    reference = choose_reference(by, data.people, groups, None)
    ref = lookup.get(reference or "", {"numerator": 0, "denominator": 0})
    rows = []
    for group in groups:
        c = lookup[group]
        row = compare(group, c["numerator"], c["denominator"], reference, ref["numerator"], ref["denominator"])
        row["person_years"] = c["person_years"]
        row["per_1000_person_years"] = 1000 * c["numerator"] / c["person_years"] if c["person_years"] else None
        rows.append(row)
    reasons = (frame.filter(pl.col("left")).group_by("group", "left_reason").len()
               .sort("group", "left_reason").rename({"left_reason": "reason", "len": "leavers"}).to_dicts())
    return {"missing": False, "reference": reference, "rows": rows, "by_reason": reasons,
            "reasons_recorded": frame.filter(pl.col("left"))["left_reason"].ne(NOT_RECORDED).any()}


def _with_band(frame: pl.DataFrame, at: str) -> pl.DataFrame:
    return frame.with_columns(
        ((pl.col(at) - pl.col("appointed_date")).dt.total_days() // (365 * 5)).fill_null(-1).alias("band"),
        pl.col("rank").fill_null("unknown"))


def matched_cohorts(data: Dataset, exposed: pl.DataFrame, end: dt.date) -> pl.DataFrame:
    """Exposed people (person_id, index_date) and their matched peers, with duration (years) and event."""
    people = data.workforce().select("person_id", "rank", "appointed_date", "left_date").unique("person_id")
    exposed = (exposed.join(people, on="person_id", how="inner")
               .filter(pl.col("left_date").is_null() | (pl.col("left_date") >= pl.col("index_date")))
               .filter(pl.col("index_date") <= end))
    exposed = _with_band(exposed, "index_date").with_columns(pl.col("index_date").dt.year().alias("year"))
    years = exposed.select("year").unique()
    first_exposure = exposed.group_by("person_id").agg(pl.col("index_date").min().alias("first_exposure"))
    candidates = (people.join(years, how="cross")
                  .with_columns(pl.date(pl.col("year"), 7, 1).alias("mid"))
                  .filter((pl.col("appointed_date").is_null() | (pl.col("appointed_date") <= pl.col("mid")))
                          & (pl.col("left_date").is_null() | (pl.col("left_date") > pl.col("mid")))))
    candidates = _with_band(candidates, "mid").join(first_exposure, on="person_id", how="left")
    key = ["rank", "band", "year"]
    exposed = exposed.sort("index_date", "person_id").with_columns(pl.int_range(pl.len()).over(key).alias("slot"),
                                                                   pl.len().over(key).alias("slots"))
    wanted = exposed.group_by(key).agg(pl.len().alias("slots"))
    peers = (candidates.join(wanted, on=key, how="inner")
             .with_columns(pl.concat_str("person_id", pl.col("year").cast(pl.Utf8)).hash(SEED).alias("_order"))
             .sort("_order")
             .with_columns(pl.int_range(pl.len()).over(key).alias("_rank"))
             .filter(pl.col("_rank") < pl.col("slots") * int(settings()["matched_peers"]))
             .with_columns((pl.col("_rank") % pl.col("slots")).alias("slot"))
             .join(exposed.select(*key, "slot", pl.col("index_date"), pl.col("person_id").alias("matched_to")),
                   on=[*key, "slot"], how="inner")
             .filter((pl.col("person_id") != pl.col("matched_to"))
                     & (pl.col("first_exposure").is_null() | (pl.col("first_exposure") > pl.col("index_date")))
                     & (pl.col("left_date").is_null() | (pl.col("left_date") > pl.col("index_date"))))
             .sort("_order").unique(["person_id", "matched_to"], keep="first", maintain_order=True))
    cohorts = pl.concat([
        exposed.select("person_id", "index_date", "left_date", pl.lit(1).alias("exposed")),
        peers.select("person_id", "index_date", "left_date", pl.lit(0).alias("exposed")),
    ])
    event = pl.col("left_date").is_not_null() & (pl.col("left_date") <= end)
    stop = pl.when(event).then(pl.col("left_date")).otherwise(pl.lit(end))
    return cohorts.with_columns(event.cast(pl.Int8).alias("event"),
                                ((stop - pl.col("index_date")).dt.total_days().clip(0) / 365.25).alias("duration"))


def survival(cohorts: pl.DataFrame, label: str) -> dict[str, Any]:
    """Kaplan–Meier curves with 95% bands per cohort and a Cox hazard ratio of exposed against peers."""
    from lifelines import CoxPHFitter, KaplanMeierFitter

    rules = settings()
    exposed_n = int(cohorts["exposed"].sum())
    peers_n = cohorts.height - exposed_n
    if exposed_n < int(rules["min_cohort"]) or peers_n < int(rules["min_cohort"]):
        return {"missing": True, "missing_reason": f"too few people ({exposed_n} {label}, {peers_n} peers)"}
    events = cohorts.group_by("exposed").agg(pl.col("event").sum())["event"].to_list()
    if len(events) < 2 or min(events) < int(rules["min_leavers"]):
        return {"missing": True, "missing_reason": f"too few leavers in follow-up to compare ({min(events)})"}
    frame = cohorts.to_pandas()
    curves = {}
    for name, flag in (("exposed", 1), ("peers", 0)):
        part = frame[frame["exposed"] == flag]
        km = KaplanMeierFitter().fit(part["duration"], part["event"], label=name)
        band = km.confidence_interval_survival_function_
        points = []
        for t in CURVE_YEARS:
            s = float(km.survival_function_at_times(t).iloc[0])
            low = float(band[band.index <= t].iloc[-1, 0]) if (band.index <= t).any() else 1.0
            high = float(band[band.index <= t].iloc[-1, 1]) if (band.index <= t).any() else 1.0
            points.append({"years": t, "survival": s, "ci_low": low, "ci_high": high,
                           "at_risk": int((part["duration"] >= t).sum())})
        median = km.median_survival_time_
        curves[name] = {
            "n": int(len(part)), "left": int(part["event"].sum()),
            "median_years": None if median == float("inf") else float(median),
            "survival_at": {str(t): _point_at(points, t) for t in rules["survival_at_years"]},
            "curve": points,
        }
    # The Cox fit runs on whole months: lifelines' Efron loop is per distinct time, and months lose nothing here.
    monthly = frame[["duration", "event", "exposed"]].assign(duration=(frame["duration"] * 12).round() / 12)
    from lifelines.exceptions import ConvergenceError
    from threadpoolctl import threadpool_limits

    try:
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            cox = CoxPHFitter().fit(monthly, "duration", "event")
    except ConvergenceError as exc:
        return {"missing": True, "missing_reason": f"the Cox model did not converge: {exc}"}
    summary = cox.summary.loc["exposed"]
    return {"missing": False, "exposed_label": label, "cohorts": curves, "cox": {
        "hazard_ratio": float(summary["exp(coef)"]), "ci_low": float(summary["exp(coef) lower 95%"]),
        "ci_high": float(summary["exp(coef) upper 95%"]), "p_value": float(summary["p"]),
        "significant": bool(summary["p"] < 0.05)}}


def _point_at(points: list[dict[str, Any]], years: float) -> dict[str, Any]:
    """The drawn point at `years`, or the last one before it (survival is a step function)."""
    return [p for p in points if p["years"] <= years][-1]


def after_reporting(data: Dataset, end: dt.date) -> dict[str, Any]:
    if data.reporters.height == 0:
        return {"missing": True, "missing_reason": "the dataset records no staff who reported"}
    received = data.complaints.select("complaint_id", "received_date")
    exposed = (data.reporters.join(received, on="complaint_id", how="left")
               .select("person_id", pl.coalesce("reported_date", "received_date").alias("index_date"))
               .drop_nulls().group_by("person_id").agg(pl.col("index_date").min()))
    return survival(matched_cohorts(data, exposed, end), "reported")


def after_accused(data: Dataset, end: dt.date) -> dict[str, Any]:
    if not data.workforce_known or data.people["left_date"].null_count() == data.people.height:
        return {"missing": True, "missing_reason": "the dataset has no workforce with leaving dates"}
    received = data.complaints.select("complaint_id", "received_date")
    exposed = (data.allegations.select("complaint_id", "person_id").drop_nulls()
               .join(received, on="complaint_id", how="left").group_by("person_id")
               .agg(pl.col("received_date").min().alias("index_date")).drop_nulls())
    return survival(matched_cohorts(data, exposed, end), "accused")


def _rate_rows(frame: pl.DataFrame, reference: str | None) -> list[dict[str, Any]]:
    counts = {r["group"]: r for r in frame.group_by("group").agg(
        pl.len().alias("denominator"), (~pl.col("promoted")).sum().alias("numerator")).to_dicts()}
    groups = sorted(counts, key=lambda g: (g == NOT_RECORDED, g))
    ref = counts.get(reference or "", {"numerator": 0, "denominator": 0})
    return [compare(g, counts[g]["numerator"], counts[g]["denominator"], reference, ref["numerator"],
                    ref["denominator"]) for g in groups]


def promotion(data: Dataset, by: str, start: dt.date, end: dt.date, followup: dt.date) -> dict[str, Any]:
    """Passed a board in the window and not promoted within the policy's days. Undecided cases (passed recently, no
    promotion and no recorded refusal yet) are left out rather than counted as not promoted."""
    days = int(settings()["promotion_within_days"])
    events = data.hr_events
    boards = events.filter((pl.col("kind") == "promotion_board") & (pl.col("outcome") == "passed")
                           & pl.col("date").is_between(start, end))
    if boards.height == 0:
        return {"missing": True, "missing_reason": "the dataset records no promotion boards", "rows": []}
    promoted = events.filter((pl.col("kind") == "promoted") | (pl.col("outcome") == "promoted")).select(
        "person_id", pl.col("date").alias("promoted_on"))
    refused = events.filter(pl.col("outcome") == "not_promoted").select("person_id", pl.col("date").alias("refused"))
    passed = boards.group_by("person_id").agg(pl.col("date").min().alias("passed_on"))
    within = ((pl.col("promoted_on") >= pl.col("passed_on"))
              & ((pl.col("promoted_on") - pl.col("passed_on")).dt.total_days() <= days)).fill_null(False)
    outcome = (passed.join(promoted, on="person_id", how="left").group_by("person_id", "passed_on")
               .agg(within.any().alias("promoted"))
               .join(refused.join(passed, on="person_id").filter(pl.col("refused") >= pl.col("passed_on"))
                     .group_by("person_id").agg(pl.len().alias("refusals")), on="person_id", how="left")
               .filter(pl.col("promoted") | pl.col("refusals").is_not_null()
                       | ((pl.lit(followup) - pl.col("passed_on")).dt.total_days() >= days)))
    people = data.people.select("person_id", group_expr(by))
    frame = outcome.join(people, on="person_id", how="left").with_columns(pl.col("group").fill_null(NOT_RECORDED))
    groups = sorted(set(frame["group"].to_list()))
    reference = choose_reference(by, data.people, groups, None)
    received = data.complaints.select("complaint_id", "received_date")
    reported = (data.reporters.join(received, on="complaint_id", how="left")
                .select("person_id", pl.coalesce("reported_date", "received_date").alias("reported_on")).drop_nulls())
    before = (outcome.join(reported, on="person_id", how="inner").filter(pl.col("reported_on") < pl.col("passed_on"))
              .select("person_id").unique())
    by_reporting = None
    if data.reporters.height:
        labelled = outcome.with_columns(
            pl.when(pl.col("person_id").is_in(before["person_id"].implode())).then(pl.lit("reported before the board"))
            .otherwise(pl.lit("did not report before the board")).alias("group"))
        by_reporting = _rate_rows(labelled, "did not report before the board")
    return {"missing": False, "reference": reference, "rows": _rate_rows(frame, reference),
            "by_reporting": by_reporting,
            "definition": f"passed a promotion board in the window, not promoted within {days} days "
                          "(undecided boards left out)"}


def attrition(data: Dataset, by: str = "ethnicity", survival_analysis: bool = True) -> dict[str, Any]:
    start, end = window(data)
    document: dict[str, Any] = {**data.describe(), "by": by,
                                "window": {"from": start.isoformat() if start else None,
                                           "to": end.isoformat() if end else None}}
    if start is None or end is None:
        none = {"missing": True, "missing_reason": "the dataset has no dates", "rows": []}
        return {**document, "leaving": none, "after_reporting": none, "after_accused": none, "promotion": none}
    document["leaving"] = leaving_rates(data, by, start, end)
    if survival_analysis:
        followup = followup_end(data) or end
        document["followup_to"] = followup.isoformat()
        document["after_reporting"] = after_reporting(data, followup)
        document["after_accused"] = after_accused(data, followup)
    document["promotion"] = promotion(data, by, start, end, followup_end(data) or end)
    return document
