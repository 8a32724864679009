"""Publishable versions of the analysis documents: disclosure control (disclosure.py) applied to every count.

`publishable(kind, document)` returns a copy in which every count is suppressed (None) under the policy's threshold
(policy/disclosure.toml: 10) or rounded (to 5), with complementary suppression wherever counts add up to a total that
is also shown, and every rate recomputed from the published counts. Summaries of fewer cases than the threshold
(medians, quartiles) are withheld. Exact documents are for the analyst's own view only.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from upstander.insight.disclosure import (
    TOTAL,
    protect,
    protect_counts,
    protect_rate_rows,
    round_to_base,
    rounding_base,
    suppress_below,
)
from upstander.insight.fairness import compare, katz_interval, rate_ratio_interval

SUMMARY_KEYS = ("mean_days", "median_days", "p25_days", "p75_days", "p90_days", "mean", "median")


def count(value: int | None) -> int | None:
    """One count on its own (no total shown beside it)."""
    if value is None or value < suppress_below():
        return None
    return round_to_base(int(value))


def share(item: dict[str, Any]) -> dict[str, Any]:
    numerator, denominator = count(item.get("numerator")), count(item.get("denominator"))
    return {"numerator": numerator, "denominator": denominator,
            "rate": numerator / denominator if numerator is not None and denominator else None,
            "suppressed": numerator is None or denominator is None}


def summary(item: dict[str, Any], n_key: str = "n") -> dict[str, Any]:
    out = dict(item)
    small = (item.get(n_key) or 0) < suppress_below()
    out[n_key] = count(item.get(n_key))
    for key in SUMMARY_KEYS:
        if key in out and small:
            out[key] = None
    return out


def _fairness(doc: dict[str, Any]) -> dict[str, Any]:
    reference = doc.get("reference")
    for key in ("rates", "rates_per_head", "rates_per_allegation"):
        doc[key] = protect_rate_rows(doc[key], reference=reference)
    if "rates_per_person_year" in doc:
        doc["rates_per_person_year"] = _person_years(doc["rates_per_person_year"], reference)
    return doc


def _person_years(rows: list[dict[str, Any]], reference: str | None) -> list[dict[str, Any]]:
    """Numerators protected as counts; denominators are person-years, withheld under the suppression threshold and otherwise rounded to 10;
    rate ratios recomputed from the published figures."""
    counted = protect_rate_rows([{**r, "denominator": 10**9} for r in rows if not r.get("missing")],
                                reference=None)
    published = {(r["stage"], r["group"]): r["numerator"] for r in counted}
    out = []
    for row in rows:
        if row.get("missing"):
            out.append(dict(row))
            continue
        num = published[(row["stage"], row["group"])]
        years = round(row["denominator"], -1) if (row["denominator"] or 0) >= suppress_below() else None
        new = {**row, "numerator": num, "denominator": years, "suppressed": num is None,
               "rate": num / years if num is not None and years else None,
               "relative_rate": None, "ci_low": None, "ci_high": None, "significant": None}
        ref = next((r for r in rows if r["stage"] == row["stage"] and r["group"] == reference), None)
        ref_num = published.get((row["stage"], reference)) if ref else None
        if num is not None and years and ref_num and ref and ref.get("denominator"):
            ref_years = round(ref["denominator"], -1) if ref["denominator"] >= suppress_below() else None
            rr, low, high = rate_ratio_interval(num, years, ref_num, ref_years) if ref_years else (None, None, None)
            if row["group"] == reference:
                rr, low, high = 1.0, None, None
            new.update(relative_rate=rr, ci_low=low, ci_high=high,
                       significant=None if low is None else bool(low > 1 or high < 1))
        out.append(new)
    return out


def _grouped_outcomes(section: dict[str, Any]) -> dict[str, Any]:
    """Rows with numerator, denominator = open + closed: the open/closed split is protected with its row totals
    (the denominators) and column totals; numerators with their column total; rates from published counts."""
    rows = section.get("rows", [])
    if section.get("missing") or not rows:
        return section
    groups = [r["group"] for r in rows]
    known = all(r["open"] is not None for r in rows)  # a dataset with no closing dates cannot split open/closed
    parts = ["open", "closed"] if known else ["all"]
    split = protect({(r["group"], part): r[part] if known else r["denominator"] for r in rows for part in parts},
                    rows=groups, columns=parts)
    numerators = protect({(r["group"], "n"): r["numerator"] for r in rows}, rows=groups, columns=["n"],
                         row_totals=False)
    reference = section.get("reference")
    published = {r["group"]: (numerators.published[(r["group"], "n")], split.published[(r["group"], TOTAL)])
                 for r in rows}
    out = []
    for row in rows:
        num, den = published[row["group"]]
        new = {**row, "numerator": num, "denominator": den,
               "open": split.published[(row["group"], "open")] if known else None,
               "closed": split.published[(row["group"], "closed")] if known else None,
               "suppressed": num is None or den is None, "rate": None, "relative_rate": None, "ci_low": None, "ci_high": None, "significant": None}
        if (row.get("closed") or 0) < suppress_below():
            for key in ("median_days", "p25_days", "p75_days", "time_p_value"):
                new[key] = None
        if num is not None and den:
            ref_num, ref_den = published.get(reference, (None, None)) if reference else (None, None)
            if ref_num and ref_den:
                new.update({k: v for k, v in compare(row["group"], num, den, reference, ref_num, ref_den).items()
                            if k in ("rate", "relative_rate", "ci_low", "ci_high", "significant")})
            else:
                new["rate"] = num / den
        out.append(new)
    coverage = section.get("coverage")
    if coverage:
        coverage = {key: count(value) for key, value in coverage.items()}
    return {**section, "rows": out, **({"coverage": coverage} if coverage else {})}


def _outcomes(doc: dict[str, Any]) -> dict[str, Any]:
    for key in ("by_complainant_sex", "by_complainant_ethnicity", "by_source"):
        doc[key] = _grouped_outcomes(doc[key])
    theme = doc["by_theme"]
    if not theme.get("missing"):
        # Each theme is compared with the other themes shown (their published counts added up).
        rows = protect_rate_rows([{**r, "stage": "substantiated"} for r in theme["rows"]], reference=None)
        shown = [r for r in rows if r["numerator"] is not None and r["denominator"]]
        for row, original in zip(rows, theme["rows"], strict=True):
            row.pop("stage")
            row["open"], row["closed"] = count(original["open"]), count(original["closed"])
            if row["denominator"] is None:  # a withheld total withholds its parts too
                row["open"] = row["closed"] = None
            if row["denominator"] is None or (original.get("closed") or 0) < suppress_below():
                for key in ("median_days", "p25_days", "p75_days", "time_p_value"):
                    row[key] = None
            row.update(relative_rate=None, ci_low=None, ci_high=None, significant=None)
            if row["numerator"] is not None and row["denominator"]:
                rest_num = sum(r["numerator"] for r in shown if r is not row)
                rest_den = sum(r["denominator"] for r in shown if r is not row)
                rr, low, high = katz_interval(row["numerator"], row["denominator"], rest_num, rest_den)
                row.update(relative_rate=rr, ci_low=low, ci_high=high,
                           significant=None if low is None else bool(low > 1 or high < 1))
        doc["by_theme"] = {**theme, "rows": rows, "reference": "the other themes shown"}
    return doc


def _attrition(doc: dict[str, Any]) -> dict[str, Any]:
    leaving = doc["leaving"]
    if not leaving.get("missing"):
        reference = leaving.get("reference")
        rows = protect_rate_rows([{**r, "stage": "left"} for r in leaving["rows"]], reference=reference)
        for row in rows:
            row.pop("stage")
            row["person_years"] = round(row["person_years"], -2) if row.get("person_years") else None
            row["per_1000_person_years"] = (1000 * row["numerator"] / row["person_years"]
                                            if row["numerator"] is not None and row["person_years"] else None)
        reasons = {(r["group"], r["reason"]): r["leavers"] for r in leaving.get("by_reason", [])}
        table = protect(reasons) if reasons else None
        leaving = {**leaving, "rows": rows, "by_reason": [
            {"group": g, "reason": reason, "leavers": table.published[(g, reason)]} for g, reason in reasons
        ] if table else []}
        doc["leaving"] = leaving
    for key in ("after_reporting", "after_accused"):
        section = doc[key]
        if section.get("missing"):
            continue
        for cohort in section["cohorts"].values():
            cohort["n"], cohort["left"] = count(cohort["n"]), count(cohort["left"])
            cohort["curve"] = [{k: v for k, v in p.items() if k != "at_risk"} for p in cohort["curve"]
                               if p["at_risk"] >= suppress_below()]
            cohort["survival_at"] = {t: {k: v for k, v in p.items() if k != "at_risk"}
                                     for t, p in cohort["survival_at"].items() if p["at_risk"] >= suppress_below()}
    promotion = doc["promotion"]
    if not promotion.get("missing"):
        rows = protect_rate_rows([{**r, "stage": "not_promoted"} for r in promotion["rows"]],
                                 reference=promotion.get("reference"))
        doc["promotion"] = {**promotion, "rows": [{k: v for k, v in r.items() if k != "stage"} for r in rows]}
        if promotion.get("by_reporting"):
            rows = protect_rate_rows([{**r, "stage": "not_promoted"} for r in promotion["by_reporting"]],
                                     reference="did not report before the board")
            doc["promotion"]["by_reporting"] = [{k: v for k, v in r.items() if k != "stage"} for r in rows]
    return doc


def _timeliness(doc: dict[str, Any]) -> dict[str, Any]:
    durations = doc["durations"]
    if not durations.get("missing"):
        durations["time_to_close"] = summary(durations["time_to_close"])
        durations["open_at_as_of"] = count(durations["open_at_as_of"])
        for key in [k for k in durations if k.startswith(("open_over", "took_over"))]:
            durations[key] = share(durations[key])
        durations["by_source"] = [{**summary(item), "open_over_12_months": share(item["open_over_12_months"])}
                                  for item in durations["by_source"]]
    stages = doc["time_in_stage"]
    if not stages.get("missing"):
        stages["rows"] = [{**summary(row), "ongoing": count(row["ongoing"])} for row in stages["rows"]]
    for key, extra in (("handovers", "two_or_more"), ("accounts_per_victim", "asked_again")):
        section = doc[key]
        if section.get("missing"):
            continue
        cases = section["cases"]
        published = protect_counts(section["distribution"])
        section["distribution"] = {k: v for k, v in published.items() if k != TOTAL}
        section["cases"] = published[TOTAL]
        if cases < suppress_below():
            section["mean"] = section["median"] = None
        section[extra] = share(section[extra])
    overdue = doc["overdue"]
    if not overdue.get("missing"):
        for key in ("acknowledgement", "feedback"):
            item = overdue[key]
            overdue[key] = {"late_or_overdue": share(item["late_or_overdue"]), "late": count(item["late"]),
                            "overdue_now": count(item["overdue_now"])}
    return doc


def _adjusted(doc: dict[str, Any]) -> dict[str, Any]:
    for model in doc.get("models", []):
        for row in model.get("groups", []):
            row["n"], row["events"] = count(row["n"]), count(row["events"])
            row["rate"] = row["events"] / row["n"] if row["events"] is not None and row["n"] else None
    return doc


PUBLISHERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "fairness": _fairness, "outcomes": _outcomes, "attrition": _attrition, "timeliness": _timeliness,
    "fairness_adjusted": _adjusted,
}


def publishable(kind: str, document: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    doc["complaints"], doc["allegations"] = count(doc.get("complaints")), count(doc.get("allegations"))
    doc = PUBLISHERS[kind](doc)
    doc["disclosure_control"] = {
        "suppressed_below": suppress_below(), "rounded_to": rounding_base(),
        "note": f"counts under {suppress_below()} suppressed (null), the rest rounded to the nearest "
                f"{rounding_base()}, complementary suppression where counts add up to a shown total; rates "
                "recomputed from the published counts",
    }
    return doc


WORDS = ("value", "became")  # the export's values and what they became (a number may be a value, not a count)


def _counts_protected(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return count(value)
    if isinstance(value, dict):
        return {key: item if key in WORDS else _counts_protected(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_counts_protected(item) for item in value]
    return value


def publishable_quality(meta: dict[str, Any]) -> dict[str, Any]:
    """The import's data-quality summary as a published report carries it: every count under disclosure control,
    the export's coded words and the mapping's hash as they are. The live dataset was not imported: no summary."""
    quality = meta.get("quality")
    if quality is not None:  # the warnings' own text quotes exact counts: the structured items say the same
        quality = {key: value for key, value in quality.items() if key != "warnings"}
    return {"source": meta.get("source"), "mapping": meta.get("mapping"),
            "mapping_sha256": meta.get("mapping_sha256"),
            "quality": _counts_protected(quality) if quality is not None else None,
            "disclosure_control": f"counts under {suppress_below()} suppressed (null), the rest rounded to the "
                                  f"nearest {rounding_base()}"}
