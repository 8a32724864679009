"""Forms for the staff case views: every input goes through one (DESIGN.md rule 9)."""

from __future__ import annotations

from django import forms

from upstander.cases import rules, workflow
from upstander.cases.choices import AssignmentRole, Finding, Outcome, Severity
from upstander.lib.policy import category_choices

REASONS_HELP = "Written reasons are kept with the decision and shown to the overseer."


def _reasons(label: str = "Reasons", required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           help_text=REASONS_HELP)


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label="Stage", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    owner = forms.CharField(label="Owner (username, “me” or “none”)", required=False, max_length=150)
    flags = forms.BooleanField(label="With an unresolved safety-net flag", required=False)
    escalated = forms.BooleanField(label="Escalated and not yet seen", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any open stage"), ("all", "Any stage, closed included")] + [
            (s["key"], s["label"]) for s in workflow.stages()]
        self.fields["category"].choices = [("", "Any category")] + category_choices()


class ReasonsForm(forms.Form):
    reasons = _reasons()


class RequiredReasonsForm(forms.Form):
    reasons = _reasons(required=True)


class AllegationForm(forms.Form):
    subject = forms.ChoiceField(label="Subject (a person linked from the report)", required=False)
    category = forms.ChoiceField(label="Category")
    severity = forms.ChoiceField(label="Severity", required=False, choices=[("", "Not assessed yet"), *Severity.choices])
    possible_crime = forms.BooleanField(label="Possible crime", required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["subject"].choices = [("", "Not yet identified")] + [(str(p.public_id), str(p)) for p in subjects]


class AssessForm(forms.Form):
    allegation = forms.UUIDField(widget=forms.HiddenInput)
    severity = forms.ChoiceField(label="Severity", choices=Severity.choices)
    possible_crime = forms.BooleanField(label="Possible crime", required=False)
    referral_criteria = forms.MultipleChoiceField(label="Mandatory referral criteria met", required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    reasons = _reasons("Reasons (required to downgrade or to record no case)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_criteria"].choices = rules.criterion_choices()


class RouteForm(forms.Form):
    route = forms.ChoiceField(label="How the case will be dealt with")
    reasons = _reasons()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(r["key"], r["label"]) for r in workflow.routes()]


class CaseToAnswerForm(forms.Form):
    case_to_answer = forms.TypedChoiceField(label="Decision", coerce=lambda v: v == "yes",
                                            choices=[("yes", "Case to answer"), ("no", "No case to answer")])
    reasons = _reasons("Reasons (required for no case to answer)")


class ProceedingsForm(forms.Form):
    kind = forms.ChoiceField(label="Meeting or hearing")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, k.replace("_", " ").capitalize()) for k in workflow.proceedings_kinds()]


class OutcomeForm(forms.Form):
    allegation = forms.UUIDField(widget=forms.HiddenInput)
    finding = forms.ChoiceField(label="Finding", required=False, choices=[("", "—"), *Finding.choices])
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices)
    reasons = _reasons("Reasons (required for no further action)")


class ReviewDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(label="Review decision", coerce=lambda v: v == "yes",
                                    choices=[("no", "Not upheld"), ("yes", "Upheld")])
    reasons = _reasons(required=True)


class HandoverForm(forms.Form):
    username = forms.CharField(label="New owner (username)", max_length=150)
    reason = forms.CharField(label="Reason for the handover", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class AssignForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in (
        AssignmentRole.ASSESSOR, AssignmentRole.INVESTIGATOR, AssignmentRole.DECISION_MAKER)])
    username = forms.CharField(label="Who (username)", max_length=150)


class OverrideForm(forms.Form):
    number = forms.CharField(label="Warrant or staff number of the person", max_length=32)
    role = forms.ChoiceField(label="Role", choices=AssignmentRole.choices)
    reasons = _reasons(required=True)


class FlagForm(forms.Form):
    flag = forms.UUIDField(widget=forms.HiddenInput)
    reasons = _reasons("Why the flag is resolved", required=True)


class StatementForm(forms.Form):
    text = forms.CharField(label="The victim's account", widget=forms.Textarea(attrs={"rows": 10}), max_length=50_000)
    asked_again = forms.BooleanField(label="The victim was asked to give their account again", required=False)
    reason = forms.CharField(label="Why a new version (required after the first)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class LinkMentionForm(forms.Form):
    mention = forms.UUIDField(widget=forms.HiddenInput)
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)  # empty: nobody in the roster matches


class ReferForm(forms.Form):
    allegation = forms.UUIDField(widget=forms.HiddenInput)
    reference = forms.CharField(label="The independent body's reference", required=False, max_length=64)


class ReferralDecisionForm(forms.Form):
    allegation = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Decision", choices=[
        ("local_handling_permitted", "The force may handle it"), ("not_required", "Referral not required"),
        ("referred_and_returned", "Referred and returned to the force")])
    reasons = _reasons(required=True)


class AddToCaseForm(forms.Form):
    code = forms.CharField(label="Case reference", max_length=16)


class EscalationSeenForm(forms.Form):
    note = forms.CharField(label="What was done", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RosterSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)  # CharField refuses NUL bytes
    mention = forms.UUIDField(required=False)
