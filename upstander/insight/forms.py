"""The figures page's forms: which dataset and window to show, and the request to publish a signed report of it."""

from __future__ import annotations

from typing import Any

from django import forms

from upstander.insight.datasets import LIVE, list_datasets
from upstander.insight.explain import LIVE_LABEL, SOURCE_CHOICES

GROUP_CHOICES = [("ethnicity", "Ethnicity"), ("sex", "Sex"), ("ethnicity_sex", "Ethnicity and sex")]


def dataset_choices() -> list[tuple[str, str]]:
    return [(LIVE, LIVE_LABEL)] + [(d["name"], d["name"]) for d in list_datasets()]


class WindowForm(forms.Form):
    """Dataset, dates and source: what every figure on the page (and a published report) counts."""

    dataset = forms.ChoiceField(label="Dataset", required=False)
    date_from = forms.DateField(label="Complaints received from", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "Enter the first date as a real date"})
    date_to = forms.DateField(label="Complaints received up to", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "Enter the last date as a real date"})
    source = forms.ChoiceField(label="Complaints from", choices=SOURCE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = dataset_choices()  # type: ignore[attr-defined]
        self.fields["dataset"].error_messages["invalid_choice"] = "Choose one of the datasets listed"
        self.fields["source"].error_messages["invalid_choice"] = "Choose where the complaints came from"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The last date must be the same as or after the first date")
        return data

    def window(self) -> dict[str, Any]:
        """The cleaned choice, with defaults filled in (call after is_valid)."""
        data = self.cleaned_data
        return {"dataset": data.get("dataset") or LIVE, "date_from": data.get("date_from"),
                "date_to": data.get("date_to"), "source": data.get("source") or "all"}


class DashboardForm(WindowForm):
    by = forms.ChoiceField(label="Compare staff by", required=False, choices=GROUP_CHOICES)

    def params(self) -> dict[str, Any]:
        return {**self.window(), "by": self.cleaned_data.get("by") or "ethnicity"}


class PublishForm(WindowForm):
    """The window shown on the page, carried in hidden fields: a report is published of what the analyst has just
    looked at. Hidden fields carry no id, so the page's ids stay unique beside the chooser's own fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = forms.HiddenInput()
