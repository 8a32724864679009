from __future__ import annotations

from django import forms

from upstander.people.models import Team
from upstander.safeguarding.models import Plan


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
