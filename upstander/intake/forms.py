"""The reporter's forms, one per page. Every question the server requires is `required=True`, which gives the
input (each radio of a group included) the HTML `required` attribute; the categories are the only exception: at
least one must be ticked, which HTML cannot say, so the server says it with a clear message."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from upstander.lib.limits import MAX_TEXT_CHARS
from upstander.lib.policy import category_choices
from upstander.people.choices import Ethnicity, Sex
from upstander.reports.choices import ReporterRole, ReporterType, ReportingMode

SUBJECT_ROWS = 3
YES_NO_UNSURE = [("yes", "Yes"), ("no", "No"), ("unsure", "I'm not sure")]


class HowForm(forms.Form):
    mode = forms.ChoiceField(
        label="How do you want to report?", widget=forms.RadioSelect,
        choices=[(ReportingMode.NAMED, "Named"), (ReportingMode.CONFIDENTIAL, "Confidential"),
                 (ReportingMode.ANONYMOUS, "Anonymous")],
        error_messages={"required": "Choose how you want to report"})
    reporter_type = forms.ChoiceField(
        label="Are you a police officer or member of police staff?", widget=forms.RadioSelect,
        choices=[(ReporterType.STAFF, "Yes, I am a police officer or member of staff"),
                 (ReporterType.PUBLIC, "No, I am a member of the public")],
        error_messages={"required": "Say whether you are police staff or a member of the public"})
    independent = forms.BooleanField(
        label="Send my report only to the independent overseer (officers and staff only)", required=False)

    choice_hints = {"mode": {
        ReportingMode.NAMED: "The case team will know who you are.",
        ReportingMode.CONFIDENTIAL: "Your name is sealed. Only the identity custodians can open it, with a recorded "
                                    "reason, and you will be told. If you are staff, the independent overseer may see "
                                    "it to protect you from retaliation; the force never does.",
        ReportingMode.ANONYMOUS: "Nobody is told who you are, and nothing that identifies you or your device is kept.",
    }}

    def clean(self):
        data = super().clean()
        if data.get("independent") and data.get("reporter_type") == ReporterType.PUBLIC:
            self.add_error("independent", "The independent route is for police officers and staff. Members of the "
                                          "public: your report is seen by the independent overseer as well as the force.")
        return data


class YouForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"})
    staff_number = forms.CharField(
        label="Your warrant or staff number (optional)", max_length=32, required=False,
        help_text="Officers and staff only. It lets us watch for retaliation against you; the force does not see it.")

    def __init__(self, *args, mode: str, **kwargs):
        super().__init__(*args, **kwargs)
        if mode == ReportingMode.NAMED:
            self.fields["email"] = forms.EmailField(
                label="Email address (optional)", required=False, max_length=254,
                help_text="Only if you want an email when there is an update. It will say only that there is an update.")
            self.fields["wants_update_email"] = forms.BooleanField(
                label="Email me when there is an update", required=False)

    def clean(self):
        data = super().clean()
        if data.get("wants_update_email") and not data.get("email"):
            self.add_error("email", "Enter your email address, or untick “Email me when there is an update”")
        return data


class WhatForm(forms.Form):
    narrative = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 12}), max_length=MAX_TEXT_CHARS,
        help_text="In your own words. Include anything you think matters.",
        error_messages={"required": "Tell us what happened"})
    incident_on = forms.DateField(
        label="When did it happen?", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"], help_text="Leave it empty if you don't know.",
        error_messages={"invalid": "Enter the date like 2024-03-31, or tick “I don't know”"})
    incident_unknown = forms.BooleanField(label="I don't know", required=False)
    place = forms.CharField(label="Where did it happen? (optional)", max_length=500, required=False)
    categories = forms.MultipleChoiceField(
        label="What was it about? Tick all that apply", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one of what it was about"})
    reporter_role = forms.ChoiceField(
        label="What is your part in it?", widget=forms.RadioSelect,
        choices=[(ReporterRole.VICTIM, "It happened to me"), (ReporterRole.WITNESS, "I saw or heard it happen"),
                 (ReporterRole.THIRD_PARTY, "Someone told me about it")],
        error_messages={"required": "Say what your part in it is"})

    def __init__(self, *args, reporter_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["categories"]).choices = category_choices()
        for i in range(1, SUBJECT_ROWS + 1):
            self.fields[f"subject_{i}_name"] = forms.CharField(label="Name", max_length=200, required=False)
            self.fields[f"subject_{i}_number"] = forms.CharField(label="Warrant or staff number", max_length=64,
                                                                 required=False)
            self.fields[f"subject_{i}_unit"] = forms.CharField(label="Team, unit or station", max_length=200,
                                                               required=False)
        if reporter_type == ReporterType.STAFF:
            self.fields["still_works_alongside"] = forms.ChoiceField(
                label="Do you still work alongside the person or people?", widget=forms.RadioSelect,
                choices=YES_NO_UNSURE, error_messages={"required": "Say whether you still work alongside them"})

    def clean_incident_on(self):
        value = self.cleaned_data.get("incident_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value

    def subject_rows(self):
        return [(i, self[f"subject_{i}_name"], self[f"subject_{i}_number"], self[f"subject_{i}_unit"])
                for i in range(1, SUBJECT_ROWS + 1)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesForm(forms.Form):
    attachments = forms.FileField(
        label="Add files (optional)", required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text="Pictures, screenshots, PDFs, documents, recordings. Up to 10 files, each up to the size limit.")


class CheckForm(forms.Form):
    idempotency_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reporter_sex = forms.ChoiceField(
        label="Your sex (optional)", widget=forms.RadioSelect, required=False, choices=Sex.choices)
    reporter_ethnicity = forms.ChoiceField(
        label="Your ethnic group (optional)", required=False,
        choices=[("", "Choose (optional)")] + list(Ethnicity.choices))


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="Receipt", max_length=300,
        help_text="The seven words you were given when you sent your report.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": "Enter your receipt"})


class MessageForm(forms.Form):
    body = forms.CharField(label="Your message", widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_TEXT_CHARS,
                           error_messages={"required": "Write your message"})


class InformationForm(forms.Form):
    body = forms.CharField(label="What you want to add", widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=MAX_TEXT_CHARS, error_messages={"required": "Write what you want to add"})
    attachments = forms.FileField(label="Files (optional)", required=False, widget=MultipleFileInput(attrs={"multiple": True}))


class RetaliationForm(forms.Form):
    body = forms.CharField(
        label="What has happened to you since you reported", widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT_CHARS, error_messages={"required": "Tell us what has happened"},
        help_text="For example being left out, moved, blocked from promotion, or disciplined after you spoke up.")


class ReviewForm(forms.Form):
    body = forms.CharField(label="Why you want the outcome reviewed", widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=MAX_TEXT_CHARS, error_messages={"required": "Say why you want a review"})
