"""The analyst's (and the overseer's) insight dashboard: exact aggregates of a dataset — never a single case, never a
named person — with charts rendered on the server as SVG, so the page reads without JavaScript.

Charts are embedded as data: URIs (<img src="data:image/svg+xml;base64,…">): the site's Content-Security-Policy
forbids inline styles, which an inline <svg> would need, but allows images from data: URIs.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.insight import charts
from upstander.insight.datasets import LIVE, SOURCES, DatasetError, dataset_path, list_datasets, load
from upstander.insight.stages import LABELS
from upstander.lib import clock

ANALYSTS = (Role.ANALYST, Role.OVERSEER)
CACHE_SECONDS = 300


class DashboardForm(forms.Form):
    dataset = forms.ChoiceField(label="Dataset", required=False)
    date_from = forms.DateField(label="Complaints from", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(label="Source", choices=[(s, s.capitalize()) for s in SOURCES], required=False)
    by = forms.ChoiceField(label="Groups", required=False, choices=[
        ("ethnicity", "Ethnicity"), ("sex", "Sex"), ("ethnicity_sex", "Ethnicity and sex")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(LIVE, "Live system")] + [(d["name"], d["name"]) for d in list_datasets()]
        self.fields["dataset"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The first date is after the last.")
        return data


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _analyse(params: dict[str, Any]) -> dict[str, Any]:
    """Every figure on the page, exact. Cached a few minutes per choice of dataset, window, source and grouping."""
    from upstander.insight.attrition import attrition
    from upstander.insight.fairness import fairness
    from upstander.insight.outcomes import outcomes
    from upstander.insight.timeliness import timeliness

    if params["dataset"] == LIVE:
        stamp = clock.today().isoformat()
    else:  # a re-import replaces meta.json, so its modification time names the version
        meta = dataset_path(params["dataset"]) / "meta.json"
        stamp = str(meta.stat().st_mtime_ns) if meta.exists() else "absent"
    key = "insight-dashboard:" + hashlib.sha256((json.dumps(params, default=str) + stamp).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    data = load(params["dataset"], params["date_from"], params["date_to"], params["source"])
    fair = fairness(data, by=params["by"])
    result = {
        "describe": data.describe(), "window": data.window_label(), "fairness": fair, "outcomes": outcomes(data),
        "timeliness": timeliness(data), "attrition": attrition(data, by=params["by"] if params["by"] != "ethnicity_sex"
                                                                  else "ethnicity"),
        "charts": {
            "funnel": _svg_uri(charts.funnel_chart(fair["rates_per_allegation"], "Misconduct funnel")),
            "relative_rates": _svg_uri(charts.relative_rate_chart(fair["rates"], fair["reference"],
                                                                  "Relative rates")),
        },
    }
    themes = result["outcomes"]["by_theme"]
    if not themes.get("missing"):
        result["charts"]["themes"] = _svg_uri(charts.bar_chart(themes["rows"], "Allegations substantiated, by theme",
                                                               "substantiated"))
    accused = result["attrition"]["after_accused"]
    if not accused.get("missing"):
        result["charts"]["survival"] = _svg_uri(charts.survival_chart(accused, "Staying after being accused"))
    cache.set(key, result, CACHE_SECONDS)
    return result


@never_cache
@staff_view(ANALYSTS)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "stage_labels": LABELS}
    if form.is_bound and form.is_valid():
        params = {"dataset": form.cleaned_data["dataset"] or LIVE, "date_from": form.cleaned_data["date_from"],
                  "date_to": form.cleaned_data["date_to"], "source": form.cleaned_data["source"] or "all",
                  "by": form.cleaned_data["by"] or "ethnicity"}
        try:
            context["result"] = _analyse(params)
        except DatasetError as exc:
            context["error"] = str(exc)
    return render(request, "insight/dashboard.html", context)
