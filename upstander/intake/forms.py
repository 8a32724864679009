"""The reporter's forms: one question per page (GOV.UK "one thing per page"), except where a few answers belong
together (about you, who did it, equality monitoring).

The forms render no HTML `required` attribute and every <form> carries `novalidate`: the browser's own bubbles
would appear before, and differently from, the error summary the server writes (GOV.UK Design System: "turn off
HTML5 validation"). Optional questions say "(optional)" instead; the server says what is missing, in plain words.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms

from upstander.lib import clock
from upstander.lib.limits import MAX_TEXT_CHARS
from upstander.lib.policy import category_choices
from upstander.people.choices import Ethnicity, Sex
from upstander.reports.choices import ReporterRole, ReporterType, ReportingMode
from upstander.reports.messages import MAX_MESSAGE_CHARS

MAX_NARRATIVE_CHARS = MAX_TEXT_CHARS
SUBJECT_ROWS = 3
YES_NO_UNSURE = [("yes", "Yes"), ("no", "No"), ("unsure", "I'm not sure")]
ROUTE_FORCE = "force"
ROUTE_INDEPENDENT = "independent"


class ReporterForm(forms.Form):
    use_required_attribute = False  # see the module docstring
    choice_hints: dict[str, dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.no_autofill()

    def no_autofill(self) -> None:
        """Forms that add fields in their own __init__ call this again afterwards."""
        # The browser must not remember what was typed: its autofill history would offer a reporter's name, an
        # officer's name or a place to the next person at a shared computer, and "Leave this site quickly" cannot
        # clear it (Clear-Site-Data does not reach autofill). This outweighs autocomplete tokens (WCAG 1.3.5) here.
        for field in self.fields.values():
            if isinstance(field.widget, (forms.TextInput, forms.EmailInput, forms.Textarea)):
                field.widget.attrs.setdefault("autocomplete", "off")


class HowForm(ReporterForm):
    mode = forms.ChoiceField(
        label="How do you want to report?", widget=forms.RadioSelect,
        choices=[(ReportingMode.NAMED, "Named"), (ReportingMode.CONFIDENTIAL, "Confidential"),
                 (ReportingMode.ANONYMOUS, "Anonymous")],
        error_messages={"required": "Select how you want to report"})

    choice_hints = {"mode": {
        ReportingMode.NAMED: "The case team will know who you are.",
        ReportingMode.CONFIDENTIAL: "Your name is sealed. Only the identity custodians can open it, with a recorded "
                                    "reason, and you will be told. If you are staff, the independent overseer may see "
                                    "it to protect you from retaliation; the force never does.",
        ReportingMode.ANONYMOUS: "Nobody is told who you are, and nothing that identifies you or your device is kept.",
    }}


class StaffForm(ReporterForm):
    reporter_type = forms.ChoiceField(
        label="Are you a police officer or member of police staff?", widget=forms.RadioSelect,
        choices=[(ReporterType.STAFF, "Yes, I am a police officer or member of staff"),
                 (ReporterType.PUBLIC, "No, I am a member of the public")],
        error_messages={"required": "Select whether you are police staff or a member of the public"})


class RouteForm(ReporterForm):
    route = forms.ChoiceField(
        label="Who should your report go to?", widget=forms.RadioSelect,
        choices=[(ROUTE_FORCE, "The force's professional standards team and the independent overseer"),
                 (ROUTE_INDEPENDENT, "Only the independent overseer")],
        error_messages={"required": "Select who your report should go to"})

    choice_hints = {"route": {
        ROUTE_FORCE: "The usual route. The overseer sees every report and checks that it is dealt with.",
        ROUTE_INDEPENDENT: "The force sees nothing until the overseer decides it should. For officers and staff "
                           "who fear what the force would do.",
    }}


class YouForm(ReporterForm):
    name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"},
                           widget=forms.TextInput(attrs={"spellcheck": "false"}))

    def __init__(self, *args, mode: str, reporter_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        if reporter_type == ReporterType.STAFF:
            self.fields["staff_number"] = forms.CharField(
                label="Your warrant or staff number (optional)", max_length=32, required=False,
                widget=forms.TextInput(attrs={"spellcheck": "false"}),
                help_text="It lets the independent overseer watch for retaliation against you. The force does not "
                          "see it.")
        if mode == ReportingMode.NAMED:
            self.fields["email"] = forms.EmailField(
                label="Email address (optional)", required=False, max_length=254,
                widget=forms.EmailInput(attrs={"spellcheck": "false"}),
                help_text="Only if you want an email when there is an update. It will say only that there is an "
                          "update.", error_messages={"invalid": "Enter an email address like name@example.com"})
            self.fields["wants_update_email"] = forms.BooleanField(
                label="Email me when there is an update", required=False)
        self.no_autofill()

    def clean(self):
        data = super().clean()
        if data.get("wants_update_email") and not data.get("email"):
            self.add_error("email", "Enter your email address, or untick “Email me when there is an update”")
        return data


class WhatForm(ReporterForm):
    narrative = forms.CharField(
        label="What happened?", widget=forms.Textarea(attrs={"rows": 12}), max_length=MAX_NARRATIVE_CHARS,
        help_text="In your own words. Include anything you think matters: what was said or done, who else was "
                  "there, and anything that happened afterwards.",
        error_messages={"required": "Tell us what happened",
                        "max_length": "What happened must be 20,000 characters or fewer"})


DATE_PARTS = (("day", "Day"), ("month", "Month"), ("year", "Year"))


class WhenForm(ReporterForm):
    """Day, month and year as three boxes (the GOV.UK date input), never the browser's date picker."""

    incident_day = forms.CharField(label="Day", max_length=2, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "width-2"}))
    incident_month = forms.CharField(label="Month", max_length=2, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "width-2"}))
    incident_year = forms.CharField(label="Year", max_length=4, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "width-4"}))

    legend = "When did it happen? (optional)"
    hint = "For example, 27 3 2024. If you do not know the date, leave it empty."

    def _numbers(self) -> dict[str, str]:
        return {part: (self.cleaned_data.get(f"incident_{part}") or "").strip() for part, _ in DATE_PARTS}

    def clean(self):
        data = super().clean()
        parts = self._numbers()
        data["incident_on"] = None
        if not any(parts.values()):
            return data
        missing = [part for part, _ in DATE_PARTS if not parts[part]]
        if missing:
            self.add_error(f"incident_{missing[0]}", f"The date must include a {' and a '.join(missing)}")
            return data
        if not all(v.isdigit() for v in parts.values()):
            first = next(part for part, _ in DATE_PARTS if not parts[part].isdigit())
            self.add_error(f"incident_{first}", "The date must be written in numbers, for example 27 3 2024")
            return data
        if len(parts["year"]) != 4:
            self.add_error("incident_year", "The year must have 4 numbers, for example 2024")
            return data
        try:
            when = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error("incident_day", "The date must be a real date")
            return data
        if when > clock.today():
            self.add_error("incident_day", "The date must be today or in the past")
            return data
        data["incident_on"] = when
        return data

    def date_fields(self):
        return [self[f"incident_{part}"] for part, _ in DATE_PARTS]

    def date_errors(self) -> list[str]:
        return [str(e) for f in self.date_fields() for e in f.errors]


class WhereForm(ReporterForm):
    place = forms.CharField(label="Where did it happen? (optional)", max_length=500, required=False,
                            help_text="For example the station, street or building. Leave it empty if you prefer.")


class WhoForm(ReporterForm):
    """Up to three people, each a name, a number and a team; any of it may be left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, SUBJECT_ROWS + 1):
            self.fields[f"subject_{i}_name"] = forms.CharField(label="Name (optional)", max_length=200,
                                                               required=False)
            self.fields[f"subject_{i}_number"] = forms.CharField(label="Warrant or staff number (optional)",
                                                                 max_length=64, required=False)
            self.fields[f"subject_{i}_unit"] = forms.CharField(label="Team, unit or station (optional)",
                                                               max_length=200, required=False)
        self.no_autofill()

    def subject_rows(self):
        return [(i, self[f"subject_{i}_name"], self[f"subject_{i}_number"], self[f"subject_{i}_unit"])
                for i in range(1, SUBJECT_ROWS + 1)]


class AboutForm(ReporterForm):
    categories = forms.MultipleChoiceField(
        label="What was it about?", widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
        error_messages={"required": "Select at least one thing it was about"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["categories"]).choices = category_choices()


class PartForm(ReporterForm):
    reporter_role = forms.ChoiceField(
        label="What is your part in it?", widget=forms.RadioSelect,
        choices=[(ReporterRole.VICTIM, "It happened to me"), (ReporterRole.WITNESS, "I saw or heard it happen"),
                 (ReporterRole.THIRD_PARTY, "Someone told me about it")],
        error_messages={"required": "Select what your part in it is"})


class AlongsideForm(ReporterForm):
    still_works_alongside = forms.ChoiceField(
        label="Do you still work alongside the person or people you are reporting?", widget=forms.RadioSelect,
        choices=YES_NO_UNSURE, help_text="If you do, the case team must think about keeping you apart.",
        error_messages={"required": "Select whether you still work alongside them"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesForm(ReporterForm):
    attachments = forms.FileField(
        label="Add files (optional)", required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text="Pictures, screenshots, PDFs, documents, recordings. Up to 10 files, each up to the size limit.")


class EqualityForm(ReporterForm):
    reporter_sex = forms.ChoiceField(
        label="Your sex (optional)", widget=forms.RadioSelect, required=False, choices=Sex.choices)
    reporter_ethnicity = forms.ChoiceField(
        label="Your ethnic group (optional)", required=False,
        choices=[("", "Choose (optional)")] + list(Ethnicity.choices))


class CheckForm(ReporterForm):
    idempotency_token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReceiptForm(ReporterForm):
    receipt = forms.CharField(
        label="Receipt", max_length=300,
        help_text="The seven words you were given when you sent your report.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": "Enter your receipt"})


class ResumeForm(ReporterForm):
    code = forms.CharField(
        label="Code", max_length=300,
        help_text="The five words you were given when you saved your report.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": "Enter the code you were given"})


def _body(label: str, required: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_MESSAGE_CHARS,
                           help_text=help_text, error_messages={
                               "required": required, "max_length": "This must be 20,000 characters or fewer"})


# The status page holds four forms at once: each has its own prefix, so every box has its own id and name
# (id_message-body, id_retaliation-body, …) and an error summary link lands on the right one.
class MessageForm(ReporterForm):
    prefix = "message"
    body = _body("Your message", "Write your message")


class InformationForm(ReporterForm):
    prefix = "information"
    body = _body("What you want to add", "Write what you want to add")
    attachments = forms.FileField(label="Files (optional)", required=False,
                                  widget=MultipleFileInput(attrs={"multiple": True}))


class RetaliationForm(ReporterForm):
    prefix = "retaliation"
    body = _body("What has happened to you since you reported", "Tell us what has happened to you",
                 help_text="For example being left out, moved, blocked from promotion, or disciplined after you "
                           "spoke up.")


class ReviewForm(ReporterForm):
    prefix = "review"
    body = _body("Why you want the outcome reviewed", "Say why you want a review")
