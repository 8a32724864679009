from __future__ import annotations

from django import forms

from upstander.accounts.models import Role


class LoginForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="Password", max_length=256,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.RegexField(
        label="Code from your authenticator app", regex=r"^\d{6}$", max_length=6, required=False,
        help_text="Leave this empty the first time you sign in: you will set up your authenticator next.",
        error_messages={"invalid": "Enter the 6-digit code from your authenticator app."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class EnrolForm(forms.Form):
    new_password = forms.CharField(label="Choose your own password", max_length=256, min_length=12,
                                   help_text="At least 12 characters. Not the temporary password you were given.",
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    again = forms.CharField(label="Type the same password again", max_length=256,
                            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    otp_token = forms.RegexField(label="The 6-digit code your authenticator app shows now", regex=r"^\d{6}$",
                                 max_length=6,
                                 error_messages={"invalid": "Enter the 6-digit code from your authenticator app."},
                                 widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("again") and data["new_password"] != data["again"]:
            self.add_error("again", "The two passwords are not the same.")
        return data


class NewAccountForm(forms.Form):
    username = forms.SlugField(label="Username", max_length=150,
                               help_text="Letters, numbers, hyphens and underscores. People sign in with it.")
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Work email address", required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="New role", choices=Role.choices)
    reason = forms.CharField(label="Why the role changes", max_length=500)


class DisableForm(forms.Form):
    reason = forms.CharField(label="Why the account is disabled", max_length=500)
