"""The overseer's picture of the co-accusal network: the figures of `insight patterns` (concentration, pairs, crews)
for a dataset and window, and the largest crews drawn as a network on the server (oversight/crews.py).

Crews name people, so this page is for the overseer only (DESIGN.md: person-level pattern lists), and every showing
of them is written to the audit log (oversight/access.py). On the live dataset people are shown by roster name and
number; an imported dataset has only its own ids.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.permissions import OVERSEER_ONLY, staff_view
from upstander.insight.datasets import LIVE, SOURCES, DatasetError, list_datasets
from upstander.oversight.access import crews_for


class CrewsForm(forms.Form):
    dataset = forms.ChoiceField(label="Dataset", required=False)
    date_from = forms.DateField(label="Complaints from", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(label="Source", choices=[(s, s.capitalize()) for s in SOURCES], required=False)
    max_group = forms.IntegerField(label="Leave out complaints naming more than", min_value=2, max_value=1000,
                                   required=False, help_text="people (default 10)")
    min_pairs = forms.IntegerField(label="Crews from pairs co-accused at least", min_value=1, max_value=100,
                                   required=False, help_text="times (default 3)")
    crews = forms.IntegerField(label="Crews shown", min_value=1, max_value=48, required=False,
                               help_text="largest first (default 12)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(LIVE, "Live system")] + [(d["name"], d["name"]) for d in list_datasets()]
        self.fields["dataset"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The first date is after the last.")
        return data

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"dataset": data["dataset"] or LIVE, "date_from": data["date_from"], "date_to": data["date_to"],
                "source": data["source"] or "all", "max_group": data["max_group"] or 10,
                "min_pairs": data["min_pairs"] or 3, "crews": data["crews"] or 12}


@never_cache
@staff_view(OVERSEER_ONLY)
@require_GET
def crews(request: HttpRequest) -> HttpResponse:
    """Figures and the network of crews for the dataset and window asked for; nothing is computed until asked."""
    form = CrewsForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        try:
            context |= crews_for(request.user, form.params())
        except DatasetError as exc:
            context["error"] = str(exc)
    return render(request, "oversight/crews.html", context)
