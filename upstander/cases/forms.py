"""Forms for the staff case views: every input goes through one (DESIGN.md rule 9)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from upstander.accounts.models import Role, User
from upstander.accounts.permissions import CASE_CONTENT_ROLES
from upstander.cases import rules, workflow
from upstander.cases.choices import AssignmentRole, Finding, Outcome, Severity
from upstander.lib.policy import category_choices

REASONS_HELP = "Written reasons are kept with the decision and shown to the overseer."


def _reasons(label: str = "Reasons", required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           help_text=REASONS_HELP)


# --- choosing people: from a list, never a typed username --------------------------------------------------------


def staff_label(user: User) -> str:
    """A member of staff as a picker shows them: name and role, then rank and number to tell two of a name apart."""
    name = user.get_full_name() or user.username
    role = Role(user.role).label.lower() if user.role in Role.values else ""
    person = user.person
    extra = f"{person.rank} {person.number}" if person is not None else ""
    return f"{name} ({', '.join(p for p in (role, extra) if p)})"


def eligible_staff(case) -> QuerySet[User]:
    """Who can own or hold a role on the case: the active case workers of the organisation handling it, in its
    handling unit. The same list for every case of that unit: it says nothing about who reported."""
    users = User.objects.filter(is_active=True, role__in=CASE_CONTENT_ROLES, organisation_id=case.handling_org_id)
    if case.handling_unit_id is not None:
        users = users.filter(unit_id=case.handling_unit_id)
    return users.select_related("person").order_by("last_name", "first_name", "username")


class StaffChoiceField(forms.ModelChoiceField):
    """A `<select>` of staff by name and role; the value is the account's public id."""

    def __init__(self, *args, not_owner: bool = False, **kwargs):
        self.not_owner = not_owner  # the case's owner is left out (a handover cannot go to them)
        kwargs.setdefault("to_field_name", "public_id")
        kwargs.setdefault("empty_label", "Choose a person")
        kwargs.setdefault("error_messages", {"required": "Choose a person from the list.",
                                             "invalid_choice": "Choose a person from the list: that one cannot be "
                                                               "chosen for this case."})
        super().__init__(User.objects.none(), *args, **kwargs)
        self.widget.attrs["data-staff-picker"] = ""

    def label_from_instance(self, obj) -> str:
        return staff_label(obj)


class CaseForm(forms.Form):
    """A form whose choices depend on the case (the staff who may be chosen for it)."""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = eligible_staff(case) if case is not None else User.objects.none()
        for field in self.fields.values():
            if isinstance(field, StaffChoiceField):
                field.queryset = staff.exclude(pk=case.owner_id) if field.not_owner and case is not None else staff


OWNER_CHOICES = [("", "Anyone"), ("me", "Me"), ("none", "No owner yet")]


def owner_choices(actor) -> list[tuple[str, str]]:
    """The queue's owner filter: me, nobody, or a colleague by name (the value is their account name)."""
    users = User.objects.filter(is_active=True, role__in=CASE_CONTENT_ROLES).select_related("person")
    if getattr(actor, "role", None) != Role.OVERSEER:
        organisation = getattr(actor, "organisation_id", None)
        users = users.filter(organisation_id=organisation) if organisation is not None else users.none()
    people = [(u.username, staff_label(u)) for u in users.order_by("last_name", "first_name", "username")]
    return [*OWNER_CHOICES, *people]


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label="Stage", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    owner = forms.ChoiceField(label="Owner", required=False)
    flags = forms.BooleanField(label="With an unresolved safety-net flag", required=False)
    escalated = forms.BooleanField(label="Escalated and not yet seen", required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any open stage"), ("all", "Any stage, closed included")] + [
            (s["key"], s["label"]) for s in workflow.stages()]
        self.fields["category"].choices = [("", "Any category")] + category_choices()
        self.fields["owner"].choices = owner_choices(actor)
        self.fields["owner"].widget.attrs["data-staff-picker"] = ""


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


class HandoverForm(CaseForm):
    user = StaffChoiceField(label="New owner", not_owner=True)
    reason = forms.CharField(label="Reason for the handover", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000, help_text="Needed when the case already has an owner.")


class AssignForm(CaseForm):
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in (
        AssignmentRole.ASSESSOR, AssignmentRole.INVESTIGATOR, AssignmentRole.DECISION_MAKER)])
    user = StaffChoiceField(label="Who")


class OverrideForm(CaseForm):
    user = StaffChoiceField(label="The person to allow despite the conflict")
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


REFERRAL_DECISIONS = [
    ("local_handling_permitted", "The force may handle it"), ("not_required", "Referral not required"),
    ("referred_and_returned", "Referred and returned to the force")]


class ReferralDecisionForm(forms.Form):
    allegation = forms.UUIDField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Decision", choices=REFERRAL_DECISIONS)
    reasons = _reasons(required=True)


class AddToCaseForm(forms.Form):
    code = forms.CharField(label="Case reference", max_length=16)


class EscalationSeenForm(forms.Form):
    note = forms.CharField(label="What was done", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RosterSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, strip=True)  # CharField refuses NUL bytes
    mention = forms.UUIDField(required=False)
