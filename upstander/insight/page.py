"""The figures page's content: every analysis of the chosen dataset and window, exact (the analyst's own view), with
its charts and the sentences that say what stands out. Cached a few minutes per choice, since a large dataset takes
seconds to analyse.

Charts are embedded as data: URIs (<img src="data:image/svg+xml;base64,…">): the site's Content-Security-Policy
forbids inline styles, which an inline <svg> would need, but allows images from data: URIs.

Patterns keep only their aggregates here: the crews' members and the witness pairs name people, and the analyst sees
no list of named people (DESIGN.md); the overseer has the crews page for those.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from django.core.cache import cache

from upstander.cases.models import Case
from upstander.insight import charts, explain
from upstander.insight.attrition import attrition
from upstander.insight.attrition import settings as attrition_policy
from upstander.insight.datasets import LIVE, dataset_path, load
from upstander.insight.disclosure import suppress_below
from upstander.insight.fairness import fairness
from upstander.insight.outcomes import outcomes
from upstander.insight.patterns import PatternOptions, patterns
from upstander.insight.timeliness import timeliness
from upstander.lib import clock
from upstander.people.models import Person

CACHE_SECONDS = 300
PATTERN_AGGREGATES = ("subjects", "complaints", "allegations", "substantiated", "concentration", "graph",
                      "coaccused_pairs", "crew_totals", "witness_pairs")
COMPLAINANT_SECTIONS = (("by_complainant_sex", "Sex"), ("by_complainant_ethnicity", "Ethnicity"),
                        ("by_source", "Source"))


def _uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _live_version() -> str:
    """What changes when the live records grow: the newest case and the roster's size. (A change to an existing case
    shows once the cached figures expire, within CACHE_SECONDS; the audit log's head would change with every
    sign-in, and a large force's figures take seconds to recompute.)"""
    newest = Case.objects.order_by("-id").values_list("public_id", flat=True).first()
    return f"{newest}:{Person.objects.count()}"


def _cache_key(params: dict[str, Any]) -> str:
    if params["dataset"] == LIVE:
        stamp = clock.today().isoformat() + _live_version()
    else:  # a re-import replaces meta.json, so its modification time names the version
        meta = dataset_path(params["dataset"]) / "meta.json"
        stamp = str(meta.stat().st_mtime_ns) if meta.exists() else "absent"
    return "insight-figures:" + hashlib.sha256((json.dumps(params, default=str) + stamp).encode()).hexdigest()


def figures(params: dict[str, Any]) -> dict[str, Any]:
    """Every figure on the page for `params` (dataset, date_from, date_to, source, by). Raises DatasetError."""
    key = _cache_key(params)
    cached = cache.get(key)
    if cached is not None:
        return cached
    data = load(params["dataset"], params["date_from"], params["date_to"], params["source"])
    found = patterns(data, PatternOptions(date_from=params["date_from"], date_to=params["date_to"],
                                          source=params["source"]))
    result = {
        "describe": data.describe(), "fairness": fairness(data, by=params["by"]), "outcomes": outcomes(data),
        "timeliness": timeliness(data),
        "attrition": attrition(data, by="ethnicity" if params["by"] == "ethnicity_sex" else params["by"]),
        "patterns": {k: found[k] for k in PATTERN_AGGREGATES},
    }
    result["charts"] = _charts(result)
    result["summary"] = explain.what_stands_out(result)
    result["lines"] = {"careers": explain.career_lines(result["attrition"]),
                       "timeliness": explain.timeliness_lines(result["timeliness"]),
                       "patterns": explain.pattern_lines(result["patterns"])}
    cache.set(key, result, CACHE_SECONDS)
    return result


def _charts(result: dict[str, Any]) -> dict[str, str]:
    fair, out, att = result["fairness"], result["outcomes"], result["attrition"]
    made = {
        "relative_rates": charts.relative_rate_chart(fair["rates"], fair["reference"], "Relative rates by stage"),
        "funnel": charts.funnel_chart(fair["rates_per_allegation"], "Allegations reaching each stage"),
        "complainants": charts.interval_chart(_complainant_items(out), "Complaints substantiated, against the "
                                              "reference group", "relative rate (95% interval, log scale)"),
    }
    if not out["by_theme"].get("missing"):
        made["themes"] = charts.bar_chart(out["by_theme"]["rows"], "Allegations substantiated, by theme",
                                          "substantiated")
    if not att["leaving"].get("missing"):
        made["leaving"] = charts.bar_chart(att["leaving"]["rows"], "Staff who left, by group", "left")
    for key, words in (("after_accused", "after being accused"), ("after_reporting", "after reporting")):
        if not att[key].get("missing"):
            made[f"survival_{key}"] = charts.survival_chart(att[key], f"Staying in the force {words}")
    if not att["promotion"].get("missing"):
        made["promotion"] = charts.bar_chart(att["promotion"]["rows"] + (att["promotion"].get("by_reporting") or []),
                                             "Passed a promotion board but not promoted", "not promoted")
    stages = result["timeliness"]["time_in_stage"]
    if not stages.get("missing"):
        made["stage_time"] = charts.value_chart(
            [{"label": str(r["stage"]).replace("_", " ").capitalize(), "value": r["median_days"]}
             for r in stages["rows"]], "Median days in each stage", "days")
    share = result["patterns"]["concentration"]
    made["concentration"] = charts.value_chart(
        [{"label": f"Top {p}% of accused staff", "value": share[p]} for p in sorted(share, key=int)],
        "Share of all allegations", "share of allegations (%)", percent=True)
    return {name: _uri(svg) for name, svg in made.items()}


def _complainant_items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    items = []
    for colour, (key, words) in enumerate(COMPLAINANT_SECTIONS):
        section = doc.get(key, {})
        if section.get("missing"):
            continue
        items += [{"label": f"{words}: {explain.SOURCE_GROUPS.get(r['group'], str(r['group']).replace('_', ' '))}",
                   "value": r.get("relative_rate"),
                   "low": r.get("ci_low"), "high": r.get("ci_high"), "colour": colour}
                  for r in section.get("rows", []) if not r.get("reference")]
    return items


def explanations() -> dict[str, Any]:
    """The plain words beside every column, chart and figure (explain.py), as the template reads them."""
    return {"columns": {kind: explain.columns(kind, days=attrition_policy()["promotion_within_days"])
                        for kind in explain.COLUMNS},
            "figures": explain.FIGURES, "enough": suppress_below()}
