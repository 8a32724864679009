"""Every input on the evidence pages comes through a form."""

from __future__ import annotations

from django import forms

from upstander.evidence.parsing import DATE_ORDERS


class AttachForm(forms.Form):
    export = forms.FileField(label="Chat export", help_text="A WhatsApp chat export (.txt or .zip), a Slack workspace "
                             "export (.zip) or Teams messages from the Graph API (.json).")
    order = forms.ChoiceField(label="How the export writes dates", required=False, initial="", choices=[
        ("", "Work it out from the file"), (DATE_ORDERS[0], "Day first (31/12/2021)"),
        (DATE_ORDERS[1], "Month first (12/31/2021)")])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("reject", "Reject")], widget=forms.HiddenInput)
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), min_length=5,
                           help_text="Why you confirm or reject this flag.")


class LinkSenderForm(forms.Form):
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)


class WholeChatForm(forms.Form):
    reason = forms.CharField(label="Why you need to read the whole chat", widget=forms.Textarea(attrs={"rows": 2}),
                             min_length=5)
