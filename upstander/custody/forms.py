from __future__ import annotations

from django import forms

REASON_HELP = "Written to the audit log, which the independent overseer reads."


class ReasonField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", REASON_HELP)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)


class NewPasswordMixin:
    """Two copies of a new password that must match."""

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "The two new passwords are not the same.")  # type: ignore[attr-defined]
        return data


def _password(label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=256, strip=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}))


class InviteForm(forms.Form):
    username = forms.CharField(label="Username of the new member", max_length=150)
    reason = ReasonField(label="Why they need access (for example: new starter, forgotten password)")


class AcceptInvitationForm(NewPasswordMixin, forms.Form):
    secret = forms.CharField(label="Invitation code you were given", max_length=100,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    current_password = _password("Your current password", "current-password")
    new_password = _password("Choose a new password (at least 12 characters)", "new-password")
    new_password_again = _password("The new password again", "new-password")


class RecoverForm(NewPasswordMixin, forms.Form):
    recovery_secret = forms.CharField(label="Printed recovery secret", max_length=100,
                                      widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    current_password = _password("Your current password", "current-password")
    new_password = _password("Choose a new password (at least 12 characters)", "new-password")
    new_password_again = _password("The new password again", "new-password")
    reason = ReasonField(label="Why the recovery secret is being used")


class ResetPasswordForm(forms.Form):
    temporary_password = _password("Temporary password to give them (they must change it to get the key back)",
                                   "new-password")
    reason = ReasonField()


class ReasonForm(forms.Form):
    reason = ReasonField()


class DisclosureRequestForm(forms.Form):
    reference = forms.CharField(label="Case code or report reference", max_length=64)
    reason = ReasonField(label="Why the reporter's identity must be opened",
                         help_text="The overseer reads this, and so does the reporter, word for word, in their "
                                   "timeline. Write it for them.")


class DisclosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Your decision", choices=[("approve", "Approve: the custodian may open it, once"),
                                                                 ("refuse", "Refuse")], widget=forms.RadioSelect)
    note = forms.CharField(label="Note (required when refusing)", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class LegalHoldForm(forms.Form):
    case_code = forms.CharField(label="Case code", max_length=16)
    reason = ReasonField(label="Why the content must be kept (claim, inquiry, court order)")
