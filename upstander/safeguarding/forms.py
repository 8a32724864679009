from __future__ import annotations

from django import forms

from upstander.people.models import Team, Unit
from upstander.safeguarding.access import AlertFilters
from upstander.safeguarding.models import AlertStatus, Plan


class ConsentForm(forms.Form):
    consents = forms.TypedChoiceField(label="Does the victim agree to be moved?", coerce=lambda v: v == "yes",
                                      choices=[("no", "No"), ("yes", "Yes")], widget=forms.RadioSelect)
    note = forms.CharField(label="How and when they said so", max_length=500, required=False)


class PlanForm(forms.Form):
    plan = forms.ChoiceField(label="Plan", choices=Plan.choices)
    reasons = forms.CharField(label="Why the plan changes", widget=forms.Textarea, max_length=2000)


class MoveForm(forms.Form):
    to_team = forms.CharField(label="Team code to move them to", max_length=48)

    def clean_to_team(self):
        team = Team.objects.select_related("unit").filter(code=self.cleaned_data["to_team"].strip()).first()
        if team is None:
            raise forms.ValidationError("No team has that code.")
        return team


class ResolveForm(forms.Form):
    resolution = forms.CharField(label="How it was resolved", widget=forms.Textarea, max_length=2000)
    together_by_choice = forms.BooleanField(
        label="They still work together because the victim chose to stay", required=False)


class CloseAlertForm(forms.Form):
    note = forms.CharField(label="What was done about it", widget=forms.Textarea, max_length=2000)


def _unit_choices() -> list[tuple[str, str]]:
    return [("", "Every unit"), *Unit.objects.order_by("name").values_list("code", "name")]


class AlertFilterForm(forms.Form):
    """The alert list's filters, in the page's address (GET), so a filtered page can be bookmarked and paged."""

    status = forms.ChoiceField(label="Status", required=False, initial=AlertStatus.OPEN,
                               choices=[(AlertStatus.OPEN, "Open"), (AlertStatus.CLOSED, "Closed"), ("", "Open and closed")])
    unit = forms.ChoiceField(label="Unit of the person who spoke up", required=False, choices=_unit_choices)
    opened_from = forms.DateField(label="Opened from", required=False, help_text="For example 2024-01-31.")
    opened_to = forms.DateField(label="Opened up to", required=False, help_text="For example 2024-12-31.")

    def clean(self):
        data = super().clean()
        if data.get("opened_from") and data.get("opened_to") and data["opened_from"] > data["opened_to"]:
            self.add_error("opened_to", "The end date is before the start date.")
        return data

    def filters(self) -> AlertFilters:
        """The filters chosen (valid form), or the default: open alerts of every unit."""
        if not self.is_bound:
            return AlertFilters()
        data = self.cleaned_data
        return AlertFilters(status=data["status"], unit=data["unit"], opened_from=data["opened_from"],
                            opened_to=data["opened_to"])
